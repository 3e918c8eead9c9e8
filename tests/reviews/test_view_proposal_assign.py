"""One proposal's assignment page: who has each assessment, claiming, assigning, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import Assignment
from reviews.services import assignment_set
from tests.reviews.factories import proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/assign/"


def test_the_page_shows_each_assessment_with_its_assignee_and_due_date(
    people: Any, bob: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="security", assignee=charlie, acting_user=charlie, reason="Mine"
    )
    response = as_user(bob).get(url(proposal))
    page = text(response)
    assert response.status_code == 200
    assert "National-security assessment charlie" in page
    assert "Risk–benefit assessment Nobody" in page
    assert "Claim the risk–benefit assessment" in page
    assert "Claim the national-security assessment" not in page
    assert "Every assignment" in page
    assert "National-security assessment charlie charlie Mine" in page


def test_a_reviewer_claims_the_risk_benefit_assessment(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(bob).post(
        url(proposal),
        {"step": "risk_benefit", "assignee": bob.pk, "reason": "Claimed"},
        follow=True,
    )
    assert response.redirect_chain == [(url(proposal), 302)]
    assert "Risk–benefit assessment assigned to you." in text(response)
    assignment = Assignment.objects.get()
    assert (assignment.step, assignment.assignee, assignment.assigned_by) == (
        "risk_benefit",
        bob,
        bob,
    )
    assert "Claim the risk–benefit assessment" not in text(response)


def test_assigning_someone_without_the_role_is_a_form_error_and_writes_nothing(
    people: Any, bob: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(bob).post(
        url(proposal), {"step": "risk_benefit", "assignee": charlie.pk, "reason": "Try"}
    )
    assert response.status_code == 400
    assert "charlie is not a reviewer; only a reviewer can be assigned" in text(response)
    assert not Assignment.objects.exists()


def test_a_security_reviewer_may_not_assign_the_risk_benefit_assessment(
    people: Any, bob: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(charlie).post(
        url(proposal), {"step": "risk_benefit", "assignee": bob.pk, "reason": "Try"}
    )
    assert response.status_code == 403
    assert "Only a reviewer can assign the risk–benefit assessment" in text(response)
    assert not Assignment.objects.exists()


def test_a_decided_proposal_is_not_assigned(people: Any, bob: Any) -> None:
    proposal = proposal_in("approved", **people)
    page = as_user(bob).get(url(proposal))
    assert "Nothing here is yours to assign now" in text(page)
    response = as_user(bob).post(
        url(proposal), {"step": "risk_benefit", "assignee": bob.pk, "reason": "Late"}
    )
    assert response.status_code == 409
    assert "cannot be given the action “assign an assessment”" in text(response)
    assert not Assignment.objects.exists()


def test_an_administrator_sees_the_proposal_but_may_not_assign(people: Any, erin: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(erin).get(url(proposal))
    assert response.status_code == 403
    assert "Only reviewers and security reviewers assign assessments." in text(response)


def test_an_analyst_who_may_not_see_the_proposal_gets_a_404(people: Any, dana: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assert as_user(dana).get(url(proposal)).status_code == 404


def test_another_submitter_gets_a_404(people: Any, frank: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assert as_user(frank).get(url(proposal)).status_code == 404


def test_the_proposal_page_shows_who_assesses_it(people: Any, bob: Any, erin: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Me"
    )
    page = text(as_user(bob).get(f"/reviews/proposals/{proposal.pk}/"))
    assert "Who assesses it Assessment Assigned to Due State Risk–benefit assessment bob" in page
    assert "Assign or claim" in page
    admin_page = text(as_user(erin).get(f"/reviews/proposals/{proposal.pk}/"))
    assert "Risk–benefit assessment bob" in admin_page
    assert "Assign or claim" not in admin_page


def test_the_submitter_does_not_see_the_assignments(people: Any, alice: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Me"
    )
    assert "Who assesses it" not in text(as_user(alice).get(f"/reviews/proposals/{proposal.pk}/"))


def test_a_person_with_both_roles_is_offered_only_the_claim_they_may_make(
    people: Any, grace: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="security", assignee=grace, acting_user=charlie, reason="G"
    )
    page = text(as_user(grace).get(url(proposal)))
    assert "Claim the risk–benefit assessment" not in page
