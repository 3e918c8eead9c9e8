"""The one rule for which version of an agreement is in force on a day.

Every page, the API, search, citations and the proposal and decision checks ask this module (the
text-on-a-date page through ``pointintime.state_from``, querysets through
``Version.objects.in_force_on``), so they cannot disagree. It works on loaded rows and imports no
model at run time, so the model layer can delegate to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import AgreementEvent, Version

LAPSE = "lapse"


def covers(version: Version, day: dt.date) -> bool:
    """Whether ``day`` falls in the version's period (``in_force_until`` is the first day out)."""
    return version.in_force_from <= day and (
        version.in_force_until is None or day < version.in_force_until
    )


def lapse_on(events: Iterable[AgreementEvent], day: dt.date) -> AgreementEvent | None:
    """The recorded lapse covering ``day`` (its ``ends_on`` is the first day with a basis again)."""
    for event in events:
        if event.kind != LAPSE or event.starts_on > day:
            continue
        if event.ends_on is None or day < event.ends_on:
            return event
    return None


def signed_after(version: Version, day: dt.date) -> bool:
    """Whether ``day`` is covered only retroactively: by an instrument signed after it."""
    signed_on = version.instrument.signed_on
    return signed_on is not None and signed_on > day


def _signed_since(version: Version, start: dt.date) -> bool:
    signed_on = version.instrument.signed_on
    return signed_on is not None and signed_on >= start


def _precedence(version: Version) -> tuple[dt.date, dt.date, dt.datetime, int]:
    signed_on = version.instrument.signed_on or dt.date.min
    published = version.published_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    return (version.in_force_from, signed_on, published, int(version.pk or 0))


def version_in_force(
    day: dt.date, versions: Sequence[Version], events: Iterable[AgreementEvent]
) -> Version | None:
    """The version of one agreement in force on ``day``, or ``None``.

    The rule, as a treaty office reads its records:

    - A version is a candidate when its period covers ``day``, retroactive periods included: an
      instrument signed after ``day`` that took effect from an earlier date governs that day.
    - On a day inside a recorded lapse, nothing concluded before the lapse applies: the lapse
      record says no instrument in force at the time gave cooperation a legal basis, so a
      period recorded across the lapse by an earlier instrument does not cover the day. A
      version whose instrument was signed once the lapse had begun does: it restored the basis,
      from its signature or retroactively from its effective date.
    - Where candidates' periods overlap, the later act prevails (lex posterior): the version
      that took effect most recently; on the same effective date, the one whose instrument was
      signed later; then the one published later (a same-day re-publication supersedes the
      first record); the row id settles exact ties, so the answer never depends on load order.
    """
    candidates = [v for v in versions if covers(v, day)]
    lapse = lapse_on(events, day)
    if lapse is not None:
        candidates = [v for v in candidates if _signed_since(v, lapse.starts_on)]
    return max(candidates, key=_precedence, default=None)


def versions_in_force(
    day: dt.date, versions: Iterable[Version], events: Iterable[AgreementEvent]
) -> list[Version]:
    """The version in force on ``day`` for each agreement among ``versions``, by the same rule.

    ``events`` may hold the events of several agreements.
    """
    by_agreement: dict[Any, list[Version]] = {}
    for version in versions:
        by_agreement.setdefault(version.agreement_id, []).append(version)
    events_of: dict[Any, list[AgreementEvent]] = {}
    for event in events:
        events_of.setdefault(event.agreement_id, []).append(event)
    chosen = (
        version_in_force(day, candidates, events_of.get(agreement_id, ()))
        for agreement_id, candidates in by_agreement.items()
    )
    return [version for version in chosen if version is not None]
