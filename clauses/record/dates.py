"""How a recorded date is said: to the day, the month or the year, and whether it is assumed.

A record keeps each date as a day, because dates are compared and drawn; its ``date_notes`` say
what the sources support: ``{"signed_on": {"assumed": "the announcement date"}}`` or
``{"starts_on": {"precision": "month"}}``. Every page, the timeline and the exports say a date
through ``fact_date`` so a stand-in day is never shown as if a source gave it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

DAY, MONTH, YEAR, ON_OR_BEFORE = "day", "month", "year", "on_or_before"
PRECISIONS = (DAY, MONTH, YEAR, ON_OR_BEFORE)
NOTE_KEYS = frozenset({"precision", "assumed"})
NOT_FOUND = "date not found"


def long_date(day: dt.date) -> str:
    """``27 August 2024``: unambiguous for readers on both sides of the Pacific."""
    return f"{day.day} {day:%B %Y}"


def date_note_errors(notes: Any, fields: Iterable[str]) -> list[str]:
    """What is wrong with ``notes`` for a record whose dates are ``fields``; empty when valid."""
    if not isinstance(notes, dict):
        return ["Date notes must be a table of date fields."]
    allowed = set(fields)
    errors: list[str] = []
    for name, note in notes.items():
        if name not in allowed:
            errors.append(f"{name!r} is not a date of this record ({', '.join(sorted(allowed))}).")
            continue
        if not isinstance(note, dict) or not note or set(note) - NOTE_KEYS:
            errors.append(f"{name}: give precision and/or assumed, nothing else.")
            continue
        if note.get("precision", DAY) not in PRECISIONS:
            errors.append(f"{name}: precision must be one of {', '.join(PRECISIONS)}.")
        assumed = note.get("assumed", "")
        if not isinstance(assumed, str) or ("assumed" in note and not assumed.strip()):
            errors.append(f"{name}: assumed must say what the date stands for.")
    return errors


def fact_date(
    day: dt.date | None,
    note: Mapping[str, str] | None = None,
    *,
    on: bool = False,
    missing: str = NOT_FOUND,
) -> str:
    """``7 March 2024 (assumed: the announcement date)``, ``March 2024``, ``2016``.

    ``on=True`` gives the form that follows a verb: ``on 7 March 2024``, ``in March 2024``,
    ``by 21 April 2025``.
    """
    if day is None:
        return missing
    note = note or {}
    precision = note.get("precision", DAY)
    if precision == MONTH:
        text, word = f"{day:%B %Y}", "in"
    elif precision == YEAR:
        text, word = str(day.year), "in"
    elif precision == ON_OR_BEFORE:
        text, word = f"by {long_date(day)}", ""
    else:
        text, word = long_date(day), "on"
    if on and word:
        text = f"{word} {text}"
    if note.get("assumed"):
        text = f"{text} (assumed: {note['assumed']})"
    return text


def note_of(record: Any, field: str) -> Mapping[str, str]:
    """The note kept for ``field`` of ``record``, empty for a sourced day."""
    notes = getattr(record, "date_notes", None) or {}
    note = notes.get(field)
    return note if isinstance(note, dict) else {}


def dated(record: Any, field: str, *, on: bool = False, missing: str = NOT_FOUND) -> str:
    """``record``'s ``field`` said with its precision and assumption."""
    return fact_date(getattr(record, field), note_of(record, field), on=on, missing=missing)


def is_assumed(record: Any, field: str) -> bool:
    return bool(note_of(record, field).get("assumed"))
