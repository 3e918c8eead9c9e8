from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from clauses.models import Version, system_user
from reviews.errors import (
    InvalidInput,
    NotReady,
    PermissionRefused,
    PolicyRefused,
    TransitionNotAllowed,
)
from reviews.models import (
    AppendOnlyError,
    Decision,
    NotificationOutbox,
    Proposal,
    ProposalEvent,
    ScreeningHit,
)
from reviews.services import (
    decision_record,
    hit_adjudicate,
    risk_benefit_assess,
    screening_list_import,
    screening_run,
)
from sta_tracker.history import save_with_history
from tests.reviews.factories import (
    LISTED,
    assess,
    clause,
    csl_csv,
    footprint,
    proposal_in,
    scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    return assess(proposal, bob, charlie)


def _decide(proposal: Proposal, user: Any, outcome: str = "approve", **kwargs: Any) -> Decision:
    fields: dict[str, Any] = {
        "reason": "Sound science; risks are low.",
        "cited_clause_ids": [c.pk for c in proposal.cited_clauses.all()],
    }
    fields.update(kwargs)
    return decision_record(proposal=proposal, outcome=outcome, acting_user=user, **fields)


def test_a_reviewer_approves_citing_clauses_and_the_submitter_is_told(
    assessed: Proposal, bob: Any, alice: Any, sta: Version, judy: Any
) -> None:
    decision = _decide(assessed, judy)
    assessed.refresh_from_db()
    assert assessed.state == "approved"
    assert (decision.outcome, decision.round, decision.decided_by) == ("approve", 1, judy)
    assert list(decision.cited_clauses.all()) == [clause(sta, "art_1")]
    assert decision.risk_benefit_assessment.assessor == bob
    assert decision.security_assessment.finding == "no_concerns"
    event = ProposalEvent.objects.filter(proposal=assessed).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.actor, event.reason) == (
        "approve",
        "in_review",
        "approved",
        judy,
        "Sound science; risks are low.",
    )
    (record,) = decision.history.all()
    assert (record.history_user, record.history_change_reason) == (
        judy,
        "Sound science; risks are low.",
    )
    mail = NotificationOutbox.objects.get(kind="decided")
    assert (mail.recipient, mail.subject) == (alice, f"Decision: {assessed.title}")


def test_approval_with_conditions_states_them(assessed: Proposal, judy: Any) -> None:
    decision = _decide(
        assessed, judy, "approve_with_conditions", conditions="Share the data within a year."
    )
    assert Proposal.objects.get(pk=assessed.pk).state == "approved_with_conditions"
    assert "Share the data within a year." in NotificationOutbox.objects.get(kind="decided").body
    assert decision.conditions == "Share the data within a year."


def test_a_return_asks_questions_that_the_submitter_sees(
    assessed: Proposal, bob: Any, judy: Any
) -> None:
    _decide(assessed, judy, "return", questions="Who stores the cores?", cited_clause_ids=[])
    assessed.refresh_from_db()
    assert (assessed.state, assessed.return_questions) == ("returned", "Who stores the cores?")
    assert NotificationOutbox.objects.get(kind="returned").recipient == assessed.submitter
    assert not NotificationOutbox.objects.filter(kind="decided").exists()


def test_a_rejection_records_its_reason(assessed: Proposal, bob: Any, judy: Any) -> None:
    decision = _decide(assessed, judy, "reject", reason="Out of scope.", cited_clause_ids=[])
    assert (decision.reason, Proposal.objects.get(pk=assessed.pk).state) == (
        "Out of scope.",
        "rejected",
    )


@pytest.mark.parametrize(
    ("outcome", "kwargs", "field", "message"),
    [
        ("approve_with_conditions", {}, "conditions", "State the conditions of the approval."),
        (
            "return",
            {"cited_clause_ids": []},
            "questions",
            "Say what the submitter must change or answer.",
        ),
        (
            "approve",
            {"cited_clause_ids": []},
            "cited_clause_ids",
            "Cite the clauses of the agreement the approval relies on.",
        ),
    ],
)
def test_each_outcome_requires_its_text_and_nothing_is_written_without_it(
    assessed: Proposal,
    bob: Any,
    outcome: str,
    kwargs: dict[str, Any],
    field: str,
    message: str,
    judy: Any,
) -> None:
    before = footprint()
    with pytest.raises(InvalidInput) as caught:
        _decide(assessed, judy, outcome, **kwargs)
    assert caught.value.errors[field] == [message]
    assert footprint() == before


def test_a_rejection_without_a_reason_is_refused(assessed: Proposal, bob: Any, judy: Any) -> None:
    with pytest.raises(InvalidInput, match="Give a reason"):
        _decide(assessed, judy, "reject", reason="  ")
    assert not Decision.objects.exists()


def test_an_unknown_outcome_is_refused(assessed: Proposal, bob: Any, judy: Any) -> None:
    with pytest.raises(InvalidInput, match="Choose approve, approve with conditions"):
        _decide(assessed, judy, "maybe")


def test_clauses_not_in_force_on_the_start_date_cannot_be_relied_on(
    assessed: Proposal, bob: Any, sta: Version, judy: Any
) -> None:
    old = Version.objects.get(label="1979").clauses.get(key="art_1")
    with pytest.raises(InvalidInput, match="Cite clauses in force on 2025-03-01"):
        _decide(assessed, judy, cited_clause_ids=[old.pk])
    assert not Decision.objects.exists()


def test_no_decision_before_both_assessments(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, judy: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    risk_benefit_assess(
        proposal=proposal,
        scores=scores(),
        recommendation="approve",
        summary="Fine.",
        acting_user=bob,
        reason="Assessed",
    )
    before = footprint()
    with pytest.raises(NotReady, match="still missing: the national-security assessment"):
        _decide(proposal, judy)
    assert footprint() == before


def test_an_unacceptable_security_finding_cannot_be_approved_but_can_be_rejected(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, judy: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    assess(proposal, bob, charlie, finding="unacceptable")
    for outcome, extra in (("approve", {}), ("approve_with_conditions", {"conditions": "C."})):
        with pytest.raises(PolicyRefused, match="finding is unacceptable"):
            _decide(proposal, judy, outcome, **extra)
    assert not Decision.objects.exists()
    assert _decide(proposal, judy, "reject", reason="Unacceptable risk.").outcome == "reject"


def test_required_mitigations_allow_only_approval_with_conditions(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, judy: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    assess(proposal, bob, charlie, finding="mitigations_required", mitigations="No raw data.")
    with pytest.raises(PolicyRefused, match="approve with conditions that carry them"):
        _decide(proposal, judy)
    _decide(proposal, judy, "approve_with_conditions", conditions="No raw data leaves the US.")


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin", "nobody"])
def test_only_reviewers_decide(
    persona: str, request: pytest.FixtureRequest, assessed: Proposal
) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a reviewer can decide on it"):
        _decide(assessed, request.getfixturevalue(persona))
    assert footprint() == before


def test_a_reviewer_cannot_decide_their_own_proposal(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=heidi, reviewer=bob, security=charlie, version=sta),
        bob,
        charlie,
    )
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        _decide(proposal, heidi)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        (
            "bob",
            "You wrote the risk–benefit assessment of this proposal; another reviewer must "
            "decide it.",
        ),
        (
            "charlie",
            "You made the national-security assessment of this proposal; another reviewer must "
            "decide it.",
        ),
    ],
)
def test_an_assessor_cannot_decide_even_holding_the_reviewer_role(
    persona: str, message: str, request: pytest.FixtureRequest, assessed: Proposal
) -> None:
    from sta_tracker.roles import Role, ensure_role_groups

    user = request.getfixturevalue(persona)
    user.groups.add(ensure_role_groups()[Role.REVIEWER])
    user = type(user).objects.get(pk=user.pk)
    before = footprint()
    with pytest.raises(PermissionRefused) as caught:
        _decide(assessed, user)
    assert str(caught.value) == message
    assert footprint() == before


def test_a_second_reviewer_may_decide(assessed: Proposal, grace: Any) -> None:
    assert _decide(assessed, grace).decided_by == grace


@pytest.mark.parametrize("state", ["screening", "approved", "rejected", "returned"])
def test_only_proposals_in_review_are_decided(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, judy: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “approve”"):
        _decide(proposal, judy)
    assert footprint() == before


def test_a_recorded_decision_cannot_be_edited_or_deleted(
    assessed: Proposal, bob: Any, judy: Any
) -> None:
    decision = _decide(assessed, judy)
    decision.reason = "Changed afterwards"
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        decision.save()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        decision.delete()
    assert Decision.objects.get().reason == "Sound science; risks are low."


def test_the_database_allows_one_decision_per_round(
    assessed: Proposal, bob: Any, judy: Any
) -> None:
    decision = _decide(assessed, judy)
    twin = Decision(
        proposal=assessed,
        round=1,
        outcome="reject",
        reason="Again",
        decided_by=judy,
        risk_benefit_assessment=decision.risk_benefit_assessment,
        security_assessment=decision.security_assessment,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        save_with_history(twin, acting_user=bob, reason="Again")


def test_on_postgresql_the_database_refuses_to_update_a_decision(
    assessed: Proposal, bob: Any, judy: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    _decide(assessed, judy)
    # Raw SQL: the application's own refusals (models and querysets) are tested elsewhere.
    for sql in (
        "UPDATE reviews_decision SET reason = 'Rewritten'",
        "DELETE FROM reviews_proposalevent",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


def _new_list_naming_the_partner() -> None:
    listed = {"source": "SDN", "type": "Individual", "name": "LI, Hua"}
    screening_list_import(
        file_name="new.csv",
        data=csl_csv(*LISTED, listed),
        acting_user=system_user(),
        reason="New list",
    )


def test_a_finding_that_predates_new_screening_hits_must_be_renewed(
    assessed: Proposal, bob: Any, charlie: Any, judy: Any
) -> None:
    _new_list_naming_the_partner()
    screening_run(proposal=assessed, acting_user=system_user(), reason="New list")
    hit = ScreeningHit.objects.pending().get()
    hit_adjudicate(
        hit=hit, adjudication="false_positive", acting_user=charlie, reason="A different Li Hua"
    )
    with pytest.raises(NotReady, match="found something new since the national-security"):
        _decide(assessed, judy)
    assess(assessed, bob, charlie)
    assert _decide(assessed, judy).security_assessment.screening_run.is_current


def test_a_rescreen_that_finds_nothing_new_needs_no_new_finding(
    assessed: Proposal, bob: Any, judy: Any
) -> None:
    screening_run(proposal=assessed, acting_user=system_user(), reason="Monthly list")
    assert _decide(assessed, judy).outcome == "approve"
