"""A bar chart as HTML: the SVG and the same figures as a table.

Built in Python because a chart writes hundreds of coordinates, each a template variable
otherwise; it writes what reviews/partials/chart.html wrote (kept under
tests/reference_templates/, which tests/reviews/test_pages_rendered_alike.py compares with).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from sta_tracker import template_values

from .charts import Bar, BarChart

Writer = Callable[[Any], str]


def chart_html(
    chart: BarChart, chart_id: str, *, row_heading: str = "", value_heading: str = ""
) -> SafeString:
    """The chart's figure, its bars linked to their lists where they have an address."""
    shown = partial(template_values.shown, language=get_language())
    title = shown(chart.title)
    caption = f"chart-{shown(chart_id)}"
    parts = [f'<figure class="chart">\n  <figcaption id="{caption}">{title}</figcaption>\n  ']
    if chart.empty:
        parts.append('<p class="muted">Nothing to show yet.</p>')
    else:
        parts.append(_svg(chart, caption, shown))
    if value_heading:
        number = shown(value_heading)
    elif chart.unit:
        number = shown(capfirst(chart.unit))
    else:
        number = "Number"
    rows = "".join(
        f'<tr><th scope="row">{_linked(bar, shown)}</th>'
        f'<td class="num">{shown(bar.display)}</td></tr>'
        for bar in chart.bars
    )
    parts.append(
        '\n  <details class="chart-data">\n'
        f"    <summary>{title} as a table</summary>\n"
        '    <div class="table-scroll" tabindex="0"><table>\n'
        f'      <thead><tr><th scope="col">{shown(row_heading or "State")}</th>'
        f'<th scope="col" class="num">{number}</th></tr></thead>\n'
        f"      <tbody>{rows}</tbody>\n"
        "    </table></div>\n  </details>\n</figure>\n"
    )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every value is escaped


def _svg(chart: BarChart, caption: str, shown: Writer) -> str:
    top, bottom = shown(chart.axis_top), shown(chart.axis_bottom)
    ticks = "".join(
        f'<line class="chart-gridline" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"></line>'
        f'<text class="chart-tick" x="{x}" y="{shown(chart.tick_y)}" text-anchor="middle">'
        f"{shown(tick.label)}</text>\n    "
        for tick in chart.ticks
        for x in (shown(tick.x),)
    )
    bars = "".join(_bar(bar, shown) for bar in chart.bars)
    axis = shown(chart.axis_x)
    return (
        f'\n  <svg class="bar-chart" viewBox="0 0 {shown(chart.width)} {shown(chart.height)}" '
        f'role="img" aria-labelledby="{caption}" focusable="false">\n'
        f"    {ticks}\n    {bars}\n"
        f'    <line class="chart-axis" x1="{axis}" x2="{axis}" y1="{top}" y2="{bottom}"></line>\n'
        "  </svg>\n  "
    )


def _bar(bar: Bar, shown: Writer) -> str:
    label, display, label_y = shown(bar.label), shown(bar.display), shown(bar.label_y)
    tone = f" chart-bar-{shown(bar.tone)}" if bar.tone else ""
    opening = (
        f'<a class="chart-link" href="{shown(bar.href)}" '
        f'aria-label="{label}: {display}, show the list">'
        if bar.href
        else ""
    )
    return (
        f'{opening}<text class="chart-label" x="{shown(bar.label_x)}" y="{label_y}" '
        f'text-anchor="end">{label}</text>\n'
        f'    <rect class="chart-bar{tone}" x="{shown(bar.x)}" y="{shown(bar.y)}" '
        f'width="{shown(bar.width)}" height="{shown(bar.height)}">'
        f"<title>{label}: {display}</title></rect>\n"
        f'    <text class="chart-value" x="{shown(bar.value_x)}" y="{label_y}">{display}</text>'
        f"{'</a>' if bar.href else ''}\n    "
    )


def _linked(bar: Bar, shown: Writer) -> str:
    label = shown(bar.label)
    return f'<a href="{shown(bar.href)}">{label}</a>' if bar.href else label
