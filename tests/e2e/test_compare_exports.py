"""Copying a redline gives readable words, and the compare page's download form works."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Every deletion directly followed by an insertion (or the reverse) with no whitespace between.
TOUCHING = """() => [...document.querySelectorAll('.cmp-rows del, .cmp-rows ins')].filter((m) => {
    const mark = m;
    const next = mark.nextSibling;
    if (!next || next.nodeType !== 1 || !['DEL', 'INS'].includes(next.tagName)) return false;
    return next.tagName !== mark.tagName
        && /\\S$/.test(mark.textContent) && /^\\S/.test(next.textContent);
}).length"""
# What a reader gets on the clipboard after selecting the paragraph that holds the first gap.
COPIED = """() => {
    const gap = document.querySelector('.cmp-rows .redline-gap');
    const paragraph = gap.closest('p, h3');
    getSelection().selectAllChildren(paragraph);
    return {
        copied: getSelection().toString(),
        deleted: gap.previousElementSibling.textContent,
        inserted: gap.nextElementSibling.textContent,
        text: paragraph.textContent,
    };
}"""


@pytest.fixture
def sta_loaded(transactional_db: Any) -> None:
    call_command("load_sta", verbosity=0)
    make_user("dana", Role.ANALYST)


def test_a_copied_redline_keeps_a_replaced_word_apart_from_its_replacement(
    page: Any, sta_loaded: None
) -> None:
    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/compare/1979...2024-protocol/")
    assert page.evaluate(TOUCHING) == 0
    found = page.evaluate(COPIED)
    pair = f"{found['deleted']} {found['inserted']}"
    assert pair in found["copied"]
    assert pair in found["text"]
    assert found["deleted"] + found["inserted"] not in found["copied"].replace(pair, "")
    page.emulate_media(media="print")
    assert page.evaluate(TOUCHING) == 0
    assert page.locator(".cmp-rows .redline-gap").first.is_visible()
    page.emulate_media(media="screen")
    screenshot(page, "compare-redline-gaps")


def test_the_download_form_gives_a_print_without_unchanged_clauses(
    page: Any, sta_loaded: None
) -> None:
    log_in(page, "dana", PASSWORD)
    page.goto("/agreements/sta/compare/1979...2024-protocol/")
    form = page.locator("form.export-form")
    form.get_by_label("Format").select_option("docx")
    form.get_by_label("Leave out unchanged clauses").check()
    form.get_by_label("Word: changes as tracked changes").check()
    form.scroll_into_view_if_needed()
    screenshot(page, "compare-download-form")
    with page.expect_download() as info:
        form.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename == "sta-1979-to-2024-protocol.tracked.docx"
    with open(download.path(), "rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    texts = [p.text for p in doc.paragraphs]
    assert any(re.match(r"Unchanged clauses are left out: \d+ clause", t) for t in texts)

    form.get_by_label("Format").select_option("pdf")
    # Why: laying out the PDF takes seconds, more on a loaded machine.
    with page.expect_download(timeout=120_000) as info:
        form.get_by_role("button", name="Download").click(timeout=120_000)
    with open(info.value.path(), "rb") as handle:
        first = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text() or ""
    assert "Unchanged clauses are left out" in " ".join(first.split())
