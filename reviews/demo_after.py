"""Demo data after approval: reciprocity ledgers and disputes, dated over the past months.

One project with a healthy ledger, one with a reciprocity concern and an open dispute, one whose
cooperation ceased under a dispute (suspended), and one ceased and then resumed. Each request is
recorded on the day it was made and its answer, as a correction, on the day it came; the
disputes' steps follow on their own days. Made through the services, so events, history, the
audit chain and notifications are real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from . import services
from .demo_timeline import Story, days_ago
from .models import LedgerEntry, Proposal
from .services import ExchangeInput
from .workflow import DisputeAction

# Which demo project gets which story, by title.
HEALTHY = "Giant panda gut microbiome"
CONCERN = "Seismic hazard of the Longmen Shan fault"
CEASED = "Yangtze finless porpoise acoustics"
RESUMED = "Qinghai Lake bar-headed goose tracking"
# The 2024 text on data reciprocity and on disputes over it, cited by the demo disputes.
RECIPROCITY_KEYS = ("art_12__para_2", "art_13__para_2", "annex_2__sec_III__para_B")


@dataclass(frozen=True)
class Request:
    """A request made ``asked`` days ago, provided or refused so many days ago (or open)."""

    direction: str
    item: str
    description: str
    asked: int
    provided: int | None = None
    refused: int | None = None
    why: str = ""
    channel: str = "E-mail between the project leads"

    @property
    def answered(self) -> int | None:
        return self.provided if self.provided is not None else self.refused


def _entry(
    direction: str,
    item: str,
    description: str,
    asked: int,
    *,
    provided: int | None = None,
    refused: int | None = None,
    why: str = "",
) -> Request:
    return Request(direction, item, description, asked, provided, refused, why)


LEDGERS: dict[str, tuple[Request, ...]] = {
    HEALTHY: (
        _entry(
            "to_partner", "samples", "Faecal samples from the Wolong reserve", 170, provided=150
        ),
        _entry(
            "from_partner", "dataset", "Sequencing reads of the captive group", 140, provided=131
        ),
        _entry("to_partner", "results", "Metagenome assemblies of the wild group", 95, provided=80),
        _entry("to_partner", "publications", "Draft of the joint paper", 40, provided=33),
        _entry("from_partner", "facility_access", "Time on the U.S. sequencer", 30, provided=21),
    ),
    CONCERN: (
        _entry("from_partner", "dataset", "U.S. regional catalogue 2000–2024", 200, provided=185),
        _entry(
            "to_partner",
            "dataset",
            "Local station waveforms 2008–2024",
            160,
            refused=120,
            why="Waveforms above magnitude 4 are restricted by the bureau.",
        ),
        _entry("to_partner", "dataset", "Station metadata and instrument responses", 110),
        _entry("to_partner", "results", "Relocated aftershock catalogue", 75),
    ),
    CEASED: (
        _entry("from_partner", "samples", "Hydrophone calibration set", 230, provided=220),
        _entry(
            "to_partner",
            "dataset",
            "Acoustic recordings of the middle Yangtze, 2024",
            190,
            refused=150,
            why="Recordings near the dam are not released.",
        ),
        _entry("to_partner", "dataset", "Acoustic recordings, first half of 2025", 130),
    ),
    RESUMED: (
        _entry("from_partner", "dataset", "Satellite tags' raw fixes", 210, provided=200),
        _entry(
            "to_partner",
            "dataset",
            "Banding records of Qinghai Lake",
            180,
            refused=150,
            why="Banding records are awaiting a ministry review.",
        ),
        _entry(
            "to_partner", "facility_access", "Access to the lake's island colony", 120, provided=60
        ),
    ),
}


# When each dispute was opened and its steps taken, in days ago; who took each step and why.
DISPUTE_DAYS: dict[str, tuple[int, ...]] = {
    CONCERN: (20,),
    CEASED: (110, 85, 70),
    RESUMED: (140, 120, 100, 55),
}
STATEMENT = (
    "The partner refused or left unanswered the data it undertook to share under the project's "
    "data plan, while U.S. data went to it in full."
)


def _clauses() -> list[int]:
    found = services.clauses_in_force(timezone.localdate()).filter(key__in=RECIPROCITY_KEYS)
    ids = list(found.values_list("pk", flat=True))
    if not ids:
        first = services.clauses_in_force(timezone.localdate()).order_by("order").first()
        ids = [first.pk] if first is not None else []
    return ids


def _steps(people: Any) -> list[tuple[str, Any, str]]:
    return [
        (
            DisputeAction.HOLD_CONSULTATION,
            people.reviewer,
            "Video call with the partner's institute and its ministry contact; they gave no "
            "date for releasing the data.",
        ),
        (
            DisputeAction.CEASE,
            people.decider,
            "No release date after consultation: cooperation ceases until the data arrive.",
        ),
        (
            DisputeAction.RESUME,
            people.decider,
            "The partner opened the island colony to the team; cooperation resumes.",
        ),
    ]


def after_approval_story(proposal: Proposal, *, people: Any, today: dt.date) -> Story:
    """A newly approved demo project's ledger and dispute, if it has them, on their days."""
    requests = LEDGERS.get(proposal.title, ())
    recorders = (people.submitter, people.reviewer)
    current: dict[int, LedgerEntry] = {}
    # (days ago, order, what): a request's answer always comes after it was asked.
    dated: list[tuple[int, int, Callable[[], None]]] = []
    for n, request in enumerate(requests):
        dated.append((request.asked, n, _asker(proposal, request, recorders[n % 2], current, n)))
        if request.answered is not None:
            dated.append((request.answered, n, _answerer(request, recorders[n % 2], current, n)))
    days = DISPUTE_DAYS.get(proposal.title, ())
    dispute: dict[str, Any] = {}
    if days:
        dated.append((days[0], 0, lambda: dispute.update(it=_open(proposal, people, current))))
    for (action, who, notes), day in zip(_steps(people), days[1:], strict=False):
        dated.append((day, 0, _stepper(dispute, action, who, notes)))
    for day, order, take in sorted(dated, key=lambda row: (-row[0], row[1])):
        yield days_ago(day, today=today, hour=order / 4)
        take()


def _asker(
    proposal: Proposal, request: Request, who: Any, current: dict[int, LedgerEntry], n: int
) -> Callable[[], None]:
    def take() -> None:
        current[n] = services.ledger_entry_record(
            proposal=proposal,
            data=ExchangeInput(
                direction=request.direction,
                item=request.item,
                description=request.description,
                requested_on=timezone.localdate(),
                channel=request.channel,
            ),
            acting_user=who,
        )

    return take


def _answerer(
    request: Request, who: Any, current: dict[int, LedgerEntry], n: int
) -> Callable[[], None]:
    def take() -> None:
        day = timezone.localdate()
        answer: dict[str, Any] = (
            {"provided_on": day}
            if request.provided is not None
            else {"refused_on": day, "refusal_reason": request.why}
        )
        current[n] = services.ledger_entry_correct(
            entry=current[n],
            data=services.as_input(current[n], **answer),
            acting_user=who,
            reason="The partner's answer came.",
        )

    return take


def _open(proposal: Proposal, people: Any, current: dict[int, LedgerEntry]) -> Any:
    return services.dispute_open(
        proposal=proposal,
        ground="reciprocity",
        statement=STATEMENT,
        cited_clause_ids=_clauses(),
        evidence_entry_ids=[e.pk for e in current.values() if e.status != "provided"],
        acting_user=people.reviewer,
    )


def _stepper(dispute: dict[str, Any], action: str, who: Any, notes: str) -> Callable[[], None]:
    def take() -> None:
        services.dispute_step_take(
            dispute=dispute["it"], action=action, notes=notes, acting_user=who
        )

    return take
