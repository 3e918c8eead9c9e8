"""The queue's work list in a real browser: filter it, tick proposals, assign them at once."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.models import Assignment
from reviews.services import InstitutionInput, assignment_set
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import load_lists, make_sta, proposal_in
from tests.reviews.view_helpers import waited

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def work(transactional_db: Any) -> dict[str, Any]:
    """Six open proposals from two agencies, partners in two cities, one long overdue."""
    sta = make_sta()
    load_lists()
    alice = make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    bob = make_user("bob", Role.REVIEWER, first_name="Bob", last_name="Reviewer")
    charlie = make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="Sec")
    make_user("ivan", Role.REVIEWER, first_name="Ivan", last_name="Petrov")
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    made = {}
    for title, agency, field, city, state in (
        (
            "Glacier mass balance",
            "National Science Foundation",
            "Glaciology",
            "Lanzhou",
            "in_review",
        ),
        ("Permafrost carbon", "National Science Foundation", "Geology", "Lanzhou", "in_review"),
        ("River sediment cores", "U.S. Geological Survey", "Geology", "Beijing", "in_review"),
        ("Loess plateau dust", "U.S. Geological Survey", "Geology", "Lanzhou", "submitted"),
        (
            "Monsoon rainfall records",
            "National Science Foundation",
            "Climate",
            "Beijing",
            "in_review",
        ),
        ("Karst groundwater", "U.S. Geological Survey", "Hydrology", "Guilin", "screening"),
    ):
        institutions = (
            InstitutionInput(
                name="Institute of Geographic Sciences and Natural Resources", city=city
            ),
        )
        if state == "screening":
            institutions = (
                *institutions,
                InstitutionInput(name="Harbin Institute of Technology (Weihai)"),
            )
        made[title] = proposal_in(
            state,
            title=title,
            us_agency=agency,
            scientific_field=field,
            institutions=institutions,
            **people,
        )
    assignment_set(
        proposal=made["River sediment cores"],
        step="security",
        assignee=charlie,
        acting_user=charlie,
        reason="Claimed",
    )
    waited(made["Glacier mass balance"], 16)
    waited(made["Permafrost carbon"], 4)
    return made


def test_a_reviewer_filters_the_work_list_and_assigns_two_proposals_at_once(
    page: Any, work: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "bob", PASSWORD)
    page.goto("/reviews/queue/work/")
    rows = page.locator("table.queue-table tbody tr")
    expect(rows).to_have_count(6)
    page.get_by_label("U.S. agency").select_option("National Science Foundation")
    page.get_by_label("Partner city").select_option("Lanzhou")
    page.get_by_label("Sort by").select_option("due")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Glacier mass balance")
    expect(rows.first).to_have_class("overdue")
    expect(rows.first).to_contain_text("16 days")
    page.get_by_label("Choose “Glacier mass balance”").check()
    page.get_by_label("Choose “Permafrost carbon”").check()
    page.get_by_label("Assessment").select_option("risk_benefit")
    page.get_by_label("Assign to").select_option(label="Ivan Petrov")
    page.get_by_label("Reason", exact=True).fill("Ivan knows the glaciology")
    screenshot(page, "queue-work-list-before-assigning")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "The risk–benefit assessment of 2 proposals assigned to Ivan Petrov."
    )
    # Back on the same filtered list, with the assignee shown on both rows.
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Ivan Petrov")
    expect(rows.nth(1)).to_contain_text("Ivan Petrov")
    screenshot(page, "queue-work-list-assigned")
    assert sorted(
        Assignment.objects.filter(assignee__username="ivan").values_list(
            "proposal__title", flat=True
        )
    ) == ["Glacier mass balance", "Permafrost carbon"]


def test_a_reviewer_claims_an_assessment_from_the_proposal(page: Any, work: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    log_in(page, "bob", PASSWORD)
    proposal = work["River sediment cores"]
    page.goto(f"/reviews/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Assign or claim").click()
    page.get_by_role("button", name="Claim the risk–benefit assessment").click()
    expect(page.locator(".messages")).to_contain_text("Risk–benefit assessment assigned to you.")
    expect(page.locator("table.assignments")).to_contain_text("Bob Reviewer")
    expect(page.locator("table.assignments")).to_contain_text("Charlie Sec")
    screenshot(page, "proposal-assign")


def test_the_dashboard_leads_from_a_bar_to_the_proposals_it_counts(
    page: Any, work: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "bob", PASSWORD)
    page.goto("/reviews/dashboard/")
    screenshot(page, "dashboard-reviewer-links")
    # The submitted proposal was screened on commit, so five are in review.
    page.get_by_role("link", name="In review: 5, show the list").click()
    expect(page).to_have_url(re_url("/reviews/queue/work/?state=in_review"))
    expect(page.locator("table.queue-table tbody tr")).to_have_count(5)
    expect(page.get_by_label("State", exact=True)).to_have_value("in_review")


def re_url(tail: str) -> Any:
    import re

    return re.compile(re.escape(tail) + "$")
