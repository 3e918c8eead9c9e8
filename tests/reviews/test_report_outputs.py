"""The programme report's outputs on the demo data, byte for byte or text for text, against the
copies kept in ``report_outputs/``: the CSV files, the command's JSON, the page's headings and
tables, the DOCX's paragraphs and tables, for an analyst and for a reviewer.

The demo is seeded and read with the site's clock held at one moment, so its dates (and what
falls in the period) are the same on every run. The copies were written by the writers as they
stood before they read the one table spec (``reviews/reporting/spec.py``); a difference is a
change people would see. To write them again after a change meant to show, run this module with
``STA_REPORT_OUTPUTS_WRITE=1`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone as django_timezone
from docx import Document

from reviews.models import Dispute, Proposal

pytestmark = pytest.mark.django_db

KEPT = Path(__file__).parent / "report_outputs"
WRITE = os.environ.get("STA_REPORT_OUTPUTS_WRITE") == "1"
# The moment the demo is seeded and read at, and the period of the report read.
HELD_AT = dt.datetime(2026, 6, 15, 16, 0, tzinfo=dt.UTC)
START, END = dt.date(2025, 7, 1), dt.date(2026, 6, 30)
QUERY = f"?start={START.isoformat()}&end={END.isoformat()}"
# Why Any: the module's own ``datetime`` name is replaced, as sta_tracker.clock does.
_TIMEZONE_MODULE: Any = django_timezone
_REAL = dt.datetime


class _HeldDatetime(_REAL):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return HELD_AT.astimezone(tz) if tz else HELD_AT.astimezone().replace(tzinfo=None)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo seeded with the clock held at ``HELD_AT``, which stays held for the module."""
    saved = _TIMEZONE_MODULE.datetime
    _TIMEZONE_MODULE.datetime = _HeldDatetime
    try:
        with django_db_blocker.unblock():
            atomics = TestCase._enter_atomics()
            try:
                call_command("load_sta", verbosity=0)
                call_command("seed_demo", password="demo-pass-1", stdout=io.StringIO())
                yield
            finally:
                TestCase._rollback_atomics(atomics)
    finally:
        _TIMEZONE_MODULE.datetime = saved


def client_for(name: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    return client


DISPUTE_NAMED = re.compile(rb"([Dd]ispute) ([0-9]+)\b")


def _disputes_counted(body: bytes) -> bytes:
    """The body with each dispute's id (which the database's sequences choose) as its place
    among the demo's disputes, 1 for the first opened."""
    place = {
        pk: str(n).encode()
        for n, pk in enumerate(Dispute.objects.order_by("pk").values_list("pk", flat=True), 1)
    }
    return DISPUTE_NAMED.sub(
        lambda found: found[1] + b" " + place.get(int(found[2]), found[2]), body
    )


def compare(name: str, produced: str | bytes) -> None:
    kept = KEPT / name
    body = _disputes_counted(produced if isinstance(produced, bytes) else produced.encode())
    if WRITE:
        KEPT.mkdir(exist_ok=True)
        kept.write_bytes(body)
    assert body.decode() == kept.read_bytes().decode(), name


def _titled(data: Any, titles: dict[int, str]) -> Any:
    """The JSON with proposal ids (which the database's sequences choose) as their titles."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key == "proposal_id":
                out[key] = titles[value]
            else:
                out[key] = _titled(value, titles)
        return out
    if isinstance(data, list):
        return [_titled(item, titles) for item in data]
    return data


def _command(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "programme_report",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


class _ReportText(HTMLParser):
    """The report page's sections as lines: each heading, caption and notice, a line per table
    row with its cells between bars, and each CSV link's table."""

    LINES = {"h1", "h2", "figcaption", "summary", "p"}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.links: list[str] = []
        self._in_report = False
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "main":
            self._in_report = True
        if not self._in_report:
            return
        if tag == "a" and ".csv" in (found.get("href") or ""):
            self.links.append((found["href"] or "").split("?")[0])
        if tag == "tr":
            self._row = []
        elif tag in ("th", "td") or (tag in self.LINES and self._row is None):
            self._text, self._tag = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_report = False
        if self._text is not None and tag == self._tag:
            said = re.sub(r"\s+", " ", "".join(self._text)).strip()
            if self._row is not None:
                self._row.append(said)
            else:
                self.lines.append(f"{tag}: {said}")
            self._text = None
        if tag == "tr" and self._row is not None:
            self.lines.append("| " + " | ".join(self._row) + " |")
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _docx_text(body: bytes) -> str:
    """The document's paragraphs (style and text) and its tables (a line per row), in order."""
    doc = Document(io.BytesIO(body))
    lines = [f"title: {doc.core_properties.title}"]
    blocks = doc.element.body.iterchildren()
    paragraphs = iter(doc.paragraphs)
    tables = iter(doc.tables)
    for block in blocks:
        if block.tag.endswith("}p"):
            paragraph = next(paragraphs)
            lines.append(f"{paragraph.style.name}: {paragraph.text}")
        elif block.tag.endswith("}tbl"):
            for row in next(tables).rows:
                lines.append("| " + " | ".join(cell.text for cell in row.cells) + " |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("who", ["analyst", "reviewer"])
def test_the_page_shows_the_kept_sections_and_tables(demo: None, who: str) -> None:
    page = client_for(who).get(reverse("reviews:report") + QUERY)
    assert page.status_code == 200
    parsed = _ReportText()
    parsed.feed(page.content.decode())
    compare(f"page-{who}.txt", "\n".join(parsed.lines) + "\n")


@pytest.mark.parametrize("who", ["analyst", "reviewer"])
def test_every_csv_file_is_the_kept_one(demo: None, who: str) -> None:
    client = client_for(who)
    parsed = _ReportText()
    parsed.feed(client.get(reverse("reviews:report") + QUERY).content.decode())
    assert len(parsed.links) > 10
    files = []
    for link in parsed.links:
        response = client.get(link + QUERY)
        assert response.status_code == 200, link
        files.append(f"== {link.rsplit('/', 1)[-1]}\n{response.content.decode()}")
    compare(f"csv-{who}.txt", "".join(files))


@pytest.mark.parametrize("extra", [(), ("--detail",)])
def test_the_command_gives_the_kept_json(demo: None, extra: tuple[str, ...]) -> None:
    titles = dict(Proposal.objects.values_list("pk", "title"))
    data = _titled(json.loads(_command(*extra)), titles)
    name = "json-detail.json" if extra else "json.json"
    compare(name, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def test_the_command_gives_the_kept_csv(demo: None) -> None:
    compare("command.csv", _command("--format", "csv"))


@pytest.mark.parametrize("who", ["analyst", "reviewer"])
def test_the_docx_has_the_kept_paragraphs_and_tables(demo: None, who: str) -> None:
    response = client_for(who).get(reverse("reviews:report_docx") + QUERY)
    assert response.status_code == 200
    compare(f"docx-{who}.txt", _docx_text(response.content))


def test_the_command_docx_is_the_analysts_one(demo: None, tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    _command("--format", "docx", "--output", str(target))
    compare("docx-analyst.txt", _docx_text(target.read_bytes()))
