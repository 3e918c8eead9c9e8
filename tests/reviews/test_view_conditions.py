"""The conditions on the proposal page: their state, the submitter's acknowledgement, the
reviewer's ruling, and the overdue ones in the reviewer's queue."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import ConditionItem, ProposalEvent
from reviews.services import condition_resolve, conditions_acknowledge, proposal_terminate
from tests.factories import the_decider
from tests.reviews.factories import (
    OTHER_GROUND,
    approved_with_conditions,
    footprint,
    make_overdue,
    proposal_in,
)

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Any:
    return approved_with_conditions(submitter=alice, reviewer=bob, security=charlie, version=sta)


def page(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/"


def acknowledge_url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/conditions/acknowledge/"


def resolve_url(proposal: Any, number: int = 1) -> str:
    item = ConditionItem.objects.get(proposal=proposal, number=number)
    return f"/reviews/proposals/{proposal.pk}/conditions/{item.pk}/resolve/"


def item(proposal: Any, number: int = 1) -> ConditionItem:
    return ConditionItem.objects.get(proposal=proposal, number=number)


# --- The proposal page -----------------------------------------------------------------------


def test_the_page_shows_each_condition_with_owner_due_date_and_state(
    approved: Any, alice: Any, bob: Any
) -> None:
    make_overdue(approved, 2, days=3)
    condition_resolve(
        condition=item(approved),
        status="met",
        reason="Data received.",
        acting_user=bob,
        evidence="Receipt 17",
    )
    shown = text(as_user(alice).get(page(approved)))
    assert "2 conditions, 1 still open. Not yet acknowledged by the submitter." in shown
    assert (
        "Condition 1. Met Share the raw data with the programme office. Fulfilled by The submitter"
    ) in shown
    assert "Met by bob" in shown
    assert "(3 days overdue)" in shown
    assert "Data received. Evidence Receipt 17" in shown
    assert "Condition 2. Overdue Review the data management plan. Fulfilled by The agency" in shown


def test_the_submitter_sees_the_acknowledge_form_and_reviewers_the_ruling_forms(
    approved: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    mine = as_user(alice).get(page(approved)).content.decode()
    assert f'action="{acknowledge_url(approved)}"' in mine
    assert "/resolve/" not in mine
    reviewer = as_user(bob).get(page(approved)).content.decode()
    assert "Acknowledge the conditions" not in reviewer
    assert f'action="{resolve_url(approved, 1)}"' in reviewer
    assert f'action="{resolve_url(approved, 2)}"' in reviewer
    security = as_user(charlie).get(page(approved)).content.decode()
    assert "/resolve/" not in security


@pytest.mark.parametrize("count", [1, 8])
def test_the_page_costs_the_same_queries_for_few_or_many_conditions(
    count: int,
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_assert_max_num_queries: Any,
) -> None:
    import datetime as dt

    from reviews.services import ConditionInput, decision_record
    from tests.reviews.factories import assess

    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    decision_record(
        proposal=proposal,
        outcome="approve_with_conditions",
        condition_items=[
            ConditionInput(text=f"Condition {n}", owner="agency", due_on=dt.date(2099, 1, 1))
            for n in range(count)
        ],
        cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
        acting_user=the_decider(),
        reason="Conditional",
    )
    conditions_acknowledge(proposal=proposal, acting_user=alice, reason="Accepted")
    condition_resolve(condition=item(proposal), status="waived", reason="Moot", acting_user=bob)
    for user in (alice, bob):
        client = as_user(user)
        # Two more once approved: the reciprocity indicators and the open dispute.
        with django_assert_max_num_queries(33):
            assert client.get(page(proposal)).status_code == 200


# --- Acknowledging ---------------------------------------------------------------------------


def test_the_submitter_acknowledges_from_the_page(approved: Any, alice: Any) -> None:
    response = as_user(alice).post(acknowledge_url(approved), {"reason": "Accepted, all of them"})
    assert response.status_code == 302
    assert response["Location"] == page(approved) + "#conditions"
    assert {
        (c.acknowledged_by, c.history.latest().history_change_reason)
        for c in ConditionItem.objects.filter(proposal=approved)
    } == {(alice, "Accepted, all of them")}
    response = as_user(alice).get(page(approved))
    assert "Acknowledged by alice on" in text(response)
    assert acknowledge_url(approved) not in response.content.decode()
    event = ProposalEvent.objects.filter(proposal=approved).latest("pk")
    assert (event.action, event.actor) == ("acknowledge_conditions", alice)


def test_acknowledging_twice_is_refused_and_writes_nothing(approved: Any, alice: Any) -> None:
    as_user(alice).post(acknowledge_url(approved), {"reason": "Accepted"})
    before = footprint()
    response = as_user(alice).post(acknowledge_url(approved), {"reason": "Again"})
    assert response.status_code == 409
    assert "they are acknowledged once" in text(response)
    assert footprint() == before


def test_acknowledging_with_a_blank_note_is_refused(approved: Any, alice: Any) -> None:
    before = footprint()
    response = as_user(alice).post(acknowledge_url(approved), {"reason": " "})
    assert response.status_code == 400
    assert "Give a reason; it is recorded with your name." in text(response)
    assert footprint() == before


def test_another_submitter_gets_a_404_and_a_reviewer_a_refusal(
    approved: Any, frank: Any, bob: Any
) -> None:
    before = footprint()
    assert as_user(frank).post(acknowledge_url(approved), {"reason": "Mine?"}).status_code == 404
    refused = as_user(bob).post(acknowledge_url(approved), {"reason": "For her"})
    assert refused.status_code == 403
    assert "Only the submitter of a proposal can acknowledge the conditions" in text(refused)
    assert footprint() == before


def test_a_plain_approval_has_no_conditions_to_acknowledge(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    plain = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    response = as_user(alice).post(acknowledge_url(plain), {"reason": "Accepted"})
    assert response.status_code == 409
    assert "A proposal that is approved cannot be given the action" in text(response)
    assert footprint() == before


# --- Ruling ----------------------------------------------------------------------------------


def test_a_reviewer_marks_a_condition_met_from_the_page(approved: Any, bob: Any) -> None:
    response = as_user(bob).post(
        resolve_url(approved),
        {"status": "met", "reason": "Data received.", "evidence": "Receipt 17"},
    )
    assert response.status_code == 302
    ruled = item(approved)
    assert (ruled.status, ruled.resolved_by, ruled.resolution_reason, ruled.evidence) == (
        "met",
        bob,
        "Data received.",
        "Receipt 17",
    )
    shown = text(as_user(bob).get(page(approved)))
    assert "2 conditions, 1 still open." in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "met", "reason": ""}, "Give a reason; it is recorded with your name."),
        ({"reason": "Done"}, "Choose whether the condition is met or waived."),
        ({"status": "open", "reason": "Done"}, "Select a valid choice."),
    ],
)
def test_a_ruling_without_a_reason_or_a_choice_is_refused(
    approved: Any, bob: Any, data: dict[str, str], message: str
) -> None:
    before = footprint()
    response = as_user(bob).post(resolve_url(approved), data)
    assert response.status_code == 400
    assert "Condition 1 was not ruled on:" in text(response)
    assert message in text(response)
    assert footprint() == before


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("charlie", 403), ("frank", 404)])
def test_only_reviewers_rule_on_conditions(
    approved: Any, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    response = as_user(request.getfixturevalue(who)).post(
        resolve_url(approved), {"status": "met", "reason": "Done"}
    )
    assert response.status_code == status
    assert footprint() == before


def test_a_condition_already_met_is_not_ruled_again(approved: Any, bob: Any) -> None:
    as_user(bob).post(resolve_url(approved), {"status": "met", "reason": "Done"})
    before = footprint()
    response = as_user(bob).post(resolve_url(approved), {"status": "waived", "reason": "Undo"})
    assert response.status_code == 409
    assert "Condition 1 was already marked met by bob" in text(response)
    assert footprint() == before


def test_conditions_of_a_terminated_project_are_not_ruled(approved: Any, bob: Any) -> None:
    proposal_terminate(proposal=approved, acting_user=bob, reason="Ended", ground=OTHER_GROUND)
    before = footprint()
    response = as_user(bob).post(resolve_url(approved), {"status": "met", "reason": "Done"})
    assert response.status_code == 409
    assert "A proposal that is terminated cannot be given the action" in text(response)
    assert footprint() == before


# --- The queue -------------------------------------------------------------------------------


def test_overdue_conditions_appear_in_the_reviewers_queue(approved: Any, bob: Any) -> None:
    client = as_user(bob)
    assert "No condition is overdue." in text(client.get("/reviews/queue/conditions/"))
    make_overdue(approved, 1, days=4)
    response = client.get("/reviews/queue/conditions/")
    shown = text(response)
    assert "Overdue conditions 1" in shown
    assert "1. Share the raw data with the programme office. The submitter" in shown
    assert "4 days" in shown
    assert f'href="{page(approved)}#condition-1"' in response.content.decode()
    condition_resolve(condition=item(approved), status="met", reason="Done", acting_user=bob)
    assert "No condition is overdue." in text(client.get("/reviews/queue/conditions/"))


def test_the_conditions_queue_costs_the_same_queries_for_few_or_many(
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for count in (1, 6):
        while ConditionItem.objects.overdue().count() < count:
            proposal = approved_with_conditions(
                submitter=alice, reviewer=bob, security=charlie, version=sta
            )
            make_overdue(proposal, 1, days=2)
        client = as_user(bob)
        client.get("/reviews/queue/conditions/")  # the session's first request renews it
        with django_assert_max_num_queries(12):
            response = client.get("/reviews/queue/conditions/")
        assert response.status_code == 200
        assert text(response).count("Follow up") == count
