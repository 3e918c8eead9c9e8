"""The proposal form in a real browser: rows added without saving, what submission needs
marked, and a warning before attaching a file would lose unsaved edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reviews.models import Proposal
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import listed, make_sta

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: Any) -> None:
    make_sta()
    listed(scientific_field="Glaciology", us_agency="National Science Foundation")
    make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")


@pytest.fixture
def console_problems(page: Any) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


def test_rows_are_added_without_saving_and_saved_with_the_draft(
    page: Any, world: None, console_problems: list[str]
) -> None:
    from playwright.sync_api import expect

    log_in(page, "alice", PASSWORD)
    page.goto("/reviews/proposals/new/")
    institutions = page.locator("[data-rows='institutions'] tbody tr")
    people = page.locator("[data-rows='people'] tbody tr")
    expect(institutions).to_have_count(2)
    page.get_by_role("button", name="Add another institution").click()
    expect(institutions).to_have_count(3)
    expect(page.get_by_label("Name in English, institution 3", exact=True)).to_be_focused()
    page.get_by_label("Name in English, institution 3", exact=True).fill("Qilian Glacier Station")
    page.get_by_label("Name in Chinese, institution 3").fill("祁连冰川站")
    for _ in range(2):
        page.get_by_role("button", name="Add another researcher").click()
    expect(people).to_have_count(4)
    page.get_by_label("Researcher 4", exact=True).fill("Yang Li")
    page.get_by_label("Institution, researcher 4").fill("Qilian Glacier Station")
    page.get_by_label("Title").fill("Glacier mass balance in the Qilian Mountains")
    page.get_by_label("U.S. agency").select_option("National Science Foundation")
    screenshot(page, "proposal-form-rows-added")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Glacier mass balance in the Qilian Mountains"
    )
    proposal = Proposal.objects.get()
    assert [(i.name, i.name_local) for i in proposal.institutions.all()] == [
        ("Qilian Glacier Station", "祁连冰川站")
    ]
    person = proposal.people.get()
    assert (person.name, person.institution.name) == ("Yang Li", "Qilian Glacier Station")  # type: ignore[union-attr]
    assert proposal.us_agency is not None
    assert console_problems == []


def test_what_submission_needs_is_marked_with_a_legend(page: Any, world: None) -> None:
    from playwright.sync_api import expect

    log_in(page, "alice", PASSWORD)
    page.goto("/reviews/proposals/new/")
    expect(page.locator("#needed-legend")).to_contain_text(
        "marks what the proposal needs before you can submit it"
    )
    # 16 fields, partners, researchers and cited clauses; the note for the record is not one.
    expect(page.locator("form .needed-mark")).to_have_count(19)
    # The mark itself is hidden from screen readers, which read "(needed to submit)" instead.
    expect(page.get_by_role("textbox", name="Funding source (needed to submit)")).to_be_visible()
    expect(page.get_by_role("group", name="Partner researchers (needed to submit)")).to_be_visible()
    expect(
        page.get_by_role("textbox", name="Note for the record (required)", exact=True)
    ).to_be_visible()
    screenshot(page, "proposal-form-needed-marks")


def test_attaching_a_file_over_unsaved_edits_warns_first(
    page: Any, world: None, tmp_path: Path, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    log_in(page, "alice", PASSWORD)
    page.goto("/reviews/proposals/new/")
    page.get_by_label("Title").fill("Glacier mass balance")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Glacier mass balance, four glaciers")
    upload = tmp_path / "plan.pdf"
    upload.write_bytes(b"%PDF-1.7\n% a data plan\n")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Attach").click()
    warning = page.locator("[data-unsaved-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("save the draft first")
    expect(page.get_by_label("Title")).to_have_value("Glacier mass balance, four glaciers")
    assert not Proposal.objects.get().attachments.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".attachments").screenshot(path=str(SCREENSHOTS / "proposal-form-unsaved.png"))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("The draft is saved.")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_contain_text("Attached plan.pdf")
    assert Proposal.objects.get().title == "Glacier mass balance, four glaciers"


def test_without_javascript_the_form_offers_empty_rows_and_a_note(
    chromium_browser: Any, live_server: Any, world: None
) -> None:
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        log_in(tab, "alice", PASSWORD)
        tab.goto("/reviews/proposals/new/")
        assert tab.locator("[data-rows='institutions'] tbody tr").count() == 2
        assert not tab.get_by_role("button", name="Add another institution").is_visible()
        assert tab.get_by_text("Save to get more empty rows.").first.is_visible()
    finally:
        context.close()
