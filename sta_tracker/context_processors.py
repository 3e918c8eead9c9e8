from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

from .roles import Role, has_role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def reverse(name: str) -> str:
    """The navigation's address for ``name``, reversed once per process and script prefix."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


# Why keyed so: every page reverses the same dozen names; the result depends on nothing else.
@lru_cache(maxsize=128)
def _reversed(name: str, urlconf: Any, prefix: str) -> str:
    return django_reverse(name, urlconf=urlconf)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation for the signed-in user's roles: one list, the same on every page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = [role for role in Role if has_role(user, role)]
    items = [
        NavItem("agreements", "Agreements", reverse("clauses:agreement_list")),
        NavItem("search", "Search", reverse("search:search")),
    ]
    items.extend(_review_items(roles))
    if Role.ADMINISTRATOR in roles:
        items.append(NavItem("import", "Import a text", reverse("clauses:import_upload")))
    if user.is_staff:
        items.append(NavItem("admin", "Administration", reverse("admin:index")))
    return {"user_roles": roles, "nav_items": items}


def _review_items(roles: list[Role]) -> list[NavItem]:
    """The review pages each role works in, in the order work flows through them."""
    reviewing = Role.REVIEWER in roles or Role.SECURITY_REVIEWER in roles
    items = []
    if Role.SUBMITTER in roles:
        items.append(NavItem("my_proposals", "My proposals", reverse("reviews:my_proposals")))
    if reviewing:
        items.append(NavItem("queue", "Review queue", reverse("reviews:queue")))
    if reviewing or Role.ADMINISTRATOR in roles:
        items.append(NavItem("proposals", "Proposals", reverse("reviews:proposals")))
    if reviewing or Role.ADMINISTRATOR in roles:
        items.append(
            NavItem("concerns", "Reciprocity concerns", reverse("reviews:reciprocity_concerns"))
        )
    if reviewing or Role.ANALYST in roles or Role.ADMINISTRATOR in roles:
        items.append(NavItem("dashboard", "Dashboard", reverse("reviews:dashboard")))
        items.append(NavItem("report", "Programme report", reverse("reviews:report")))
    if Role.ADMINISTRATOR in roles:
        items.append(
            NavItem("screening_data", "Screening data", reverse("reviews:screening_lists"))
        )
    return items
