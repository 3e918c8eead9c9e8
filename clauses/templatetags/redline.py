"""``{% for run in ops|gapped %}``: a redline's runs with the gap between a deletion and the
insertion that replaces it (see ``clauses.comparison.display.gapped_runs``); and
``{% redline_rows rows ... %}``: a comparison's rows (see ``clauses.comparison.redline_html``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from clauses.comparison.display import CompareRow, Run, gapped_runs
from clauses.comparison.redline_html import rows_html
from clauses.diffing import Op

register = template.Library()


@register.filter
def gapped(ops: Iterable[Run | Op]) -> tuple[Run, ...]:
    return gapped_runs(ops)


@register.simple_tag
def redline_rows(
    rows: Iterable[CompareRow], *, side: bool, older: str, newer: str, change_count: object
) -> SafeString:
    return rows_html(
        rows, side=bool(side), older=str(older), newer=str(newer), change_count=change_count
    )
