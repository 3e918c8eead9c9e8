from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.reporting import programme_report
from reviews.reporting.document import report_docx
from reviews.reporting.figures import PeriodError
from reviews.reporting.tables import all_csv, report_json, report_tables

FORMATS = ("json", "csv", "docx")


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} {value!r} is not a date; give it as YYYY-MM-DD.", returncode=2
        ) from None


class Command(BaseCommand):
    help = (
        "The programme report of a period (both days included) as JSON, CSV (every figure, a "
        "row a cell) or DOCX; aggregate figures unless --detail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="Write to this file instead of the standard output.")
        parser.add_argument(
            "--detail", action="store_true", help="Add the per-project rows (for reviewers)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = _day(options["start"], "--from")
        end = _day(options["end"], "--to")
        fmt = options["format"]
        output = options.get("output")
        if fmt == "docx" and not output:
            raise CommandError("A DOCX report needs --output FILE.", returncode=2)
        detail = bool(options.get("detail"))
        try:
            report = programme_report(start, end, with_detail=detail)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from None
        body: str | bytes
        if fmt == "json":
            body = json.dumps(report_json(report, with_detail=detail), indent=2, ensure_ascii=False)
            body += "\n"
        elif fmt == "csv":
            body = all_csv(report_tables(report, with_detail=detail))
        else:
            body = report_docx(report, with_detail=detail)
        if output:
            path = Path(output)
            if isinstance(body, bytes):
                path.write_bytes(body)
            else:
                path.write_text(body, encoding="utf-8")
            self.stderr.write(f"Programme report {start} to {end} written to {path}.")
        else:
            self.stdout.write(str(body), ending="")
