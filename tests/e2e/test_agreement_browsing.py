"""An analyst reads the agreement in force on a day, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sta_loaded(transactional_db: Any) -> None:
    call_command("load_sta", verbosity=0)
    make_user("dana", Role.ANALYST)


def test_an_analyst_picks_a_date_and_reads_the_clause_in_force(page: Any, sta_loaded: None) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements").click()
    screenshot(page, "agreement-list")
    page.get_by_role("link", name=re.compile("Science and Technology Agreement")).first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Science and Technology")
    expect(page.locator("svg").first).to_be_visible()
    screenshot(page, "agreement-detail")

    page.get_by_label("Text in force on").fill("2024-10-01")
    page.get_by_role("button", name="Show text").click()

    expect(page).to_have_url(re.compile(r"/agreements/sta/on/2024-10-01/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("1 October 2024")
    reasons = page.locator(".point-in-time")
    expect(reasons).to_contain_text("had lapsed")
    expect(reasons).to_contain_text("covered only retroactively")
    expect(page.get_by_role("note").first).to_contain_text("Illustrative text")

    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name=re.compile("Critical and emerging technologies")
    ).click()
    expect(page).to_have_url(re.compile(r"#art_5_2$"))
    clause = page.locator("#art_5_2")
    expect(clause).to_be_in_viewport()
    expect(clause).to_contain_text("Article 5")
    expect(clause).to_contain_text("shall not cover")
    screenshot(page, "text-on-2024-10-01")


def test_a_day_in_the_1980s_shows_the_1979_text_without_warnings(
    page: Any, sta_loaded: None
) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/on/1982-06-01/")
    expect(page.locator(".point-in-time")).not_to_contain_text("lapsed")
    expect(page.locator(".point-in-time")).not_to_contain_text("retroactively")
    expect(page.locator("#art_10")).to_contain_text("Joint Commission")
