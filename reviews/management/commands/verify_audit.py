"""python manage.py verify_audit: check the hash chain over decisions and transition events."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.audit import verify_chain

# Why a cap: a table rewritten wholesale breaks every link; the first few say what happened.
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recompute the audit chain over every decision and transition event and name the first "
        "broken link. Exits with status 1 when the chain is broken. Record the head it prints "
        "somewhere else and pass it back with --anchor to catch a chain rewritten after it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help="A head hash printed by an earlier run; it must still be in the chain.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(anchors=options["anchor"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "intact": report.intact,
                        "links": report.links,
                        "events": report.events,
                        "decisions": report.decisions,
                        "head": {"seq": report.head_seq, "hash": report.head_hash},
                        "breaks": [{"seq": b.seq, "message": b.message} for b in report.breaks],
                        "missing_anchors": report.missing_anchors,
                    },
                    indent=2,
                )
            )
        elif report.intact:
            self.stdout.write(
                f"Audit chain intact: {report.links} links ({report.events} transition events, "
                f"{report.decisions} decisions).\n"
                f"Head: link {report.head_seq}, {report.head_hash}"
            )
        else:
            for problem in report.breaks[:SHOWN]:
                self.stderr.write(problem.message)
            if len(report.breaks) > SHOWN:
                self.stderr.write(f"… and {len(report.breaks) - SHOWN} more.")
            for anchor in report.missing_anchors:
                self.stderr.write(
                    f"Anchor {anchor} is no longer in the chain: it was rewritten after it."
                )
        if not report.intact:
            first = report.breaks[0].message if report.breaks else "a recorded anchor is missing"
            raise CommandError(f"The audit chain is broken. First: {first}")
