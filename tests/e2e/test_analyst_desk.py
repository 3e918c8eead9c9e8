"""An analyst compares two dates and uploads a draft to see its redline, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from clauses.models import Clause, CompareDraft, Version
from clauses.reading.download import version_akn
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sta_loaded(transactional_db: Any) -> None:
    call_command("load_sta", verbosity=0)
    make_user("dana", Role.ANALYST)


def page_width(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth"))


def test_an_analyst_compares_two_dates_and_a_draft(
    page: Any, sta_loaded: None, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/on/2024-09-01/")
    page.get_by_role("link", name="Compare the text on 1 September 2024").click()
    form = page.locator("form.compare-dates-form")
    expect(form.get_by_label("Text in force on (A)")).to_have_value("2024-09-01")
    form.get_by_label("against the text in force on (B)").fill("2000-01-01")
    form.get_by_role("button", name="Compare dates").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "on 1 September 2024 against 1 January 2000"
    )
    expect(page.locator(".pit-lead").first).to_contain_text(
        "Lapsed on this day; later covered retroactively by"
    )
    expect(page.locator(".cmp-row").first).to_be_visible()
    screenshot(page, "compare-dates-2024-2000")

    page.goto("/agreements/sta/compare/dates/?a=1978-05-01&b=2000-01-01")
    expect(page.get_by_role("alert")).to_contain_text("choose a date from then on")
    screenshot(page, "compare-dates-refused")

    records = (Version.objects.count(), Clause.objects.count(), Clause.history.count())
    # The text in force, exported as Akoma Ntoso, with one provision reworded: a real draft.
    in_force = Version.objects.get(agreement__slug="sta", label="2024-protocol")
    data, _ = version_akn(in_force, "en")
    assert data.count(b"basic research") > 1
    draft = tmp_path / "our-draft.xml"
    draft.write_bytes(data.replace(b"basic research", b"fundamental research", 1))
    page.goto("/drafts/?agreement=sta")
    page.locator("#id_file").set_input_files(str(draft))
    page.locator("#id_title").fill("Counter-draft of Articles 1 and 2")
    page.get_by_role("button", name="Upload and compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Counter-draft of Articles 1 and 2 against"
    )
    expect(page.locator(".count-amended")).to_have_text("1 amended")
    expect(page.locator(".cmp-rows ins").first).to_have_text("fundamental")
    screenshot(page, "draft-redline")
    assert CompareDraft.objects.count() == 1
    assert (Version.objects.count(), Clause.objects.count(), Clause.history.count()) == records

    page.set_viewport_size({"width": 400, "height": 800})
    for url in (
        "/agreements/sta/compare/dates/?a=2024-09-01&b=2000-01-01",
        CompareDraft.objects.get().get_absolute_url(),
        "/drafts/",
        "/agreements/sta/compare/across/",
    ):
        page.goto(url)
        assert page_width(page) <= 400, url
        # What a reader on a narrow screen sees first, for a person to look at.
        name = url.strip("/").split("?")[0].replace("/", "-")
        page.screenshot(path=str(SCREENSHOTS / f"desk-400px-{name}.png"))


def test_an_analyst_compares_the_ip_annex_with_another_agreements(
    page: Any, sta_loaded: None, real_corpus_dir: Path
) -> None:
    from playwright.sync_api import expect

    from tests.clauses.comparison.test_compare_across import import_real

    import_real(real_corpus_dir, "nl-us")
    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/compare/1979...2024-protocol/")
    page.get_by_role("link", name="another agreement").click()
    expect(page.get_by_label("Version").first).to_have_value("2024-protocol")
    page.get_by_role("button", name="Compare").click()
    page.locator("#across-our-part").select_option("annex_1")
    page.locator("#across-their-part").select_option("annex_1")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annex 1")
    expect(page.locator(".across-pair h3").filter(has_text="88% alike")).to_have_count(1)
    screenshot(page, "across-ip-annex")
    page.set_viewport_size({"width": 400, "height": 800})
    page.reload()
    assert page_width(page) <= 400
    page.screenshot(path=str(SCREENSHOTS / "desk-400px-across-ip-annex.png"))
