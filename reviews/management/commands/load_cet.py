"""python manage.py load_cet FILE --edition NAME: load an edition of the CET list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clauses.models import system_user
from reviews.errors import ReviewError
from reviews.models import CetCategory
from reviews.services import cet_edition_load


class Command(BaseCommand):
    help = (
        "Load an edition of the Critical and Emerging Technologies list (one category a line, "
        "# for comments). Earlier editions are kept; the new one is put in force unless "
        "--not-in-force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--edition", required=True, help="Name of the edition, e.g. 2024.")
        parser.add_argument(
            "--not-in-force", action="store_true", help="Load without putting it in force."
        )
        parser.add_argument("--reason", default="", help="Recorded in the history.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{path.name} is not UTF-8 text; nothing was written.") from None
        try:
            edition = cet_edition_load(
                name=options["edition"],
                text=text,
                acting_user=system_user(),
                reason=options["reason"] or f"CET list edition loaded from {path.name}",
                put_in_force=not options["not_in_force"],
            )
        except ReviewError as exc:
            raise CommandError(f"{path.name} was not loaded; nothing was written.\n{exc}") from None
        categories = CetCategory.objects.filter(edition=edition)
        bare = [c.name for c in categories.filter(terms__isnull=True)]
        state = "in force" if edition.in_force else "not in force"
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded CET edition {edition.name} ({state}) with {categories.count()} categories."
            )
        )
        for name in bare:
            self.stdout.write(
                self.style.WARNING(f"No search terms for “{name}”; add them before screening.")
            )
