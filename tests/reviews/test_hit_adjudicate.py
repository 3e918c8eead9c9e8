from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import NotificationOutbox, Proposal, ProposalEvent, ScreeningHit
from reviews.services import PersonInput, hit_adjudicate, proposal_withdraw, screening_run
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


def _screening(alice: Any, sta: Version, **overrides: Any) -> tuple[Proposal, ScreeningHit]:
    proposal = proposal_in("screening", submitter=alice, version=sta, **overrides)
    return proposal, ScreeningHit.objects.pending().filter(run__proposal=proposal).first()


def test_ruling_on_the_last_hit_sends_the_proposal_to_review(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal, hit = _screening(alice, sta)
    ruled = hit_adjudicate(
        hit=hit, adjudication="false_positive", acting_user=charlie, reason="A different university"
    )
    assert (ruled.adjudication, ruled.adjudicated_by, ruled.adjudication_reason) == (
        "false_positive",
        charlie,
        "A different university",
    )
    assert ruled.adjudicated_at is not None
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "adjudicate_last",
        "screening",
        "in_review",
        charlie,
    )
    latest = ruled.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (
        charlie,
        "A different university",
    )
    assert NotificationOutbox.objects.filter(kind="entered_review").count() == 2


def test_ruling_on_one_of_several_hits_keeps_the_proposal_in_screening(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    people = (PersonInput("Wei Zhang"),)
    proposal, hit = _screening(alice, sta, people=people)
    assert ScreeningHit.objects.pending().count() == 2
    hit_adjudicate(hit=hit, adjudication="true_match", acting_user=charlie, reason="Same entity")
    assert Proposal.objects.get(pk=proposal.pk).state == "screening"
    assert ProposalEvent.objects.filter(proposal=proposal).latest("pk").action == "adjudicate"


@pytest.mark.parametrize("persona", ["alice", "bob", "dana", "erin", "nobody"])
def test_only_security_reviewers_adjudicate(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version, lists: Any
) -> None:
    _, hit = _screening(alice, sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a security reviewer can adjudicate"):
        hit_adjudicate(
            hit=hit,
            adjudication="false_positive",
            acting_user=request.getfixturevalue(persona),
            reason="No",
        )
    assert footprint() == before


def test_a_security_reviewer_cannot_adjudicate_their_own_proposal(sta: Version, lists: Any) -> None:
    ivan = make_user("ivan", Role.SUBMITTER, Role.SECURITY_REVIEWER)
    _, hit = _screening(ivan, sta)
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        hit_adjudicate(hit=hit, adjudication="false_positive", acting_user=ivan, reason="Mine")
    assert ScreeningHit.objects.get(pk=hit.pk).adjudication == ""


def test_a_ruling_must_be_true_match_or_false_positive(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    _, hit = _screening(alice, sta)
    before = footprint()
    with pytest.raises(InvalidInput, match="Rule the hit a true match or a false positive"):
        hit_adjudicate(hit=hit, adjudication="maybe", acting_user=charlie, reason="Unsure")
    assert footprint() == before


def test_a_reason_is_required(alice: Any, charlie: Any, sta: Version, lists: Any) -> None:
    _, hit = _screening(alice, sta)
    with pytest.raises(InvalidInput, match="Give a reason"):
        hit_adjudicate(hit=hit, adjudication="true_match", acting_user=charlie, reason="")


def test_a_hit_is_ruled_on_once(alice: Any, charlie: Any, sta: Version, lists: Any) -> None:
    people = (PersonInput("Wei Zhang"),)
    _, hit = _screening(alice, sta, people=people)
    hit_adjudicate(hit=hit, adjudication="true_match", acting_user=charlie, reason="Same")
    with pytest.raises(TransitionNotAllowed, match="already ruled a true match"):
        hit_adjudicate(
            hit=hit, adjudication="false_positive", acting_user=charlie, reason="Changed my mind"
        )


def test_hits_of_an_earlier_run_cannot_be_ruled_on(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal, hit = _screening(alice, sta)
    screening_run(proposal=proposal, acting_user=system_user(), reason="Again")
    with pytest.raises(TransitionNotAllowed, match="earlier screening run"):
        hit_adjudicate(hit=hit, adjudication="true_match", acting_user=charlie, reason="Same")


def test_hits_of_a_withdrawn_proposal_cannot_be_ruled_on(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal, hit = _screening(alice, sta)
    proposal_withdraw(proposal=proposal, acting_user=alice, reason="Stop")
    with pytest.raises(TransitionNotAllowed, match="withdrawn cannot be given the action"):
        hit_adjudicate(hit=hit, adjudication="true_match", acting_user=charlie, reason="Same")
