"""The five roles of the product, kept as Django groups."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
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


def ensure_role_groups() -> dict[Role, Group]:
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
