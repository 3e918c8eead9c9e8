"""An analyst compares the 1979 text with the 2024 protocol in a real browser."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from clauses.comparison.cache import version_diff
from clauses.models import Version
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sta_loaded(transactional_db: Any) -> None:
    call_command("load_sta", verbosity=0)
    make_user("dana", Role.ANALYST)


def viewport(tab: Any, name: str) -> Path:
    """What a reader sees first at 1366×800, next to the full-page screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-viewport.png"
    tab.screenshot(path=str(path))
    return path


def focused_id(tab: Any) -> str:
    return str(tab.evaluate("document.activeElement && document.activeElement.id"))


def test_an_analyst_compares_1979_with_2024_and_steps_through_the_changes(
    page: Any, sta_loaded: None
) -> None:
    from playwright.sync_api import expect

    sta = Version.objects.filter(agreement__slug="sta")
    diff = version_diff(older=sta.get(label="1979"), newer=sta.get(label="2024-protocol"))
    changes = [c.anchor for c in diff.changes]

    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/")
    picker = page.locator("form.compare-picker")
    picker.get_by_label("From").select_option("1979")
    picker.get_by_label("To").select_option("2024-protocol")
    screenshot(page, "agreement-with-compare-picker")
    picker.get_by_role("button", name="Compare").click()

    expect(page).to_have_url(re.compile(r"/agreements/sta/compare/1979\.\.\.2024-protocol/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("1979 Agreement")
    expect(page.get_by_role("note").first).to_contain_text("Not the official wording")
    summary = page.locator(".compare-summary")
    expect(summary.locator(".count-added")).to_have_text(f"{diff.stats.added} added")
    expect(summary.locator(".count-removed")).to_have_text(f"{diff.stats.removed} removed")
    expect(summary.locator(".count-renumbered")).to_have_text(f"{diff.stats.renumbered} renumbered")
    expect(summary).to_contain_text(f"{diff.stats.words_inserted} words inserted")
    expect(summary).to_contain_text("Protocol to Amend and Extend")
    viewport(page, "compare-1979-2024")
    screenshot(page, "compare-1979-2024")

    # Keys typed into a form field are the reader's, not shortcuts.
    page.locator("#compare-to").focus()
    page.keyboard.press("n")
    expect(page.locator("[data-change].cmp-current")).to_have_count(0)

    page.locator("h1").click()
    status = page.locator(".change-status")
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert focused_id(page) == changes[1]
    expect(status).to_contain_text(f"Change 2 of {len(changes)}")
    page.keyboard.press("p")
    assert focused_id(page) == changes[0]
    expect(page).to_have_url(re.compile(rf"#{changes[0]}$"))
    expect(page.locator(f"#{changes[0]}")).to_be_in_viewport()
    expect(page.locator(f"#{changes[0]}")).to_have_class(re.compile(r"\bcmp-current\b"))
    expect(status).to_contain_text(f"Change 1 of {len(changes)}: Article 1, amended")
    page.get_by_role("button", name="Next change").click()
    assert focused_id(page) == changes[1]
    viewport(page, "compare-stepping")

    page.get_by_role("link", name="Side by side").click()
    expect(page).to_have_url(re.compile(r"\?view=side$"))
    renumbered = page.locator("#art_5")
    expect(renumbered.locator(".side-old .side-label")).to_have_text("1979 agreement, Article 5")
    expect(renumbered.locator(".side-new .side-label")).to_have_text("2024 protocol, Article 6")
    expect(renumbered.locator(".cmp-note")).to_have_text("Renumbered from Article 5")
    viewport(page, "compare-side-by-side")
    screenshot(page, "compare-side-by-side")

    page.emulate_media(media="print")
    expect(page.locator("form.compare-picker")).to_be_hidden()
    expect(page.locator(".compare-controls")).to_be_hidden()
    expect(page.locator(".change-nav")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text("/compare/1979...2024-protocol/?view=side")
    marks = page.evaluate(
        """() => ['ins', 'del'].map(
            (tag) => getComputedStyle(document.querySelector('.cmp-rows ' + tag)).textDecorationLine
        )"""
    )
    assert marks == ["underline", "line-through"]
    screenshot(page, "compare-print")
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    download = info.value
    assert download.suggested_filename == "sta-1979-to-2024-protocol.csv"
    with open(download.path(), newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[3][0].startswith("# Not the official wording")
    assert rows[4][:6] == [
        "key",
        "old_number",
        "new_number",
        "old_heading",
        "new_heading",
        "change",
    ]
    assert ["art_5", "Article 5", "Article 6"] in [r[:3] for r in rows]
    assert len(rows) == len(diff.clauses) + 5


def test_the_clause_page_shows_the_2024_text_as_a_redline(page: Any, sta_loaded: None) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/clauses/art_1/")
    latest = page.locator(".through-row").last
    expect(latest.locator(".clause-redline ins").first).to_be_visible()
    expect(latest.locator(".clause-redline")).to_contain_text("Compared with")
    screenshot(page, "clause-redline")
