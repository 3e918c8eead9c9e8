"""The Word comparative print: its hierarchy, running header, page numbers and tracked changes."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess  # nosec B404 - runs LibreOffice, a fixed program, on a file of our own
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from docx import Document
from lxml import etree

from clauses.comparison.cache import version_diff
from clauses.comparison.display import unofficial_notice
from clauses.comparison.sides import versions_compared
from clauses.comparison.wordprint import comparative_print
from clauses.diffing import new_side, old_side
from clauses.models import Agreement, TextStatus, Version
from tests.factories import article, make_agreement, make_version

from ..pages_data import paragraph
from .compare_data import build_pair, versions

pytestmark = pytest.mark.django_db

URL = "/agreements/pact/compare/2001...2011/"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOW = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    build_pair(newer_status=TextStatus.ILLUSTRATIVE)
    client.force_login(dana)
    return client


def part(docx: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return etree.fromstring(package.read(name))


def nested(agreement: Agreement) -> tuple[Version, Version]:
    """An article with two paragraphs, the second of them reworded."""
    make_version(
        agreement,
        "a",
        [
            article(1, "", heading="Scope"),
            paragraph("art_1", 1, "Cooperation covers energy."),
            paragraph("art_1", 2, "The commission which forms the basis meets."),
        ],
        in_force_from=dt.date(2001, 1, 1),
    )
    make_version(
        agreement,
        "b",
        [
            article(1, "", heading="Scope"),
            paragraph("art_1", 1, "Cooperation covers energy."),
            paragraph("art_1", 2, "The commission which and the basis meets."),
        ],
        in_force_from=dt.date(2011, 1, 1),
    )
    qs = Version.objects.filter(agreement=agreement)
    return qs.get(label="a"), qs.get(label="b")


def print_of(older: Version, newer: Version, **options: Any) -> bytes:
    return comparative_print(
        texts=versions_compared(
            older.agreement, older, newer, notice=unofficial_notice([older, newer])
        ),
        diff=version_diff(older=older, newer=newer),
        now=NOW,
        **options,
    )


def test_the_word_print_needs_a_reader(client: Client, nobody: Any) -> None:
    build_pair()
    assert client.get(URL + "?format=docx&tracked=1").status_code == 302
    client.force_login(nobody)
    assert client.get(URL + "?format=docx&tracked=1").status_code == 403


def test_a_bad_tracked_value_is_refused_with_a_clear_message(reader: Client) -> None:
    response = reader.get(URL + "?format=docx&tracked=yes")
    assert response.status_code == 400
    assert "“tracked=yes” is not understood: use tracked=1 to write the Word print" in (
        response.content.decode()
    )


def test_headings_follow_the_clause_hierarchy_with_full_numbers() -> None:
    older, newer = nested(make_agreement("deep"))
    doc = Document(io.BytesIO(print_of(older, newer)))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading ")
    ]
    assert headings == [
        ("Heading 1", "Article 1 Scope"),
        ("Heading 2", "Article 1, paragraph 1"),
        ("Heading 2", "Article 1, paragraph 2 — Amended"),
    ]


def test_the_formatted_print_keeps_a_replaced_word_apart_from_its_replacement() -> None:
    older, newer = nested(make_agreement("deep"))
    doc = Document(io.BytesIO(print_of(older, newer)))
    texts = [p.text for p in doc.paragraphs]
    amended = doc.paragraphs[texts.index("Article 1, paragraph 2 — Amended") + 1]
    marks = [("del" if r.font.strike else "ins" if r.font.underline else "plain", r.text)
             for r in amended.runs]  # fmt: skip
    assert marks == [
        ("plain", "The commission which "),
        ("del", "forms"),
        ("plain", " "),
        ("ins", "and"),
        ("plain", " the basis meets."),
    ]


def test_every_page_carries_the_agreement_both_versions_the_notice_and_its_number(
    reader: Client,
) -> None:
    content = reader.get(URL + "?format=docx").content
    doc = Document(io.BytesIO(content))
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header == [
        "Pact on Scientific Cooperation — Version 2001 (2001) compared with Version 2011 (2011)",
        "Not the official wording: Version 2011 is illustrative. The changes shown are between "
        "these texts; do not quote them as changes to the agreement.",
    ]
    footer = doc.sections[0].footer._element
    assert [p.text for p in doc.sections[0].footer.paragraphs] == ["Page 1 of 1"]
    instructions = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2


def test_the_document_properties_name_the_comparison_and_the_tracker(reader: Client) -> None:
    props = Document(io.BytesIO(reader.get(URL + "?format=docx").content)).core_properties
    assert props.title == "Pact: Version 2001 compared with Version 2011"
    assert props.subject == (
        "Comparative print of the Pact: Version 2001 (2001) and Version 2011 (2011)"
    )
    assert props.author == props.last_modified_by == "STA Tracker"
    assert props.comments.startswith("Not the official wording")


def revision_text(paragraph: Any, *, accept: bool) -> str:
    """The paragraph's text once every tracked change is accepted, or every one rejected."""
    text = []
    for node in paragraph.iter(f"{W}t", f"{W}delText", f"{W}br"):
        inside = {a.tag for a in node.iterancestors()}
        if (accept and f"{W}del" in inside) or (not accept and f"{W}ins" in inside):
            continue
        text.append("\n" if node.tag == f"{W}br" else node.text or "")
    return "".join(text)


def check_revisions(body: Any) -> list[Any]:
    """The structure Word writes: w:del holds runs of w:delText, w:ins runs of w:t."""
    marks = list(body.iter(f"{W}ins", f"{W}del"))
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids)), "revision ids repeat"
    for mark in marks:
        assert mark.get(f"{W}author") == "STA Tracker"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mark.get(f"{W}date"))
        assert mark.getparent().tag == f"{W}p"
        assert len(mark) > 0
        for run in mark:
            assert run.tag == f"{W}r"
            texts = {child.tag for child in run if child.tag != f"{W}rPr"}
            if mark.tag == f"{W}del":
                assert texts <= {f"{W}delText", f"{W}br"}
                assert f"{W}t" not in texts
            else:
                assert texts <= {f"{W}t", f"{W}br"}
                assert f"{W}delText" not in texts
    return marks


def test_tracked_changes_are_word_revisions_that_accept_to_the_newer_text(
    reader: Client,
) -> None:
    response = reader.get(URL + "?format=docx&tracked=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="pact-2001-to-2011.tracked.docx"'
    )
    content = response.content
    doc = Document(io.BytesIO(content))
    assert doc.paragraphs[0].text == "Pact: Version 2001 compared with Version 2011"
    body = part(content, "word/document.xml")
    marks = check_revisions(body)
    assert {m.tag for m in marks} == {f"{W}ins", f"{W}del"}
    settings = part(content, "word/settings.xml")
    assert settings.find(f"{W}trackRevisions") is not None
    # Every compared clause's text accepts to the newer wording and rejects to the older.
    older, newer = versions(Agreement.objects.get(slug="pact"))
    diff = version_diff(older=older, newer=newer)
    paragraphs = [p for p in body.iter(f"{W}p") if p.find(f"{W}ins") is not None
                  or p.find(f"{W}del") is not None]  # fmt: skip
    changed_texts = [c for c in diff.clauses if any(op.kind != "equal" for op in c.ops)]
    assert len(paragraphs) == len(changed_texts) + sum(
        1 for c in diff.clauses if any(op.kind != "equal" for op in c.heading_ops)
    )
    accepted = {revision_text(p, accept=True) for p in paragraphs}
    rejected = {revision_text(p, accept=False) for p in paragraphs}
    for c in changed_texts:
        assert new_side(c.ops) in accepted
        assert old_side(c.ops) in rejected


def test_tracked_changes_keep_a_replaced_word_apart_without_adding_a_character() -> None:
    older, newer = nested(make_agreement("deep"))
    content = print_of(older, newer, tracked=True)
    body = part(content, "word/document.xml")
    check_revisions(body)
    (changed,) = [p for p in body.iter(f"{W}p") if p.find(f"{W}del") is not None]
    assert revision_text(changed, accept=True) == "The commission which and the basis meets."
    assert revision_text(changed, accept=False) == "The commission which forms the basis meets."
    deletion = changed.find(f"{W}del")
    assert deletion.get(f"{W}date") == "2026-03-04T05:06:07Z"
    last = deletion.findall(f"{W}r")[-1]
    assert last.findtext(f"{W}delText") == "s"
    assert last.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "80"


def test_the_tracked_print_of_a_large_comparison_has_unique_revision_ids() -> None:
    pact = make_agreement("wide")
    make_version(
        pact,
        "a",
        [article(n, f"Old wording number {n} here.") for n in range(1, 61)],
        in_force_from=dt.date(2001, 1, 1),
    )
    make_version(
        pact,
        "b",
        [article(n, f"New wording number {n} there.") for n in range(1, 61)],
        in_force_from=dt.date(2011, 1, 1),
    )
    qs = Version.objects.filter(agreement=pact)
    body = part(print_of(qs.get(label="a"), qs.get(label="b"), tracked=True), "word/document.xml")
    assert len(check_revisions(body)) == 60 * 4


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_converts_the_tracked_print_to_pdf(tmp_path: Path) -> None:
    older, newer = nested(make_agreement("deep"))
    source = tmp_path / "print.docx"
    source.write_bytes(print_of(older, newer, tracked=True))
    subprocess.run(  # noqa: S603  # nosec B603 - fixed program and arguments
        [str(OFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "print.pdf").read_bytes().startswith(b"%PDF")
