"""The download form of the compare-by-dates page, and the page refusing a PDF too long, in a
real browser at desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from clauses.comparison import pdfprint, print_requests
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

DATES = "/agreements/sta/compare/dates/?a=1982-06-01&b=2024-10-01"


@pytest.fixture
def sta_loaded(transactional_db: Any) -> None:
    call_command("load_sta", verbosity=0)
    make_user("dana", Role.ANALYST)


def page_width(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth"))


def test_the_download_form_of_the_dates_page_reads_at_both_widths(
    page: Any, sta_loaded: None
) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    for width in (1366, 400):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(DATES)
        form = page.locator("form.export-form")
        expect(form.get_by_role("group", name="Download a comparative print")).to_be_visible()
        expect(form.get_by_label("Format")).to_have_value("docx")
        expect(form.get_by_label("Leave out unchanged clauses")).not_to_be_checked()
        assert page_width(page) <= width
        form.scroll_into_view_if_needed()
        form.screenshot(path=str(SCREENSHOTS / f"compare-dates-print-form-{width}px.png"))


def test_a_pdf_too_long_is_refused_with_the_downloads_that_hold_it(
    page: Any, sta_loaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the bound lowered to five rows, the dates' PDF is refused on a page of its own."""
    from playwright.sync_api import expect

    monkeypatch.setattr(pdfprint, "MAX_PDF_ROWS", 5)
    monkeypatch.setattr(print_requests, "MAX_PDF_ROWS", 5)
    log_in(page, "dana", PASSWORD)
    page.goto(DATES)
    form = page.locator("form.export-form")
    form.get_by_label("Format").select_option("pdf")
    with page.expect_response(lambda r: "format=pdf" in r.url) as answer:
        form.get_by_role("button", name="Download").click()
    assert answer.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This comparison is too long for a PDF print"
    )
    expect(page.get_by_role("alert")).to_contain_text("a PDF print holds at most 5")
    word = page.get_by_role("link", name="The Word comparative print")
    assert "format=docx" in (word.get_attribute("href") or "")
    assert "a=1982-06-01" in (word.get_attribute("href") or "")
    back = page.get_by_role("link", name="Back to the comparison")
    assert "format" not in (back.get_attribute("href") or "")
    refused = page.url
    for width in (1366, 400):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(refused)
        assert page_width(page) <= width
        screenshot(page, f"pdf-too-long-{width}px")
    back.click()
    expect(page.locator("form.export-form")).to_be_visible()
