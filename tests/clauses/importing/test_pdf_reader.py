"""The PDF reader: page furniture, hyphenated line ends, paragraph gaps and its limits."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from clauses.importing.accounting import account
from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.limits import ImportLimits
from clauses.importing.pdf_reader import read_pdf
from clauses.importing.structure import PAGE_FURNITURE, SetAside

from .pdf_files import make_pages

HEADER = "Agreement between the Parties on Cooperation"
FOOTER = "TIAS 12345, page {page}"


def _three_pages() -> bytes:
    return make_pages(
        [
            ["Article 1", "The Parties shall cooperate in science", "and technology."],
            ["Article 2", "Each Party shall bear the costs of its", "own participation."],
            ["Article 3", "This Agreement shall enter into force on", "signature."],
        ],
        header=HEADER,
        footer=FOOTER,
    )


def test_running_headers_and_numbered_footers_are_set_aside_as_page_furniture() -> None:
    document = read_document(_three_pages(), "agreement.pdf")

    assert [(c.number, c.text) for c in document.clauses] == [
        ("Article 1", "The Parties shall cooperate in science and technology."),
        ("Article 2", "Each Party shall bear the costs of its own participation."),
        ("Article 3", "This Agreement shall enter into force on signature."),
    ]
    assert document.set_aside == tuple(
        SetAside(text, PAGE_FURNITURE)
        for page in (1, 2, 3)
        for text in (HEADER, f"TIAS 12345, page {page}")
    )
    assert HEADER in document.source_text
    assert "TIAS 12345, page 3" in document.source_text
    result = account(document)
    assert result.kept_words == result.parse_words
    assert {u.where for u in result.unplaced} == {PAGE_FURNITURE}


def test_a_heading_at_the_top_of_every_page_is_not_taken_for_a_running_header() -> None:
    bodies = [
        ["It applies", "at once.", "Each Party", "agrees."],
        ["Costs are", "shared by", "the Parties", "alike."],
        ["It ends", "on notice", "given in", "writing."],
    ]
    pages = [[f"Article {n}", *bodies[n - 1]] for n in (1, 2, 3)]
    pdf = read_pdf(make_pages(pages))

    assert pdf.furniture == ()
    assert pdf.text.splitlines()[::5] == ["Article 1", "Article 2", "Article 3"]


def test_page_numbers_alone_on_their_line_are_set_aside_on_any_page() -> None:
    pdf = read_pdf(make_pages([["Article 1", "Text.", "- 1 -"]]))

    assert (pdf.text, pdf.furniture) == ("Article 1\nText.", ("- 1 -",))


def test_a_word_hyphenated_at_a_line_end_is_joined_even_across_a_page() -> None:
    data = make_pages(
        [
            ["Article 1", "The Parties conclude this agree-", "ment in good faith. Each inter-"],
            ["national body in the Sino-", "American programme joins."],
        ],
        header=HEADER,
        footer=FOOTER,
    )
    pdf = read_pdf(data)

    assert pdf.text == (
        "Article 1\nThe Parties conclude this agreement\nin good faith. Each international\n"
        "body in the Sino-American\nprogramme joins."
    )
    assert "agreement" in pdf.source_text
    assert "agree-" not in pdf.source_text


def test_a_real_hyphen_at_a_line_end_stays_when_the_text_spells_the_word_with_it() -> None:
    data = make_pages(
        [["Article 1", "Scientific co-operation is the aim. Such co-", "operation is open."]]
    )
    assert read_pdf(data).text == (
        "Article 1\nScientific co-operation is the aim. Such co-operation\nis open."
    )


def test_the_joined_word_wins_when_the_text_spells_it_without_a_hyphen() -> None:
    data = make_pages(
        [["Article 1", "Cooperation is the aim. Such co-", "operation is open.", "A co-operation."]]
    )
    assert read_pdf(data).text.splitlines()[1] == "Cooperation is the aim. Such cooperation"


def test_a_gap_between_lines_becomes_a_blank_line() -> None:
    data = make_pages(
        [["Article 1", "The first paragraph", "wraps here.", "", "The second one.", "Ends."]]
    )
    assert read_pdf(data).text == (
        "Article 1\nThe first paragraph\nwraps here.\n\nThe second one.\nEnds."
    )


def test_a_pdf_with_too_many_pages_is_refused_saying_by_how_many() -> None:
    with pytest.raises(TextImportError) as refusal:
        read_pdf(_three_pages(), ImportLimits(max_pdf_pages=2))
    assert str(refusal.value) == (
        "The PDF has 3 pages, 1 more than the limit of 2 (STA_IMPORT_MAX_PDF_PAGES)."
    )


def test_a_pdf_with_too_much_content_is_refused_saying_by_how_much() -> None:
    data = make_pages([["Article 1", "x" * 90] * 1200, ["More."]])
    with pytest.raises(TextImportError) as refusal:
        read_pdf(data, ImportLimits(max_pdf_stream_bytes=100_000))
    assert str(refusal.value).startswith(
        "The content streams of pages 1 to 1 (of 2) of the PDF inflate to 0.3 MB, 0.2 MB more "
        "than the 0.1 MB limit (STA_IMPORT_MAX_PDF_STREAM_BYTES)."
    )


def test_a_line_on_one_page_only_is_never_taken_for_a_running_header() -> None:
    pdf = read_pdf(make_pages([["Article 1", "Text.", "More text."]], header=HEADER))

    assert (pdf.furniture, pdf.text.splitlines()[0]) == ((), HEADER)


def test_a_header_on_fewer_than_half_the_pages_stays_in_the_text() -> None:
    pages = [["Article 1", "One."], ["Two."], ["Article 2", "Three."], ["Four."], ["Five."]]
    on_two = make_pages([[HEADER, *page] if n < 2 else page for n, page in enumerate(pages)])
    on_three = make_pages([[HEADER, *page] if n < 3 else page for n, page in enumerate(pages)])

    assert read_pdf(on_two).furniture == ()
    assert read_pdf(on_three).furniture == (HEADER, HEADER, HEADER)


def test_a_hyphen_before_a_paragraph_gap_stays_and_one_before_a_number_is_kept() -> None:
    data = make_pages(
        [["Article 1", "It covers non-", "", "members. COVID-", "19 is named in sub-", "2. Next."]]
    )
    assert read_pdf(data).text == (
        "Article 1\nIt covers non-\n\nmembers. COVID-19\nis named in sub-\n2. Next."
    )


def test_words_drawn_one_by_one_on_a_baseline_make_one_line() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for y, line in ((700, "Article 1"), (686, "The Parties shall cooperate."), (672, "Done.")):
        x = 50.0
        for word in line.split():
            pdf.setFont("Helvetica", 11)
            pdf.drawString(x, y, word)
            x += pdf.stringWidth(f"{word} ", "Helvetica", 11)
    pdf.showPage()
    pdf.save()

    assert read_pdf(buffer.getvalue()).text == "Article 1\nThe Parties shall cooperate.\nDone."


def test_a_page_that_stops_short_ends_its_paragraph_and_a_full_one_does_not() -> None:
    data = make_pages(
        [
            ["Article 1", "The Parties shall", "cooperate in", "science and"],
            ["technology; and", "the end"],
            ["b) energy."],
        ]
    )
    assert read_pdf(data).text == (
        "Article 1\nThe Parties shall\ncooperate in\nscience and\ntechnology; and\nthe end\n\n"
        "b) energy."
    )
