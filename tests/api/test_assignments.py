"""Assigning assessments through the API: the assignment page's service, rules and records."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clauses.models import Version
from reviews import permissions
from reviews.models import Assignment, NotificationOutbox, Proposal, ProposalEvent
from tests.reviews.factories import footprint, proposal_in, risk_benefit_done

from .conftest import as_user, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alice: Any, sta: Version, lists: Any) -> Proposal:
    return proposal_in("submitted", submitter=alice, version=sta)


def url(proposal: Proposal) -> str:
    return f"/api/proposals/{proposal.pk}/assignments/"


def assign(user: Any, proposal: Proposal, **body: Any) -> Any:
    data = {"step": "security", "assignee": "charlie", "reason": "Charlie knows the field"}
    data.update(body)
    return post_json(as_user(user), url(proposal), data)


def written() -> dict[str, int]:
    return {**footprint(), "assignment history": Assignment.history.count()}


def test_a_reviewer_lists_both_assessments_unassigned(proposal: Proposal, bob: Any) -> None:
    response = as_user(bob).get(url(proposal))
    assert response.status_code == 200
    body = response.json()
    assert [(s["step"], s["assignee"], s["made"]) for s in body["steps"]] == [
        ("risk_benefit", None, False),
        ("security", None, False),
    ]
    assert [s["step_label"] for s in body["steps"]] == [
        "Risk–benefit assessment",
        "National-security assessment",
    ]
    # Bob is a reviewer: he may give the risk–benefit step, not the security one.
    assert [(s["can_assign"], s["can_claim"]) for s in body["steps"]] == [
        (True, True),
        (False, False),
    ]
    assert body["history"] == []


def test_a_reviewer_assigns_the_security_assessment_as_the_page_does(
    proposal: Proposal, charlie: Any, bob: Any, grace: Any
) -> None:
    # Bob holds no security role, so he may not give that step; Grace holds both.
    refused = assign(bob, proposal)
    assert refused.status_code == 403
    response = assign(grace, proposal)
    assert response.status_code == 201
    row = Assignment.objects.get(proposal=proposal)
    assert (row.step, row.assignee, row.assigned_by, row.reason) == (
        "security",
        charlie,
        grace,
        "Charlie knows the field",
    )
    history = row.history.get()
    assert (history.history_user, history.history_change_reason) == (
        grace,
        "Charlie knows the field",
    )
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.action, event.actor) == ("assign", grace)
    assert (
        event.reason == "National-security assessment assigned to charlie: Charlie knows the field"
    )
    mail = NotificationOutbox.objects.get(kind="assigned")
    assert mail.recipient == charlie
    body = response.json()
    assert [(s["step"], s["assignee"], s["assigned_by"]) for s in body["steps"]] == [
        ("risk_benefit", None, None),
        ("security", "charlie", "grace"),
    ]
    assert [(h["step"], h["assignee"], h["assigned_by"], h["reason"]) for h in body["history"]] == [
        ("security", "charlie", "grace", "Charlie knows the field")
    ]


def test_claiming_an_assessment_tells_nobody_and_a_reassignment_names_who_it_replaces(
    proposal: Proposal, bob: Any, judy: Any
) -> None:
    assert assign(bob, proposal, step="risk_benefit", assignee="bob").status_code == 201
    assert not NotificationOutbox.objects.filter(kind="assigned").exists()
    claim = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert "claimed by bob" in claim.reason.lower()
    response = assign(bob, proposal, step="risk_benefit", assignee="judy", reason="Away")
    assert response.status_code == 201
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert "(was bob)" in event.reason
    assert Assignment.objects.get(proposal=proposal).assignee == judy
    assert [h["assignee"] for h in response.json()["history"]] == ["judy", "bob"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"assignee": "nosuchperson"}, "assignee", "No active reviewer or security reviewer"),
        ({"assignee": "dana"}, "assignee", "No active reviewer or security reviewer"),
        ({"assignee": "bob"}, "assignee", "is not a security reviewer"),
        ({"assignee": "alice"}, "assignee", "No active reviewer or security reviewer"),
        ({"step": "decision"}, "step", "is not a valid choice"),
        ({"reason": "  "}, "reason", "Give a reason"),
        ({"assignee": ""}, "assignee", "may not be blank"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_writes_nothing(
    body: dict[str, Any],
    field: str,
    message: str,
    proposal: Proposal,
    bob: Any,
    charlie: Any,
    dana: Any,
) -> None:
    before = written()
    response = assign(charlie, proposal, **body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert message in " ".join(error["fields"][field])
    assert written() == before


def test_the_same_person_cannot_make_both_assessments(
    proposal: Proposal, grace: Any, bob: Any
) -> None:
    assert assign(bob, proposal, step="risk_benefit", assignee="grace").status_code == 201
    before = written()
    response = assign(bob, proposal, step="security", assignee="grace")
    # Bob is no security reviewer: refused before the assignee is looked at.
    assert response.status_code == 403
    response = assign(grace, proposal, step="security", assignee="grace")
    assert response.status_code == 400
    assert "needs a different person" in response.json()["fields"]["assignee"][0]
    assert written() == before


@pytest.mark.parametrize("persona", ["alice", "erin"])
def test_people_who_make_no_assessment_may_not_list_or_assign(
    persona: str, proposal: Proposal, charlie: Any, erin: Any, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    before = written()
    for response in (
        client.get(url(proposal)),
        post_json(
            client, url(proposal), {"step": "security", "assignee": "charlie", "reason": "R"}
        ),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == permissions.ONLY_QUEUE_HOLDERS_ASSIGN
    assert written() == before


@pytest.mark.parametrize("persona", ["frank", "dana"])
def test_people_who_cannot_see_the_proposal_get_404(
    persona: str, proposal: Proposal, charlie: Any, dana: Any, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url(proposal)).status_code == 404
    before = written()
    response = post_json(
        client, url(proposal), {"step": "security", "assignee": "charlie", "reason": "R"}
    )
    assert response.status_code == 404
    assert written() == before


def test_anonymous_callers_are_refused(proposal: Proposal) -> None:
    assert Client().get(url(proposal)).status_code == 401


def test_a_reviewer_does_not_assign_the_assessments_of_their_own_proposal(
    heidi: Any, bob: Any, sta: Version, lists: Any
) -> None:
    own = proposal_in("submitted", submitter=heidi, version=sta)
    before = written()
    response = assign(heidi, own, step="risk_benefit", assignee="bob")
    assert response.status_code == 403
    assert "You submitted this proposal" in response.json()["detail"]
    assert written() == before


def test_a_closed_proposal_or_a_made_assessment_is_refused_as_a_conflict(
    alice: Any, bob: Any, charlie: Any, judy: Any, sta: Version, lists: Any
) -> None:
    approved = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    in_review = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    risk_benefit_done(in_review, bob)
    before = written()
    response = assign(bob, approved, step="risk_benefit", assignee="judy")
    assert response.status_code == 409
    response = assign(judy, in_review, step="risk_benefit", assignee="judy")
    assert response.status_code == 409
    assert "already made" in response.json()["detail"]
    assert written() == before
