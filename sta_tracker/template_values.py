"""A value as ``{{ value }}`` writes it in an autoescaped template, for HTML built in Python.

The same steps as Django's ``render_value_in_context``: local time, localisation, text,
escaping. Numbers are localised once per value, language and grouping setting: a chart writes
hundreds of coordinates, most of them the same few.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import get_language


def shown(value: Any, language: str | None = None) -> str:
    """``{{ value }}``; ``language``, the active one, is looked up when not given (a caller
    writing many numbers looks it up once)."""
    kind = type(value)
    if kind is str:
        # Why not conditional_escape: plain text has no __html__, and Django escapes it so.
        return html.escape(value)
    # Why not zero: 0.0 and -0.0 are one key, and are written differently.
    if (kind is int or kind is float) and value != 0:
        grouped = settings.USE_THOUSAND_SEPARATOR
        return _number(value, kind is float, language or get_language(), grouped)
    value = localize(template_localtime(value))
    return str(conditional_escape(value if issubclass(type(value), str) else str(value)))


@lru_cache(maxsize=4096)
def _number(value: float, real: bool, language: str | None, grouped: bool) -> str:
    # Why ``real`` in the key: 2 and 2.0 are one key, and are written differently.
    return str(conditional_escape(localize(value)))
