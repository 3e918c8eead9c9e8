"""Small template helpers for the review pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from clauses.models import Clause, ClauseKind, Provision
from reviews import dashboard_html
from reviews.chart_html import chart_html
from reviews.charts import BarChart
from reviews.dashboard import Dashboard, Grouping, OverdueRow
from reviews.services.reciprocity import Indicators

register = template.Library()


@register.simple_tag
def bar_chart(
    chart: BarChart, chart_id: str, row_heading: str = "", value_heading: str = ""
) -> SafeString:
    """A bar chart with its figures as a table (reviews/chart_html.py)."""
    return chart_html(chart, chart_id, row_heading=row_heading, value_heading=value_heading)


@register.simple_tag
def state_rows(board: Dashboard) -> SafeString:
    """The dashboard's row for each state (reviews/dashboard_html.py)."""
    return dashboard_html.state_rows(board)


@register.simple_tag
def group_rows(grouping: Grouping, linked: bool) -> SafeString:
    """The dashboard's row for each entry of a grouping (reviews/dashboard_html.py)."""
    return dashboard_html.group_rows(grouping, linked=linked)


@register.simple_tag
def way_rows(indicators: Indicators) -> SafeString:
    """The row of the requests each way (reviews/dashboard_html.py)."""
    return dashboard_html.way_rows(indicators)


@register.simple_tag
def overdue_rows(proposals: Iterable[OverdueRow]) -> SafeString:
    """The dashboard's row for each overdue proposal (reviews/dashboard_html.py)."""
    return dashboard_html.overdue_rows(proposals)


@register.filter
def chosen(bound_field: Any) -> set[str]:
    """The values a multiple-choice field currently holds, as strings, for ticking boxes."""
    value = bound_field.value() or []
    if not isinstance(value, list | tuple):
        value = [value]
    return {str(v) for v in value}


@register.filter
def as_str(value: Any) -> str:
    return str(value)


@register.filter
def days_since(moment: dt.datetime | None) -> int | None:
    """Whole days from ``moment`` until now."""
    if moment is None:
        return None
    return max((timezone.now() - moment).days, 0)


@register.filter
def days_overdue(due_on: dt.date | None) -> int | None:
    """Whole days since ``due_on`` passed, counting from today."""
    if due_on is None:
        return None
    return max((timezone.localdate() - due_on).days, 0)


@register.filter
def is_past(moment: dt.datetime | None) -> bool:
    """Whether a due moment has gone by."""
    return moment is not None and moment < timezone.now()


@register.filter
def assignees(proposal: Any) -> dict[str, Any]:
    """A queue row's assignments by step, from the prefetched ``assignments``."""
    return {a.step: a for a in proposal.assignments.all()}


_NOUNS = {ClauseKind.PARAGRAPH: "paragraph", ClauseKind.ITEM: "item"}


@register.filter
def clause_name(clause: Clause) -> str:
    """“Article 1, paragraph 1 (Principles, objective and scope)”: a clause named with the
    provisions it sits in. Load ``parent__parent`` with the clause to keep this query-free."""
    chain: list[Provision] = []
    node: Provision | None = clause
    while node is not None and len(chain) < 4:
        chain.append(node)
        node = node.parent  # no query when there is none
    chain.reverse()
    parts = []
    for part in chain:
        number = (part.number or "").strip().rstrip(".")
        noun = _NOUNS.get(ClauseKind(part.kind)) if part.kind in ClauseKind.values else None
        parts.append(f"{noun} {number}" if noun and number else number or part.heading or part.key)
    top = chain[0]
    heading = f" ({top.heading})" if top.heading and top.heading not in parts else ""
    return ", ".join(parts) + heading
