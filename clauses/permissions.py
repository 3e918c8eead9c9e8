"""Who may do what with agreements and clauses."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from sta_tracker.roles import Role, has_role

User = AbstractBaseUser | AnonymousUser

ONLY_ADMINS_IMPORT = "Only administrators import official texts."


def can_view_agreements(user: User) -> bool:
    """Every role reads the agreement: submitters cite its clauses, reviewers check scope."""
    return any(has_role(user, role) for role in Role)


def can_import_versions(user: User) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def can_correct_clauses(user: User) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
