"""Conditions of an approval in a real browser: the submitter acknowledges them, a reviewer
marks one met, and the proposal page shows each condition's state."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.models import ConditionItem
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import approved_with_conditions, load_lists, make_overdue, make_sta

from .conftest import log_in
from .test_review_workflow import console_problems, shots, switch_to

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["console_problems"]


@pytest.fixture
def conditional(transactional_db: Any) -> Any:
    """A project approved with two conditions, the agency's one already overdue."""
    sta = make_sta()
    load_lists()
    alice = make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    bob = make_user("bob", Role.REVIEWER, first_name="Bob", last_name="Reviewer")
    charlie = make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="S")
    proposal = approved_with_conditions(
        submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    make_overdue(proposal, 2, days=6)
    return proposal


def test_the_submitter_acknowledges_and_a_reviewer_marks_a_condition_met(
    page: Any, conditional: Any, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "alice", PASSWORD)
    page.goto(f"/reviews/proposals/{conditional.pk}/")
    conditions = page.locator("#conditions")
    expect(conditions).to_contain_text("2 conditions, 2 still open.")
    expect(conditions).to_contain_text("Not yet acknowledged by the submitter.")
    expect(page.locator("#condition-2 .condition-status")).to_have_text("Overdue")
    shots(page, "conditions-submitter-before")
    page.get_by_role("button", name="Acknowledge the conditions").click()
    expect(page.get_by_role("status")).to_contain_text("You have acknowledged the conditions")
    expect(conditions).to_contain_text("Acknowledged by Alice Submitter on")
    expect(page.get_by_role("button", name="Acknowledge the conditions")).to_have_count(0)

    switch_to(page, "bob")
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Overdue conditions").click()
    expect(page.locator("table.conditions-queue")).to_contain_text("Review the data management")
    shots(page, "queue-overdue-conditions")
    page.get_by_role("link", name="Follow up").first.click()
    page.get_by_text("Mark condition 1 met or waived").click()
    first = page.locator("#condition-1")
    first.get_by_label("Met").check()
    first.get_by_label("Reason (required)").fill("The raw data reached the programme office.")
    first.get_by_label("Evidence note").fill("Receipt PO-2291, filed with the award.")
    shots(page, "conditions-reviewer-ruling")
    first.get_by_role("button", name="Record the ruling").click()
    expect(page.get_by_role("status")).to_contain_text("Condition 1 is marked met")
    expect(page.locator("#condition-1 .condition-status")).to_have_text("Met")
    expect(page.locator("#condition-1")).to_contain_text("Receipt PO-2291")
    expect(conditions).to_contain_text("2 conditions, 1 still open.")
    shots(page, "conditions-reviewer-after")

    ruled = ConditionItem.objects.get(proposal=conditional, number=1)
    assert (ruled.status, ruled.resolved_by.username, ruled.acknowledged_by.username) == (
        "met",
        "bob",
        "alice",
    )
    assert list(conditional.events.values_list("action", flat=True))[-2:] == [
        "acknowledge_conditions",
        "meet_condition",
    ]
    assert console_problems == []
