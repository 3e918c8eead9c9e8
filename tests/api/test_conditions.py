"""Conditions of an approval through the API: recorded as items, acknowledged, ruled on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews.models import ConditionItem, Proposal
from tests.factories import the_decider
from tests.reviews.factories import approved_with_conditions, assess, footprint, proposal_in

from .conftest import as_user, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    return approved_with_conditions(submitter=alice, reviewer=bob, security=charlie, version=sta)


def first(proposal: Proposal) -> ConditionItem:
    return ConditionItem.objects.get(proposal=proposal, number=1)


def resolve(user: Any, proposal: Proposal, **body: Any) -> Any:
    url = f"/api/proposals/{proposal.pk}/conditions/{first(proposal).pk}/resolve/"
    return post_json(as_user(user), url, body)


def acknowledge(user: Any, proposal: Proposal, reason: str = "Accepted") -> Any:
    url = f"/api/proposals/{proposal.pk}/conditions/acknowledge/"
    return post_json(as_user(user), url, {"reason": reason})


def test_a_decision_records_condition_items_and_the_detail_shows_them(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    due = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = post_json(
        as_user(the_decider()),
        f"/api/proposals/{proposal.pk}/decide/",
        {
            "outcome": "approve_with_conditions",
            "confirm": True,
            "reason": "Conditional",
            "cited_clause_ids": [c.pk for c in proposal.cited_clauses.all()],
            "condition_items": [{"text": "Report travel.", "owner": "submitter", "due_on": due}],
        },
    )
    assert response.status_code == 200, response.json()
    (item,) = response.json()["conditions"]
    assert {k: item[k] for k in ("number", "text", "owner", "due_on", "status", "overdue")} == {
        "number": 1,
        "text": "Report travel.",
        "owner": "submitter",
        "due_on": due,
        "status": "open",
        "overdue": False,
    }
    decisions = as_user(alice).get(f"/api/proposals/{proposal.pk}/decisions/").json()
    (decision,) = decisions.get("results", decisions)
    assert [c["text"] for c in decision["condition_items"]] == ["Report travel."]


def test_a_condition_item_without_a_due_date_is_a_400_and_writes_nothing(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    before = footprint()
    response = post_json(
        as_user(the_decider()),
        f"/api/proposals/{proposal.pk}/decide/",
        {
            "outcome": "approve_with_conditions",
            "confirm": True,
            "reason": "Conditional",
            "cited_clause_ids": [c.pk for c in proposal.cited_clauses.all()],
            "condition_items": [{"text": "Report travel.", "owner": "agency", "due_on": None}],
        },
    )
    assert response.status_code == 400
    assert response.json()["fields"]["condition_items"] == ["Condition 1: give the date it is due."]
    assert footprint() == before


def test_the_submitter_acknowledges_through_the_api(approved: Proposal, alice: Any) -> None:
    response = acknowledge(alice, approved, "Read them")
    assert response.status_code == 200
    assert {c["acknowledged_by"] for c in response.json()["conditions"]} == {"alice"}
    before = footprint()
    again = acknowledge(alice, approved)
    assert again.status_code == 409
    assert "they are acknowledged once" in again.json()["detail"]
    assert footprint() == before


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("frank", 404)])
def test_only_the_own_submitter_acknowledges_through_the_api(
    approved: Proposal, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    assert acknowledge(request.getfixturevalue(who), approved).status_code == status
    assert footprint() == before


def test_a_reviewer_marks_a_condition_met_through_the_api(approved: Proposal, bob: Any) -> None:
    response = resolve(bob, approved, status="met", reason="Received", evidence="Receipt 9")
    assert response.status_code == 200
    shown = response.json()["conditions"][0]
    assert {k: shown[k] for k in ("status", "resolved_by", "resolution_reason", "evidence")} == {
        "status": "met",
        "resolved_by": "bob",
        "resolution_reason": "Received",
        "evidence": "Receipt 9",
    }
    before = footprint()
    again = resolve(bob, approved, status="waived", reason="Undo")
    assert again.status_code == 409
    assert "already marked met by bob" in again.json()["detail"]
    assert footprint() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "met", "reason": " "}, "reason"), ({"status": "open", "reason": "x"}, "status")],
)
def test_a_ruling_without_a_reason_or_with_a_bad_status_is_a_400(
    approved: Proposal, bob: Any, body: dict[str, str], field: str
) -> None:
    before = footprint()
    response = resolve(bob, approved, **body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert footprint() == before


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("charlie", 403), ("frank", 404)])
def test_only_reviewers_rule_through_the_api(
    approved: Proposal, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    response = resolve(request.getfixturevalue(who), approved, status="met", reason="Done")
    assert response.status_code == status
    assert footprint() == before
