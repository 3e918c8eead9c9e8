"""Demo data after approval: reciprocity ledgers dated over the past months, and disputes.

One project with a healthy ledger, one with a reciprocity concern and an open dispute, one whose
cooperation ceased under a dispute (suspended), and one ceased and then resumed. Made through
the services, so events, history, the audit chain and notifications are real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from . import services
from .models import Proposal
from .services import ExchangeInput
from .workflow import DisputeAction

# Which demo project gets which story, by title.
HEALTHY = "Giant panda gut microbiome"
CONCERN = "Seismic hazard of the Longmen Shan fault"
CEASED = "Yangtze finless porpoise acoustics"
RESUMED = "Qinghai Lake bar-headed goose tracking"
# The 2024 text on data reciprocity and on disputes over it, cited by the demo disputes.
RECIPROCITY_KEYS = ("art_12__para_2", "art_13__para_2", "annex_2__sec_III__para_B")


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _entry(
    direction: str,
    item: str,
    description: str,
    asked: int,
    *,
    provided: int | None = None,
    refused: int | None = None,
    why: str = "",
    channel: str = "E-mail between the project leads",
) -> ExchangeInput:
    """A request ``asked`` days ago, provided or refused so many days ago."""
    return ExchangeInput(
        direction=direction,
        item=item,
        description=description,
        requested_on=_day(asked),
        channel=channel,
        provided_on=_day(provided) if provided is not None else None,
        refused_on=_day(refused) if refused is not None else None,
        refusal_reason=why,
    )


LEDGERS: dict[str, tuple[ExchangeInput, ...]] = {
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


def _clauses() -> list[int]:
    found = services.clauses_in_force(timezone.localdate()).filter(key__in=RECIPROCITY_KEYS)
    ids = list(found.values_list("pk", flat=True))
    if not ids:
        first = services.clauses_in_force(timezone.localdate()).order_by("order").first()
        ids = [first.pk] if first is not None else []
    return ids


def demo_after_approval(proposal: Proposal, *, people: Any) -> None:
    """Give a newly made demo project its ledger and dispute story, if it has one."""
    entries = LEDGERS.get(proposal.title)
    if entries is None:
        return
    recorders = (people.submitter, people.reviewer)
    made = [
        services.ledger_entry_record(proposal=proposal, data=data, acting_user=recorders[n % 2])
        for n, data in enumerate(entries)
    ]
    if proposal.title == HEALTHY:
        return
    evidence = [e.pk for e in made if e.status != "provided"]
    dispute = services.dispute_open(
        proposal=proposal,
        ground="reciprocity",
        statement=(
            "The partner refused or left unanswered the data it undertook to share under the "
            "project's data plan, while U.S. data went to it in full."
        ),
        cited_clause_ids=_clauses(),
        evidence_entry_ids=evidence,
        acting_user=people.reviewer,
    )
    if proposal.title == CONCERN:
        return
    steps: list[tuple[str, Any, str]] = [
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
    ]
    if proposal.title == RESUMED:
        steps.append(
            (
                DisputeAction.RESUME,
                people.decider,
                "The partner opened the island colony to the team; cooperation resumes.",
            )
        )
    for action, who, notes in steps:
        services.dispute_step_take(dispute=dispute, action=action, notes=notes, acting_user=who)
