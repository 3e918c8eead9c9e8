"""``{% for run in ops|gapped %}``: a redline's runs with the gap between a deletion and the
insertion that replaces it (see ``clauses.comparison.display.gapped_runs``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from clauses.comparison.display import Run, gapped_runs
from clauses.diffing import Op

register = template.Library()


@register.filter
def gapped(ops: Iterable[Run | Op]) -> tuple[Run, ...]:
    return gapped_runs(ops)
