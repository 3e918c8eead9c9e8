"""An administrator uploads a large real text in a real browser: the page says the file is being
read, then shows the preview by itself once the worker has read it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from clauses import tasks
from clauses.models import ImportJob, ImportStatus
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_agreement, make_user

from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

CONSTITUTION = "akn/indigo__swahili_in_tz-constitution-1977.xml"


def test_a_large_upload_is_read_in_the_background_and_its_page_turns_into_the_preview(
    page: Any, transactional_db: Any, real_corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    make_user("erin", Role.ADMINISTRATOR, is_staff=True)
    make_agreement()
    # Why held back: the worker is this test; it reads the file once the waiting page is seen.
    queued: list[int] = []
    monkeypatch.setattr("clauses.importing.services.enqueue_parse_job", queued.append)
    source = real_corpus_dir / CONSTITUTION

    log_in(page, "erin", PASSWORD)
    page.goto("/import/")
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Official text", exact=True).check()
    page.get_by_label("Label").fill("tz-1977")
    page.get_by_label("Kind").select_option("agreement")
    page.get_by_label("Signed on").fill("1977-04-25")
    page.get_by_label("Effective from").fill("1977-04-26")
    page.get_by_label("Reason").fill("Constitution text received for the corpus")
    page.get_by_role("button", name="Read the file and preview").click()

    expect(page).to_have_url(re.compile(r"/import/\d+/status/$"))
    expect(page.get_by_role("status").first).to_contain_text("Parsing your file…")
    expect(page.get_by_label("Reading the file")).to_be_visible()
    job = ImportJob.objects.get()
    assert (job.status, queued) == (ImportStatus.PARSING, [job.pk])
    screenshot(page, "import-large-parsing")
    page.set_viewport_size({"width": 400, "height": 800})
    screenshot(page, "import-large-parsing-narrow")
    page.set_viewport_size({"width": 1366, "height": 800})

    assert tasks.parse_import_job.run(job.pk) == ImportStatus.PREVIEW

    expect(page).to_have_url(re.compile(rf"/import/{job.pk}/$"), timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Preview")
    expect(page.get_by_text("Parsing your file…")).to_have_count(0)
    # Why the window only: the preview lists some 1,100 clauses, too long a page to capture.
    page.screenshot(path=str(SCREENSHOTS / "import-large-preview.png"))


def test_a_large_upload_the_reader_refuses_ends_on_a_page_saying_which_limit(
    page: Any, transactional_db: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    settings.STA_IMPORT_MAX_LINE_CHARS = 200
    make_user("erin", Role.ADMINISTRATOR, is_staff=True)
    make_agreement()
    queued: list[int] = []
    monkeypatch.setattr("clauses.importing.services.enqueue_parse_job", queued.append)
    source = tmp_path / "agreement.txt"
    source.write_text("Agreement\n\nArticle 1\n" + "The Parties cooperate. " * 100, "utf-8")

    log_in(page, "erin", PASSWORD)
    page.goto("/import/")
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Official text", exact=True).check()
    page.get_by_label("Label").fill("2030")
    page.get_by_label("Kind").select_option("agreement")
    page.get_by_label("Signed on").fill("2030-01-01")
    page.get_by_label("Effective from").fill("2030-01-01")
    page.get_by_label("Reason").fill("Text received")
    page.get_by_role("button", name="Read the file and preview").click()
    expect(page.get_by_role("status").first).to_contain_text("Parsing your file…")

    assert tasks.parse_import_job.run(queued[0]) == ImportStatus.FAILED

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was kept: The file could not be read", timeout=15_000)
    expect(alert).to_contain_text("more than the limit of 200 (STA_IMPORT_MAX_LINE_CHARS)")
    expect(page.get_by_text("Parsing your file…")).to_have_count(0)
    screenshot(page, "import-large-failed")
