"""Import an official treaty text as a new instrument and version of an agreement."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clauses.importing.errors import TextImportError
from clauses.importing.review import (
    Consequences,
    ImportRefused,
    ImportReview,
    effect_json,
    import_review,
    mode_for,
    publish_checks,
    word_accounting,
)
from clauses.importing.services import (
    IMPORTABLE_STATUSES,
    NO_TEXT_STATUS,
    instrument_import,
    read_file,
)
from clauses.importing.structure import ParsedDocument
from clauses.models import Agreement, ImportMode, InstrumentKind, Version, system_user
from clauses.record.languages import other_texts_summary
from clauses.record.versions import VersionError

from ._language_text import language_text_command

_REQUIRED = ("agreement", "label", "kind", "signed_on", "effective_from")
_MODES = [m.value for m in ImportMode if m != ImportMode.LANGUAGE]


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
        "instrument and version. With --dry-run, print the detected clauses, the word accounting "
        "and what publishing would do, and write nothing."
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
            "--mode",
            choices=_MODES,
            default="",
            help="How the file comes in; consolidated is assumed only for a first version.",
        )
        parser.add_argument(
            "--text-status",
            dest="text_status",
            default="",
            choices=IMPORTABLE_STATUSES,
            help="What the text is (required to publish: nothing is assumed official).",
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Publish although more than a quarter of the version before is repealed.",
        )
        parser.add_argument(
            "--accept-lost-words",
            dest="accept_lost_words",
            action="store_true",
            help="Publish although words of the file reached no clause.",
        )
        parser.add_argument(
            "--period-reason",
            dest="period_reason",
            default="",
            help="Why an earlier version stops being in force (needed when one does).",
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
            document = read_file(path)
        except TextImportError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        agreement = self._agreement(options["agreement"]) if options["agreement"] else None
        review = self._review(document, agreement, options["mode"], effective_from)
        if options["dry_run"]:
            self._print(document, review, options["format"])
            return
        missing = [f"--{name.replace('_', '-')}" for name in _REQUIRED if not options[name]]
        if missing or signed_on is None or effective_from is None:
            raise CommandError(f"Missing {', '.join(missing)} (or use --dry-run to parse only).")
        if agreement is None or review is None:
            raise CommandError("Missing --agreement (or use --dry-run to parse only).")
        if not options["text_status"]:
            raise CommandError(f"{NO_TEXT_STATUS} (--text-status)")
        reason = options["reason"].strip() or f"Imported official text from {path.name}"
        try:
            publish_checks(
                review,
                confirm_repeals=options["confirm"],
                accept_lost_words=options["accept_lost_words"],
                period_reason=options["period_reason"],
            )
            published = instrument_import(
                agreement=agreement,
                mode=mode_for(agreement, options["mode"]),
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
                period_reason=options["period_reason"],
            )
        except ImportRefused as exc:
            raise CommandError(_for_the_command(str(exc))) from exc
        except VersionError as exc:
            raise CommandError(str(exc)) from exc
        if not isinstance(published, Version):
            self.stdout.write(
                f"Imported {published.title!r} as the document of {published.instrument.title!r} "
                f"({agreement.short_title}): no new version."
            )
            return
        changes = Counter(published.clauses.values_list("change", flat=True))
        summary = ", ".join(f"{n} {change}" for change, n in sorted(changes.items()))
        self.stdout.write(
            f"Imported {published.title!r} as version {published.label} of "
            f"{agreement.short_title}: {summary}."
        )

    def _agreement(self, slug: str) -> Agreement:
        agreement = Agreement.objects.filter(slug=slug).first()
        if agreement is None:
            known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No agreement {slug!r} (known: {known}).")
        return agreement

    def _review(
        self,
        document: ParsedDocument,
        agreement: Agreement | None,
        mode: str,
        effective_from: dt.date | None,
    ) -> ImportReview | None:
        """The accounting and the consequences, when an agreement says what it would change."""
        if agreement is None:
            return None
        try:
            mode = mode_for(agreement, mode)
        except VersionError as exc:
            raise CommandError(f"{exc} (--mode)") from exc
        return import_review(
            agreement=agreement,
            mode=mode,
            document=document,
            effective_from=effective_from or timezone.localdate(),
        )

    def _user(self, username: str) -> Any:
        if not username:
            return system_user()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _print(self, document: ParsedDocument, review: ImportReview | None, fmt: str) -> None:
        accounting = review.accounting if review else word_accounting(document)
        consequences = review.consequences if review else None
        if fmt == "json":
            data: dict[str, Any] = {
                "title": document.title,
                "front_matter": list(document.front_matter),
                **document.as_json(),
                "notes": [
                    {"key": c.key, "notes": list(c.notes)} for c in document.clauses if c.notes
                ],
                "unplaced": accounting.as_json()["unplaced"],
                "warnings": list(document.warnings),
                "accounting": accounting.as_json(),
                "consequences": consequences.as_json() if consequences else None,
                "effects": [effect_json(e) for e in consequences.effects] if consequences else [],
                "problem": review.problem if review else "",
                "other_texts": [
                    {
                        "language": t["language"],
                        "clauses": t["clauses"],
                        "unaligned": t["unaligned"],
                    }
                    for t in other_texts_summary(document)
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
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
        if consequences:
            self.stdout.write(_summary(consequences))
        if review and review.problem:
            self.stdout.write(f"Cannot be published: {review.problem}")


def _summary(consequences: Consequences) -> str:
    c = consequences
    line = (
        f"Publishing would add {c.added}, amend {c.amended}, repeal {c.repealed}, renumber "
        f"{c.renumbered} and keep {c.unchanged} clauses unchanged; {c.flagged_proposals} "
        "proposals would be flagged."
    )
    return " ".join([line, *(p.sentence for p in c.periods_changed)])


def _for_the_command(message: str) -> str:
    """A refusal, with the option that acknowledges it."""
    if "reached no clause" in message:
        return f"{message} (--accept-lost-words)"
    if "confirm it" in message:
        return f"{message} (--confirm)"
    if "Say why" in message:
        return f"{message} (--period-reason)"
    return message
