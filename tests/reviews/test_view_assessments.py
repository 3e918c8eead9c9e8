"""The risk–benefit and national-security assessment forms."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews.models import RiskBenefitAssessment, RubricScore, SecurityAssessment
from reviews.services import screening_list_import
from tests.reviews.factories import (
    LISTED,
    LISTED_PARTNER,
    content,
    csl_csv,
    footprint,
    proposal_in,
    risk_benefit_done,
    screen,
)

from .view_helpers import as_user, rubric_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def rb_url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/assess/risk-benefit/"


def sec_url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/assess/security/"


SECURITY = {
    "cet_involvement": "none",
    "finding": "no_concerns",
    "mitigations": "",
    "rationale": "Civilian partners only.",
    "reason": "Assessed",
}


def test_the_rubric_lists_every_benefit_and_risk(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    page = text(as_user(bob).get(rb_url(proposal)))
    for label in (
        "Scientific merit",
        "Benefit to the U.S.",
        "Data access and reciprocity",
        "Insight into research abroad",
        "Proximity to critical and emerging technologies",
        "Dual use and military end use",
        "Data export constraints",
        "Partner risk",
        "Researcher safety",
    ):
        assert label in page
    assert "1 = negligible risk, 5 = severe risk" in page


def test_a_reviewer_records_the_rubric_with_rationales(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    data = rubric_data(score=4, partner_risk_score="2", recommendation="approve_with_conditions")
    response = as_user(bob).post(rb_url(proposal), data)
    assert response.status_code == 302
    assessment = RiskBenefitAssessment.objects.get()
    assert (assessment.assessor, assessment.recommendation, assessment.round) == (
        bob,
        "approve_with_conditions",
        1,
    )
    scores = dict(RubricScore.objects.values_list("criterion", "score"))
    assert len(scores) == 9
    assert scores["partner_risk"] == 2
    assert scores["scientific_merit"] == 4
    assert assessment.history.get().history_change_reason == "Assessed"


def test_a_missing_score_and_rationale_are_refused_with_clear_messages(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    data = rubric_data(dual_use_score="", dual_use_rationale="")
    response = as_user(bob).post(rb_url(proposal), data)
    assert response.status_code == 400
    page = text(response)
    assert "“Dual use and military end use” needs a score from 1 to 5." in page
    assert "Explain the score for “Dual use and military end use”." in page
    assert footprint() == before


def test_a_score_out_of_range_is_refused(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(bob).post(rb_url(proposal), rubric_data(dual_use_score="9"))
    assert response.status_code == 400
    assert not RiskBenefitAssessment.objects.exists()


def test_the_assessor_revises_with_the_form_filled_in(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    html = as_user(bob).get(rb_url(proposal)).content.decode()
    assert "You are revising your assessment" in html
    assert "Scientific merit: reasoned." in html
    response = as_user(bob).post(rb_url(proposal), rubric_data(score=5))
    assert response.status_code == 302
    assert set(RubricScore.objects.values_list("score", flat=True)) == {5}
    assert RiskBenefitAssessment.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin"])
def test_only_reviewers_assess_risks_and_benefits(
    persona: str, request: pytest.FixtureRequest, people: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    client = as_user(request.getfixturevalue(persona))
    expected = 404 if persona == "dana" else 403
    assert client.get(rb_url(proposal)).status_code == expected
    assert client.post(rb_url(proposal), rubric_data()).status_code == expected
    assert footprint() == before


def test_another_reviewer_cannot_overwrite_the_assessment(people: Any, bob: Any) -> None:
    from sta_tracker.roles import Role
    from tests.factories import make_user

    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    judy = make_user("judy", Role.REVIEWER)
    before = footprint()
    response = as_user(judy).post(rb_url(proposal), rubric_data(score=1))
    assert response.status_code == 403
    assert "was made by bob; only they can revise it" in text(response)
    assert footprint() == before


def test_a_draft_cannot_be_assessed(people: Any, bob: Any) -> None:
    proposal = proposal_in("draft", **people)
    before = footprint()
    assert as_user(bob).get(rb_url(proposal)).status_code == 409
    response = as_user(bob).post(rb_url(proposal), rubric_data())
    assert response.status_code == 409
    assert "cannot be given the action “assess risks and benefits”" in text(response)
    assert footprint() == before


def test_the_security_reviewer_records_a_finding(people: Any, charlie: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(charlie).post(sec_url(proposal), SECURITY)
    assert response.status_code == 302
    assessment = SecurityAssessment.objects.get()
    assert (assessment.assessor, assessment.finding, assessment.cet_involvement) == (
        charlie,
        "no_concerns",
        "none",
    )


def test_mitigations_are_required_when_the_finding_requires_them(people: Any, charlie: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    response = as_user(charlie).post(
        sec_url(proposal), {**SECURITY, "finding": "mitigations_required"}
    )
    assert response.status_code == 400
    assert "Name the mitigations the finding requires." in text(response)
    assert footprint() == before


def test_direct_cet_involvement_must_be_unacceptable(people: Any, charlie: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(charlie).post(sec_url(proposal), {**SECURITY, "cet_involvement": "direct"})
    assert response.status_code == 400
    assert "the finding must be unacceptable" in text(response)
    assert not SecurityAssessment.objects.exists()


def test_the_risk_benefit_assessor_cannot_also_assess_security(people: Any) -> None:
    from sta_tracker.roles import Role
    from tests.factories import make_user

    grace = make_user("grace", Role.REVIEWER, Role.SECURITY_REVIEWER)
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, grace)
    before = footprint()
    client = as_user(grace)
    assert client.get(sec_url(proposal)).status_code == 403
    response = client.post(sec_url(proposal), SECURITY)
    assert response.status_code == 403
    assert (
        "You wrote the risk–benefit assessment of this proposal; another security reviewer "
        "must make its national-security assessment." in text(response)
    )
    assert footprint() == before


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_only_security_reviewers_assess_national_security(
    persona: str, request: pytest.FixtureRequest, people: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    assert (
        as_user(request.getfixturevalue(persona)).post(sec_url(proposal), SECURITY).status_code
        == 403
    )
    assert footprint() == before


def test_the_security_form_lists_the_screening_hits(people: Any, charlie: Any) -> None:
    partners = (*content().institutions, LISTED_PARTNER)
    proposal = proposal_in("in_review", **people, institutions=partners)
    page = text(as_user(charlie).get(sec_url(proposal)))
    assert "1 hit" in page
    assert "False positive" in page


def test_a_finding_waits_until_every_hit_is_adjudicated(people: Any, charlie: Any) -> None:
    proposal = proposal_in("in_review", **people)
    newly_listed = {"_id": "9", "source": "SDN", "type": "Individual", "name": "LI, Hua"}
    screening_list_import(
        file_name="new.csv",
        data=csl_csv(*LISTED, newly_listed),
        acting_user=system_user(),
        reason="New list",
    )
    screen(proposal)
    before = footprint()
    assert "not yet ruled on" in text(as_user(charlie).get(sec_url(proposal)))
    response = as_user(charlie).post(sec_url(proposal), SECURITY)
    assert response.status_code == 409
    assert "1 screening hit still awaits adjudication." in text(response)
    assert footprint() == before
