"""The dashboard's tables as HTML: the rows of every state, of each grouping, of the requests
each way and of the overdue proposals.

Built in Python because each row writes half a dozen values, each a template variable
otherwise; they write what the loops of reviews/dashboard.html wrote (kept under
tests/reference_templates/, which tests/reviews/test_pages_rendered_alike.py compares with).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import get_language

from sta_tracker import template_values

from .dashboard import Dashboard, Grouping, OverdueRow, StateRow
from .services.reciprocity import Indicators

Writer = Callable[[Any], str]
# Why: each row of the loops these replace sat on a line of its own, indented in its table.
ROW = "\n    {}\n    "
NONE_YET = "—"


def _writer() -> Writer:
    return partial(template_values.shown, language=get_language())


def _rows(rows: Iterable[str]) -> SafeString:
    html = "".join(ROW.format(row) for row in rows)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - every value is escaped


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def state_rows(board: Dashboard) -> SafeString:
    """Each state: its proposals, the average and the longest wait, and how many are past the
    service level, linked to their lists where the board has addresses."""
    shown = _writer()
    days = shown(board.service_days)
    return _rows(_state_row(row, days, shown) for row in board.rows)


def _state_row(row: StateRow, days: str, shown: Writer) -> str:
    label = shown(row.state.label)
    name = f'<a href="{shown(row.href)}">{label}</a>' if row.href else label
    average = NONE_YET if row.average_days is None else f"{shown(row.average_days)} days"
    oldest = row.oldest_days
    longest = NONE_YET if oldest is None else f"{shown(oldest)} day{_plural(oldest)}"
    late = shown(row.overdue)
    if row.overdue:
        late = f'<strong class="warn-text">{late}</strong>'
        if row.overdue_href:
            lower = shown(str(row.state.label).lower())
            hidden = f'<span class="visually-hidden"> {lower} past {days} days</span>'
            late = f'<a href="{shown(row.overdue_href)}">{late}{hidden}</a>'
    return (
        f'<tr><th scope="row">{name}</th><td class="num">{shown(row.count)}</td>'
        f'<td class="num">{average}</td><td class="num">{longest}</td>'
        f'<td class="num">{late}</td></tr>'
    )


def group_rows(grouping: Grouping, *, linked: bool) -> SafeString:
    """Each entry of the grouping: its proposals, those waiting, past the service level and
    approved; ``linked``, an entry's name leads to the list of its proposals."""
    shown = _writer()
    listed = f"{conditional_escape(reverse('reviews:proposals'))}?{shown(grouping.param)}="
    rows = []
    for row in grouping.rows:
        name = shown(row.name)
        if row.entry_id and linked:
            name = f'<a href="{listed}{shown(row.entry_id)}">{name}</a>'
        elif not row.entry_id:
            name = f'<span class="muted">{name}</span>'
        late = f'<strong class="warn-text">{shown(row.overdue)}</strong>' if row.overdue else "0"
        rows.append(
            f'<tr><th scope="row">{name}</th><td class="num">{shown(row.count)}</td>'
            f'<td class="num">{shown(row.waiting)}</td><td class="num">{late}</td>'
            f'<td class="num">{shown(row.approved)}</td></tr>'
        )
    return _rows(rows)


def way_rows(indicators: Indicators) -> SafeString:
    """The requests each way: recorded, provided, refused, open, open too long, share met."""
    shown = _writer()
    rows = []
    for label, way in indicators.ways:
        share = way.share_percent
        figures = (way.requests, way.provided, way.refused, way.open, way.overdue)
        cells = "".join(f'<td class="num">{shown(figure)}</td>' for figure in figures)
        met = NONE_YET if share is None else f"{shown(share)}%"
        rows.append(
            f'<tr><th scope="row">{shown(label)}</th>{cells}<td class="num">{met}</td></tr>'
        )
    return _rows(rows)


def overdue_rows(proposals: Iterable[OverdueRow]) -> SafeString:
    """Each overdue proposal, linked to its page, with its state and since when it waits."""
    shown = _writer()
    html = "".join(
        f'<tr><td><a href="{conditional_escape(reverse("reviews:proposal_detail", args=[p.pk]))}">'
        f"{shown(p.title)}</a></td>"
        f'<td><span class="state state-{shown(p.state)}">{shown(p.state_label)}</span>\n</td>'
        f"<td>{shown(date_format(template_localtime(p.state_changed_at), 'j M Y'))}</td></tr>"
        for p in proposals
    )
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - every value is escaped
