"""A laid-out timeline drawn as SVG in Python: what ``partials/timeline.html`` printed.

The partial printed some two hundred values per timeline, each through the template engine's
lookup, localisation and escaping; this prints the same bytes (the golden copy of the agreement
page under tests/clauses/reading/golden/ holds them) for a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import cast

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from sta_tracker.template_values import shown

from .timeline import Band, Marker, Row, Tick, Timeline

DESCRIPTION = (
    "One bar per version for its period in force; hatched bands for lapses; cross-hatched parts "
    "of a bar for periods only presumed, where the extensions were not found; brackets for "
    "retroactive effect, from the signing date back to the effective date; a dashed outline "
    "where a date is assumed. The same facts are in the table of versions below."
)


# Prints a value as ``{{ value }}`` does: numbers localised, everything escaped.
Printer = Callable[[object], str]


def printer(language: str | None) -> Printer:
    """``shown`` in ``language``, each number written once per figure.

    Why: a figure writes some four hundred values, most of them the same few coordinates, and
    each went through the template engine's lazy-text checks; a plain string is escaped as
    ``escape`` escapes it, a number is looked up in the figure's own table first.
    """
    numbers: dict[tuple[type, object], str] = {}

    def printed(value: object) -> str:
        kind = type(value)
        if kind is str:
            return escape(cast(str, value))
        # Why not zero: 0.0 and -0.0 are one key, and are written differently.
        if (kind is float or kind is int) and value:
            key = (kind, value)
            found = numbers.get(key)
            if found is None:
                found = numbers[key] = shown(value, language)
            return found
        return shown(value, language)

    return printed


def _tick(v: Printer, tl: Timeline, tick: Tick) -> str:
    grid = "tl-grid-major" if tick.major else "tl-grid"
    label = ""
    if tick.label:
        major = " tl-tick-major" if tick.major else ""
        label = (
            f'<text x="{v(tick.x)}" y="{v(tl.axis_y)}" dy="14" text-anchor="middle" '
            f'class="tl-tick-label{major}">{v(tick.label)}</text>'
        )
    return (
        f'\n    <line x1="{v(tick.x)}" x2="{v(tick.x)}" y1="{v(tl.rows_top)}" '
        f'y2="{v(tl.axis_y)}" class="{grid}"></line>\n    {label}\n    '
    )


def _lapse(v: Printer, tl: Timeline, band: Band) -> str:
    label = ""
    if band.label:
        label = (
            f'<text x="{v(band.x)}" dx="-3" y="{v(tl.rows_top)}" dy="-4" text-anchor="end" '
            f'class="tl-lapse-label">{v(band.label)}</text>'
        )
    return (
        f'\n    <rect x="{v(band.x)}" y="{v(tl.rows_top)}" width="{v(band.width)}" '
        f'height="{v(tl.rows_height)}" fill="url(#{v(tl.dom_id)}-hatch)" class="tl-lapse">'
        f"<title>{v(band.title)}</title></rect>\n    {label}\n    "
    )


def _row(v: Printer, tl: Timeline, row: Row) -> str:
    presumed = ""
    if row.presumed_width:
        presumed = (
            f'<rect x="{v(row.presumed_x)}" y="{v(row.bar_y)}" width="{v(row.presumed_width)}" '
            f'height="14" fill="url(#{v(tl.dom_id)}-presumed)" class="tl-presumed">'
            f"<title>{v(row.presumed_title)}</title></rect>"
        )
    end_note = ""
    if row.end_note:
        end_note = (
            f'<text x="{v(row.end_x)}" y="{v(row.label_y)}" class="tl-end-note">'
            f"{v(row.end_note)}</text>"
        )
    bracket = ""
    if row.bracket:
        b = row.bracket
        bracket = (
            f'\n    <path d="{v(b.path)}" class="tl-bracket"><title>{v(b.label)}</title></path>'
            f'\n    <path d="{v(b.arrow)}" class="tl-bracket"></path>'
            f'\n    <text x="{v(b.x_signed)}" dx="6" y="{v(b.y)}" dy="-2" '
            'class="tl-bracket-label">retroactive</text>\n    '
        )
    signed = ""
    if row.signed:
        assumed = " tl-assumed" if row.signed.assumed else ""
        signed = (
            f'<polygon points="{v(row.signed.points)}" class="tl-signed{assumed}">'
            f"<title>{v(row.signed.title)}</title></polygon>"
        )
    return (
        f'\n    <a href="{v(row.url)}" class="tl-link" aria-label="{v(row.title)}">'
        f'\n    <text x="{v(tl.plot_left)}" dx="-10" y="{v(row.label_y)}" text-anchor="end" '
        f'class="tl-row-label">{v(row.label)}</text>'
        f'\n    <rect x="{v(row.bar_x)}" y="{v(row.bar_y)}" width="{v(row.bar_width)}" '
        f'height="14" rx="2" class="{v(row.css)}"><title>{v(row.title)}</title></rect>'
        f"\n    {presumed}\n    </a>\n    {end_note}\n    {bracket}\n    {signed}\n    "
    )


def _marker(v: Printer, m: Marker) -> str:
    if m.shape == "dot":
        shape = (
            f'<circle cx="{v(m.x)}" cy="{v(m.y)}" r="4" class="tl-event">'
            f"<title>{v(m.title)}</title></circle>"
        )
    else:
        shape = (
            f'<polygon points="{v(m.points)}" class="tl-instrument">'
            f"<title>{v(m.title)}</title></polygon>"
        )
    return f"\n    {shape}\n    "


def timeline_svg(tl: Timeline) -> SafeString:
    """The figure of one timeline: its SVG and its caption."""
    v = printer(get_language())
    dom = v(tl.dom_id)
    markers = ""
    if tl.markers:
        markers = (
            f'\n    <text x="{v(tl.plot_left)}" dx="-10" y="{v(tl.markers_label_y)}" '
            'text-anchor="end" class="tl-row-label">Other</text>\n    '
            + "".join(_marker(v, m) for m in tl.markers)
            + "\n    "
        )
    today = ""
    if tl.today_x:
        today = (
            f'<line x1="{v(tl.today_x)}" x2="{v(tl.today_x)}" y1="{v(tl.rows_top)}" '
            f'y2="{v(tl.axis_y)}" class="tl-today"></line><text x="{v(tl.today_x)}" dx="3" '
            f'y="{v(tl.rows_top)}" dy="-4" class="tl-today-label">today</text>'
        )
    presumed = ""
    if tl.presumed:
        items = "".join(f"<li>{v(line)}</li>" for line in tl.presumed)
        presumed = f'<ul class="tl-presumed-list">{items}</ul>'
    html = (
        '<figure class="timeline">\n  <div class="tl-scroll">\n'
        f'  <svg viewBox="0 0 {v(tl.width)} {v(tl.height)}" role="group" '
        f'aria-labelledby="{dom}-title {dom}-desc" class="tl-svg" >\n'
        f'    <title id="{dom}-title">Timeline of {v(tl.caption)}</title>\n'
        f'    <desc id="{dom}-desc">{DESCRIPTION}</desc>\n'
        "    <defs>\n"
        f'      <pattern id="{dom}-presumed" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(-45)">\n'
        '        <rect width="6" height="6" class="tl-presumed-bg"></rect>\n'
        '        <line x1="0" y1="0" x2="0" y2="6" class="tl-presumed-line"></line>\n'
        "      </pattern>\n"
        f'      <pattern id="{dom}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">\n'
        '        <rect width="6" height="6" class="tl-hatch-bg"></rect>\n'
        '        <line x1="0" y1="0" x2="0" y2="6" class="tl-hatch-line"></line>\n'
        "      </pattern>\n"
        "    </defs>\n    "
        + "".join(_tick(v, tl, tick) for tick in tl.ticks)
        + f'\n    <line x1="{v(tl.plot_left)}" x2="{v(tl.plot_right)}" y1="{v(tl.axis_y)}" '
        f'y2="{v(tl.axis_y)}" class="tl-axis"></line>\n    '
        + "".join(_lapse(v, tl, band) for band in tl.lapses)
        + "\n    "
        + "".join(_row(v, tl, row) for row in tl.rows)
        + f"\n    {markers}\n    {today}\n  </svg>\n  </div>\n"
        f"  <figcaption>{v(tl.caption)}{presumed}</figcaption>\n</figure>\n"
    )
    return SafeString(html)  # nosec B703 - every value in it is escaped
