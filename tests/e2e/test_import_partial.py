"""Two administrators import a partial official text, in a real browser: one uploads it and
reads what publishing would do, the other confirms and publishes it; the text in force shows it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from clauses.models import ImportJob, ImportStatus, Version
from sta_tracker.roles import Role
from tests.factories import PASSWORD, article, make_agreement, make_user, make_version

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PARTIAL_TEXT = (
    "Supplementary Protocol\n\n"
    "Article 2\nEach side protects the safety of visiting researchers and reports every "
    "incident within ten days.\n"
)


@pytest.fixture
def agreement_in_force(transactional_db: Any) -> None:
    make_user("erin", Role.ADMINISTRATOR, is_staff=True)
    make_user("grace", Role.ADMINISTRATOR, is_staff=True)
    make_version(
        make_agreement(),
        "2024",
        [
            article(1, "The Parties cooperate in basic research."),
            article(2, "Each side protects the safety of visiting researchers."),
            article(3, "Data are shared reciprocally and transparently."),
        ],
        in_force_from=dt.date(2024, 8, 27),
        in_force_until=dt.date(2029, 8, 27),
    )


def test_a_partial_text_is_uploaded_by_one_administrator_and_published_by_another(
    page: Any, agreement_in_force: None, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    source = tmp_path / "supplement.txt"
    source.write_text(PARTIAL_TEXT, encoding="utf-8")

    log_in(page, "erin", PASSWORD)
    page.goto("/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import an official text")
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Partial official text", exact=True).check()
    page.get_by_label("Official text", exact=True).check()
    page.get_by_label("Label").fill("2026-supplement")
    page.get_by_label("Kind").select_option("protocol")
    page.get_by_label("Signed on").fill("2026-11-20")
    page.get_by_label("Effective from").fill("2026-12-01")
    page.get_by_label("Reason").fill("Supplementary protocol received from the Department")
    screenshot(page, "import-upload")
    page.get_by_role("button", name="Read the file and preview").click()

    expect(page).to_have_url(re.compile(r"/import/\d+/$"))
    summary = page.locator(".import-consequences")
    expect(summary.locator("div", has_text="Amended")).to_contain_text("1")
    expect(summary.locator("div", has_text="Unchanged")).to_contain_text("2")
    expect(summary.locator("div", has_text="Repealed")).to_contain_text("0")
    expect(summary).to_contain_text(
        "The version “Version 2024” would stop being in force on 1 December 2026"
    )
    expect(page.locator(".import-people")).to_contain_text("any administrator other than erin")
    expect(page.get_by_role("link", name="Continue to publish")).to_have_count(0)
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "grace", PASSWORD)
    page.goto("/import/")
    queue = page.get_by_role("region", name="Awaiting publication")
    expect(queue).to_contain_text("erin")
    screenshot(page, "import-queue")
    queue.get_by_role("link", name="supplement.txt").click()
    page.get_by_role("link", name="Continue to publish").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish supplement.txt")
    expect(page.locator(".import-consequences")).to_contain_text("Amended")
    page.get_by_role("button", name=re.compile("^Publish: 0 added, 1 amended, 0 repealed")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Say why the earlier version stops being in force"
    )
    page.get_by_label("Why the earlier version stops being in force").fill(
        "The supplementary protocol takes effect on 1 December 2026"
    )
    screenshot(page, "import-confirm")
    page.get_by_role("button", name=re.compile("^Publish: 0 added, 1 amended")).click()

    expect(page).to_have_url(re.compile(r"/import/\d+/status/$"))
    status = page.get_by_role("status").first
    expect(status).to_contain_text("Published as version ")
    version = Version.objects.get(label="2026-supplement")
    expect(status).to_contain_text(f"Published as version {version.title} of ")
    expect(status).not_to_contain_text("2026-supplement")
    expect(page.get_by_text("Uploaded by erin, published by grace.")).to_be_visible()
    screenshot(page, "import-status")

    page.goto("/agreements/sta/on/2027-01-01/")
    expect(page.locator("main")).to_contain_text("reports every incident within ten days")
    expect(page.locator("main")).to_contain_text("The Parties cooperate in basic research.")
    screenshot(page, "import-text-in-force")

    job = ImportJob.objects.get()
    assert (job.status, job.created_by.username, job.published_by.username) == (
        ImportStatus.DONE,
        "erin",
        "grace",
    )
    assert Version.objects.get(label="2024").in_force_until == dt.date(2026, 12, 1)
