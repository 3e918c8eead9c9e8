"""The text in force on one date against the text in force on another (eCFR's Compare Dates).

Which version governs each date is ``record.pointintime``'s answer, so this page says of a
lapse, a retroactive cover or a gap what the text-on-a-date page says; the redline is the same
one the compare page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ..diffing import VersionDiff
from ..models import Agreement, EventKind, Version
from ..permissions import can_view_agreements
from ..reading.views import agreement_and_versions, parse_day
from ..record.dates import dated, long_date
from ..record.pointintime import InForceState, state_from
from .cache import version_diff
from .display import compare_rows, summary_counts, unofficial_notice, version_facts
from .print_requests import export_or_refusal, print_request
from .sides import ComparedTexts, versions_compared
from .views import BadOptions, CompareOptions

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
    if state.presumed is not None:
        return f"In force (presumed): “{version.title}”: the extensions were not found."
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


@dataclass(frozen=True)
class DatesComparison:
    """The answer for two dates: what is wrong with them, or each date's state and the diff.

    ``diff`` is None when a date has no text in force; both dates in one version give that
    version against itself (every clause unchanged).
    """

    errors: dict[str, str]
    sides: tuple[DateSide, ...] = ()
    diff: VersionDiff | None = None

    @property
    def older(self) -> Version | None:
        return self.sides[0].version if self.sides else None

    @property
    def newer(self) -> Version | None:
        return self.sides[1].version if self.sides else None

    @property
    def missing(self) -> list[DateSide]:
        return [s for s in self.sides if s.version is None]


def dates_compared(
    agreement: Agreement, versions: Sequence[Version], raw: dict[str, str]
) -> DatesComparison:
    """Compare the texts in force on ``raw["a"]`` and ``raw["b"]`` (as typed, YYYY-MM-DD)."""
    first = versions[0] if versions else None
    errors = {name: _check(raw.get(name, ""), name, agreement, first) for name in NAMES}
    errors = {name: message for name, message in errors.items() if message}
    if errors:
        return DatesComparison(errors)
    lapses = list(agreement.events.filter(kind=EventKind.LAPSE))
    # Why: instruments never found (no dates) make a day's text presumed, as on its own page.
    missing = list(agreement.instruments.filter(signed_on=None, effective_from=None))
    today = timezone.localdate()
    sides = []
    for name in NAMES:
        day = parse_day(raw[name])
        assert day is not None  # noqa: S101 - checked above
        state = state_from(day, versions, lapses, today=today, instruments=missing)
        sides.append(
            DateSide(
                name="A" if name == "a" else "B",
                day=day,
                day_text=long_date(day),
                state=state,
                lead=lead_line(state),
                url=reverse("clauses:on_date", args=[agreement.slug, day.isoformat()]),
            )
        )
    old, new = sides[0].version, sides[1].version
    diff = version_diff(older=old, newer=new) if old is not None and new is not None else None
    return DatesComparison({}, tuple(sides), diff)


def dates_texts(agreement: Agreement, result: DatesComparison) -> ComparedTexts:
    """What the prints say of two dates: each date's version, and the lead of each date."""
    a, b = result.sides
    old, new = result.older, result.newer
    if old is None or new is None:
        raise ValueError("Only two dates with a text in force are printed.")
    texts = versions_compared(
        agreement,
        old,
        new,
        notice=unofficial_notice([old, new]),
        notes=tuple(f"{side.name}, {side.day_text}: {side.lead}" for side in (a, b)),
        header=(
            f"{agreement.title} — the text in force on {a.day_text} ({old.title}) compared "
            f"with the text in force on {b.day_text} ({new.title})"
        ),
        filename=f"{agreement.slug}-on-{a.day.isoformat()}-and-{b.day.isoformat()}",
    )
    return replace(
        texts,
        title=f"{agreement.short_title}: the text on {a.day_text} compared with {b.day_text}",
        older=replace(texts.older, side=f"A, {a.day_text}"),
        newer=replace(texts.newer, side=f"B, {b.day_text}"),
    )


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
    try:
        export = print_request(request.GET)
    except BadOptions as exc:
        context["errors"] = {"format": str(exc)}
        return render(request, "clauses/comparison/compare_dates.html", context, status=400)
    result = dates_compared(agreement, versions, raw)
    context["errors"] = result.errors
    if result.errors:
        return render(request, "clauses/comparison/compare_dates.html", context)
    url = reverse("clauses:compare_dates", args=[slug])
    query = urlencode({"a": raw["a"], "b": raw["b"]})
    old, new = result.older, result.newer
    context.update(sides=result.sides, missing=result.missing)
    if old is None or new is None or result.diff is None:
        return render(request, "clauses/comparison/compare_dates.html", context)
    if export.format == "json":
        return redirect(reverse("api-diff-dates", args=[slug]) + "?" + query)
    if export.format:
        return export_or_refusal(
            request,
            export,
            texts=dates_texts(agreement, result),
            diff=result.diff,
            page_url=request.build_absolute_uri(f"{url}?{query}"),
            back=f"{url}?{query}",
        )
    context["same"] = old == new
    context["older"] = version_facts(old, reverse("clauses:version_detail", args=[slug, old.label]))
    context["newer"] = version_facts(new, reverse("clauses:version_detail", args=[slug, new.label]))
    context["notice"] = unofficial_notice([old, new])
    context["export_form"] = {
        "action": url,
        "keep": [("a", raw["a"]), ("b", raw["b"])],
        "api": reverse("api-diff-dates", args=[slug]) + "?" + query,
    }
    if old != new:
        diff = result.diff
        context.update(
            rows=compare_rows(diff),
            stats=diff.stats,
            counts=summary_counts(diff.stats),
            change_count=len(diff.changes),
            compare_url=reverse("clauses:compare", args=[slug, old.label, new.label]),
        )
    return render(request, "clauses/comparison/compare_dates.html", context)
