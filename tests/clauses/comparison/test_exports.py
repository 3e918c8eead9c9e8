"""Exports at the compare page's address: JSON, CSV and a Word comparative print."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from docx import Document

from clauses.models import TextStatus, Version, system_user
from sta_tracker.history import save_with_history
from tests.factories import article, make_agreement, make_version

from .compare_data import COMMISSION, COSTS, PURPOSE, build_pair

pytestmark = pytest.mark.django_db

URL = "/agreements/pact/compare/2001...2011/"
NOTICE_ROW = (
    "# Not the official wording: Version 2011 is illustrative. The changes shown are between "
    "these texts; do not quote them as changes to the agreement."
)
HEADER = [
    "key", "old_number", "new_number", "old_heading", "new_heading", "change",
    "old_text", "new_text", "redline", "words_inserted", "words_deleted", "language",
]  # fmt: skip
PREAMBLE = [
    ["# Agreement: Pact on Scientific Cooperation"],
    ["# Older: Version 2001 (2001), in force from 1 January 2001; official text"],
    [
        "# Newer: Version 2011 (2011), in force from 1 January 2011; illustrative text (not "
        "the official wording)"
    ],
]


def csv_rows(body: bytes) -> list[list[str]]:
    """The file as a spreadsheet reads it: UTF-8 after its byte order mark."""
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


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


def download(client: Client, query: str) -> Any:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:300]
    return response


def test_exports_need_a_reader(client: Client, nobody: Any) -> None:
    build_pair()
    for export in ("json", "csv", "docx"):
        anonymous = client.get(f"{URL}?format={export}")
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(nobody)
    for export in ("json", "csv", "docx"):
        assert client.get(f"{URL}?format={export}").status_code == 403


def test_an_unknown_format_is_refused_with_a_clear_message(reader: Client) -> None:
    response = reader.get(URL + "?format=odt")
    assert response.status_code == 400
    assert (
        "“odt” is not an export format: use format=json, format=csv, format=docx or format=pdf."
    ) in response.content.decode()


def test_unknown_versions_are_not_found_in_any_format(reader: Client) -> None:
    assert reader.get("/agreements/pact/compare/2001...1999/?format=csv").status_code == 404


def test_the_csv_has_one_row_per_compared_clause_with_both_texts(reader: Client) -> None:
    response = download(reader, "?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pact-2001-to-2011.csv"'
    rows = csv_rows(response.content)
    assert rows[:5] == [*PREAMBLE, [NOTICE_ROW], HEADER]
    data = [dict(zip(HEADER, row, strict=True)) for row in rows[5:]]
    assert [(d["key"], d["old_number"], d["new_number"], d["change"]) for d in data] == [
        ("art_1", "Article 1", "Article 1", "amended"),
        ("art_4", "Article 4", "Article 2", "moved"),
        ("art_2", "Article 2", "", "removed"),
        ("art_3", "Article 3", "Article 3", "unchanged"),
        ("art_4_2", "", "Article 4", "added"),
        ("art_5_2", "", "Article 5", "added"),
        ("art_5", "Article 5", "Article 6", "renumbered"),
    ]
    amended = data[0]
    assert amended["old_heading"] == amended["new_heading"] == "Purpose"
    assert amended["old_text"] == PURPOSE
    assert amended["new_text"] == PURPOSE.replace("in science", "in basic science")
    assert amended["redline"] == (
        "The parties cooperate in {+basic +}science and technology on the basis of equality."
    )
    assert (amended["words_inserted"], amended["words_deleted"], amended["language"]) == (
        "1",
        "0",
        "en",
    )
    removed = data[2]
    assert (removed["old_heading"], removed["new_heading"]) == ("Joint Commission", "")
    assert (removed["old_text"], removed["new_text"]) == (COMMISSION, "")
    assert removed["redline"] == f"[-{COMMISSION}-]"
    assert data[3]["old_text"] == data[3]["new_text"] == data[3]["redline"] == COSTS


def test_the_csv_can_leave_out_unchanged_clauses_and_says_so(reader: Client) -> None:
    rows = csv_rows(download(reader, "?format=csv&changed=1").content)
    assert rows[:6] == [
        *PREAMBLE,
        [NOTICE_ROW],
        ["# Unchanged clauses left out: 1."],
        HEADER,
    ]
    assert [r[0] for r in rows[6:]] == ["art_1", "art_4", "art_2", "art_4_2", "art_5_2", "art_5"]


def test_the_csv_redline_keeps_a_replaced_word_apart_from_its_replacement(
    client: Client, dana: Any
) -> None:
    odd = make_agreement("odd")
    old = "The commission which forms the basis."
    new = "The commission which and the basis."
    make_version(odd, "a", [article(1, old)], in_force_from=dt.date(2001, 1, 1))
    make_version(odd, "b", [article(1, new)], in_force_from=dt.date(2011, 1, 1))
    client.force_login(dana)
    rows = csv_rows(client.get("/agreements/odd/compare/a...b/?format=csv").content)
    row = dict(zip(HEADER, rows[-1], strict=True))
    assert row["redline"] == "The commission which [-forms-] {+and+} the basis."
    assert (row["old_text"], row["new_text"]) == (old, new)


def test_the_csv_quotes_numbers_with_commas_and_quotes(client: Client, dana: Any) -> None:
    odd = make_agreement("odd")
    make_version(odd, "a", [article(1, "One.", key="sec_1")], in_force_from=dt.date(2001, 1, 1))
    clause = article(1, "One, amended.", key="sec_1")
    make_version(
        odd,
        "b",
        [clause.__class__(**{**clause.__dict__, "number": 'Section "1", part A'})],
        in_force_from=dt.date(2011, 1, 1),
    )
    client.force_login(dana)
    content = client.get("/agreements/odd/compare/a...b/?format=csv").content
    assert 'sec_1,Article 1,"Section ""1"", part A",,,amended,' in content.decode("utf-8-sig")
    rows = csv_rows(content)
    assert rows[3] == [
        "# Not the official wording: both texts are illustrative. The changes shown are between "
        "these texts; do not quote them as changes to the agreement."
    ]
    assert rows[5][:3] == ["sec_1", "Article 1", 'Section "1", part A']


def test_the_csv_of_two_official_texts_has_no_notice_row(client: Client, dana: Any) -> None:
    build_pair()
    client.force_login(dana)
    rows = csv_rows(client.get(URL + "?format=csv").content)
    assert rows[1][0] == "# Older: Version 2001 (2001), in force from 1 January 2001; official text"
    assert rows[3] == HEADER
    assert not any(r[0].startswith("# Not the official wording") for r in rows)


def test_the_json_holds_the_diff_dataclasses_and_both_versions(reader: Client) -> None:
    response = download(reader, "?format=json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="pact-2001-to-2011.json"'
    data = json.loads(response.content)
    assert data["schema_version"] == 1
    assert data["agreement"] == {
        "slug": "pact",
        "short_title": "Pact",
        "title": "Pact on Scientific Cooperation",
    }
    assert data["older"] == {
        "label": "2001",
        "title": "Version 2001",
        "in_force_from": "2001-01-01",
        "in_force_until": "2011-01-01",
        "date_notes": {},
        "text_status": "official",
        "instrument": {
            "slug": "2001-instrument",
            "title": "Instrument 2001-instrument",
            "kind": "agreement",
            "signed_on": "2001-01-01",
            "date_notes": {},
            "text_status": "official",
        },
    }
    assert data["newer"]["text_status"] == "illustrative"
    assert data["notice"].startswith("Not the official wording: Version 2011 is illustrative.")
    assert data["url"] == "http://testserver" + URL
    assert data["ignore_whitespace_and_punctuation"] is False
    assert data["changed_only"] is False
    assert data["stats"] == {
        "added": 2,
        "removed": 1,
        "amended": 1,
        "moved": 1,
        "renumbered": 1,
        "unchanged": 1,
        "split": 0,
        "merged": 0,
        "words_inserted": 15,
        "words_deleted": 9,
        "changed": 6,
    }
    assert [c["key"] for c in data["clauses"]] == [
        "art_1",
        "art_4",
        "art_2",
        "art_3",
        "art_4_2",
        "art_5_2",
        "art_5",
    ]
    assert data["clauses"][0] == {
        "status": "amended",
        "kind": "article",
        "old_key": "art_1",
        "new_key": "art_1",
        "old_number": "Article 1",
        "new_number": "Article 1",
        "old_heading": "Purpose",
        "new_heading": "Purpose",
        "old_parent": None,
        "new_parent": None,
        "ops": [
            {"kind": "equal", "text": "The parties cooperate in ", "old_text": None},
            {"kind": "insert", "text": "basic ", "old_text": None},
            {
                "kind": "equal",
                "text": "science and technology on the basis of equality.",
                "old_text": None,
            },
        ],
        "heading_ops": [{"kind": "equal", "text": "Purpose", "old_text": None}],
        "words_inserted": 1,
        "words_deleted": 0,
        "similarity": data["clauses"][0]["similarity"],
        "edited": True,
        "parts": [],
        "key": "art_1",
        "anchor": "art_1",
    }
    assert 0.5 < data["clauses"][0]["similarity"] < 1
    assert data["clauses"][2]["anchor"] == "removed-art_2"


def test_the_json_can_leave_out_unchanged_clauses(reader: Client) -> None:
    data = json.loads(download(reader, "?format=json&changed=1").content)
    assert data["changed_only"] is True
    assert "art_3" not in [c["key"] for c in data["clauses"]]
    assert len(data["clauses"]) == 6


def runs(paragraph: Any) -> list[tuple[str, str]]:
    """Each run's text with how it is marked: underlined, struck through or plain."""
    marks = []
    for run in paragraph.runs:
        mark = "ins" if run.font.underline else "del" if run.font.strike else "plain"
        marks.append((mark, run.text))
    return marks


def heading(paragraph: Any) -> bool:
    return paragraph.style is not None and paragraph.style.name.startswith("Heading ")


def test_the_word_print_names_both_versions_and_marks_every_change(reader: Client) -> None:
    response = download(reader, "?format=docx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="pact-2001-to-2011.docx"'
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Pact: Version 2001 compared with Version 2011"
    table = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert table == [
        ["", "Version", "Made by", "In force from", "Text"],
        [
            "Older",
            "Version 2001 (2001)",
            "Instrument 2001-instrument (original agreement)",
            "1 January 2001",
            "Official text",
        ],
        [
            "Newer",
            "Version 2011 (2011)",
            "Instrument 2011-instrument (original agreement)",
            "1 January 2011",
            "Illustrative text (not the official wording)",
        ],
    ]
    assert texts[1].startswith("Not the official wording: Version 2011 is illustrative.")
    assert doc.paragraphs[1].runs[0].bold
    assert texts[2] == "Compared in the English text (en)."
    assert texts[3] == (
        "Clauses: 2 added, 1 removed, 1 amended, 1 moved, 1 renumbered, 1 unchanged. "
        "Words: 15 inserted, 9 deleted."
    )
    assert texts[4] == "Every clause is printed, the unchanged ones included."
    assert runs(doc.paragraphs[5]) == [
        ("plain", "Insertions are "),
        ("ins", "underlined"),
        ("plain", "; deletions are "),
        ("del", "struck through"),
        ("plain", "."),
    ]
    headings = [(p.style.name, p.text) for p in doc.paragraphs if heading(p)]
    assert headings == [
        ("Heading 1", "Article 1 Purpose — Amended"),
        ("Heading 1", "Article 2 Visits — Moved"),
        ("Heading 1", "Article 2 Joint Commission — Removed"),
        ("Heading 1", "Article 3 Costs"),
        ("Heading 1", "Article 4 Safety — Added"),
        ("Heading 1", "Article 5 Disputes — Added"),
        ("Heading 1", "Article 6 Entry into force — Renumbered"),
    ]
    amended = texts.index("Article 1 Purpose — Amended")
    assert runs(doc.paragraphs[amended + 1]) == [
        ("plain", "The parties cooperate in "),
        ("ins", "basic "),
        ("plain", "science and technology on the basis of equality."),
    ]
    removed = texts.index("Article 2 Joint Commission — Removed")
    assert runs(doc.paragraphs[removed + 1]) == [
        ("plain", "Heading: "),
        ("del", "Joint Commission"),
    ]
    assert runs(doc.paragraphs[removed + 2]) == [("del", "A joint commission meets once a year.")]
    moved = texts.index("Article 2 Visits — Moved")
    assert doc.paragraphs[moved + 1].text == "Moved from Article 4"
    assert doc.paragraphs[moved + 1].runs[0].italic
    unchanged = texts.index("Article 3 Costs")
    assert runs(doc.paragraphs[unchanged + 1]) == [("plain", COSTS)]


def test_the_word_print_can_leave_out_unchanged_clauses_and_says_so(reader: Client) -> None:
    doc = Document(io.BytesIO(download(reader, "?format=docx&changed=1").content))
    texts = [p.text for p in doc.paragraphs]
    assert "Unchanged clauses are left out: 1 clause that did not change is not printed." in texts
    assert "Article 3 Costs" not in texts
    assert len([p for p in doc.paragraphs if heading(p)]) == 6


def test_the_word_print_of_identical_versions_says_no_changes(reader: Client) -> None:
    response = reader.get("/agreements/pact/compare/2001...2001/?format=docx&changed=1")
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[-1].text == "No changes."
    assert [p for p in doc.paragraphs if heading(p)] == []
    every = Document(
        io.BytesIO(reader.get("/agreements/pact/compare/2001...2001/?format=docx").content)
    )
    texts = [p.text for p in every.paragraphs]
    assert "No changes." in texts
    assert [p.text for p in every.paragraphs if heading(p)] == [
        "Article 1 Purpose",
        "Article 2 Joint Commission",
        "Article 3 Costs",
        "Article 4 Visits",
        "Article 5 Entry into force",
    ]


def test_the_exports_say_an_assumed_date_is_assumed(reader: Client) -> None:
    newer = Version.objects.get(label="2011")
    newer.date_notes = {"in_force_from": {"assumed": "the date of signature"}}
    save_with_history(newer, acting_user=system_user(), reason="test data")
    data = json.loads(download(reader, "?format=json").content)
    assert data["newer"]["date_notes"] == {"in_force_from": {"assumed": "the date of signature"}}
    doc = Document(io.BytesIO(download(reader, "?format=docx").content))
    assert doc.tables[0].rows[2].cells[3].text == "1 January 2011 (assumed: the date of signature)"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(
    client: Client, dana: Any, start: str
) -> None:
    formula = f'{start}HYPERLINK("https://example.com/x","Article 1")'
    odd = make_agreement("odd")
    make_version(odd, "a", [article(1, "One.", key="sec_1")], in_force_from=dt.date(2001, 1, 1))
    clause = article(1, "One, amended.", key="sec_1")
    make_version(
        odd,
        "b",
        [clause.__class__(**{**clause.__dict__, "number": formula})],
        in_force_from=dt.date(2011, 1, 1),
    )
    client.force_login(dana)
    rows = csv_rows(client.get("/agreements/odd/compare/a...b/?format=csv").content)
    assert rows[5][:3] == ["sec_1", "Article 1", "'" + formula]


def test_cells_that_only_contain_a_formula_sign_later_are_kept_as_they_are() -> None:
    from clauses.comparison.exports import spreadsheet_safe

    assert spreadsheet_safe("Article 5-bis") == "Article 5-bis"
    assert spreadsheet_safe("-") == "'-"
    assert spreadsheet_safe(3) == 3


def test_the_compare_page_offers_a_download_form_that_keeps_the_page_choices(
    reader: Client,
) -> None:
    html = download(reader, "?ignore=1&changed=1&view=side").content.decode()
    form = html[
        html.index('<form class="export-form') : html.index(
            "</form>", html.index('<form class="export-form')
        )
    ]
    assert f'action="{URL}"' in form
    assert '<input type="hidden" name="ignore" value="1">' in form
    assert 'name="view"' not in form
    assert '<option value="pdf">PDF</option>' in form
    assert 'id="export-changed" name="changed" value="1" checked' in form
    assert 'id="export-tracked" name="tracked" value="1">' in form
    plain = download(reader, "").content.decode()
    assert 'id="export-changed" name="changed" value="1">' in plain
