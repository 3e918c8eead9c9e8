from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .roles import Role, has_role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation for the signed-in user's roles: one list, the same on every page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = [role for role in Role if has_role(user, role)]
    items = [
        NavItem("agreements", "Agreements", reverse("clauses:agreement_list")),
        NavItem("search", "Search", reverse("clauses:search")),
    ]
    if Role.ADMINISTRATOR in roles:
        items.append(NavItem("import", "Import a text", reverse("clauses:import_upload")))
    if user.is_staff:
        items.append(NavItem("admin", "Administration", reverse("admin:index")))
    return {"user_roles": roles, "nav_items": items}
