"""Periods a version is only presumed to cover: its term ran out and the extensions were not found.

The 1984 extension of the STA is recorded as in force until the 2006 protocol, because the
extensions of 1989, 1996 and 2001 were not found (their dates and texts are unknown; the
five-year terms imply them). A reader of a day in 1995 must be told that the text shown is
presumed, not established. The rule, on loaded rows:

- a version's term is its instrument's (``term``: "Five years", "Six months"), else the
  agreement's first instrument's (the original term, which extensions are taken to renew);
- where the version's end date is assumed and the agreement records extensions that were not
  found (no signing or effective date), the days from the end of the term to the recorded end
  are presumed;
- the extensions named are those whose title gives a year inside that span, else all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import is_assumed

if TYPE_CHECKING:
    from ..models import Instrument, Version

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
TERM = re.compile(r"(?i)\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(year|month)s?\b")
YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
EXTENSION = "extension"


@dataclass(frozen=True)
class PresumedSpan:
    """The days from ``start`` to ``end`` (the first day out) ``version`` is presumed to cover."""

    version: Version
    start: dt.date
    end: dt.date
    missing: tuple[Instrument, ...]

    def covers(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    @property
    def missing_text(self) -> str:
        """The titles of the extensions not found, as a list in words ("A, B and C")."""
        titles = [i.title for i in self.missing]
        if len(titles) <= 1:
            return "".join(titles)
        return ", ".join(titles[:-1]) + " and " + titles[-1]


def term_months(term: str) -> int | None:
    """Months in a term written in words ("Five years, renewable" → 60), else ``None``."""
    match = TERM.search(term or "")
    if match is None:
        return None
    amount = match[1].lower()
    count = int(amount) if amount.isdigit() else NUMBER_WORDS[amount]
    return count * 12 if match[2].lower() == "year" else count


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    try:
        return day.replace(year=day.year + year, month=month + 1)
    except ValueError:  # 29 February, 31st of a shorter month: the day before the next month
        return dt.date(day.year + year, month + 2, 1) - dt.timedelta(days=1)


def not_found(instruments: Iterable[Instrument]) -> list[Instrument]:
    """The extensions recorded without any date: known to be implied, never found."""
    return [
        i
        for i in instruments
        if i.kind == EXTENSION and i.signed_on is None and i.effective_from is None
    ]


def presumed_spans(
    versions: Sequence[Version], instruments: Iterable[Instrument]
) -> list[PresumedSpan]:
    """Every presumed span of the agreement's versions (instruments loaded on the versions)."""
    missing = not_found(instruments)
    if not missing or not versions:
        return []
    ordered = sorted(versions, key=lambda v: v.in_force_from)
    original = term_months(ordered[0].instrument.term)
    spans: list[PresumedSpan] = []
    for version in ordered:
        if version.in_force_until is None or not is_assumed(version, "in_force_until"):
            continue
        months = term_months(version.instrument.term) or original
        if months is None:
            continue
        start = _add_months(version.in_force_from, months)
        if start >= version.in_force_until:
            continue
        inside = [
            i
            for i in missing
            if any(
                start.year <= int(y) < version.in_force_until.year for y in YEAR.findall(i.title)
            )
        ]
        spans.append(PresumedSpan(version, start, version.in_force_until, tuple(inside or missing)))
    return spans


def presumed_on(
    day: dt.date, version: Version | None, spans: Iterable[PresumedSpan]
) -> PresumedSpan | None:
    """The span that makes ``version`` only presumed on ``day``, if any."""
    if version is None:
        return None
    return next((s for s in spans if s.version.pk == version.pk and s.covers(day)), None)
