"""Demo accounts, one per role, for the one-command demo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .roles import Role, ensure_role_groups


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str


DEMO_ACCOUNTS = (
    DemoAccount("analyst", Role.ANALYST, "Dana Analyst"),
    DemoAccount("submitter", Role.SUBMITTER, "Alice Submitter"),
    DemoAccount("reviewer", Role.REVIEWER, "Bob Reviewer"),
    # Why a second reviewer: the one who assesses risks and benefits may not also decide.
    DemoAccount("decider", Role.REVIEWER, "Judy Decider"),
    DemoAccount("security", Role.SECURITY_REVIEWER, "Charlie Security"),
    DemoAccount("admin", Role.ADMINISTRATOR, "Erin Administrator"),
)


def demo_users_ensure(*, password: str) -> list[tuple[DemoAccount, bool]]:
    """Create or align the demo accounts; returns each account and whether anything changed."""
    groups = ensure_role_groups()
    user_model = get_user_model()
    results: list[tuple[DemoAccount, bool]] = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            first, last = account.full_name.split(" ", 1)
            is_admin = account.role is Role.ADMINISTRATOR
            user: Any
            user, created = user_model.objects.get_or_create(
                username=account.username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{account.username}@demo.sta-tracker.invalid",
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            changed = created
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                changed = True
            if not user.groups.filter(pk=groups[account.role].pk).exists():
                user.groups.add(groups[account.role])
                changed = True
            results.append((account, changed))
    return results
