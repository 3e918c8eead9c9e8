"""Horizontal bar charts as plain geometry for a server-rendered SVG; no Django here.

A chart is a list of labelled values; the template draws one bar per row and the same numbers
as a table, so the figure never carries information the table does not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 175
BAR_AREA = 260
VALUE_GAP = 8
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 8
AXIS_GAP = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    tone: str
    href: str = ""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int
    height: int
    axis_x: float
    axis_top: float
    axis_bottom: float
    tick_y: float

    @property
    def empty(self) -> bool:
        return all(bar.value == 0 for bar in self.bars)


def nice_step(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value - 1e-9:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def axis(top: float, *, most_ticks: int = 5, whole: bool = True) -> tuple[float, float]:
    """A round step and the axis maximum (a whole number of steps) covering ``top``.

    With ``whole`` the step is at least 1, so counts are never split into fractions.
    """
    step = nice_step(top / most_ticks) if top > 0 else 1.0
    if whole:
        step = max(step, 1.0)
    return step, max(step, math.ceil(top / step - 1e-9) * step)


def _format(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    tones: Sequence[str] = (),
    decimals: int = 0,
    links: Sequence[str] = (),
) -> BarChart:
    """Lay out one horizontal bar per ``(label, value)`` row, scaled to a round maximum.

    ``tones`` names a colour class per row (for instance ``"warn"`` for overdue counts);
    ``links`` the address each row leads to (the list of what it counts).
    """
    step, top_value = axis(max((value for _, value in rows), default=0), whole=decimals == 0)
    scale = BAR_AREA / top_value
    bars = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = max(value, 0) * scale
        shown = round(value, decimals) if decimals else round(value)
        bars.append(
            Bar(
                label=label,
                value=value,
                display=_format(shown) + (f" {unit}" if unit else ""),
                x=LABEL_WIDTH,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                width=round(width, 2),
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - VALUE_GAP,
                label_y=y + ROW_HEIGHT / 2 + 4,
                value_x=round(LABEL_WIDTH + width + VALUE_GAP, 2),
                tone=tones[index] if index < len(tones) else "",
                href=links[index] if index < len(links) else "",
            )
        )
    bottom = TOP + len(rows) * ROW_HEIGHT
    tick_rows = tuple(
        Tick(x=round(LABEL_WIDTH + BAR_AREA * n * step / top_value, 2), label=_format(n * step))
        for n in range(round(top_value / step) + 1)
    )
    return BarChart(
        title=title,
        unit=unit,
        bars=tuple(bars),
        ticks=tick_rows,
        width=LABEL_WIDTH + BAR_AREA + 70,
        height=bottom + AXIS_GAP,
        axis_x=LABEL_WIDTH,
        axis_top=TOP,
        axis_bottom=bottom,
        tick_y=bottom + 15,
    )
