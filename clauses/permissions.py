"""Who may do what with agreements and clauses."""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from sta_tracker.roles import Role, has_role

User = AbstractBaseUser | AnonymousUser

ONLY_ADMINS_IMPORT = "Only administrators import official texts."
FOUR_EYES_RULE = (
    "Four eyes: an import is published by a second administrator, not by the one who uploaded it."
)
FOUR_EYES_HAND_RULE = (
    "Four eyes: an import is published by an administrator who did not change its preview by "
    "hand (applied an instruction or paired a clause)."
)


def can_view_agreements(user: User) -> bool:
    """Every role reads the agreement: submitters cite its clauses, reviewers check scope."""
    return any(has_role(user, role) for role in Role)


def can_import_versions(user: User) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def publish_import_refusal(
    user: User, uploader_id: int | None, editors: Collection[int] = ()
) -> str | None:
    """Why ``user`` may not publish an upload of ``uploader_id``; None when they may.

    ``editors`` changed the preview by hand: with four eyes on, they do not publish it either.
    """
    if not can_import_versions(user):
        return ONLY_ADMINS_IMPORT
    if settings.STA_IMPORT_FOUR_EYES and getattr(user, "pk", None) == uploader_id:
        return FOUR_EYES_RULE
    if settings.STA_IMPORT_FOUR_EYES and getattr(user, "pk", None) in editors:
        return FOUR_EYES_HAND_RULE
    return None


def can_publish_import(user: User, uploader_id: int | None, editors: Collection[int] = ()) -> bool:
    return publish_import_refusal(user, uploader_id, editors) is None


def can_correct_clauses(user: User) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


# The analyst's desk (issue 15): who compares drafts and texts across agreements.
DESK_ROLES = (Role.ANALYST, Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)
ONLY_DESK_USERS = "Analysts, reviewers and administrators compare drafts and other agreements."


def can_use_desk(user: User) -> bool:
    """Compare drafts and other agreements: the people who read texts for a living."""
    return any(has_role(user, role) for role in DESK_ROLES)


def can_manage_draft(user: User, owner_id: int | None) -> bool:
    """Share or delete a draft: its owner only."""
    return can_use_desk(user) and getattr(user, "pk", None) == owner_id
