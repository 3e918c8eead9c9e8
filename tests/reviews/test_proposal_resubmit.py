from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import PermissionRefused, TransitionNotAllowed
from reviews.models import Proposal, ScreeningRun
from reviews.services import proposal_resubmit
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


def test_resubmitting_opens_a_new_round_and_screens_again(
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = proposal_in("returned", submitter=alice, reviewer=bob, security=charlie, version=sta)
    with django_capture_on_commit_callbacks(execute=True):
        event = proposal_resubmit(proposal=proposal, acting_user=alice, reason="Answered")
    proposal.refresh_from_db()
    assert (event.from_state, event.to_state, event.round) == ("returned", "submitted", 2)
    assert (proposal.round, proposal.return_questions, proposal.state) == (2, "", "in_review")
    latest_run = ScreeningRun.objects.get(is_current=True)
    assert (latest_run.round, latest_run.request_key) == (2, f"event:{event.pk}")


@pytest.mark.parametrize("persona", ["frank", "bob", "charlie", "dana", "erin", "nobody"])
def test_nobody_but_the_submitter_can_resubmit(
    persona: str,
    request: pytest.FixtureRequest,
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
) -> None:
    proposal = proposal_in("returned", submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only the submitter of a proposal can resubmit"):
        proposal_resubmit(
            proposal=proposal, acting_user=request.getfixturevalue(persona), reason="Again"
        )
    assert footprint() == before
    assert Proposal.objects.get(pk=proposal.pk).round == 1


@pytest.mark.parametrize("state", ["draft", "in_review", "rejected"])
def test_only_a_returned_proposal_can_be_resubmitted(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “resubmit”"):
        proposal_resubmit(proposal=proposal, acting_user=alice, reason="Again")
