"""The text in force on one date against the text in force on another (eCFR's Compare Dates).

Which version governs each date is ``record.pointintime``'s answer, so this page says of a
lapse, a retroactive cover or a gap what the text-on-a-date page says; the redline is the same
one the compare page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ..models import Agreement, EventKind, Version
from ..permissions import can_view_agreements
from ..reading.views import agreement_and_versions, parse_day
from ..record.dates import dated, long_date
from ..record.pointintime import InForceState, state_from
from .cache import version_diff
from .display import compare_rows, summary_counts, unofficial_notice, version_facts
from .views import CompareOptions

NAMES = {"a": "the first date", "b": "the second date"}
NO_DATE = "Choose {name}."
BAD_DATE = "“{value}” is not a date: write it as YYYY-MM-DD, for example 2024-10-01."
TOO_EARLY = (
    "The {agreement} took effect {first}: choose a date from then on "
    "(“{value}” is before any text was in force)."
)


@dataclass(frozen=True)
class DateSide:
    """What was in force on one of the two dates, said the way a reader needs it first."""

    name: str
    day: dt.date
    day_text: str
    state: InForceState
    lead: str
    url: str

    @property
    def version(self) -> Version | None:
        return self.state.version


def lead_line(state: InForceState) -> str:
    """The first thing to say about a date: the truth about lapses before the version's name."""
    version = state.version
    if version is None:
        if state.lapse is not None:
            return f"Lapsed on this day ({state.lapse.title}): no text was in force."
        return state.explanations[0]
    instrument = version.instrument
    signed = dated(instrument, "signed_on", on=True)
    if state.lapse is not None and state.retroactive:
        return (
            f"Lapsed on this day; later covered retroactively by {instrument.title}, "
            f"signed {signed}: the text is “{version.title}”."
        )
    if state.retroactive:
        return (
            f"Covered only retroactively, by {instrument.title} signed {signed}: "
            f"the text is “{version.title}”."
        )
    return f"In force: “{version.title}”."


def _check(raw: str, name: str, agreement: Agreement, first: Version | None) -> str:
    """What is wrong with one date as typed, or the empty string."""
    if not raw:
        return NO_DATE.format(name=NAMES[name])
    day = parse_day(raw)
    if day is None:
        return BAD_DATE.format(value=raw)
    if first is not None and day < first.in_force_from:
        return TOO_EARLY.format(
            agreement=agreement.short_title,
            first=dated(first, "in_force_from", on=True),
            value=raw,
        )
    return ""


def compare_dates(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_view_agreements(request.user):
        raise PermissionDenied
    agreement, versions = agreement_and_versions(slug)
    raw = {name: request.GET.get(name, "").strip()[:40] for name in NAMES}
    first = versions[0] if versions else None
    context: dict[str, Any] = {
        "agreement": agreement,
        "nav": "agreements",
        "values": raw,
        "errors": {},
        "picker_min": first.in_force_from.isoformat() if first else "",
        "options": CompareOptions(),
    }
    if not any(raw.values()):
        return render(request, "clauses/comparison/compare_dates.html", context)
    errors = {name: _check(value, name, agreement, first) for name, value in raw.items()}
    context["errors"] = {name: message for name, message in errors.items() if message}
    if context["errors"]:
        return render(request, "clauses/comparison/compare_dates.html", context)
    lapses = list(agreement.events.filter(kind=EventKind.LAPSE))
    today = timezone.localdate()
    sides = []
    for name, value in raw.items():
        day = parse_day(value)
        assert day is not None  # noqa: S101 - checked above
        state = state_from(day, versions, lapses, today=today)
        sides.append(
            DateSide(
                name="A" if name == "a" else "B",
                day=day,
                day_text=long_date(day),
                state=state,
                lead=lead_line(state),
                url=reverse("clauses:on_date", args=[slug, day.isoformat()]),
            )
        )
    context["sides"] = sides
    old, new = sides[0].version, sides[1].version
    context["missing"] = [s for s in sides if s.version is None]
    if old is None or new is None:
        return render(request, "clauses/comparison/compare_dates.html", context)
    context["same"] = old == new
    context["older"] = version_facts(old, reverse("clauses:version_detail", args=[slug, old.label]))
    context["newer"] = version_facts(new, reverse("clauses:version_detail", args=[slug, new.label]))
    context["notice"] = unofficial_notice([old, new])
    if old != new:
        diff = version_diff(older=old, newer=new)
        context.update(
            rows=compare_rows(diff),
            stats=diff.stats,
            counts=summary_counts(diff.stats),
            change_count=len(diff.changes),
            compare_url=reverse("clauses:compare", args=[slug, old.label, new.label]),
        )
    return render(request, "clauses/comparison/compare_dates.html", context)
