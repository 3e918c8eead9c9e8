"""The compare page's content, byte for byte as the copies under ``golden/`` keep it.

The copies were written by the page as it was before its rows were built in Python; a change
to how the page is made must leave them as they are. ``STA_WRITE_GOLDEN=1`` writes them anew
(the diff of the copies then shows what changed).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from clauses.importing.document import read_document
from tests.factories import make_agreement, make_version

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).with_name("golden")
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')
MAIN = re.compile(r'<main id="main">(.*)</main>', re.DOTALL)
STA = "/agreements/sta/compare/1979...2024-protocol/"
SHANGHAI = "/agreements/shanghai/compare/2010...2024/"

PAGES = {
    "sta-inline": STA,
    "sta-side": STA + "?view=side",
    "sta-changed": STA + "?changed=1",
    "sta-ignore": STA + "?ignore=1",
    "sta-side-changed-ignore": STA + "?view=side&changed=1&ignore=1",
    "sta-zh-inline": STA + "?lang=zh",
    "sta-2018-to-2023": "/agreements/sta/compare/2018-amended...2023-extension/",
    "sta-dates": "/agreements/sta/compare/dates/?a=2000-01-01&b=2025-01-01",
    "shanghai-inline": SHANGHAI,
}


@pytest.fixture
def reader(client: Client, dana: Any, real_corpus_dir: Path) -> Iterator[Client]:
    cache.clear()
    call_command("load_sta", stdout=StringIO())
    shanghai = make_agreement("shanghai", title="上海市科学技术进步条例", short_title="上海")
    for label, day in (("2010", dt.date(2010, 9, 17)), ("2024", dt.date(2024, 5, 10))):
        path = real_corpus_dir / "zh-pairs" / f"shanghai-st-progress-{label}.md"
        document = read_document(path.read_bytes(), path.name)
        make_version(shanghai, label, list(document.clauses), in_force_from=day)
    client.force_login(dana)
    client.get(STA)  # Why: the first request after force_login writes the session.
    yield client
    cache.clear()


def content(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = MAIN.search(response.content.decode())
    assert found is not None, url
    # Why: the CSRF token is masked afresh on every render; nothing else may differ.
    return CSRF_VALUE.sub(r'\1-"', found.group(1))


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_is_the_same_as_its_golden_copy(reader: Client, name: str) -> None:
    html = content(reader, PAGES[name])
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("STA_WRITE_GOLDEN") == "1":
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")
