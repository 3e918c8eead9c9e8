"""``{{ instrument|dated:"signed_on" }}``: a recorded date with its precision and assumption."""

from __future__ import annotations

from typing import Any

from django import template

from clauses.dates import dated as say_date

register = template.Library()


@register.filter
def dated(record: Any, field: str) -> str:
    return say_date(record, field)
