"""Submit, resubmit, withdraw, return, suspend, resume, terminate and screen again, by page."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import NotificationOutbox, ProposalEvent, ScreeningRun
from tests.reviews.factories import footprint, proposal_in

from .view_helpers import as_user, fresh, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def act(user: Any, proposal: Any, action: str, reason: str = "Because", **extra: str) -> Any:
    # Suspending, resuming and terminating name a ground; the other actions ignore these fields.
    ground = {"ground_kind": "other", "ground_detail": "No data in return"}
    return as_user(user).post(
        f"/reviews/proposals/{proposal.pk}/{action}/", {"reason": reason, **ground, **extra}
    )


def last_event(proposal: Any) -> ProposalEvent:
    return ProposalEvent.objects.filter(proposal=proposal).latest("pk")


def test_the_submit_page_asks_for_a_reason(people: Any, alice: Any) -> None:
    proposal = proposal_in("draft", **people)
    response = as_user(alice).get(f"/reviews/proposals/{proposal.pk}/submit/")
    assert response.status_code == 200
    assert "Screening starts as soon as you submit." in text(response)
    assert "Ready for review" in response.content.decode()


def test_the_submitter_submits_and_screening_runs_after_commit(
    people: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = proposal_in("draft", **people)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = act(alice, proposal, "submit", "Ready for review")
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/proposals/{proposal.pk}/"
    assert fresh(proposal).state == "submitted"
    event = last_event(proposal)
    assert (event.action, event.from_state, event.to_state, event.actor, event.reason) == (
        "submit",
        "draft",
        "submitted",
        alice,
        "Ready for review",
    )
    assert not ScreeningRun.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert ScreeningRun.objects.get().request_key == f"event:{event.pk}"
    assert fresh(proposal).state == "in_review"


def test_another_submitter_cannot_submit_and_nothing_is_written(people: Any, frank: Any) -> None:
    proposal = proposal_in("draft", **people)
    before = footprint()
    assert act(frank, proposal, "submit").status_code == 404
    assert as_user(frank).get(f"/reviews/proposals/{proposal.pk}/submit/").status_code == 404
    assert footprint() == before


def test_a_reviewer_cannot_submit_someone_elses_draft(people: Any, bob: Any) -> None:
    proposal = proposal_in("draft", **people)
    before = footprint()
    for response in (
        as_user(bob).get(f"/reviews/proposals/{proposal.pk}/submit/"),
        act(bob, proposal, "submit"),
    ):
        assert response.status_code == 403
        assert "Only the submitter of a proposal can submit it." in text(response)
    assert footprint() == before


def test_submitting_twice_is_refused_as_the_wrong_state(people: Any, alice: Any) -> None:
    proposal = proposal_in("submitted", **people)
    before = footprint()
    response = act(alice, proposal, "submit")
    assert response.status_code == 409
    assert "A proposal that is submitted cannot be given the action “submit”." in text(response)
    assert as_user(alice).get(f"/reviews/proposals/{proposal.pk}/submit/").status_code == 409
    assert footprint() == before


def test_an_empty_reason_is_refused_with_a_message_and_nothing_is_written(
    people: Any, alice: Any
) -> None:
    proposal = proposal_in("draft", **people)
    before = footprint()
    response = act(alice, proposal, "submit", "   ")
    assert response.status_code == 400
    assert "Give a reason; it is recorded with your name." in text(response)
    assert footprint() == before


def test_an_unknown_action_is_a_404(people: Any, alice: Any) -> None:
    proposal = proposal_in("draft", **people)
    assert act(alice, proposal, "approve-myself").status_code == 404


def test_the_submitter_withdraws_a_draft(people: Any, alice: Any) -> None:
    proposal = proposal_in("draft", **people)
    assert act(alice, proposal, "withdraw", "No longer needed").status_code == 302
    assert fresh(proposal).state == "withdrawn"
    assert last_event(proposal).reason == "No longer needed"


def test_a_withdrawn_proposal_cannot_be_withdrawn_again(people: Any, alice: Any) -> None:
    proposal = proposal_in("withdrawn", **people)
    before = footprint()
    assert act(alice, proposal, "withdraw").status_code == 409
    assert footprint() == before


def test_the_submitter_resubmits_a_returned_proposal_in_a_new_round(
    people: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = proposal_in("returned", **people)
    with django_capture_on_commit_callbacks(execute=True):
        assert act(alice, proposal, "resubmit", "Answered").status_code == 302
    proposal = fresh(proposal)
    assert (proposal.round, proposal.return_questions) == (2, "")
    assert ProposalEvent.objects.filter(proposal=proposal, action="resubmit").get().round == 2
    assert ScreeningRun.objects.filter(proposal=proposal, round=2, is_current=True).exists()


def test_a_reviewer_returns_a_proposal_with_questions_and_the_submitter_is_told(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    client = as_user(bob)
    assert client.get(f"/reviews/proposals/{proposal.pk}/return/").status_code == 200
    response = client.post(
        f"/reviews/proposals/{proposal.pk}/return/",
        {"questions": "Who holds the cores?", "reason": "Unclear custody"},
    )
    assert response.status_code == 302
    proposal = fresh(proposal)
    assert (proposal.state, proposal.return_questions) == ("returned", "Who holds the cores?")
    assert last_event(proposal).reason == "Unclear custody"
    mail = NotificationOutbox.objects.get(kind="returned")
    assert mail.email == "alice@example.gov"
    assert "Who holds the cores?" in mail.body


def test_a_return_without_questions_is_refused_and_nothing_is_written(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    response = as_user(bob).post(
        f"/reviews/proposals/{proposal.pk}/return/", {"questions": "", "reason": "Unclear"}
    )
    assert response.status_code == 400
    assert "Say what the submitter must change or answer." in text(response)
    assert footprint() == before


@pytest.mark.parametrize("persona", ["alice", "charlie", "erin"])
def test_only_reviewers_return_proposals(
    persona: str, request: pytest.FixtureRequest, people: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    response = as_user(request.getfixturevalue(persona)).post(
        f"/reviews/proposals/{proposal.pk}/return/", {"questions": "?", "reason": "R"}
    )
    assert response.status_code == 403
    assert footprint() == before


def test_a_draft_cannot_be_returned(people: Any, bob: Any) -> None:
    proposal = proposal_in("draft", **people)
    assert as_user(bob).get(f"/reviews/proposals/{proposal.pk}/return/").status_code == 409


def test_a_reviewer_suspends_resumes_and_terminates_an_approved_project(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("approved_with_conditions", **people)
    assert act(bob, proposal, "suspend", "No data for two quarters").status_code == 302
    assert fresh(proposal).state == "suspended"
    assert act(bob, proposal, "resume", "Data arrived").status_code == 302
    assert fresh(proposal).state == "approved_with_conditions"
    assert last_event(proposal).action == "resume_with_conditions"
    assert act(bob, proposal, "terminate", "Partner left").status_code == 302
    assert fresh(proposal).state == "terminated"
    kinds = list(
        NotificationOutbox.objects.filter(proposal=proposal).values_list("kind", flat=True)
    )
    assert kinds[-3:] == ["suspended", "resumed", "terminated"]


@pytest.mark.parametrize("persona", ["alice", "charlie", "erin"])
def test_only_reviewers_suspend(persona: str, request: pytest.FixtureRequest, people: Any) -> None:
    proposal = proposal_in("approved", **people)
    before = footprint()
    assert act(request.getfixturevalue(persona), proposal, "suspend").status_code == 403
    assert fresh(proposal).state == "approved"
    assert footprint() == before


def test_a_project_in_review_cannot_be_suspended_or_resumed(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    assert act(bob, proposal, "suspend").status_code == 409
    assert act(bob, proposal, "resume").status_code == 409
    assert footprint() == before


def test_a_reviewer_screens_again_and_the_run_names_them(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(bob).post(
        f"/reviews/proposals/{proposal.pk}/screen/", {"reason": "List updated"}
    )
    assert response.status_code == 302
    run = ScreeningRun.objects.get(proposal=proposal, is_current=True)
    assert (run.started_by, run.reason) == (bob, "List updated")
    assert ScreeningRun.objects.filter(proposal=proposal).count() == 2


def test_a_submitter_cannot_screen_their_proposal(people: Any, alice: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    response = as_user(alice).post(f"/reviews/proposals/{proposal.pk}/screen/", {"reason": "Hi"})
    assert response.status_code == 403
    assert footprint() == before


def test_a_draft_cannot_be_screened(people: Any, bob: Any) -> None:
    proposal = proposal_in("draft", **people)
    response = as_user(bob).post(f"/reviews/proposals/{proposal.pk}/screen/", {"reason": "Hi"})
    assert response.status_code == 409
    assert not ScreeningRun.objects.exists()
