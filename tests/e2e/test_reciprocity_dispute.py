"""After approval in a real browser: the submitter records a refused data request, a reviewer
sees the concern and opens a dispute citing a clause, holds the consultation, and a second
reviewer ceases cooperation, which suspends the project with the dispute as its ground; the
programme report then shows the dispute and the cessation."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.models import Dispute, ProjectGround, Proposal
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user, the_decider
from tests.reviews.after_factories import days_ago
from tests.reviews.factories import load_lists, make_sta, proposal_in

from .conftest import log_in
from .test_review_workflow import console_problems, shots, switch_to

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["console_problems"]


@pytest.fixture
def running(transactional_db: Any) -> Proposal:
    """An approved project with nothing in its ledger yet."""
    sta = make_sta()
    load_lists()
    alice = make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    bob = make_user("bob", Role.REVIEWER, first_name="Bob", last_name="Reviewer")
    charlie = make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="S")
    proposal = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    judy = the_decider()
    judy.set_password(PASSWORD)
    judy.save()
    return proposal


def test_a_refused_request_leads_to_a_dispute_and_cessation(
    page: Any, running: Proposal, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "alice", PASSWORD)
    page.goto(f"/reviews/proposals/{running.pk}/")
    page.get_by_role("link", name="Record a data exchange").first.click()
    page.get_by_label("Request to the partner").check()
    page.get_by_label("What (required)", exact=True).select_option("dataset")
    page.get_by_label("What exactly was asked for").fill("Ice-core isotope series 2019–2023")
    page.get_by_label("Requested on").fill(days_ago(40).isoformat())
    page.get_by_label("Channel").fill("Letter to the partner's data office")
    page.get_by_label("Refused on").fill(days_ago(4).isoformat())
    page.get_by_label("Reason given for the refusal").fill(
        "The series is held by a national archive and may not leave the country."
    )
    shots(page, "ledger-record-refusal")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded in the ledger")
    expect(page.locator("#reciprocity")).to_contain_text("Data reciprocity: a concern")
    shots(page, "ledger-concern")

    switch_to(page, "bob")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Reciprocity concerns"
    ).click()
    expect(page.locator("table.concerns-queue")).to_contain_text(running.title)
    shots(page, "reciprocity-concerns")
    page.get_by_role("link", name="Open a dispute").first.click()
    page.get_by_label("Reciprocity", exact=True).check()
    page.get_by_label("What the partner failed to do").fill(
        "The partner refuses the ice-core series it agreed to share."
    )
    page.locator("details.clause-group").nth(2).locator("summary").click()
    page.locator("details.clause-group").nth(2).locator("input[type=checkbox]").first.check()
    shots(page, "dispute-open")
    page.get_by_role("button", name="Open the dispute and request consultation").click()
    expect(page.get_by_role("status")).to_contain_text("consultation is requested")
    expect(page.locator("h1")).to_contain_text("Reciprocity")
    expect(page.locator("main")).to_contain_text("Article 3")
    page.get_by_role("link", name="Record the consultation held").click()
    page.get_by_label("Notes").fill("Video call with the partner's data office; no release date.")
    page.get_by_role("button", name="Record the consultation held").click()
    expect(page.locator(".lede")).to_contain_text("Consultation held")
    expect(page.locator("main")).to_contain_text("another reviewer decides")
    shots(page, "dispute-consultation-held")

    switch_to(page, "judy")
    dispute = Dispute.objects.get(proposal=running)
    page.goto(f"/reviews/proposals/{running.pk}/disputes/{dispute.pk}/")
    page.get_by_role("link", name="Cease cooperation (suspend the project)").click()
    page.get_by_label("Notes").fill("No release date after consultation: cooperation ceases.")
    shots(page, "dispute-cease")
    page.get_by_role("button", name="Cease cooperation").click()
    expect(page.locator(".lede")).to_contain_text("Cooperation ceased")
    expect(page.locator(".lede")).to_contain_text("The project is suspended")
    shots(page, "dispute-ceased")
    page.goto(f"/reviews/proposals/{running.pk}/")
    expect(page.locator("#timeline")).to_contain_text(f"Ground: dispute {dispute.pk}")
    shots(page, "project-suspended-on-dispute")

    # The programme report for the default period shows the dispute, its cessation, the
    # suspension on the dispute's ground and, for a reviewer, the project it concerns.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme report").click()
    expect(page.locator("h1")).to_have_text("Programme report")
    disputes = page.locator("section", has=page.locator("#t-disputes"))
    expect(page.locator("#t-disputes")).to_contain_text("Disputes opened in the period (1)")
    expect(disputes).to_contain_text("Cooperation ceased")
    grounds = page.locator("section", has=page.locator("#t-dispute-grounds"))
    expect(grounds).to_contain_text("Reciprocity")
    suspensions = page.locator("section", has=page.locator("#t-suspensions"))
    on_dispute = suspensions.locator("tbody tr", has_text="A dispute").locator("td")
    expect(on_dispute).to_have_text(["1", "0", "0"])
    detail = page.locator("section", has=page.locator("#t-detail-disputes"))
    expect(detail).to_contain_text(running.title)
    expect(detail).to_contain_text("Cooperation ceased")
    page.locator("#t-disputes").scroll_into_view_if_needed()
    shots(page, "report-after-cessation")

    assert Proposal.objects.get(pk=running.pk).state == "suspended"
    ground = ProjectGround.objects.get(proposal=running)
    assert (ground.kind, ground.dispute_id) == ("dispute", dispute.pk)
    assert dispute.cited_clauses.get().number == "Article 3"
