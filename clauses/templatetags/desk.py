"""Whether the person reading may use the analyst's desk (drafts, other agreements)."""

from __future__ import annotations

from typing import Any

from django import template

from ..permissions import can_use_desk

register = template.Library()


@register.filter
def uses_desk(user: Any) -> bool:
    return can_use_desk(user)
