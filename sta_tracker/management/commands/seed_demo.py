from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sta_tracker.demo import DEMO_ACCOUNTS, demo_users_ensure


def demo_seeded(password: str) -> bool:
    """Whether the demo is already there: every account, the password, and demo proposals.

    Cheap on purpose (three queries and one password check), so ``make run`` can ask it on every
    start and skip the minute of seeding.
    """
    from reviews.models import Proposal

    users = get_user_model().objects
    names = [a.username for a in DEMO_ACCOUNTS]
    if users.filter(username__in=names).count() != len(names):
        return False
    if not Proposal.objects.filter(submitter__username="submitter").exists():
        return False
    return bool(users.get(username="admin").check_password(password))


class Command(BaseCommand):
    help = "Create one demo account per role (and the demo data); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="Password for every demo account.")
        parser.add_argument(
            "--unless-seeded",
            action="store_true",
            help="Do nothing when the demo accounts and proposals are already there.",
        )

    def handle(self, *args: Any, password: str, unless_seeded: bool, **options: Any) -> None:
        if len(password) < 8:
            raise CommandError("Use a demo password of at least 8 characters.")
        if unless_seeded and demo_seeded(password):
            self.stdout.write("The demo accounts and proposals are already there; nothing done.")
            return
        for account, changed in demo_users_ensure(password=password):
            state = "created or updated" if changed else "unchanged"
            self.stdout.write(f"{account.username:<10} {account.role.label:<18} {state}")
        # Review demo data: lists and proposals in every state, made through the services.
        from reviews.demo import demo_people, demo_reviews_ensure, demo_safety_ensure

        people = demo_people()
        demo_reviews_ensure(people=people, log=self.stdout.write)
        # Researcher safety: trips (one not briefed yet) and an incident.
        demo_safety_ensure(people=people, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo accounts ready."))
