"""Demo proposals walked through the review, step by step on the demo's calendar.

Each proposal's story (``proposal_story``) makes it on the day it began and takes every later
step (submission, screening rulings, assignments, assessments, the decision, and what came after
approval) on its own day, through the services, as people would have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clauses.models import system_user

from . import services
from .demo_after import after_approval_story
from .demo_timeline import Story, days_ago
from .models import (
    Adjudication,
    ConditionOwner,
    DecisionOutcome,
    Proposal,
    ReviewStep,
    ScreeningHit,
)
from .rubric import Criterion
from .services import InstitutionInput, PersonInput, ProposalContent, Score
from .workflow import ProposalState

# Clauses of the 2024 text a typical basic-research project falls under.
CITED_KEYS = ("art_1__para_1", "art_2", "art_12__para_1")
# Days after a proposal began that each step of its review is taken.
SUBMITTED, RULED, ASSIGNED, RISK_BENEFIT, SECURITY, DECIDED, ACKNOWLEDGED = 2, 4, 5, 9, 13, 17, 19
RETURNED, WITHDRAWN, SUSPENDED, TERMINATED = 9, 12, 60, 100


@dataclass(frozen=True)
class DemoPeople:
    submitter: Any
    reviewer: Any
    security: Any
    admin: Any
    decider: Any


@dataclass(frozen=True)
class DemoProposal:
    """One demo proposal: what it says, the state it ends in, and ``began``, the number of days
    ago its first draft was written (its later steps follow from that day)."""

    title: str
    state: ProposalState
    summary: str
    discipline: str
    agency: str
    institutions: tuple[InstitutionInput, ...]
    people: tuple[PersonInput, ...]
    began: int
    data: str = "Field measurements, instrument logs and derived data tables."
    extra: dict[str, Any] = field(default_factory=dict)
    # The review steps assigned once screening is done, each to the demo reviewer who makes it.
    assigned: tuple[ReviewStep, ...] = ()


def cited_clauses(start: dt.date) -> tuple[int, ...]:
    """The typical clauses, in the version in force on ``start``."""
    return tuple(
        services.clauses_in_force(start).filter(key__in=CITED_KEYS).values_list("pk", flat=True)
    )


def _content(spec: DemoProposal) -> ProposalContent:
    start = timezone.localdate() + dt.timedelta(days=90)
    cited = cited_clauses(start)
    fields: dict[str, Any] = {
        "title": spec.title,
        "summary": spec.summary,
        "scientific_field": spec.discipline,
        "us_agency": spec.agency,
        "principal_investigator": "Dr. Jordan Rivera",
        "basic_research_declared": True,
        "basic_research_explanation": "Results are published openly; no product is developed.",
        "data_description": spec.data,
        "data_storage": "The U.S. agency's public data repository.",
        "data_access": "The project team until publication, then anyone.",
        "data_reciprocity": "The partner shares its raw measurements on the same schedule.",
        "travel_safety_plan": (
            "Two field trips a year; travellers get the agency's security briefing, loaner "
            "devices and a check-in schedule."
        ),
        "funding_amount": Decimal("180000.00"),
        "funding_source": "Agency research budget",
        "start_date": start,
        "end_date": start + dt.timedelta(days=730),
        "institutions": spec.institutions,
        "people": spec.people,
        "cited_clause_ids": cited,
    }
    fields.update({k: v for k, v in spec.extra.items() if not k.startswith("_")})
    return ProposalContent(**fields)


def _scores(**overrides: int) -> dict[str, Score]:
    base = {
        Criterion.SCIENTIFIC_MERIT: (4, "A well-designed study with a clear question."),
        Criterion.US_BENEFIT: (4, "Fills a gap in U.S. data on the region."),
        Criterion.DATA_RECIPROCITY: (3, "The partner commits to sharing raw data on schedule."),
        Criterion.INSIGHT_ABROAD: (3, "Shows how the partner's field programme works."),
        Criterion.CET_PROXIMITY: (1, "No critical or emerging technology involved."),
        Criterion.DUAL_USE: (1, "No plausible military end use."),
        Criterion.DATA_EXPORT: (2, "Environmental data only; no controlled technical data."),
        Criterion.PARTNER_RISK: (2, "The partner institution is not listed and is civilian."),
        Criterion.RESEARCHER_SAFETY: (2, "Remote field sites; the travel plan is adequate."),
    }
    return {
        criterion.value: Score(overrides.get(criterion.value, score), rationale)
        for criterion, (score, rationale) in base.items()
    }


class Walk:
    """Moves one demo proposal through the services to its target state."""

    def __init__(self, people: DemoPeople, proposal: Proposal) -> None:
        self.people = people
        self.proposal = proposal

    def refresh(self) -> Proposal:
        self.proposal = Proposal.objects.get(pk=self.proposal.pk)
        return self.proposal

    def submit(self) -> None:
        event = services.proposal_submit(
            proposal=self.proposal, acting_user=self.people.submitter, reason="Ready for review"
        )
        # Why the same key as the task's: where a worker (or eager mode) screens on commit, this
        # finds that run instead of screening twice.
        services.screening_run(
            proposal=self.refresh(),
            acting_user=system_user(),
            reason="Screening on submission",
            request_key=f"event:{event.pk}",
        )
        self.refresh()

    def adjudicate(self) -> None:
        for hit in ScreeningHit.objects.pending().filter(run__proposal=self.proposal):
            if hit.kind == "cet":
                ruling, reason = (
                    Adjudication.TRUE_MATCH,
                    "The text does concern this technology; weighed in the security assessment.",
                )
            elif hit.score is not None and hit.score >= 99:
                ruling, reason = Adjudication.TRUE_MATCH, "The partner is the listed entity."
            else:
                ruling, reason = (
                    Adjudication.FALSE_POSITIVE,
                    "Different institution and field; the name resemblance is superficial.",
                )
            services.hit_adjudicate(
                hit=hit, adjudication=ruling, acting_user=self.people.security, reason=reason
            )
        self.refresh()

    def risk_benefit(self, **overrides: int) -> None:
        services.risk_benefit_assess(
            proposal=self.proposal,
            scores=_scores(**overrides),
            recommendation=DecisionOutcome.APPROVE,
            summary="Good science with a clear benefit; risks are low and manageable.",
            acting_user=self.people.reviewer,
            reason="Risk–benefit assessment",
        )

    def security(
        self, finding: str = "no_concerns", cet: str = "none", mitigations: str = ""
    ) -> None:
        services.security_assess(
            proposal=self.proposal,
            cet_involvement=cet,
            finding=finding,
            mitigations=mitigations,
            rationale="Partners screened and adjudicated; the work stays in basic research.",
            acting_user=self.people.security,
            reason="National-security assessment",
        )

    def decide(
        self, outcome: str, reason: str, conditions: Sequence[services.ConditionInput] = ()
    ) -> None:
        services.decision_record(
            proposal=self.refresh(),
            outcome=outcome,
            condition_items=conditions,
            reason=reason,
            cited_clause_ids=list(self.proposal.cited_clauses.values_list("pk", flat=True)),
            acting_user=self.people.decider,
            confirmed_match_ids=[hit.pk for hit in services.true_matches_of(self.proposal)],
        )
        self.refresh()

    def assign(self, step: ReviewStep) -> None:
        """A colleague gives the risk–benefit assessment to the reviewer; the security reviewer
        claims the security assessment."""
        people = self.people
        if step == ReviewStep.RISK_BENEFIT:
            by, to = people.decider, people.reviewer
        else:
            by, to = people.security, people.security
        services.assignment_set(
            proposal=self.refresh(),
            step=step,
            assignee=to,
            acting_user=by,
            reason="Demo data: the next in the rota",
        )


def proposal_story(
    spec: DemoProposal, *, people: DemoPeople, today: dt.date, made: Callable[[Proposal], None]
) -> Story:
    """Make ``spec`` on the day it began (so many days before ``today``) and take it to its
    state, step by step on the days they fall on; ``made`` is given the proposal once made."""
    began = spec.began

    def on(days: int, hour: float = 0) -> dt.datetime:
        return days_ago(began - days, today=today, hour=hour)

    yield on(0)
    proposal = services.proposal_create(
        content=_content(spec), acting_user=people.submitter, reason="First draft"
    )
    made(proposal)
    walk = Walk(people, proposal)
    target = spec.state
    if target == ProposalState.DRAFT:
        return
    if target == ProposalState.WITHDRAWN:
        yield on(WITHDRAWN)
        services.proposal_withdraw(
            proposal=walk.proposal,
            acting_user=people.submitter,
            reason="The partner could not commit to the field season.",
        )
        return
    yield on(SUBMITTED)
    walk.submit()
    if target == ProposalState.SCREENING:
        return
    yield on(RULED)
    walk.adjudicate()
    if target == ProposalState.RETURNED:
        yield on(RETURNED)
        services.proposal_return(
            proposal=walk.proposal,
            questions=(
                "Which dyes will you use, and who holds the sampling data between field "
                "seasons? Please add the partner's data-sharing schedule."
            ),
            acting_user=people.reviewer,
            reason="The data plan is too vague to assess.",
        )
        return
    for hour, step in enumerate(spec.assigned):
        yield on(ASSIGNED, hour)
        walk.assign(step)
    if target == ProposalState.IN_REVIEW:
        steps = spec.extra.get("_steps", "")
        if steps in ("risk_benefit", "both"):
            yield on(RISK_BENEFIT)
            walk.risk_benefit()
        if steps == "both":
            yield on(SECURITY)
            walk.security()
        return
    yield from _decided(spec, walk, on)
    if target == ProposalState.TERMINATED:
        yield on(SUSPENDED)
        services.proposal_suspend(
            proposal=walk.refresh(),
            acting_user=people.reviewer,
            reason=(
                "The partner has not shared its recordings for two quarters, contrary to the "
                "data-reciprocity terms of Annex 2."
            ),
            ground=services.GroundInput.other("No data shared in return for two quarters."),
        )
        yield on(TERMINATED)
        services.proposal_terminate(
            proposal=walk.refresh(),
            acting_user=people.reviewer,
            reason="No data after the suspension; cooperation ends.",
            ground=services.GroundInput.other("Still no data after the suspension."),
        )
        return
    # The suspended project is suspended by a dispute that ceased cooperation.
    yield from after_approval_story(walk.refresh(), people=people, today=today)


def _decided(spec: DemoProposal, walk: Walk, on: Callable[[int], dt.datetime]) -> Story:
    """The assessments and the decision of a proposal that gets one."""
    target = spec.state
    if target == ProposalState.REJECTED:
        yield on(RISK_BENEFIT)
        walk.risk_benefit(cet_proximity=5, dual_use=4)
        yield on(SECURITY)
        walk.security(finding="unacceptable", cet="direct")
        yield on(DECIDED)
        walk.decide(
            DecisionOutcome.REJECT,
            "Hypersonics is a critical and emerging technology excluded by Article 5 of the 2024 "
            "text.",
        )
        return
    if target == ProposalState.APPROVED_WITH_CONDITIONS:
        yield on(RISK_BENEFIT)
        walk.risk_benefit(cet_proximity=3)
        yield on(SECURITY)
        walk.security(
            finding="mitigations_required",
            cet="adjacent",
            mitigations="Share catalogues only; keep the trained models on U.S. systems.",
        )
        yield on(DECIDED)
        today = timezone.localdate()
        walk.decide(
            DecisionOutcome.APPROVE_WITH_CONDITIONS,
            "Sound basic research; the machine-learning part stays on the U.S. side.",
            conditions=[
                services.ConditionInput(
                    text=(
                        "Trained models and code stay on U.S. agency systems; only earthquake "
                        "catalogues are exchanged."
                    ),
                    owner=ConditionOwner.SUBMITTER,
                    due_on=today + dt.timedelta(days=30),
                ),
                services.ConditionInput(
                    text="Check the first six-monthly report of data exchanges.",
                    owner=ConditionOwner.AGENCY,
                    due_on=today + dt.timedelta(days=180),
                ),
            ],
        )
        yield on(ACKNOWLEDGED)
        services.conditions_acknowledge(
            proposal=walk.refresh(),
            acting_user=walk.people.submitter,
            reason="Read the conditions; the team will keep models on agency systems.",
        )
        return
    yield on(RISK_BENEFIT)
    walk.risk_benefit()
    yield on(SECURITY)
    walk.security()
    yield on(DECIDED)
    walk.decide(DecisionOutcome.APPROVE, "Basic research with reciprocal data sharing.")
