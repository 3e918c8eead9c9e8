"""python manage.py import_screening_list FILE: import a Consolidated Screening List CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clauses.models import system_user
from reviews.errors import ReviewError
from reviews.services import screening_list_import


class Command(BaseCommand):
    help = (
        "Import a Consolidated Screening List CSV file (columns in the published order) as the "
        "current restricted-party list, then screen open and approved proposals against it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--reason", default="", help="Recorded in the history.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        reason = options["reason"] or f"Screening list imported from {path.name}"
        try:
            imported = screening_list_import(
                file_name=path.name,
                data=path.read_bytes(),
                acting_user=system_user(),
                reason=reason,
            )
        except ReviewError as exc:
            raise CommandError(
                f"{path.name} was not imported; nothing was written.\n{exc}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {imported.entry_count} entries from {path.name}; "
                "open and approved proposals will be screened again."
            )
        )
