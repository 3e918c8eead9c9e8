from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from clauses.models import Version, system_user
from reviews import permissions
from reviews.models import Proposal
from tests.reviews.factories import proposal_in, risk_benefit_done

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_drafts(alice: Any, frank: Any, sta: Version) -> tuple[Proposal, Proposal]:
    return (
        proposal_in("draft", submitter=alice, version=sta),
        proposal_in("draft", submitter=frank, version=sta),
    )


def test_a_submitter_sees_only_their_own_proposals(
    alice: Any, frank: Any, two_drafts: tuple[Proposal, Proposal]
) -> None:
    mine, theirs = two_drafts
    assert list(Proposal.objects.visible_to(alice)) == [mine]
    assert list(Proposal.objects.visible_to(frank)) == [theirs]
    assert permissions.can_view(alice, mine)
    assert not permissions.can_view(alice, theirs)


@pytest.mark.parametrize("persona", ["bob", "charlie", "erin"])
def test_reviewers_and_administrators_see_every_proposal(
    persona: str, request: pytest.FixtureRequest, two_drafts: tuple[Proposal, Proposal]
) -> None:
    visible = Proposal.objects.visible_to(request.getfixturevalue(persona))
    assert sorted(p.pk for p in visible) == sorted(p.pk for p in two_drafts)


@pytest.mark.parametrize("persona", ["dana", "nobody"])
def test_analysts_and_people_without_a_role_see_no_single_proposal(
    persona: str, request: pytest.FixtureRequest, two_drafts: tuple[Proposal, Proposal]
) -> None:
    assert not Proposal.objects.visible_to(request.getfixturevalue(persona)).exists()


def test_anonymous_visitors_and_inactive_accounts_see_nothing(
    alice: Any, two_drafts: tuple[Proposal, Proposal]
) -> None:
    assert not Proposal.objects.visible_to(AnonymousUser()).exists()
    alice.is_active = False
    alice.save()
    assert not Proposal.objects.visible_to(alice).exists()


def test_buttons_follow_role_ownership_and_state(
    alice: Any, frank: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    draft = proposal_in("draft", submitter=alice, version=sta)
    review = proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta)
    assert permissions.can_edit(alice, draft)
    assert permissions.can_submit(alice, draft)
    assert not permissions.can_submit(frank, draft)
    assert not permissions.can_edit(alice, review)
    assert permissions.can_withdraw(alice, review)
    assert permissions.can_decide(bob, review)
    assert not permissions.can_decide(bob, draft)
    assert not permissions.can_decide(charlie, review)
    assert permissions.can_assess_security(charlie, review)
    assert permissions.can_assess_risk_benefit(bob, review)
    assert permissions.can_return(bob, review)
    assert not permissions.can_suspend(bob, review)
    assert not permissions.can_adjudicate(alice, review)


def test_the_risk_benefit_assessor_is_not_offered_the_security_assessment(
    alice: Any, bob: Any, charlie: Any, grace: Any, sta: Version, lists: Any
) -> None:
    review = proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta)
    assert permissions.can_assess_security(grace, review)
    risk_benefit_done(review, grace)
    assert not permissions.can_assess_security(grace, review)
    assert permissions.can_assess_security(charlie, review)


def test_an_assessor_is_not_offered_the_decision(
    alice: Any, bob: Any, charlie: Any, grace: Any, judy: Any, sta: Version, lists: Any
) -> None:
    review = proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta)
    assert permissions.can_decide(grace, review)
    risk_benefit_done(review, grace)
    assert not permissions.can_decide(grace, review)
    assert permissions.refusal_decide(grace, review) == (
        "You wrote the risk–benefit assessment of this proposal; another reviewer must decide it."
    )
    assert permissions.can_decide(judy, review)


def test_the_system_account_is_recognised_only_while_inactive(alice: Any) -> None:
    system = system_user()
    assert permissions.is_system_user(system)
    assert not permissions.is_system_user(alice)
    assert not permissions.is_system_user(AnonymousUser())
    system.is_active = True
    assert not permissions.is_system_user(system)


def test_only_administrators_manage_lists(bob: Any, charlie: Any, erin: Any) -> None:
    assert permissions.can_manage_screening_lists(erin)
    assert permissions.can_manage_cet(erin)
    assert not permissions.can_manage_screening_lists(charlie)
    assert not permissions.can_manage_cet(bob)
