"""The five roles of the product, kept as Django groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, QuerySet

from .prepared import PreparedQuery


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


def _user_with_roles(pk: int) -> QuerySet[Any]:
    """The person ``pk``, one row per role (the role's name in ``sta_role``)."""
    return get_user_model()._default_manager.filter(pk=pk).annotate(sta_role=F("groups__name"))


# Why prepared: every signed-in request runs it, and compiling it cost more than answering it.
_USER_WITH_ROLES = PreparedQuery(_user_with_roles)


class RoleLoadingBackend(ModelBackend):
    """Django's model backend, loading the signed-in user and their roles in one query.

    Every page asks for the roles (navigation, permissions), so the request that reads the user
    from the session reads the role names in the same query (one row per group, through a left
    join), and ``has_role`` finds them on the user object. Nothing is kept across requests, so a
    role taken away counts from the next request.
    """

    def get_user(self, user_id: Any) -> Any:
        try:
            key = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if not isinstance(key, int):
            return None
        rows = _USER_WITH_ROLES(pk=key)
        if not rows:
            return None
        user = rows[0]
        user._sta_roles = {row.sta_role for row in rows if row.sta_role}
        return user if self.user_can_authenticate(user) else None


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
