"""The desk's comparisons print as the version comparison does: CSV, Word (tracked) and PDF.

Compare by dates, a draft against the record and one agreement against another go through the
same writers; each says what it compares in its header and first rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from docx import Document

from clauses.comparison import pdfprint
from clauses.models import Clause, CompareDraft, Version
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

from .test_pdfprint import pages

pytestmark = pytest.mark.django_db

DATES = "/agreements/sta/compare/dates/?a=2000-01-01&b=2020-01-01"
DRAFT = (
    "Article 1\n\nThe Parties shall cooperate in basic research in science and technology.\n\n"
    "Article 2\n\nThis Agreement shall remain in force for ten years.\n"
)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def header_text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    return " ".join(p.text for p in doc.sections[0].header.paragraphs)


def document_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml").decode()


# Compare by dates ---------------------------------------------------------------------------


@pytest.fixture
def sta_reader(client: Client, dana: Any) -> Client:
    call_command("load_sta", stdout=StringIO())
    client.force_login(dana)
    client.get("/agreements/")  # Why: the first request after force_login writes the session.
    return client


def test_the_dates_page_offers_the_prints_and_the_json(sta_reader: Client) -> None:
    html = sta_reader.get(DATES).content.decode()
    assert (
        '<form class="export-form no-print" method="get" action="/agreements/sta/compare/dates/">'
        in html
    )
    assert '<input type="hidden" name="a" value="2000-01-01">' in html
    assert 'href="/api/agreements/sta/diff/dates/?a=2000-01-01&amp;b=2020-01-01"' in html


def test_the_csv_of_two_dates_says_what_was_in_force_on_each(sta_reader: Client) -> None:
    response = sta_reader.get(DATES + "&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="sta-on-2000-01-01-and-2020-01-01.csv"'
    )
    rows = csv_rows(response.content)
    comments = [r[0] for r in rows if r and r[0].startswith("# ")]
    assert comments[1].startswith("# A, 1 January 2000: As extended in 1984 (1984-extension)")
    assert comments[2].startswith("# B, 1 January 2020: As extended and amended in 2018")
    assert (
        "# A, 1 January 2000: In force (presumed): “As extended in 1984”: the extensions were "
        "not found." in comments
    )
    assert "# B, 1 January 2020: In force: “As extended and amended in 2018”." in comments
    header = rows.index(next(r for r in rows if r and r[0] == "key"))
    assert len(rows) - header - 1 > 20


def test_the_word_print_of_two_dates_names_them_in_its_running_header(sta_reader: Client) -> None:
    response = sta_reader.get(DATES + "&format=docx&tracked=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('2020-01-01.tracked.docx"')
    header = header_text(response.content)
    assert (
        "the text in force on 1 January 2000 (As extended in 1984) compared with the text in "
        "force on 1 January 2020" in header
    )
    assert "<w:ins " in document_xml(response.content)


def test_the_pdf_of_two_dates_carries_each_dates_lead(sta_reader: Client) -> None:
    printed = " ".join(pages(sta_reader.get(DATES + "&format=pdf&changed=1").content))
    assert "In force (presumed): “As extended in 1984”" in printed
    assert "Unchanged clauses are left out" in printed


def test_a_date_before_the_agreement_prints_nothing_and_says_why(sta_reader: Client) -> None:
    response = sta_reader.get("/agreements/sta/compare/dates/?a=1970-01-01&b=2020-01-01&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "is before any text was in force" in response.content.decode()


def test_an_unknown_print_format_is_refused_with_the_formats_that_work(sta_reader: Client) -> None:
    response = sta_reader.get(DATES + "&format=xlsx")
    assert response.status_code == 400
    assert "“xlsx” is not an export format" in response.content.decode()


def test_the_json_of_two_dates_is_the_api(sta_reader: Client) -> None:
    response = sta_reader.get(DATES + "&format=json")
    assert response.status_code == 302
    assert response["Location"] == "/api/agreements/sta/diff/dates/?a=2000-01-01&b=2020-01-01"


def test_a_pdf_of_two_dates_past_the_bound_is_a_page_saying_what_to_do(
    sta_reader: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfprint, "MAX_PDF_ROWS", 3)
    response = sta_reader.get(DATES + "&format=pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>This comparison is too long for a PDF print</h1>" in html
    assert "a PDF print holds at most 3" in html
    assert (
        'href="/agreements/sta/compare/dates/?a=2000-01-01&amp;b=2020-01-01&amp;format=docx"'
        in html
    )
    assert (
        'href="/agreements/sta/compare/dates/?a=2000-01-01&amp;b=2020-01-01">Back to the comparison'
        in html
    )


# A draft --------------------------------------------------------------------------------------


@pytest.fixture
def pact() -> Version:
    return make_version(
        make_agreement("pact", short_title="Pact", title="Pact on Cooperation"),
        "2001",
        [
            article(1, "The Parties shall cooperate in science and technology."),
            article(2, "This Agreement shall remain in force for five years."),
        ],
        in_force_from=dt.date(2001, 1, 1),
    )


@pytest.fixture
def draft(client: Client, dana: Any, pact: Version) -> CompareDraft:
    client.force_login(dana)
    client.get("/drafts/")
    client.post(
        "/drafts/",
        {
            "file": SimpleUploadedFile("ours.txt", DRAFT.encode()),
            "agreement": "pact",
            "title": "Our counter-proposal",
        },
    )
    return CompareDraft.objects.get()


def test_the_draft_page_offers_the_prints(client: Client, draft: CompareDraft) -> None:
    html = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert f'action="/drafts/{draft.pk}/"' in html
    assert f'href="/api/drafts/{draft.pk}/diff/"' in html


def test_the_csv_of_a_draft_says_it_is_not_published(client: Client, draft: CompareDraft) -> None:
    before = (Version.objects.count(), Clause.objects.count(), Clause.history.count())
    response = client.get(f"/drafts/{draft.pk}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="pact-draft-{draft.pk}-against-2001.csv"'
    )
    comments = [r[0] for r in csv_rows(response.content) if r and r[0].startswith("# ")]
    assert comments[1] == (
        "# Record: Version 2001 (2001), in force from 1 January 2001; illustrative text (not "
        "the official wording)"
    )
    assert comments[2].startswith("# Draft: Our counter-proposal (draft), uploaded on ")
    assert comments[2].endswith("not in force; draft, not published")
    assert any(
        c.startswith("# A draft, not published: nothing in it is the record.") for c in comments
    )
    assert (Version.objects.count(), Clause.objects.count(), Clause.history.count()) == before


def test_every_page_of_a_drafts_word_print_says_not_published(
    client: Client, draft: CompareDraft
) -> None:
    response = client.get(f"/drafts/{draft.pk}/?format=docx")
    header = header_text(response.content)
    assert (
        "Pact on Cooperation — draft “Our counter-proposal” (not published) compared with "
        "Version 2001 (2001)" in header
    )
    assert "A draft, not published" in header
    doc = Document(io.BytesIO(response.content))
    assert doc.core_properties.author == "STA Tracker"
    assert "Draft, not published" in [c.text for c in doc.tables[0].rows[2].cells]


def test_the_pdf_of_a_draft_is_made(client: Client, draft: CompareDraft) -> None:
    printed = " ".join(pages(client.get(f"/drafts/{draft.pk}/?format=pdf").content))
    assert "A draft, not published" in printed
    assert "basic research" in printed


def test_a_drafts_prints_are_for_its_owner_and_those_it_is_shared_with(
    client: Client, draft: CompareDraft
) -> None:
    url = f"/drafts/{draft.pk}/?format=csv"
    other = Client()
    other.force_login(make_user("oscar", Role.ANALYST))
    assert other.get(url).status_code == 404
    peggy_user = make_user("peggy", Role.REVIEWER)
    draft.shared_with.add(peggy_user)
    peggy = Client()
    peggy.force_login(peggy_user)
    assert peggy.get(url).status_code == 200
    submitter = Client()
    submitter.force_login(make_user("sam", Role.SUBMITTER))
    assert submitter.get(url).status_code == 403


def test_a_draft_against_an_unknown_version_prints_nothing(
    client: Client, draft: CompareDraft
) -> None:
    assert client.get(f"/drafts/{draft.pk}/?against=1999&format=csv").status_code == 404


# Across agreements ----------------------------------------------------------------------------


@pytest.fixture
def two_agreements(client: Client, dana: Any) -> Client:
    make_version(
        make_agreement("ours", short_title="Ours", title="Our Agreement"),
        "2001",
        [
            article(1, "The Parties shall cooperate in basic research on the basis of equality."),
            article(2, "Each Party bears the costs of its own participation in activities."),
            article(3, "Disputes are settled by consultation between the Parties."),
        ],
        in_force_from=dt.date(2001, 1, 1),
    )
    make_version(
        make_agreement("theirs", short_title="Theirs", title="Their Agreement"),
        "2010",
        [
            article(1, "Each Party shall bear the costs of its own participation in activities."),
            article(
                2, "The Parties shall cooperate in basic research on the basis of reciprocity."
            ),
            article(3, "Intellectual property created in joint work is owned jointly."),
        ],
        in_force_from=dt.date(2010, 1, 1),
    )
    client.force_login(dana)
    client.get("/agreements/")
    return client


ACROSS = "/agreements/ours/compare/across/?with=theirs"


def test_the_across_csv_lists_the_pairs_and_each_sides_provisions_alone(
    two_agreements: Client,
) -> None:
    response = two_agreements.get(ACROSS + "&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ours-2001-and-theirs-2010.csv"'
    )
    rows = csv_rows(response.content)
    assert rows[0] == ["# Agreement: Our Agreement and Their Agreement"]
    assert rows[1][0].startswith("# Ours: Version 2001 (2001)")
    assert rows[2][0].startswith("# Theirs: Version 2010 (2010)")
    start = rows.index(next(r for r in rows if r and r[0] == "key")) + 1
    changes = [(r[1], r[2], r[5]) for r in rows[start:]]
    assert changes == [
        ("Article 1", "Article 2", "paired"),
        ("Article 2", "Article 1", "paired"),
        ("Article 3", "", "only-left"),
        ("", "Article 3", "only-right"),
    ]


def test_the_across_word_print_names_both_agreements(two_agreements: Client) -> None:
    response = two_agreements.get(ACROSS + "&format=docx")
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert doc.paragraphs[0].text == (
        "The whole text of the Ours compared with the whole text of the Theirs"
    )
    assert "Article 3 — Only in the Ours" in headings
    assert "Article 3 — Only in the Theirs" in headings
    assert any(h.startswith("Article 2 — ") and h.endswith("% alike") for h in headings)
    texts = [p.text for p in doc.paragraphs]
    assert any(
        t.startswith("Clauses: 2 pairs, 1 only in the Ours, 1 only in the Theirs.") for t in texts
    )
    assert (
        "Our Agreement (Version 2001) compared with Their Agreement (Version 2010)"
        in header_text(response.content)
    )


def test_the_across_pdf_is_made(two_agreements: Client) -> None:
    printed = " ".join(pages(two_agreements.get(ACROSS + "&format=pdf").content))
    assert "Only in the Theirs" in printed
    assert "Intellectual property created in joint work" in printed


def test_the_across_prints_are_refused_to_a_submitter(client: Client, alice: Any) -> None:
    make_agreement("ours")
    client.force_login(alice)
    assert client.get(ACROSS + "&format=csv").status_code == 403


def test_an_across_print_without_a_valid_choice_is_the_form_with_its_error(
    two_agreements: Client,
) -> None:
    response = two_agreements.get("/agreements/ours/compare/across/?with=nowhere&format=csv")
    assert response.status_code == 200
    assert "“nowhere” is not another agreement held here" in response.content.decode()
