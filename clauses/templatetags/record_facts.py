"""Facts of the record as pages say them.

``{{ instrument|dated:"signed_on" }}``: a recorded date with its precision and assumption;
``{{ clause|change_sources }}``: the sources that support the change the record shows.
"""

from __future__ import annotations

from typing import Any

from django import template

from clauses.reading.read_models import change_sources as sources_of_change
from clauses.record.dates import dated as say_date

register = template.Library()


@register.filter
def dated(record: Any, field: str) -> str:
    return say_date(record, field)


@register.filter
def change_sources(clause: Any) -> list[dict[str, str]]:
    return sources_of_change(clause)
