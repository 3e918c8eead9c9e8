"""The reading pages print exactly what they printed when they were drawn by templates.

The copies under ``golden/`` were written by the template renders these pages used before;
``STA_WRITE_GOLDEN=1`` writes them afresh (then the diff of the copies shows any change).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from clauses.models import Clause, system_user
from clauses.record.reference import sta_load
from sta_tracker.history import save_with_history

from ..test_fragments import page

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
NONCE = re.compile(r'nonce="[^"]+"')
# Why: the clause page says when each history row was written, which is when the test ran.
WRITTEN_AT = re.compile(r"\d{1,2} \w+ 20\d\d, \d{1,2}:\d\d")

PAGES = {
    "version-2024": "/agreements/sta/versions/2024-protocol/",
    "version-1979": "/agreements/sta/versions/1979/",
    "version-1979-zh": "/agreements/sta/versions/1979/?lang=zh",
    "version-1979-both": "/agreements/sta/versions/1979/?lang=both",
    "version-2024-both": "/agreements/sta/versions/2024-protocol/?lang=both",
    "on-2019": "/agreements/sta/on/2019-01-01/",
    "on-1980-both": "/agreements/sta/on/1980-06-01/?lang=both",
    "agreement": "/agreements/sta/",
    "clause-art_1": "/agreements/sta/clauses/art_1/",
    "clause-art_1-both": "/agreements/sta/clauses/art_1/?lang=both",
    "clause-art_1-zh": "/agreements/sta/clauses/art_1/?lang=zh",
    "clause-para": "/agreements/sta/clauses/art_1__para_1/",
}


@pytest.fixture
def reader(client: Client, dana: Any, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2025, 1, 1))
    sta_load(acting_user=system_user(), reason="Reference data")
    cache.clear()
    client.force_login(dana)
    return client


def shown(client: Client, url: str) -> str:
    return WRITTEN_AT.sub("(when)", NONCE.sub('nonce="-"', page(client, url)))


def same_as_golden(name: str, html: str) -> None:
    path = GOLDEN / f"{name}.html"
    if os.environ.get("STA_WRITE_GOLDEN"):
        path.write_text(html)
    assert html == path.read_text()


@pytest.mark.parametrize("fragments", [False, True], ids=["in-full", "kept"])
@pytest.mark.parametrize("name", list(PAGES))
def test_a_reading_page_prints_what_the_templates_printed(
    reader: Client, settings: Any, name: str, fragments: bool
) -> None:
    settings.STA_FRAGMENT_CACHE = fragments
    same_as_golden(name, shown(reader, PAGES[name]))


def test_markup_in_a_clause_is_printed_as_text(reader: Client, settings: Any) -> None:
    settings.STA_FRAGMENT_CACHE = False
    for clause in Clause.objects.filter(version__agreement__slug="sta", key="art_1"):
        clause.heading = '<b>Bold</b> & "quoted"'
        clause.text = "Line <script>alert('x')</script>\nnext & last"
        save_with_history(clause, acting_user=system_user(), reason="markup test")
    for name in ("version-2024", "on-2019", "clause-art_1"):
        html = shown(reader, PAGES[name])
        assert "<script>alert" not in html
        assert "<b>Bold</b>" not in html
        same_as_golden(f"markup-{name}", html)
