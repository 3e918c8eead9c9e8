"""The text the PDF and DOCX readers hand over goes through the same layout rules."""

from __future__ import annotations

from clauses.importing.document import read_document

from .test_readers import make_docx, make_pdf


def test_a_pdf_with_a_wrapped_annex_i_line_opens_no_phantom_annex() -> None:
    doc = read_document(
        make_pdf(
            [
                "Article 10",
                "The rules are as set out in",
                "Annex I. The Parties shall apply them.",
                "Article 11",
                "Each Party bears its costs as referred to in",
                "Article 5. The Parties meet yearly.",
                "Annex I",
                "Rules.",
            ]
        ),
        "agreement.pdf",
    )
    assert [(c.key, c.parent) for c in doc.clauses] == [
        ("art_10", None),
        ("art_11", None),
        ("annex_1", None),
    ]
    assert (
        doc.clauses[0].text == "The rules are as set out in Annex I. The Parties shall apply them."
    )


def test_a_pdf_of_chinese_articles_followed_directly_by_text_has_its_structure() -> None:
    doc = read_document(
        make_pdf(
            ["第一章总则", "第一条为了促进合作，制定本条例。", "第二条本条例适用于本市。"],
            font="STSong-Light",
        ),
        "regulations.pdf",
    )
    assert [(c.key, c.number) for c in doc.clauses] == [
        ("chp_1", "第一章"),
        ("chp_1__art_1", "第一条"),
        ("chp_1__art_2", "第二条"),
    ]


def test_a_docx_in_dutch_reads_its_structure_words() -> None:
    doc = read_document(
        make_docx(
            [
                ("Hoofdstuk 1", None),
                ("Artikel 1", None),
                ("De partijen werken samen op het gebied van de wetenschap.", None),
                ("Bijlage I", None),
                ("De regels van de bijlage.", None),
            ]
        ),
        "verdrag.docx",
    )
    assert [(c.key, c.number) for c in doc.clauses] == [
        ("chp_1", "Hoofdstuk 1"),
        ("chp_1__art_1", "Artikel 1"),
        ("annex_1", "Bijlage I"),
    ]
