"""Import an official treaty text as a new instrument and version of an agreement."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.structure import ParsedDocument
from clauses.models import Agreement, InstrumentKind, TextStatus, system_user
from clauses.services import VersionError
from clauses.services_import import instrument_import

from ._language_text import language_text_command

_REQUIRED = ("agreement", "label", "kind", "signed_on", "effective_from")


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--{option} must be a date written YYYY-MM-DD, not {value!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Import an official text (plain text, Markdown, PDF, DOCX or Akoma Ntoso XML) as a new "
        "instrument and version. With --dry-run, print the detected clauses and write nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file holding the text.")
        parser.add_argument("--agreement", help="Slug of the agreement, e.g. sta.")
        parser.add_argument("--label", help="Label of the new version and instrument (a slug).")
        parser.add_argument("--kind", help=f"One of: {', '.join(InstrumentKind.values)}.")
        parser.add_argument("--signed-on", dest="signed_on", help="Date signed, YYYY-MM-DD.")
        parser.add_argument(
            "--effective-from", dest="effective_from", help="Date in force from, YYYY-MM-DD."
        )
        parser.add_argument("--expires-on", dest="expires_on", help="Expiry date, YYYY-MM-DD.")
        parser.add_argument("--title", default="", help="Title; defaults to the text's own.")
        parser.add_argument("--signed-at", dest="signed_at", default="", help="Place signed.")
        parser.add_argument(
            "--text-status",
            dest="text_status",
            default=TextStatus.OFFICIAL,
            choices=[TextStatus.OFFICIAL, TextStatus.PARTIAL],
            help="official, or partial when the text is official but incomplete.",
        )
        parser.add_argument("--reason", default="", help="Why; kept in the history.")
        parser.add_argument("--user", default="", help="Username recorded in the history.")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; write nothing.")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--to-version",
            dest="to_version",
            default="",
            help="Label of an existing version: add the file as its text in --language.",
        )
        parser.add_argument(
            "--language", default="", help="ISO 639-1 code of the text added with --to-version."
        )
        parser.add_argument(
            "--pair",
            action="append",
            default=[],
            metavar="NEW=KEY",
            help="With --to-version: pair the new text's clause NEW with the clause KEY, or "
            "leave it unaligned with NEW= (may be repeated).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["to_version"] or options["language"]:
            language_text_command(self, path, options)
            return
        signed_on = _date("signed-on", options["signed_on"])
        effective_from = _date("effective-from", options["effective_from"])
        expires_on = _date("expires-on", options["expires_on"])
        try:
            document = read_document(path.read_bytes(), path.name)
        except TextImportError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if options["dry_run"]:
            self._print(document, options["format"])
            return
        missing = [f"--{name.replace('_', '-')}" for name in _REQUIRED if not options[name]]
        if missing or signed_on is None or effective_from is None:
            raise CommandError(f"Missing {', '.join(missing)} (or use --dry-run to parse only).")
        agreement = Agreement.objects.filter(slug=options["agreement"]).first()
        if agreement is None:
            known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No agreement {options['agreement']!r} (known: {known}).")
        reason = options["reason"].strip() or f"Imported official text from {path.name}"
        try:
            with transaction.atomic():
                version = instrument_import(
                    agreement=agreement,
                    document=document,
                    label=options["label"],
                    kind=options["kind"],
                    signed_on=signed_on,
                    effective_from=effective_from,
                    expires_on=expires_on,
                    title=options["title"],
                    signed_at=options["signed_at"],
                    text_status=options["text_status"],
                    acting_user=self._user(options["user"]),
                    reason=reason,
                    source_name=path.name,
                )
        except VersionError as exc:
            raise CommandError(str(exc)) from exc
        changes = Counter(version.clauses.values_list("change", flat=True))
        summary = ", ".join(f"{n} {change}" for change, n in sorted(changes.items()))
        self.stdout.write(
            f"Imported {version.title!r} as version {version.label} of "
            f"{agreement.short_title}: {summary}."
        )

    def _user(self, username: str) -> Any:
        if not username:
            return system_user()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _print(self, document: ParsedDocument, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(document.as_json(), ensure_ascii=False, indent=2))
            return
        depth: dict[str, int] = {}
        for clause in document.clauses:
            depth[clause.key] = depth[clause.parent] + 1 if clause.parent else 0
            label = " ".join(p for p in (clause.number, clause.heading) if p) or clause.kind
            first = clause.text.splitlines()[0][:60] if clause.text else ""
            indent = "  " * depth[clause.key]
            self.stdout.write(f"{indent}{clause.key}  [{label}]  {first}".rstrip())
        if document.dropped:
            self.stdout.write("Left out as not treaty text: " + " / ".join(document.dropped))
