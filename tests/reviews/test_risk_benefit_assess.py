from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import ProposalEvent, RiskBenefitAssessment, RubricScore
from reviews.rubric import Criterion
from reviews.services import Score, risk_benefit_assess, security_assess
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import footprint, proposal_in, scores

pytestmark = pytest.mark.django_db


def _assess(proposal: Any, user: Any, **kwargs: Any) -> RiskBenefitAssessment:
    fields: dict[str, Any] = {
        "scores": scores(),
        "recommendation": "approve",
        "summary": "Worth doing.",
        "reason": "Assessed",
    }
    fields.update(kwargs)
    return risk_benefit_assess(proposal=proposal, acting_user=user, **fields)


@pytest.fixture
def in_review(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Any:
    return proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta)


def test_a_reviewer_scores_every_criterion_with_a_rationale(in_review: Any, bob: Any) -> None:
    assessment = _assess(in_review, bob)
    assert (assessment.round, assessment.assessor, assessment.recommendation) == (1, bob, "approve")
    assert sorted(assessment.scores.values_list("criterion", "score")) == sorted(
        (c.value, 3) for c in Criterion
    )
    event = ProposalEvent.objects.filter(proposal=in_review).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "assess_risk_benefit",
        "in_review",
        "in_review",
        bob,
    )
    for row in [assessment, *assessment.scores.all()]:
        (record,) = row.history.all()
        assert (record.history_user, record.history_change_reason) == (bob, "Assessed")


def test_the_assessor_may_revise_their_assessment(in_review: Any, bob: Any) -> None:
    _assess(in_review, bob)
    changed = scores()
    changed["partner_risk"] = Score(4, "The partner's lab has a defence contract.")
    revised = _assess(
        in_review,
        bob,
        scores=changed,
        recommendation="approve_with_conditions",
        reason="New information",
    )
    assert RiskBenefitAssessment.objects.count() == 1
    assert revised.scores.get(criterion="partner_risk").score == 4
    assert RubricScore.history.filter(history_type="~").count() == 1


def test_another_reviewer_may_not_overwrite_it(in_review: Any, bob: Any) -> None:
    _assess(in_review, bob)
    judy = make_user("judy", Role.REVIEWER)
    with pytest.raises(PermissionRefused, match="was made by bob; only they can revise it"):
        _assess(in_review, judy)


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin", "nobody"])
def test_only_reviewers_assess_risks_and_benefits(
    persona: str, request: pytest.FixtureRequest, in_review: Any
) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a reviewer can assess"):
        _assess(in_review, request.getfixturevalue(persona))
    assert footprint() == before


def test_the_submitter_cannot_assess_their_own_proposal(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=heidi, reviewer=bob, security=charlie, version=sta
    )
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        _assess(proposal, heidi)


def test_the_security_assessor_cannot_also_assess_risks_and_benefits(
    in_review: Any, grace: Any
) -> None:
    security_assess(
        proposal=in_review,
        cet_involvement="none",
        finding="no_concerns",
        rationale="Clean.",
        acting_user=grace,
        reason="Assessed",
    )
    before = footprint()
    with pytest.raises(
        PermissionRefused,
        match=(
            "You made the national-security assessment of this proposal; another reviewer "
            "must assess its risks and benefits"
        ),
    ):
        _assess(in_review, grace)
    assert footprint() == before


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {"scientific_merit": Score(0, "Weak.")},
            "scientific_merit",
            "“Scientific merit” needs a score from 1 to 5.",
        ),
        (
            {"dual_use": Score(6, "Grave.")},
            "dual_use",
            "“Dual use and military end use” needs a score from 1 to 5.",
        ),
        ({"partner_risk": Score(2, "  ")}, "partner_risk", "Explain the score for “Partner risk”."),
        ({"bogus": Score(2, "x")}, "", "Unknown criteria: bogus."),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(
    in_review: Any, bob: Any, given: dict[str, Score], field: str, message: str
) -> None:
    before = footprint()
    with pytest.raises(InvalidInput) as caught:
        _assess(in_review, bob, scores={**scores(), **given})
    assert caught.value.errors[field] == [message]
    assert footprint() == before


def test_every_criterion_must_be_scored(in_review: Any, bob: Any) -> None:
    partial = scores()
    del partial["researcher_safety"]
    with pytest.raises(InvalidInput) as caught:
        _assess(in_review, bob, scores=partial)
    assert caught.value.errors == {"researcher_safety": ["Score “Researcher safety”."]}


def test_a_recommendation_and_a_summary_are_required(in_review: Any, bob: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        _assess(in_review, bob, recommendation="shrug", summary=" ")
    assert caught.value.errors == {
        "recommendation": ["Recommend an outcome."],
        "summary": ["Sum up the assessment."],
    }


@pytest.mark.parametrize("state", ["submitted", "screening", "approved", "returned"])
def test_only_proposals_in_review_are_assessed(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="assess risks and benefits"):
        _assess(proposal, bob)
    assert footprint() == before
