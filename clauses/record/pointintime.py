"""What was in force on a given day: the version, and why (lapses, retroactive effect, gaps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Agreement, AgreementEvent, EventKind, Instrument, Version
from . import inforce
from .dates import dated, long_date
from .presumed import PresumedSpan, presumed_on, presumed_spans

__all__ = ["STATUSES", "InForceState", "long_date", "state_from", "state_on"]

# What the API's ``status`` of a day means; the page's headline says the same in words.
STATUSES = {
    "in_force": "A version was in force on the day.",
    "presumed": (
        "A version is presumed in force: its term had run out and the extensions that would "
        "cover the day were not found."
    ),
    "lapsed": (
        "The agreement had lapsed on the day; a version may cover it retroactively "
        "(see retroactive)."
    ),
    "not_in_force": "No version was in force: before the first, after the last, or in a gap.",
}


@dataclass(frozen=True)
class InForceState:
    """The answer to "what was in force on ``day``?", with the reasons a reader needs.

    Several flags can hold at once: a day in the 2024 lapse is also covered retroactively by the
    protocol that was signed later, and the page says both.
    """

    day: dt.date
    version: Version | None
    before_start: bool = False
    lapse: AgreementEvent | None = None
    retroactive: bool = False
    signed_on: dt.date | None = None
    in_gap: bool = False
    after_end: bool = False
    future: bool = False
    first_version: Version | None = None
    last_version: Version | None = None
    presumed: PresumedSpan | None = None

    @property
    def in_lapse(self) -> bool:
        return self.lapse is not None

    @property
    def status(self) -> str:
        """One word for the day, as the box's headline leads: ``STATUSES`` says each."""
        if self.lapse is not None:
            return "lapsed"
        if self.version is None:
            return "not_in_force"
        return "presumed" if self.presumed is not None else "in_force"

    @property
    def headline(self) -> str:
        """The box's first words: the truth about the day before the version's name."""
        if self.lapse is not None and self.version is not None and self.retroactive:
            return (
                "Lapsed on this day; later covered retroactively by "
                f"{self.version.instrument.title}"
            )
        if self.lapse is not None:
            return "Lapsed on this day: no text in force"
        if self.version is None:
            return "No text in force"
        if self.presumed is not None:
            return f"In force (presumed): {self.version.title}"
        return f"In force: {self.version.title}"

    @property
    def explanations(self) -> tuple[str, ...]:
        day = long_date(self.day)
        lines: list[str] = []
        if self.before_start and self.first_version is not None:
            lines.append(
                f"On {day} the agreement was not yet in force: its first version took effect "
                f"{dated(self.first_version, 'in_force_from', on=True)}."
            )
        if self.lapse is not None:
            until = (
                f" until {dated(self.lapse, 'ends_on')}"
                if self.lapse.ends_on
                else " with no recorded end"
            )
            lines.append(
                f"On {day} the agreement had lapsed ({self.lapse.title}): from "
                f"{dated(self.lapse, 'starts_on')}{until} no instrument in force at the time "
                "gave cooperation a legal basis."
            )
        if self.retroactive and self.version is not None and self.signed_on is not None:
            lines.append(
                f"This day is covered only retroactively: {self.version.instrument.title} was "
                f"signed {dated(self.version.instrument, 'signed_on', on=True)}, after {day}, "
                f"and took effect from {dated(self.version, 'in_force_from')}."
            )
        if self.in_gap:
            lines.append(f"No version of the agreement is recorded as in force on {day}.")
        if self.after_end and self.last_version is not None and self.last_version.in_force_until:
            lines.append(
                f"On {day} the agreement was no longer in force: the last recorded version "
                f"ceased to be in force {dated(self.last_version, 'in_force_until', on=True)} and "
                "nothing later is recorded."
            )
        if self.future and self.version is not None:
            lines.append(
                f"{day} is in the future: this is the text scheduled to be in force then, "
                "if nothing changes before."
            )
        if self.version is not None and not lines:
            lines.append(
                f"On {day} the version in force was “{self.version.title}”, in force from "
                f"{dated(self.version, 'in_force_from')}{self._until(self.version)}"
            )
        if self.presumed is not None and self.version is not None:
            lines.append(
                f"Presumed, not established: the term of “{self.version.title}” ran until "
                f"{long_date(self.presumed.start)}; the text is taken to have stayed in force "
                f"until {long_date(self.presumed.end)} because the extensions that would cover "
                f"{day} were not found ({self.presumed.missing_text})."
            )
        if self.version is None and not lines:
            lines.append("No version of this agreement has been recorded yet.")
        return tuple(lines)

    @staticmethod
    def _until(version: Version) -> str:
        if version.in_force_until is None:
            return " with no end date."
        return f" until {dated(version, 'in_force_until')} (first day no longer in force)."


def state_from(
    day: dt.date,
    versions: Sequence[Version],
    events: Iterable[AgreementEvent],
    *,
    today: dt.date | None = None,
    instruments: Iterable[Instrument] = (),
) -> InForceState:
    """The state on ``day`` from already-loaded versions (with instruments) and events.

    ``instruments`` are the agreement's instruments; with them, a day the version is only
    presumed to cover says so (``clauses.record.presumed``).

    The version is ``clauses.record.inforce.version_in_force``'s answer; this adds the reasons.
    Pages that already hold every version call this directly, so a page costs no extra query.
    """
    ordered = sorted(versions, key=lambda v: (v.in_force_from, v.published_at, v.pk or 0))
    first = ordered[0] if ordered else None
    last_end = max(
        (v.in_force_until for v in ordered if v.in_force_until is not None), default=None
    )
    open_ended = any(v.in_force_until is None for v in ordered)
    lapses = [e for e in events if e.kind == EventKind.LAPSE]
    version = inforce.version_in_force(day, ordered, lapses)
    lapse = inforce.lapse_on(lapses, day)
    signed_on = version.instrument.signed_on if version is not None else None
    retroactive = version is not None and inforce.signed_after(version, day)
    before_start = first is not None and day < first.in_force_from
    after_end = (
        version is None
        and not open_ended
        and last_end is not None
        and day >= last_end
        and not any(v.in_force_from > day for v in ordered)
    )
    in_gap = version is None and first is not None and not (before_start or after_end or lapse)
    last = max(ordered, key=lambda v: v.in_force_until or dt.date.max) if ordered else None
    return InForceState(
        day=day,
        version=version,
        before_start=before_start,
        lapse=lapse,
        retroactive=retroactive,
        signed_on=signed_on,
        in_gap=in_gap,
        after_end=after_end,
        future=today is not None and day > today,
        first_version=first,
        last_version=last,
        presumed=presumed_on(day, version, presumed_spans(ordered, instruments)),
    )


def state_on(agreement: Agreement, day: dt.date, *, today: dt.date | None = None) -> InForceState:
    """The version of ``agreement`` in force on ``day`` and why, in two queries."""
    versions = list(agreement.versions.select_related("instrument"))
    events = list(agreement.events.filter(kind=EventKind.LAPSE))
    return state_from(day, versions, events, today=today)
