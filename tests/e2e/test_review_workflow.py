"""A proposal from draft to an approval with conditions, by five people, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reviews.models import Decision, Proposal
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import listed, load_lists, make_sta

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def review_world(transactional_db: Any) -> None:
    """The agreement in force, a CET edition and a screening list, and the five people."""
    make_sta()
    load_lists()
    listed(scientific_field="Geophysics", us_agency="National Science Foundation")
    make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    make_user("bob", Role.REVIEWER, first_name="Bob", last_name="Reviewer")
    make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="Security")
    make_user("judy", Role.REVIEWER, first_name="Judy", last_name="Decider")
    make_user("dana", Role.ANALYST)


@pytest.fixture
def console_problems(page: Any) -> list[str]:
    """Errors the browser reports, Content-Security-Policy refusals among them."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    return found


def shots(tab: Any, name: str) -> None:
    """The full page, and what a reader sees first at 1366×800."""
    screenshot(tab, f"review-{name}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(Path(SCREENSHOTS) / f"review-{name}-viewport.png"))


def switch_to(tab: Any, username: str) -> None:
    tab.get_by_role("button", name="Log out").click()
    log_in(tab, username, PASSWORD)


def test_a_proposal_goes_from_draft_to_approval_with_conditions(
    page: Any, review_world: None, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    # Alice drafts and submits, naming a partner that resembles a listed party.
    log_in(page, "alice", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My proposals").click()
    shots(page, "my-proposals-empty")
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Title").fill("Permafrost carbon on the Tibetan Plateau")
    page.get_by_label("Summary").fill("Borehole temperatures and soil carbon at twelve sites.")
    page.get_by_label("Scientific field").select_option("Geophysics")
    page.get_by_label("U.S. agency").select_option("National Science Foundation")
    page.get_by_label("Principal investigator").fill("Dr. Ana Lopez")
    page.get_by_label("I declare the project basic research").check()
    page.get_by_label("Why it is basic research").fill("All results are published.")
    page.get_by_label("Data to be shared").fill("Borehole temperature series.")
    page.get_by_label("Where the data is stored").fill("A public archive.")
    page.get_by_label("Who can access the data").fill("Anyone after publication.")
    page.get_by_label("What the partner shares in return").fill("Its own borehole logs.")
    page.get_by_label("Researcher travel and safety plan").fill("Two trips with briefings.")
    page.get_by_label("Funding (USD)").fill("95000")
    page.get_by_label("Funding source").fill("Agency budget")
    page.get_by_label("Start date").fill("2027-03-01")
    page.get_by_label("End date").fill("2029-03-01")
    page.get_by_label("Name in English, institution 1").fill(
        "Harbin Institute of Technology (Weihai)"
    )
    page.get_by_label("City, institution 1").fill("Weihai")
    page.get_by_label("Researcher 1", exact=True).fill("Zhou Ming")
    page.get_by_label("Institution, researcher 1").fill("Harbin Institute of Technology (Weihai)")
    page.get_by_text("Article 1", exact=True).click()
    page.get_by_label("The parties cooperate in basic research.").check()
    shots(page, "proposal-form")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permafrost carbon on the Tibetan Plateau"
    )
    expect(page.locator(".state")).to_have_text("Draft")
    shots(page, "proposal-draft")
    page.get_by_role("link", name="Submit for review").click()
    shots(page, "submit")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted. Screening has started.")
    # Screening ran eagerly after the commit and found the listed partner.
    expect(page.locator(".state")).to_have_text("Screening")
    expect(page.locator("#screening")).to_contain_text(
        "1 potential issue found, 1 still with the security reviewers"
    )
    shots(page, "proposal-screening-submitter")

    # Charlie rules the hit a true match, with the evidence in view, then assesses national
    # security, clearing that match with mitigations.
    switch_to(page, "charlie")
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(re.compile(r"/reviews/queue/hits/$"))
    shots(page, "queue-hits")
    page.get_by_role("link", name=re.compile("^Adjudicate")).click()
    expect(page.locator(".evidence-box")).to_contain_text("Harbin Institute of Technology")
    expect(page.locator(".evidence-box")).to_contain_text("Entity List (EL)")
    shots(page, "hit")
    page.get_by_label("True match").check()
    page.get_by_label("Reason").fill("The Weihai campus belongs to the listed institute.")
    page.get_by_role("button", name="Record the ruling").click()
    expect(page.locator(".state")).to_have_text("In review")
    expect(page.locator(".alert-danger")).to_contain_text("not cleared: approval is blocked")
    page.get_by_role("link", name="National-security assessment").click()
    shots(page, "assess-security")
    page.get_by_label("None", exact=True).check()
    page.get_by_label("Mitigations required").check()
    page.get_by_label("Required mitigations").fill("Data leave U.S. systems only after review.")
    page.get_by_label("Rationale").fill("Listed partner, but the data are environmental.")
    page.get_by_label(re.compile("Harbin Institute of Technology \\(Weihai\\)")).check()
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("national-security assessment")
    shots(page, "proposal-after-security")

    # Bob scores the rubric; he may not decide too.
    switch_to(page, "bob")
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(re.compile(r"/reviews/queue/assessments/$"))
    shots(page, "queue-assessments")
    page.get_by_role("link", name="Permafrost carbon on the Tibetan Plateau", exact=True).click()
    page.get_by_role("link", name="Assess risks and benefits").click()
    for group in page.locator("fieldset.rubric-row").all():
        criterion = group.locator("legend").inner_text()
        group.get_by_label("2", exact=True).check()
        group.get_by_label(f"{criterion}: rationale").fill(f"{criterion}: considered.")
    page.get_by_label("Recommendation").select_option("approve_with_conditions")
    page.get_by_role("textbox", name=re.compile("^Summary")).fill(
        "Good science; keep the data plan tight."
    )
    shots(page, "assess-risk-benefit")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("risk–benefit assessment is recorded")
    expect(page.get_by_role("link", name="Record the decision")).to_have_count(0)

    # Judy decides: the summary puts the cleared true match first; she confirms it by name.
    switch_to(page, "judy")
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(re.compile(r"/reviews/queue/decisions/$"))
    page.get_by_role("link", name="Permafrost carbon on the Tibetan Plateau", exact=True).click()
    page.get_by_role("link", name="Record the decision").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("True restricted-party match")
    expect(alert).to_contain_text("cleared with mitigations by the national-security assessment")
    expect(page.locator("#compliance")).to_contain_text(
        "Data leave U.S. systems only after review."
    )
    page.get_by_label("Approve with conditions", exact=True).check()
    page.get_by_label("Condition 1", exact=True).fill(
        "Keep the mitigation: data leave U.S. systems after review."
    )
    page.get_by_label("Due on, condition 1").fill("2027-09-01")
    page.get_by_label("Reason for the decision").fill("Basic research with a sound data plan.")
    shots(page, "decide")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the decision")
    expect(page.locator("main")).to_contain_text("This decision cannot be changed once recorded.")
    expect(page.locator("main")).to_contain_text("data leave U.S. systems after review")
    shots(page, "decide-confirm")
    page.get_by_label(re.compile("Harbin Institute of Technology \\(Weihai\\)")).check()
    page.get_by_label(re.compile("^I have read the summary")).check()
    page.get_by_role("button", name=re.compile("^Record the decision")).click()
    expect(page.locator(".state")).to_have_text("Approved with conditions")
    shots(page, "proposal-approved-reviewer")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    shots(page, "dashboard")

    # Alice sees the decision on her proposal.
    switch_to(page, "alice")
    page.get_by_role("link", name="My proposals").click()
    expect(page.locator("table.proposals")).to_contain_text("Approved with conditions")
    page.get_by_role("link", name="Permafrost carbon on the Tibetan Plateau", exact=True).click()
    decision = page.locator("#decision")
    expect(decision).to_contain_text("Approve with conditions")
    expect(decision).to_contain_text("data leave U.S. systems after review")
    expect(decision).to_contain_text("Judy Decider")
    expect(page.locator("#assessments")).to_have_count(0)
    shots(page, "proposal-approved-submitter")

    proposal = Proposal.objects.get()
    assert proposal.state == "approved_with_conditions"
    assert Decision.objects.get().decided_by.username == "judy"
    assert list(proposal.events.values_list("action", flat=True)) == [
        "submit",
        "screen",
        "adjudicate_last",
        "assess_security",
        "assess_risk_benefit",
        "approve_with_conditions",
    ]
    assert console_problems == []


def test_an_analyst_reads_the_dashboard_but_no_proposal(
    page: Any, review_world: None, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review dashboard")
    page.get_by_text("Proposals in each state as a table").click()
    expect(page.locator(".chart-data").first).to_contain_text("Draft")
    shots(page, "dashboard-analyst")
    assert console_problems == []
