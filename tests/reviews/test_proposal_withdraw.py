from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import PermissionRefused, TransitionNotAllowed
from reviews.models import Proposal
from reviews.services import proposal_withdraw
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "submitted", "screening", "in_review", "returned"])
def test_the_submitter_withdraws_a_proposal_not_yet_decided(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    event = proposal_withdraw(proposal=proposal, acting_user=alice, reason="Funding fell through")
    assert Proposal.objects.get(pk=proposal.pk).state == "withdrawn"
    assert (event.from_state, event.to_state, event.actor) == (state, "withdrawn", alice)


@pytest.mark.parametrize("state", ["approved", "approved_with_conditions", "rejected", "withdrawn"])
def test_decided_or_withdrawn_proposals_cannot_be_withdrawn(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “withdraw”"):
        proposal_withdraw(proposal=proposal, acting_user=alice, reason="Stop")
    assert footprint() == before


@pytest.mark.parametrize("persona", ["frank", "bob", "charlie", "dana", "erin", "nobody"])
def test_nobody_but_the_submitter_can_withdraw(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only the submitter of a proposal can withdraw"):
        proposal_withdraw(
            proposal=proposal, acting_user=request.getfixturevalue(persona), reason="Stop"
        )
    assert footprint() == before
