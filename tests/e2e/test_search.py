"""An analyst searches the STA texts in a real browser: one result per provision."""

from __future__ import annotations

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


def test_an_analyst_searches_and_each_provision_is_listed_once(page: Any, sta_loaded: None) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.goto("/search/")
    page.get_by_label("Search for").fill("intellectual property")
    page.get_by_label("Kind of clause").select_option("paragraph")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#clause-hits + p + ol.search-hits > li")
    expect(results.first).to_be_visible()
    titles = [t.strip() for t in results.locator("a strong").all_inner_texts()]
    assert len(titles) == len(set(titles))
    assert any(t.startswith("Annex 1 Intellectual Property › ") for t in titles)
    expect(page.get_by_text("History of this provision").first).to_be_visible()
    # The notice is said once for the page, not under every result.
    assert page.get_by_role("note").count() == 1
    screenshot(page, "search-provisions")

    page.get_by_label("Search for").fill("intelectual")
    page.get_by_label("Kind of clause").select_option("")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("showing results for “intellectual”")
    screenshot(page, "search-did-you-mean")

    page.set_viewport_size({"width": 400, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    screenshot(page, "search-400px")
