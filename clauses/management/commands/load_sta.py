"""``python manage.py load_sta``: load or bring up to date the STA reference data."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clauses.models import Version, system_user
from clauses.record.reference import STA_DATA_DIR, ReferenceDataError, sta_load

REASON = "Loaded the STA reference data (clauses/data/sta)"


class Command(BaseCommand):
    help = (
        "Load the U.S.-PRC Science and Technology Agreement's instruments, events and versions "
        "from the project's data files. Safe to run again: only what changed is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=STA_DATA_DIR,
            help="Folder holding timeline.toml and texts/ (default: the project's own).",
        )
        parser.add_argument(
            "--reason", default=REASON, help="Recorded in the history of every changed row."
        )
        parser.add_argument(
            "--unless-loaded",
            action="store_true",
            help="Do nothing when the STA already has versions (the demo's quick start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["unless_loaded"] and Version.objects.filter(agreement__slug="sta").exists():
            self.stdout.write("The STA is already loaded; nothing read (run load_sta to update).")
            return
        try:
            report = sta_load(
                acting_user=system_user(), reason=options["reason"], data_dir=options["data_dir"]
            )
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.kept:
            self.stdout.write(f"  kept {line}")
        if not report.changed:
            self.stdout.write("The STA reference data is already up to date; nothing written.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"STA reference data loaded: {len(report.created)} created, "
                f"{len(report.updated)} corrected."
            )
        )
        for line in report.updated:
            self.stdout.write(f"  corrected {line}")
