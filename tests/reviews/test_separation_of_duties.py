"""Separation of duties: the submitter, the risk–benefit assessor, the security reviewer and the
decider of a proposal are four different people, in the services and in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clauses.models import Version, system_user
from reviews import services
from reviews.errors import PermissionRefused
from reviews.models import (
    Decision,
    DecisionOutcome,
    Proposal,
    RiskBenefitAssessment,
    ScreeningHit,
    SecurityAssessment,
)
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import (
    LISTED,
    assess,
    csl_csv,
    footprint,
    proposal_in,
    risk_benefit_done,
    scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(db: Any) -> Any:
    """Olga holds every review role (and submits too): she may still act only once per proposal."""
    return make_user(
        "olga", Role.REVIEWER, Role.SECURITY_REVIEWER, Role.SUBMITTER, Role.ADMINISTRATOR
    )


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def _security(proposal: Proposal, user: Any) -> SecurityAssessment:
    return services.security_assess(
        proposal=proposal,
        cet_involvement="none",
        finding="no_concerns",
        rationale="Nothing sensitive.",
        acting_user=user,
        reason="Assessed",
    )


def _risk_benefit(proposal: Proposal, user: Any) -> RiskBenefitAssessment:
    return services.risk_benefit_assess(
        proposal=proposal,
        scores=scores(),
        recommendation=DecisionOutcome.APPROVE,
        summary="Sound.",
        acting_user=user,
        reason="Assessed",
    )


def _decide(proposal: Proposal, user: Any, outcome: str = "approve") -> Decision:
    return services.decision_record(
        proposal=proposal,
        outcome=outcome,
        acting_user=user,
        reason="Weighed both",
        questions="Which cores?" if outcome == "return" else "",
        cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()]
        if outcome == "approve"
        else [],
    )


def _with_hit(people: dict[str, Any], adjudicator: Any) -> Proposal:
    """In review after ``adjudicator`` ruled the listed partner a false positive."""
    proposal = proposal_in(
        "screening", **{**people, "security": adjudicator}
    )  # leaves a restricted-party hit
    for hit in ScreeningHit.objects.pending().filter(run__proposal=proposal):
        services.hit_adjudicate(
            hit=hit, adjudication="false_positive", acting_user=adjudicator, reason="Other campus"
        )
    return Proposal.objects.get(pk=proposal.pk)


def _refused(call: Any, message: str) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused) as caught:
        call()
    assert str(caught.value) == message
    assert footprint() == before


def test_olga_holding_every_role_acts_in_one_part_only(
    people: Any, olga: Any, charlie: Any, judy: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    _risk_benefit(proposal, olga)
    _refused(
        lambda: _security(proposal, olga),
        "You wrote the risk–benefit assessment of this proposal; another security reviewer "
        "must make its national-security assessment.",
    )
    _security(proposal, charlie)
    _refused(
        lambda: _decide(proposal, olga),
        "You wrote the risk–benefit assessment of this proposal; another reviewer must decide it.",
    )
    # She may revise her own part, and another reviewer decides.
    _risk_benefit(proposal, olga)
    assert _decide(proposal, judy).decided_by == judy


def test_olga_may_decide_a_proposal_she_played_no_part_in(
    people: Any, bob: Any, charlie: Any, olga: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    assert _decide(proposal, olga).decided_by == olga


def test_olga_cannot_review_her_own_proposal_in_any_part(
    people: Any, olga: Any, sta: Version
) -> None:
    proposal = proposal_in("in_review", **{**people, "submitter": olga})
    for call, verb in (
        (lambda: _risk_benefit(proposal, olga), "assess its risks and benefits"),
        (lambda: _security(proposal, olga), "make its national-security assessment"),
    ):
        _refused(call, f"You submitted this proposal, so you cannot {verb}.")


def test_the_security_assessor_cannot_decide(people: Any, bob: Any, olga: Any) -> None:
    proposal = assess(proposal_in("in_review", **{**people, "security": olga}), bob, olga)
    _refused(
        lambda: _decide(proposal, olga),
        "You made the national-security assessment of this proposal; another reviewer must "
        "decide it.",
    )


def test_who_ruled_on_the_hits_takes_part_in_the_security_review_only(
    people: Any, bob: Any, olga: Any, judy: Any
) -> None:
    proposal = _with_hit(people, olga)
    _refused(
        lambda: _risk_benefit(proposal, olga),
        "You ruled on screening hits of this proposal, which is part of its security review; "
        "another reviewer must assess its risks and benefits.",
    )
    risk_benefit_done(proposal, bob)
    # The adjudicator may make the security assessment, as part of the same review, but then
    # may not decide.
    _security(proposal, olga)
    _refused(
        lambda: _decide(proposal, olga),
        "You made the national-security assessment of this proposal; another reviewer must "
        "decide it.",
    )
    assert _decide(proposal, judy).decided_by == judy


def test_an_adjudicator_who_did_not_assess_still_cannot_decide(
    people: Any, bob: Any, charlie: Any, olga: Any
) -> None:
    proposal = _with_hit(people, olga)
    risk_benefit_done(proposal, bob)
    _security(proposal, charlie)
    _refused(
        lambda: _decide(proposal, olga),
        "You ruled on screening hits of this proposal, which is part of its security review; "
        "another reviewer must decide it.",
    )


def test_the_risk_benefit_assessor_cannot_rule_on_new_hits(
    people: Any, olga: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    _risk_benefit(proposal, olga)
    listed = {"source": "SDN", "type": "Individual", "name": "LI, Hua"}
    services.screening_list_import(
        file_name="new.csv",
        data=csl_csv(*LISTED, listed),
        acting_user=system_user(),
        reason="New list",
    )
    services.screening_run(proposal=proposal, acting_user=charlie, reason="New list")
    hit = ScreeningHit.objects.pending().get(run__proposal=proposal)
    _refused(
        lambda: services.hit_adjudicate(
            hit=hit, adjudication="false_positive", acting_user=olga, reason="Another Li Hua"
        ),
        "You wrote the risk–benefit assessment of this proposal; another security reviewer "
        "must rule on its screening hits.",
    )
    # The hit queue offers it to Charlie, not to Olga.
    assert not ScreeningHit.objects.to_adjudicate_by(olga).exists()
    assert ScreeningHit.objects.to_adjudicate_by(charlie).get() == hit


def test_a_decider_of_an_earlier_round_cannot_assess_a_later_one(
    people: Any, bob: Any, charlie: Any, olga: Any, alice: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    _decide(proposal, olga, "return")
    services.proposal_resubmit(
        proposal=Proposal.objects.get(pk=proposal.pk), acting_user=alice, reason="Answered"
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    services.screening_run(proposal=proposal, acting_user=charlie, reason="Round 2")
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.round == 2
    _refused(
        lambda: _risk_benefit(proposal, olga),
        "You recorded a decision on this proposal; another reviewer must assess its risks and "
        "benefits.",
    )
    # Deciding again is the same part: allowed once both assessments of round 2 exist.
    assess(proposal, bob, charlie)
    assert _decide(Proposal.objects.get(pk=proposal.pk), olga).round == 2


# --- The database backs the rule ------------------------------------------------------------


def _raw_decision(proposal: Proposal, decider: Any) -> None:
    risk_benefit = RiskBenefitAssessment.objects.get(proposal=proposal)
    security = SecurityAssessment.objects.get(proposal=proposal)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reviews_decision (proposal_id, round, outcome, conditions, questions, "
            "reason, risk_benefit_assessment_id, security_assessment_id, decided_by_id, "
            "decided_at) VALUES (%s, %s, 'reject', '', '', 'raw', %s, %s, %s, %s)",
            [proposal.pk, proposal.round, risk_benefit.pk, security.pk, decider.pk, timezone.now()],
        )


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_the_database_refuses_a_decision_by_the_submitter_or_an_assessor(
    who: str, request: pytest.FixtureRequest, people: Any, bob: Any, charlie: Any
) -> None:
    """Raw SQL, past the services: the trigger (PostgreSQL or SQLite) refuses the row."""
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    with pytest.raises(IntegrityError, match="separation of duties"), transaction.atomic():
        _raw_decision(proposal, request.getfixturevalue(who))
    assert not Decision.objects.exists()


def test_the_database_accepts_a_decision_by_someone_else(
    people: Any, bob: Any, charlie: Any, judy: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    with transaction.atomic():
        _raw_decision(proposal, judy)
    assert Decision.objects.get().decided_by == judy


def test_the_database_refuses_an_assessment_by_the_other_assessor_or_the_submitter(
    people: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    for table, person in (
        ("reviews_riskbenefitassessment", charlie.pk),
        ("reviews_securityassessment", bob.pk),
        ("reviews_riskbenefitassessment", alice.pk),
        ("reviews_securityassessment", alice.pk),
    ):
        with (
            pytest.raises(IntegrityError, match="separation of duties"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE {table} SET assessor_id = %s WHERE proposal_id = %s",  # noqa: S608
                [person, proposal.pk],
            )
    assert RiskBenefitAssessment.objects.get().assessor == bob
    assert SecurityAssessment.objects.get().assessor == charlie


def test_the_database_refuses_a_ruling_by_the_submitter(people: Any, alice: Any) -> None:
    proposal = proposal_in("screening", **people)
    hit = ScreeningHit.objects.pending().filter(run__proposal=proposal).first()
    assert hit is not None
    with (
        pytest.raises(IntegrityError, match="separation of duties"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE reviews_screeninghit SET adjudication = 'false_positive', "
            "adjudicated_by_id = %s, adjudication_reason = 'raw', adjudicated_at = %s "
            "WHERE id = %s",
            [alice.pk, timezone.now(), hit.pk],
        )
    assert ScreeningHit.objects.get(pk=hit.pk).adjudicated_by is None
