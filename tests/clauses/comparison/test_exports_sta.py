"""The exports of the real comparison analysts ask for first: the 1979 text against the 2024 one."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from docx import Document
from lxml import etree
from pypdf import PdfReader

from clauses.comparison.cache import version_diff
from clauses.models import Clause, Version

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/compare/1979...2024-protocol/"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def sta(client: Client, dana: Any) -> Client:
    call_command("load_sta", stdout=StringIO())
    cache.clear()
    client.force_login(dana)
    return client


def texts(label: str) -> dict[str, tuple[str, str, str]]:
    """Each clause of the English text of a version by key: number, heading and text."""
    clauses = Clause.objects.filter(version__agreement__slug="sta", version__label=label,
                                    language="en")  # fmt: skip
    return {c.key: (c.number, c.heading, c.text) for c in clauses}


def test_the_csv_of_1979_against_2024_carries_every_clause_and_its_wording(sta: Client) -> None:
    response = sta.get(URL + "?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    preamble = [r[0] for r in rows if len(r) == 1 and r[0].startswith("# ")]
    older, newer = (Version.objects.get(agreement__slug="sta", label=x)
                    for x in ("1979", "2024-protocol"))  # fmt: skip
    assert preamble[0] == f"# Agreement: {older.agreement.title}"
    assert preamble[1].startswith(f"# Older: {older.title} (1979), in force from 31 January 1979")
    assert preamble[2].startswith(f"# Newer: {newer.title} (2024-protocol)")
    assert preamble[3].startswith("# Not the official wording")
    header = rows[len(preamble)]
    data = [dict(zip(header, r, strict=True)) for r in rows[len(preamble) + 1 :]]
    diff = version_diff(older=older, newer=newer)
    assert len(data) == len(diff.clauses) > 20
    old, new = texts("1979"), texts("2024-protocol")
    for row in data:
        if row["change"] != "added":
            key = next(c.old_key for c in diff.clauses if c.key == row["key"] and c.old_key)
            assert (row["old_number"], row["old_heading"], row["old_text"]) == old[key]
        if row["change"] != "removed":
            assert (row["new_number"], row["new_heading"], row["new_text"]) == new[row["key"]]
        # The redline without its marks is the new text, but for the gaps kept between words.
        kept = re.sub(r"\[-.*?-\]", "", row["redline"], flags=re.S)
        kept = kept.replace("{+", "").replace("+}", "")
        assert kept.split() == row["new_text"].split()
        assert "-]{+" not in row["redline"] or row["redline"].count("-]{+") == len(
            re.findall(r"\s-\]\{\+|-\]\{\+\s", row["redline"])
        )
    assert {r["change"] for r in data} >= {"added", "amended", "unchanged"}
    assert sum(int(r["words_inserted"]) for r in data) == diff.stats.words_inserted
    assert sum(int(r["words_deleted"]) for r in data) == diff.stats.words_deleted


def test_the_tracked_word_print_of_1979_against_2024_accepts_to_the_2024_text(
    sta: Client,
) -> None:
    content = sta.get(URL + "?format=docx&tracked=1").content
    doc = Document(io.BytesIO(content))
    props = doc.core_properties
    assert props.author == "STA Tracker"
    assert props.subject == (
        "Comparative print of the U.S.–PRC Science and Technology Agreement: 1979 Agreement "
        "(1979) and As amended and extended by the 2024 protocol (2024-protocol)"
    )
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    marks = list(body.iter(f"{W}ins", f"{W}del"))
    assert len(marks) > 20
    assert len({m.get(f"{W}id") for m in marks}) == len(marks)
    accepted = set()
    for p in body.iter(f"{W}p"):
        words = []
        for node in p.iter(f"{W}t", f"{W}br"):
            if f"{W}del" not in {a.tag for a in node.iterancestors()}:
                words.append("\n" if node.tag == f"{W}br" else node.text or "")
        accepted.add("".join(words))
    for _, _, text in texts("2024-protocol").values():
        if text:
            assert text in accepted


def test_the_pdf_of_1979_against_2024_prints_in_bounded_time(sta: Client) -> None:
    started = time.monotonic()
    response = sta.get(URL + "?format=pdf")
    took = time.monotonic() - started
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    first = " ".join((pages[0].extract_text() or "").split())
    assert "Not the official wording" in first
    assert f"Page 1 of {len(pages)}" in first
    # Generous for a shared test machine; it takes a few seconds on an idle core.
    assert took < 120, took
