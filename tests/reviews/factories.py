"""Builders for review tests: an agreement to cite, lists to screen, proposals in any state."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clauses.models import Clause, Version, system_user
from reviews import services
from reviews.models import (
    LISTED_FIELDS,
    Adjudication,
    CetEdition,
    ClauseChangeFlag,
    DecisionOutcome,
    Proposal,
    ScreeningHit,
    ScreeningList,
)
from reviews.rubric import Criterion
from reviews.screening.csl import COLUMNS
from reviews.services import (
    ConditionInput,
    InstitutionInput,
    PersonInput,
    ProposalContent,
    Score,
)
from reviews.workflow import ProposalState
from sta_tracker.history import save_with_history
from tests.factories import article, make_agreement, make_version, the_decider

START = dt.date(2025, 3, 1)
# Suspensions, resumptions and terminations name a ground; tests that are not about it use this.
OTHER_GROUND = services.GroundInput.other("The partner shares no data in return.")
PROTOCOL_2024 = dt.date(2024, 8, 27)


def make_sta() -> Version:
    """The agreement with a 1979 version (until the 2024 lapse) and the 2024 version in force."""
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [article(1, "The parties cooperate in science."), article(2, "A joint commission meets.")],
        in_force_from=dt.date(1979, 1, 31),
        in_force_until=PROTOCOL_2024,
    )
    return make_version(
        sta,
        "2024",
        [
            article(1, "The parties cooperate in basic research."),
            article(2, "Each side protects the safety of visiting researchers."),
            article(3, "Data are shared reciprocally and transparently."),
        ],
        in_force_from=PROTOCOL_2024,
    )


def clause(version: Version, key: str) -> Clause:
    return version.clauses.get(key=key)


def listed(**names: str) -> None:
    """Put the named agency and scientific field on their lists, if they are not already."""
    for name, value in names.items():
        if name in LISTED_FIELDS and isinstance(value, str) and value.strip():
            services.entries_ensure(
                model=LISTED_FIELDS[name], names=[value], acting_user=system_user(), reason="Test"
            )


def content(version: Version | None = None, **overrides: Any) -> ProposalContent:
    """A complete proposal about river sediments that no default CET term touches; its agency
    and scientific field are put on their lists."""
    cited = (clause(version, "art_1").pk,) if version is not None else ()
    fields: dict[str, Any] = {
        "title": "Flood history of the Yellow River delta from sediment cores",
        "summary": "We compare sediment cores to reconstruct floods over three thousand years.",
        "scientific_field": "Geology",
        "us_agency": "U.S. Geological Survey",
        "principal_investigator": "Dr. Ruth Miller",
        "basic_research_declared": True,
        "basic_research_explanation": "The results are published openly; no product is made.",
        "data_description": "Grain-size measurements and radiocarbon dates.",
        "data_storage": "A public repository at the U.S. agency.",
        "data_access": "Anyone, after publication.",
        "data_reciprocity": "The partner shares its core logs and dates.",
        "travel_safety_plan": "Two trips a year; the agency's travel security briefing applies.",
        "funding_amount": Decimal("250000.00"),
        "funding_source": "Agency research budget",
        "start_date": START,
        "end_date": dt.date(2027, 3, 1),
        "institutions": (
            InstitutionInput(name="Institute of Geographic Sciences and Natural Resources"),
        ),
        "people": (
            PersonInput(
                name="Li Hua",
                position="Professor",
                institution="Institute of Geographic Sciences and Natural Resources",
            ),
        ),
        "cited_clause_ids": cited,
    }
    fields.update(overrides)
    listed(**{name: fields[name] for name in LISTED_FIELDS})
    return ProposalContent(**fields)


def csl_csv(*rows: dict[str, str], header: tuple[str, ...] = COLUMNS) -> bytes:
    """A file in the Consolidated Screening List format with the given cells filled in."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return out.getvalue().encode()


LISTED = (
    {
        "_id": "1",
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "entity_number": "EL-1",
        "type": "Entity",
        "name": "National University of Defense Technology",
        "alt_names": "NUDT; Guofang Keji Daxue",
        "start_date": "2015-02-18",
        "federal_register_notice": "80 FR 8524",
    },
    {
        "_id": "2",
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "entity_number": "EL-2",
        "type": "Entity",
        "name": "Harbin Institute of Technology",
        "alt_names": "HIT",
        "start_date": "2020-06-05",
    },
    {
        "_id": "3",
        "source": "Specially Designated Nationals (SDN) - Treasury Department",
        "entity_number": "SDN-3",
        "type": "Individual",
        "name": "ZHANG, Wei",
    },
)

LISTED_PARTNER = InstitutionInput(name="Harbin Institute of Technology (Weihai)")


def load_lists(**kwargs: Any) -> tuple[CetEdition, ScreeningList]:
    """The 2024 CET list with the shipped terms in force, and a small screening list current."""
    edition = services.cet_edition_load(
        name="2024",
        text="# test\nArtificial Intelligence\nSemiconductors and Microelectronics\n",
        acting_user=system_user(),
        reason="test data",
    )
    screening_list = services.screening_list_import(
        file_name="csl.csv", data=csl_csv(*LISTED), acting_user=system_user(), reason="test data"
    )
    return edition, screening_list


def scores(value: int = 3) -> dict[str, Score]:
    return {c.value: Score(score=value, rationale=f"{c.label}: reasoned.") for c in Criterion}


def submit(proposal: Proposal) -> Proposal:
    services.proposal_submit(proposal=proposal, acting_user=proposal.submitter, reason="Ready")
    return Proposal.objects.get(pk=proposal.pk)


def screen(proposal: Proposal) -> Proposal:
    services.screening_run(proposal=proposal, acting_user=system_user(), reason="Screening")
    return Proposal.objects.get(pk=proposal.pk)


def assess(
    proposal: Proposal,
    reviewer: Any,
    security: Any,
    *,
    finding: str = "no_concerns",
    mitigations: str = "",
) -> Proposal:
    services.risk_benefit_assess(
        proposal=proposal,
        scores=scores(),
        recommendation=DecisionOutcome.APPROVE,
        summary="Sound science, modest risk.",
        acting_user=reviewer,
        reason="Assessed",
    )
    services.security_assess(
        proposal=proposal,
        cet_involvement="none",
        finding=finding,
        mitigations=mitigations,
        rationale="No sensitive partners or technologies.",
        acting_user=security,
        reason="Assessed",
    )
    return Proposal.objects.get(pk=proposal.pk)


def adjudicate_all(proposal: Proposal, security: Any) -> Proposal:
    for hit in ScreeningHit.objects.pending().filter(run__proposal=proposal):
        services.hit_adjudicate(
            hit=hit,
            adjudication=Adjudication.FALSE_POSITIVE,
            acting_user=security,
            reason="Different institution",
        )
    return Proposal.objects.get(pk=proposal.pk)


def proposal_in(
    state: str,
    *,
    submitter: Any,
    reviewer: Any = None,
    security: Any = None,
    decider: Any = None,
    version: Version | None = None,
    **overrides: Any,
) -> Proposal:
    """A proposal brought to ``state`` through the services, as people would.

    Needs ``load_lists()`` first for every state past submitted. The decision is recorded by
    ``decider``, by default Judy: separation of duties keeps the assessors from deciding.
    """
    if state == ProposalState.SCREENING:
        # A partner named like a listed party leaves a hit to adjudicate.
        overrides.setdefault("institutions", (*content().institutions, LISTED_PARTNER))
    proposal = services.proposal_create(
        content=content(version, **overrides), acting_user=submitter, reason="First draft"
    )
    if state == ProposalState.DRAFT:
        return proposal
    if state == ProposalState.WITHDRAWN:
        services.proposal_withdraw(proposal=proposal, acting_user=submitter, reason="Not needed")
        return Proposal.objects.get(pk=proposal.pk)
    proposal = submit(proposal)
    if state == ProposalState.SUBMITTED:
        return proposal
    if state == ProposalState.SCREENING:
        return screen(proposal)
    proposal = screen(proposal)
    proposal = adjudicate_all(proposal, security)
    if state == ProposalState.IN_REVIEW:
        return proposal
    if state == ProposalState.RETURNED:
        services.proposal_return(
            proposal=proposal, questions="Which cores?", acting_user=reviewer, reason="Unclear"
        )
        return Proposal.objects.get(pk=proposal.pk)
    proposal = assess(proposal, reviewer, security)
    outcome = {
        ProposalState.APPROVED: DecisionOutcome.APPROVE,
        ProposalState.APPROVED_WITH_CONDITIONS: DecisionOutcome.APPROVE_WITH_CONDITIONS,
        ProposalState.REJECTED: DecisionOutcome.REJECT,
        ProposalState.SUSPENDED: DecisionOutcome.APPROVE,
        ProposalState.TERMINATED: DecisionOutcome.APPROVE,
    }[ProposalState(state)]
    services.decision_record(
        proposal=proposal,
        outcome=outcome,
        acting_user=decider if decider is not None else the_decider(),
        reason="Decided",
        conditions="Share the data within a year." if outcome == "approve_with_conditions" else "",
        cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    if state in (ProposalState.SUSPENDED, ProposalState.TERMINATED):
        services.proposal_suspend(
            proposal=proposal, acting_user=reviewer, reason="No data", ground=OTHER_GROUND
        )
    if state == ProposalState.TERMINATED:
        services.proposal_terminate(
            proposal=proposal, acting_user=reviewer, reason="Still none", ground=OTHER_GROUND
        )
    return Proposal.objects.get(pk=proposal.pk)


def footprint() -> dict[str, int]:
    """Row counts of everything a review action writes, to show a refusal wrote nothing."""
    from reviews.models import (
        ConditionItem,
        Decision,
        Dispute,
        DisputeStep,
        LedgerEntry,
        NotificationOutbox,
        PartnerInstitution,
        ProjectGround,
        ProposalEvent,
        RiskBenefitAssessment,
        RubricScore,
        ScreeningRun,
        SecurityAssessment,
    )

    return {
        "events": ProposalEvent.objects.count(),
        "proposal history": Proposal.history.count(),
        "partner history": PartnerInstitution.history.count(),
        "outbox": NotificationOutbox.objects.count(),
        "runs": ScreeningRun.objects.count(),
        "hit history": ScreeningHit.history.count(),
        "risk-benefit history": RiskBenefitAssessment.history.count(),
        "score history": RubricScore.history.count(),
        "security history": SecurityAssessment.history.count(),
        "decisions": Decision.objects.count(),
        "condition history": ConditionItem.history.count(),
        "ledger history": LedgerEntry.history.count(),
        "dispute history": Dispute.history.count(),
        "dispute steps": DisputeStep.objects.count(),
        "grounds": ProjectGround.objects.count(),
    }


def risk_benefit_done(proposal: Proposal, reviewer: Any) -> None:
    services.risk_benefit_assess(
        proposal=proposal,
        scores=scores(),
        recommendation=DecisionOutcome.APPROVE,
        summary="Sound science, modest risk.",
        acting_user=reviewer,
        reason="Assessed",
    )


def flag_cited_clause(proposal: Proposal, version: Version) -> ClauseChangeFlag:
    """Flag the proposal's cited clause as amended by ``version``, as publishing would."""
    clause = proposal.cited_clauses.get()
    flag = ClauseChangeFlag(
        proposal=proposal, version=version, cited_clause=clause, new_clause=clause, change="amended"
    )
    save_with_history(flag, acting_user=system_user(), reason="test data")
    return flag


def approved_with_conditions(
    *,
    submitter: Any,
    reviewer: Any,
    security: Any,
    version: Version,
    due_in: int = 30,
    decider: Any = None,
) -> Proposal:
    """A proposal approved with two tracked conditions: data shared by the submitter within
    ``due_in`` days, and a data-plan review by the agency within twice that. Decided by
    ``decider``, by default Judy (the assessors may not decide)."""
    proposal = assess(
        proposal_in("in_review", submitter=submitter, security=security, version=version),
        reviewer,
        security,
    )
    today = timezone.localdate()
    services.decision_record(
        proposal=proposal,
        outcome=DecisionOutcome.APPROVE_WITH_CONDITIONS,
        acting_user=decider or the_decider(),
        reason="Sound, with conditions",
        condition_items=[
            ConditionInput(
                text="Share the raw data with the programme office.",
                owner="submitter",
                due_on=today + dt.timedelta(days=due_in),
            ),
            ConditionInput(
                text="Review the data management plan.",
                owner="agency",
                due_on=today + dt.timedelta(days=2 * due_in),
            ),
        ],
        cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
    )
    return Proposal.objects.get(pk=proposal.pk)


def make_overdue(proposal: Proposal, number: int, *, days: int) -> None:
    """Move the due date of condition ``number`` ``days`` into the past, as time passing would."""
    from reviews.models import ConditionItem

    item = ConditionItem.objects.get(proposal=proposal, number=number)
    item.due_on = timezone.localdate() - dt.timedelta(days=days)
    save_with_history(item, acting_user=system_user(), reason="test data: time has passed")


MITIGATIONS = "No work with the listed institute's laboratories; every data set stays in the US."


def true_match_assessed(
    *, submitter: Any, reviewer: Any, security: Any, version: Version, clear: bool
) -> tuple[Proposal, ScreeningHit]:
    """In review with a partner ruled a true restricted-party match and both assessments made;
    the security assessment requires mitigations and, when ``clear``, clears that match."""
    proposal = proposal_in(
        ProposalState.SCREENING,
        submitter=submitter,
        reviewer=reviewer,
        security=security,
        version=version,
    )
    match = None
    for hit in ScreeningHit.objects.pending().filter(run__proposal=proposal).order_by("pk"):
        is_match = hit.kind == "restricted_party"
        services.hit_adjudicate(
            hit=hit,
            adjudication=Adjudication.TRUE_MATCH if is_match else Adjudication.FALSE_POSITIVE,
            acting_user=security,
            reason="The Weihai campus is part of the listed institute." if is_match else "No.",
        )
        match = hit if is_match else match
    assert match is not None
    risk_benefit_done(proposal, reviewer)
    services.security_assess(
        proposal=proposal,
        cet_involvement="none",
        finding="mitigations_required",
        mitigations=MITIGATIONS,
        rationale="A listed partner, but the work is open basic research.",
        cleared_hit_ids=[match.pk] if clear else [],
        acting_user=security,
        reason="Assessed",
    )
    return Proposal.objects.get(pk=proposal.pk), ScreeningHit.objects.get(pk=match.pk)
