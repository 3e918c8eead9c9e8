from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import NotificationOutbox, Proposal, ProposalEvent, ScreeningRun
from reviews.services import proposal_submit
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


def test_the_submitter_submits_a_draft_and_one_event_is_written(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    event = proposal_submit(proposal=proposal, acting_user=alice, reason="Ready for review")
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 1
    assert (event.action, event.from_state, event.to_state, event.actor, event.reason) == (
        "submit",
        "draft",
        "submitted",
        alice,
        "Ready for review",
    )
    latest = proposal.history.latest("history_id")
    assert (latest.state, latest.history_user, latest.history_change_reason) == (
        "submitted",
        alice,
        "Ready for review",
    )


def test_screening_is_enqueued_only_after_commit_and_runs_once(
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    with django_capture_on_commit_callbacks() as callbacks:
        event = proposal_submit(proposal=proposal, acting_user=alice, reason="Ready")
    assert len(callbacks) == 1
    assert not ScreeningRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
        callbacks[0]()
    run = ScreeningRun.objects.get()
    assert run.request_key == f"event:{event.pk}"
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"
    assert sorted(NotificationOutbox.objects.values_list("email", flat=True)) == [
        "bob@example.gov",
        "charlie@example.gov",
    ]


@pytest.mark.parametrize("persona", ["frank", "bob", "charlie", "dana", "erin", "nobody"])
def test_nobody_but_the_submitter_can_submit(
    persona: str,
    request: pytest.FixtureRequest,
    alice: Any,
    sta: Version,
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(PermissionRefused, match="Only the submitter of a proposal can submit it"),
    ):
        proposal_submit(
            proposal=proposal, acting_user=request.getfixturevalue(persona), reason="Go"
        )
    assert footprint() == before
    assert callbacks == []
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"


@pytest.mark.parametrize("state", ["submitted", "in_review", "returned", "withdrawn", "approved"])
def test_only_a_draft_can_be_submitted(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “submit”"):
        proposal_submit(proposal=proposal, acting_user=alice, reason="Again")
    assert footprint() == before


def test_a_stale_copy_cannot_submit_twice(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    stale = Proposal.objects.get(pk=proposal.pk)
    proposal_submit(proposal=proposal, acting_user=alice, reason="Ready")
    with pytest.raises(TransitionNotAllowed, match="submitted cannot be given"):
        proposal_submit(proposal=stale, acting_user=alice, reason="Ready again")
    assert ProposalEvent.objects.count() == 1


def test_a_blank_reason_is_refused(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    with pytest.raises(InvalidInput, match="Give a reason"):
        proposal_submit(proposal=proposal, acting_user=alice, reason="")
    assert not ProposalEvent.objects.exists()
