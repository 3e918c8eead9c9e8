from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import Role, has_role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"user_roles": [role for role in Role if has_role(user, role)]}
