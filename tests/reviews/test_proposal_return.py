from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import Decision, NotificationOutbox, Proposal
from reviews.services import proposal_return
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["screening", "in_review"])
def test_a_reviewer_returns_a_proposal_with_questions_before_any_decision(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    event = proposal_return(
        proposal=proposal,
        questions="Which cores will be exported?",
        acting_user=bob,
        reason="Data plan unclear",
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.return_questions) == (
        "returned",
        "Which cores will be exported?",
    )
    assert (event.action, event.from_state, event.actor, event.reason) == (
        "return",
        state,
        bob,
        "Data plan unclear",
    )
    assert not Decision.objects.exists()
    mail = NotificationOutbox.objects.get(kind="returned")
    assert mail.recipient == alice
    assert "Which cores will be exported?" in mail.body


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin", "nobody"])
def test_only_reviewers_return_proposals(
    persona: str,
    request: pytest.FixtureRequest,
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a reviewer can return it for changes"):
        proposal_return(
            proposal=proposal,
            questions="Why?",
            acting_user=request.getfixturevalue(persona),
            reason="R",
        )
    assert footprint() == before


def test_a_reviewer_cannot_return_their_own_proposal(
    heidi: Any, charlie: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=heidi, reviewer=bob, security=charlie, version=sta
    )
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        proposal_return(proposal=proposal, questions="?", acting_user=heidi, reason="R")
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"


def test_questions_are_required(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    before = footprint()
    with pytest.raises(InvalidInput, match="Say what the submitter must change or answer"):
        proposal_return(proposal=proposal, questions="  ", acting_user=bob, reason="Unclear")
    assert footprint() == before


@pytest.mark.parametrize("state", ["draft", "submitted", "approved", "returned"])
def test_only_proposals_in_screening_or_review_can_be_returned(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “return"):
        proposal_return(proposal=proposal, questions="?", acting_user=bob, reason="R")
