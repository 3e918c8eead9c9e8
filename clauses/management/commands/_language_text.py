"""``import_instrument --to-version LABEL --language CODE``: a language text of a version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clauses.importing.errors import TextImportError
from clauses.importing.services import read_file
from clauses.models import Agreement, Version, language_name, system_user
from clauses.record.languages import language_preview, version_text_add
from clauses.record.versions import VersionError


def _pairs(values: list[str]) -> dict[str, str | None]:
    pairs: dict[str, str | None] = {}
    for value in values:
        new, sep, key = value.partition("=")
        if not sep or not new.strip():
            raise CommandError(
                f"--pair takes NEW=KEY (or NEW= to leave NEW unaligned), not {value!r}."
            )
        pairs[new.strip()] = key.strip() or None
    return pairs


def _version(options: dict[str, Any]) -> Version:
    if not options["to_version"] or not options["language"]:
        raise CommandError("A language text needs both --to-version LABEL and --language CODE.")
    agreement = Agreement.objects.filter(slug=options["agreement"] or "").first()
    if agreement is None:
        known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "none loaded"
        raise CommandError(f"No agreement {options['agreement']!r} (known: {known}).")
    version = Version.objects.filter(agreement=agreement, label=options["to_version"]).first()
    if version is None:
        labels = ", ".join(agreement.versions.values_list("label", flat=True)) or "none"
        raise CommandError(
            f"{agreement.short_title} has no version {options['to_version']!r} "
            f"(versions: {labels})."
        )
    return version


def _user(username: str) -> Any:
    if not username:
        return system_user()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user {username!r}.")
    return user


def language_text_command(command: BaseCommand, path: Path, options: dict[str, Any]) -> None:
    """Preview (``--dry-run``) or add the file as ``--language`` text of ``--to-version``."""
    version = _version(options)
    pairs = _pairs(options["pair"])
    try:
        document = read_file(path)
    except TextImportError as exc:
        raise CommandError(f"{path.name}: {exc}") from exc
    language = options["language"]
    try:
        preview = language_preview(version, document, language=language, pairs=pairs)
        if options["dry_run"]:
            _print(command, preview.as_json(), document, options["format"])
            return
        text = version_text_add(
            version=version,
            document=document,
            language=language,
            text_status=options["text_status"],
            acting_user=_user(options["user"]),
            reason=options["reason"].strip()
            or f"Added the {language_name(language)} text from {path.name}",
            pairs=pairs,
            source_name=path.name,
        )
    except VersionError as exc:
        raise CommandError(str(exc)) from exc
    command.stdout.write(
        f"Added the {language_name(text.language)} text ({text.language}) of version "
        f"{version.label}: {len(preview.pairs)} aligned, {len(preview.unaligned_new)} "
        f"unaligned, {len(preview.unaligned_existing)} clauses without a counterpart."
    )


def _print(command: BaseCommand, data: dict[str, Any], document: Any, fmt: str) -> None:
    if fmt == "json":
        data = {**data, "clauses": document.as_json()["clauses"]}
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for pair in data["pairs"]:
        command.stdout.write(f"{pair['new_key']} [{pair['number']}] → {pair['key']}")
    for row in data["unaligned_new"]:
        command.stdout.write(f"{row['new_key']} → unaligned, as {row['key']}")
    if data["unaligned_existing"]:
        command.stdout.write("No counterpart: " + ", ".join(data["unaligned_existing"]))
