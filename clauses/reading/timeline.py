"""The geometry of an agreement's timeline, computed in Python so templates only draw it.

One row per version (its in-force period as a bar), a signing marker, a bracket from the signing
date back to the effective date when the effect was retroactive, lapses hatched across every row,
other events and instruments as markers on a last row, and a year axis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..models import AgreementEvent, EventKind, Instrument, InstrumentKind, Version
from ..record.dates import dated, is_assumed, long_date
from ..record.presumed import PresumedSpan, presumed_spans

WIDTH = 1100.0
LEFT = 110.0
RIGHT_MARGIN = 90.0
TOP = 26.0
ROW = 30.0
BAR = 14.0
AXIS = 34.0


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    major: bool


@dataclass(frozen=True)
class Bracket:
    """Retroactive effect: from the signing date back to the date the instrument took effect."""

    x_signed: float
    x_effective: float
    y: float
    label: str

    @property
    def path(self) -> str:
        y, top = self.y, self.y - 5
        return f"M{self.x_signed:.1f},{y:.1f} V{top:.1f} H{self.x_effective:.1f} V{y:.1f}"

    @property
    def arrow(self) -> str:
        x, y = self.x_effective, self.y - 5
        return f"M{x + 5:.1f},{y - 3:.1f} L{x:.1f},{y:.1f} L{x + 5:.1f},{y + 3:.1f}"


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    title: str
    shape: str  # "diamond" (an instrument) or "dot" (an event)
    assumed: bool = False

    @property
    def points(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"


@dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    css: str
    title: str
    open_ended: bool
    signed: Marker | None
    bracket: Bracket | None
    end_note: str = ""
    end_x: float = 0.0
    url: str = ""
    # The part of the bar only presumed (the term ran out, the extensions were not found).
    presumed_x: float = 0.0
    presumed_width: float = 0.0
    presumed_title: str = ""


@dataclass(frozen=True)
class Band:
    """A lapse, hatched over every row."""

    x: float
    width: float
    label: str
    title: str


@dataclass(frozen=True)
class Timeline:
    dom_id: str
    caption: str
    start: dt.date
    end: dt.date
    width: float
    height: float
    plot_left: float
    plot_right: float
    rows_top: float
    rows_bottom: float
    axis_y: float
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]
    lapses: tuple[Band, ...]
    markers: tuple[Marker, ...]
    markers_label_y: float
    today_x: float | None
    presumed: tuple[str, ...] = ()

    @property
    def rows_height(self) -> float:
        return self.rows_bottom - self.rows_top


class _Scale:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self.days = max((end - start).days, 1)
        self.span = WIDTH - LEFT - RIGHT_MARGIN

    def x(self, day: dt.date) -> float:
        clamped = min(max(day, self.start), self.end)
        return LEFT + (clamped - self.start).days / self.days * self.span

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _ticks(scale: _Scale) -> tuple[Tick, ...]:
    years = scale.end.year - scale.start.year
    ticks: list[Tick] = []
    if years <= 5:
        for year in range(scale.start.year, scale.end.year + 1):
            for month in (1, 4, 7, 10):
                day = dt.date(year, month, 1)
                if scale.contains(day):
                    label = str(year) if month == 1 else f"{day:%b}"
                    ticks.append(Tick(scale.x(day), label, month == 1))
        return tuple(ticks)
    step = 5 if years <= 60 else 10
    for year in range(scale.start.year, scale.end.year + 1):
        day = dt.date(year, 1, 1)
        if scale.contains(day):
            major = year % step == 0
            ticks.append(Tick(scale.x(day), str(year) if major else "", major))
    return tuple(ticks)


def _row(
    version: Version, index: int, scale: _Scale, url: str, presumed: PresumedSpan | None = None
) -> Row | None:
    until = version.in_force_until or scale.end
    if version.in_force_from > scale.end or until < scale.start:
        return None
    y = TOP + index * ROW
    bar_y = y + ROW - BAR - 4
    x0, x1 = scale.x(version.in_force_from), scale.x(until)
    instrument = version.instrument
    period = f"in force from {dated(version, 'in_force_from')}" + (
        f" until {dated(version, 'in_force_until')}" if version.in_force_until else ""
    )
    signed = bracket = None
    if instrument.signed_on and scale.contains(instrument.signed_on):
        signed = Marker(
            scale.x(instrument.signed_on),
            bar_y + BAR / 2,
            f"{instrument.title} signed {dated(instrument, 'signed_on', on=True)}",
            "diamond",
            assumed=is_assumed(instrument, "signed_on"),
        )
    if instrument.signed_on and instrument.signed_on > version.in_force_from:
        bracket = Bracket(
            scale.x(instrument.signed_on),
            x0,
            bar_y - 2,
            f"Retroactive: signed {dated(instrument, 'signed_on')}, "
            f"effective from {dated(version, 'in_force_from')}",
        )
    assumed = [f for f in Version.DATE_FIELDS if is_assumed(version, f)]
    return Row(
        label=version.short_name,
        label_y=bar_y + BAR - 3,
        bar_x=x0,
        bar_y=bar_y,
        bar_width=max(x1 - x0, 2.0),
        css=("tl-extension" if instrument.kind == InstrumentKind.EXTENSION else "tl-text")
        + (" tl-assumed" if assumed else ""),
        title=f"{version.title}: {period}",
        open_ended=version.in_force_until is None,
        signed=signed,
        bracket=bracket,
        end_note=_end_note(version, scale),
        end_x=x0 + max(x1 - x0, 2.0) + 4,
        url=url,
        **_presumed_part(presumed, scale, x0, x0 + max(x1 - x0, 2.0)),
    )


def _presumed_part(
    span: PresumedSpan | None, scale: _Scale, bar_start: float, bar_end: float
) -> dict[str, Any]:
    if span is None:
        return {}
    x0 = max(scale.x(span.start), bar_start)
    x1 = min(scale.x(span.end), bar_end)
    if x1 <= x0:
        return {}
    return {
        "presumed_x": x0,
        "presumed_width": x1 - x0,
        "presumed_title": presumed_sentence(span),
    }


def presumed_sentence(span: PresumedSpan) -> str:
    """The text alternative of a hatched span, also listed under the figure."""
    return (
        f"{span.version.title}: presumed in force from {long_date(span.start)} to "
        f"{long_date(span.end)}; not found: {span.missing_text}"
    )


def _end_note(version: Version, scale: _Scale) -> str:
    """Say where a bar goes when it runs past the right edge."""
    if version.in_force_until is None:
        return "open-ended →"
    if version.in_force_until > scale.end:
        return f"→ {version.in_force_until:%b %Y}"
    return ""


def timeline_build(
    *,
    dom_id: str,
    caption: str,
    versions: Sequence[Version],
    events: Iterable[AgreementEvent],
    instruments: Iterable[Instrument],
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    urls: Mapping[int, str] | None = None,
) -> Timeline:
    """Lay out the timeline of ``versions`` (instruments loaded) between ``start`` and ``end``.

    ``urls`` holds each version's address by its id, for a page that has them already.
    """
    scale = _Scale(start, end)
    instruments = list(instruments)
    spans = {s.version.pk: s for s in presumed_spans(versions, instruments)}
    rows: list[Row] = []
    for version in versions:
        url = urls[version.pk] if urls is not None else version.get_absolute_url()
        row = _row(version, len(rows), scale, url, spans.get(version.pk))
        if row is not None:
            rows.append(row)
    rows_bottom = TOP + len(rows) * ROW
    markers_y = rows_bottom + ROW / 2
    events = list(events)
    with_versions = {v.instrument_id for v in versions}
    markers = [
        Marker(
            scale.x(e.starts_on),
            markers_y,
            f"{e.title} ({dated(e, 'starts_on')})",
            "dot",
            assumed=is_assumed(e, "starts_on"),
        )
        for e in events
        if e.kind != EventKind.LAPSE and scale.contains(e.starts_on)
    ] + [
        Marker(
            scale.x(i.signed_on),
            markers_y,
            f"{i.title} ({dated(i, 'signed_on')})",
            "diamond",
            assumed=is_assumed(i, "signed_on"),
        )
        for i in instruments
        if i.pk not in with_versions and i.signed_on and scale.contains(i.signed_on)
    ]
    if markers:
        rows_bottom += ROW
    bands: list[Band] = []
    labelled_at = -1000.0
    for e in events:
        if e.kind != EventKind.LAPSE or e.starts_on > end or (e.ends_on or end) < start:
            continue
        x = scale.x(e.starts_on)
        # Why: lapses a few months apart would print their labels on top of each other.
        label = "Lapse" if x - labelled_at > 45 else ""
        labelled_at = x if label else labelled_at
        bands.append(
            Band(
                x=x,
                width=max(scale.x(e.ends_on or end) - x, 3.0),
                label=label,
                title=f"{e.title}: {dated(e, 'starts_on')}"
                + (f" to {dated(e, 'ends_on')}" if e.ends_on else ", no recorded end"),
            )
        )
    lapses = tuple(bands)
    return Timeline(
        dom_id=dom_id,
        caption=caption,
        start=start,
        end=end,
        width=WIDTH,
        height=rows_bottom + AXIS,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT_MARGIN,
        rows_top=TOP - 6,
        rows_bottom=rows_bottom,
        axis_y=rows_bottom + 4,
        ticks=_ticks(scale),
        rows=tuple(rows),
        lapses=lapses,
        markers=tuple(markers),
        markers_label_y=markers_y + 4,
        today_x=scale.x(today) if today and scale.contains(today) else None,
        presumed=tuple(r.presumed_title for r in rows if r.presumed_width),
    )


def overview_window(
    versions: Sequence[Version], events: Iterable[AgreementEvent]
) -> tuple[dt.date, dt.date]:
    """Whole years from the first version to a little past the last recorded date."""
    days = [v.in_force_from for v in versions] + [
        v.in_force_until for v in versions if v.in_force_until
    ]
    days += [e.starts_on for e in events] + [e.ends_on for e in events if e.ends_on]
    days += [v.instrument.signed_on for v in versions if v.instrument.signed_on]
    first, last = min(days), max(days)
    return dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)


def detail_window(
    versions: Sequence[Version], events: Iterable[AgreementEvent]
) -> tuple[dt.date, dt.date] | None:
    """A close-up of the latest changes, when they are too short to read on the overview.

    Returns ``None`` when every period and lapse near the end lasts a year or more.
    """
    periods = [(v.in_force_from, v.in_force_until) for v in versions if v.in_force_until]
    periods += [(e.starts_on, e.ends_on) for e in events if e.kind == EventKind.LAPSE and e.ends_on]
    short = [start for start, end in periods if (end - start).days < 365]
    if not short:
        return None
    latest = max(short)
    first = min(s for s in short if (latest - s).days <= 3 * 365)
    return dt.date(first.year - 1, 7, 1), dt.date(latest.year + 2, 1, 1)
