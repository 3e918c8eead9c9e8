from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import PermissionRefused, TransitionNotAllowed
from reviews.models import NotificationOutbox, Proposal
from reviews.services import proposal_resume, proposal_suspend, proposal_terminate
from tests.reviews.factories import OTHER_GROUND, footprint, proposal_in

pytestmark = pytest.mark.django_db

SERVICES = {"suspend": proposal_suspend, "resume": proposal_resume, "terminate": proposal_terminate}


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.mark.parametrize("state", ["approved", "approved_with_conditions"])
def test_a_reviewer_suspends_an_approved_project_and_the_submitter_is_told(
    state: str, people: dict[str, Any], bob: Any, alice: Any
) -> None:
    proposal = proposal_in(state, **people)
    event = proposal_suspend(
        proposal=proposal,
        acting_user=bob,
        reason="The partner shares no data in return.",
        ground=OTHER_GROUND,
    )
    assert (event.from_state, event.to_state, event.actor) == (state, "suspended", bob)
    mail = NotificationOutbox.objects.get(kind="suspended")
    assert mail.recipient == alice
    assert "The partner shares no data in return." in mail.body


def test_resuming_restores_a_plain_approval(people: dict[str, Any], bob: Any) -> None:
    proposal = proposal_in("suspended", **people)
    event = proposal_resume(
        proposal=proposal, acting_user=bob, reason="Data arrived.", ground=OTHER_GROUND
    )
    assert (event.action, event.to_state) == ("resume", "approved")


def test_resuming_restores_an_approval_with_conditions(people: dict[str, Any], bob: Any) -> None:
    proposal = proposal_in("approved_with_conditions", **people)
    proposal_suspend(proposal=proposal, acting_user=bob, reason="Dispute.", ground=OTHER_GROUND)
    event = proposal_resume(
        proposal=proposal, acting_user=bob, reason="Settled.", ground=OTHER_GROUND
    )
    assert (event.action, event.to_state) == ("resume_with_conditions", "approved_with_conditions")


@pytest.mark.parametrize("state", ["approved", "approved_with_conditions", "suspended"])
def test_a_reviewer_terminates_an_approved_or_suspended_project(
    state: str, people: dict[str, Any], bob: Any
) -> None:
    proposal = proposal_in(state, **people)
    proposal_terminate(
        proposal=proposal,
        acting_user=bob,
        reason="Ended under the dispute clause.",
        ground=OTHER_GROUND,
    )
    assert Proposal.objects.get(pk=proposal.pk).state == "terminated"


@pytest.mark.parametrize(
    ("verb", "state"),
    [("suspend", "approved"), ("resume", "suspended"), ("terminate", "approved")],
)
@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin", "nobody"])
def test_only_reviewers_suspend_resume_or_terminate(
    verb: str,
    state: str,
    persona: str,
    request: pytest.FixtureRequest,
    people: dict[str, Any],
) -> None:
    proposal = proposal_in(state, **people)
    before = footprint()
    with pytest.raises(PermissionRefused, match=f"Only a reviewer can {verb} it"):
        SERVICES[verb](
            proposal=proposal,
            acting_user=request.getfixturevalue(persona),
            reason="Because",
            ground=OTHER_GROUND,
        )
    assert footprint() == before
    assert Proposal.objects.get(pk=proposal.pk).state == state


@pytest.mark.parametrize(
    ("verb", "state"),
    [
        ("suspend", "in_review"),
        ("suspend", "suspended"),
        ("suspend", "rejected"),
        ("resume", "approved"),
        ("resume", "terminated"),
        ("terminate", "in_review"),
        ("terminate", "terminated"),
    ],
)
def test_wrong_states_are_refused(verb: str, state: str, people: dict[str, Any], bob: Any) -> None:
    proposal = proposal_in(state, **people)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action"):
        SERVICES[verb](proposal=proposal, acting_user=bob, reason="Because", ground=OTHER_GROUND)
    assert footprint() == before


def test_the_submitter_cannot_suspend_their_own_project_even_as_a_reviewer(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("approved", submitter=heidi, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        proposal_suspend(proposal=proposal, acting_user=heidi, reason="Mine", ground=OTHER_GROUND)
