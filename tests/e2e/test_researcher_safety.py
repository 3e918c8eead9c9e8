"""Researcher safety and the programme report in a real browser: the team records a trip and an
incident, the security reviewer finds the trip in the queue and records the briefing, a
reviewer suspends the project on the incident, and an analyst and a reviewer read the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from reviews.models import Incident, TravelPlan
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import load_lists, make_sta, proposal_in

from .conftest import log_in
from .test_review_workflow import console_problems, shots, switch_to

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["console_problems"]


@pytest.fixture
def approved(transactional_db: Any) -> Any:
    sta = make_sta()
    load_lists()
    alice = make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    bob = make_user("bob", Role.REVIEWER, first_name="Bob", last_name="Reviewer")
    charlie = make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="S")
    make_user("dana", Role.ANALYST, first_name="Dana", last_name="Analyst")
    return proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)


def test_a_trip_is_briefed_an_incident_suspends_the_project_and_the_report_shows_it(
    page: Any, approved: Any, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    today = timezone.localdate()
    # Alice records a trip and, later, what happened on it.
    log_in(page, "alice", PASSWORD)
    page.goto(f"/reviews/proposals/{approved.pk}/")
    page.get_by_role("link", name="Researcher safety: trips and incidents").click()
    page.get_by_role("link", name="Record a trip").click()
    page.get_by_label("Who travels").fill("Dr. Maya Ortiz")
    page.get_by_label("Where (city, country)").fill("Chengdu, China")
    page.get_by_label("Host institution").fill("Chengdu panda base")
    page.get_by_label("From").fill((today + dt.timedelta(days=5)).isoformat())
    page.get_by_label("To", exact=True).fill((today + dt.timedelta(days=12)).isoformat())
    page.get_by_label("Purpose").fill("Spring sampling with the keepers.")
    shots(page, "safety-trip-form")
    page.get_by_role("button", name="Record the trip").click()
    expect(page.get_by_role("status")).to_contain_text("Trip recorded")
    expect(page.locator("table.trips")).to_contain_text("Not given yet")
    shots(page, "safety-project-unbriefed")

    page.get_by_role("link", name="Report an incident").click()
    page.get_by_label("Kind of incident").select_option("device")
    page.get_by_label("On", exact=True).fill(today.isoformat())
    page.get_by_label("Where", exact=True).fill("Airport, on departure")
    page.get_by_label("Account of events").fill(
        "Officers took the laptop for two hours and asked for its password."
    )
    page.get_by_role("button", name="Report the incident").click()
    expect(page.get_by_role("status")).to_contain_text("security reviewers are told")
    shots(page, "safety-incident-reported")

    # Charlie finds the trip in the queue and records the briefing.
    switch_to(page, "charlie")
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Trips without a briefing").click()
    expect(page.locator("table.trips-queue")).to_contain_text("Dr. Maya Ortiz")
    shots(page, "queue-trips-without-briefing")
    page.get_by_role("link", name="Record the briefing").click()
    page.get_by_label("Briefing given by").fill("Research security office")
    page.get_by_label("Device guidance given").check()
    page.get_by_role("button", name="Record the briefing").click()
    expect(page.locator("table.trips")).to_contain_text("Given by Research security office")
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Trips without a briefing").click()
    expect(page.get_by_text("Every trip ahead has its briefing recorded.")).to_be_visible()

    # Bob suspends the project on the incident.
    switch_to(page, "bob")
    incident = Incident.objects.get()
    page.goto(f"/reviews/proposals/{approved.pk}/incidents/{incident.pk}/")
    page.get_by_label("Reason").fill("The team's safety cannot be assured on further trips.")
    shots(page, "safety-incident-detail")
    page.get_by_role("button", name="Suspend the project").click()
    expect(page.get_by_role("status")).to_contain_text("suspended on the ground of this incident")
    expect(page.locator("#led-h + ul")).to_contain_text("The suspension of the project")

    # Dana reads the report: charts with their tables, no project named.
    switch_to(page, "dana")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme report").click()
    expect(page.get_by_role("heading", name="Programme report", level=1)).to_be_visible()
    incidents = page.locator("section", has=page.locator("#t-incidents"))
    expect(incidents.locator("svg")).to_have_count(1)
    incidents.get_by_text("as a table").click()
    expect(incidents.locator("table")).to_contain_text("Device search or seizure")
    assert page.locator("svg.bar-chart").count() >= 6
    expect(page.locator("main")).not_to_contain_text(approved.title)
    shots(page, "report-analyst")
    page.set_viewport_size({"width": 400, "height": 800})
    shots(page, "report-analyst-narrow")
    page.set_viewport_size({"width": 1366, "height": 800})

    # Bob sees which projects the figures concern.
    switch_to(page, "bob")
    page.goto("/reviews/report/")
    expect(page.locator("#t-detail-incidents + .tl-scroll")).to_contain_text(approved.title)
    expect(page.locator("#t-detail-suspensions + .tl-scroll")).to_contain_text("An incident")
    shots(page, "report-reviewer")

    plan = TravelPlan.objects.get()
    assert (plan.briefing_given_by, plan.device_guidance_given) == (
        "Research security office",
        True,
    )
    approved.refresh_from_db()
    assert approved.state == "suspended"
    assert console_problems == []
