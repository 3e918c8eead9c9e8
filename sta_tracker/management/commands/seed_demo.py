from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sta_tracker.demo import demo_users_ensure


class Command(BaseCommand):
    help = "Create one demo account per role (and the demo data); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="Password for every demo account.")

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        if len(password) < 8:
            raise CommandError("Use a demo password of at least 8 characters.")
        for account, changed in demo_users_ensure(password=password):
            state = "created or updated" if changed else "unchanged"
            self.stdout.write(f"{account.username:<10} {account.role.label:<18} {state}")
        # Review demo data: lists and proposals in every state, made through the services.
        from reviews.demo import demo_people, demo_reviews_ensure, demo_safety_ensure

        people = demo_people()
        demo_reviews_ensure(people=people, log=self.stdout.write)
        # Researcher safety: trips (one not briefed yet) and an incident.
        demo_safety_ensure(people=people, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts ready: log in at http://127.0.0.1:8000/ as analyst, submitter, "
                "reviewer, security or admin with the password you gave."
            )
        )
