"""Two administrators add the real Chinese 1979 text to the 1979 version in a real browser: one
uploads it, reads the alignment and pairs the clause that did not align, the other publishes it;
the version page sets both texts side by side. And an amending protocol's unread instruction is
applied by hand on its preview."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from clauses.importing.services import import_job_create
from clauses.models import ImportJob, ImportStatus, Version
from sta_tracker.roles import Role
from tests.clauses.importing.test_modes import PROTOCOL
from tests.clauses.languages_data import load_sta_english_only
from tests.factories import PASSWORD, article, make_agreement, make_user, make_version

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# One article of our own writing after the real text: it has no English counterpart by number.
EXTRA_ARTICLE = "第十二条 双方可商定其他合作方式。\n"


@pytest.fixture
def administrators(transactional_db: Any) -> None:
    make_user("erin", Role.ADMINISTRATOR, is_staff=True)
    make_user("grace", Role.ADMINISTRATOR, is_staff=True)


def test_a_chinese_text_is_aligned_paired_and_published_by_a_second_administrator(
    page: Any, administrators: None, shared_sta_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    load_sta_english_only(tmp_path)
    source = tmp_path / "1979-agreement.zh.txt"
    source.write_bytes(
        (shared_sta_dir / "1979-agreement.zh.txt").read_bytes() + EXTRA_ARTICLE.encode()
    )

    log_in(page, "erin", PASSWORD)
    page.goto("/import/")
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Language text of an existing version", exact=True).check()
    page.get_by_label("Partial official text (official, but not the whole instrument)").check()
    page.get_by_label("Version it is a text of").select_option(
        str(Version.objects.get(label="1979").pk)
    )
    page.get_by_label("Language code").fill("zh")
    page.get_by_label("Reason").fill("The Chinese authentic text, articles 1 to 5")
    screenshot(page, "import-language-upload")
    page.get_by_role("button", name="Read the file and preview").click()

    expect(page).to_have_url(re.compile(r"/import/\d+/$"))
    summary = page.locator(".import-consequences")
    expect(summary).to_contain_text(
        "Adding this text changes nothing in force, repeals nothing and flags no proposal"
    )
    expect(summary.locator("div", has_text="Clauses it could not align")).to_contain_text("1")
    expect(page.get_by_role("table").first).to_contain_text("第一条")
    screenshot(page, "import-language-preview")
    page.get_by_label("第十二条").select_option("art_6")
    page.get_by_role("button", name="Save the pairing").click()
    expect(page.get_by_role("status").first).to_contain_text("Pairing saved")
    expect(summary.locator("div", has_text="Clauses it could not align")).to_contain_text("0")
    expect(page.locator("main")).to_contain_text("paired by hand by erin")
    expect(page.get_by_role("link", name="Continue to publish")).to_have_count(0)
    screenshot(page, "import-language-paired")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "grace", PASSWORD)
    page.goto("/import/")
    page.get_by_role("region", name="Awaiting publication").get_by_role(
        "link", name="1979-agreement.zh.txt"
    ).click()
    page.get_by_role("link", name="Continue to publish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("as the Chinese text of version")
    screenshot(page, "import-language-confirm")
    page.get_by_role("button", name="Publish the Chinese text: 15 aligned, 0 unaligned").click()
    expect(page).to_have_url(re.compile(r"/import/\d+/status/$"))
    expect(page.get_by_role("status").first).to_contain_text("nothing in force changed")
    expect(page.get_by_text("Uploaded by erin, published by grace.")).to_be_visible()
    page.get_by_role("link", name="Read both texts side by side").click()

    expect(page).to_have_url(re.compile(r"/versions/1979/\?lang=both$"))
    expect(page.locator('.lang-cell[lang="zh"]').first).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "缔约双方根据本协定在平等、互利和互惠的基础上发展合作。"
    )
    expect(page.locator("main")).to_contain_text("双方可商定其他合作方式")
    screenshot(page, "import-language-both")

    job = ImportJob.objects.get()
    assert (job.status, job.published_by.username) == (ImportStatus.DONE, "grace")
    assert Version.objects.get(label="1979").clauses.get(language="zh", key="art_6").number == (
        "第十二条"
    )


def test_an_unread_instruction_is_applied_by_hand_on_the_preview(
    page: Any, administrators: None
) -> None:
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    agreement = make_agreement()
    make_version(
        agreement, "1979", [article(n, f"Text of article {n}.") for n in range(1, 12)],
        in_force_from=dt.date(1979, 1, 31),
    )  # fmt: skip
    job = import_job_create(
        agreement=agreement, filename="protocol.txt", content=PROTOCOL.encode(), label="2026",
        kind="protocol", signed_on=dt.date(2026, 11, 20), effective_from=dt.date(2026, 12, 1),
        text_status="official", mode="amending", reason="Protocol received",
        acting_user=get_user_model().objects.get(username="erin"),
    )  # fmt: skip

    log_in(page, "erin", PASSWORD)
    page.goto(f"/import/{job.pk}/")
    form = page.locator("form.by-hand")
    expect(form).to_contain_text("Not applied: Article 4")
    screenshot(page, "import-amending-not-applied")
    form.get_by_label("Clause it changes").select_option("art_7")
    form.get_by_label("New text").fill("Text of article 7, for researchers.")
    form.get_by_role("button", name="Apply by hand").click()
    expect(page.locator(".by-hand-all table")).to_contain_text("applied by hand by erin")
    expect(
        page.locator(".import-consequences div", has_text="Effects not applied")
    ).to_contain_text("0")
    screenshot(page, "import-amending-by-hand")
