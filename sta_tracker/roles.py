"""The five roles of the product, kept as Django groups."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models


class Role(models.TextChoices):
    SUBMITTER = "submitter", "Submitter"
    REVIEWER = "reviewer", "Reviewer"
    SECURITY_REVIEWER = "security_reviewer", "Security reviewer"
    ANALYST = "analyst", "Analyst"
    ADMINISTRATOR = "administrator", "Administrator"


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if role is Role.ADMINISTRATOR and getattr(user, "is_superuser", False):
        return True
    # Why: cache per request object so templates asking repeatedly cost one query.
    cached: set[str] | None = getattr(user, "_sta_roles", None)
    if cached is None:
        cached = set(Group.objects.filter(user__pk=user.pk).values_list("name", flat=True))
        user._sta_roles = cached  # type: ignore[attr-defined]
    return role.value in cached


# Apps whose models administrators maintain in the Django admin (sta_tracker: API tokens, which
# its admin lets them view and revoke, not make or change, and failed background work).
ADMINISTERED_APPS = ("clauses", "reviews", "sta_tracker")


def ensure_role_groups() -> dict[Role, Group]:
    """The role groups, with the administrator group holding the admin permissions."""
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    wanted = Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS)
    admin_group = groups[Role.ADMINISTRATOR]
    missing = wanted.exclude(pk__in=admin_group.permissions.values("pk"))
    if missing.exists():
        admin_group.permissions.add(*missing)
    return groups
