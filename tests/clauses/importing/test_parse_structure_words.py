"""Structure words of many languages, in their printed and capital forms, are headings."""

from __future__ import annotations

import pytest

from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedDocument


def heads(doc: ParsedDocument) -> list[tuple[str, str, str, str]]:
    return [(c.key, c.kind, c.number, c.heading) for c in doc.clauses]


@pytest.mark.parametrize(
    ("line", "key", "kind"),
    [
        ("Article 5", "art_5", "article"),
        ("ARTICLE 5", "art_5", "article"),
        ("Art. 5", "art_5", "article"),
        ("Artikel 5", "art_5", "article"),
        ("ARTIKEL 5", "art_5", "article"),
        ("Articolo 5", "art_5", "article"),
        ("Artículo 5", "art_5", "article"),
        ("Artikla 5", "art_5", "article"),
        ("5 artikla", "art_5", "article"),
        ("§ 5", "art_5", "article"),
        ("5 §", "art_5", "article"),
        ("SEC. 5.", "sec_5", "section"),
        ("Section 5", "sec_5", "section"),
        ("Abschnitt 5", "sec_5", "section"),
        ("Chapter V", "chp_5", "section"),
        ("Chapitre 5", "chp_5", "section"),
        ("Kapitel 5", "chp_5", "section"),
        ("Hoofdstuk 5", "chp_5", "section"),
        ("Capo V", "chp_5", "section"),
        ("PART V", "part_5", "section"),
        ("Deel 5", "part_5", "section"),
        ("Annex 5", "annex_5", "annex"),
        ("Annexe 5", "annex_5", "annex"),
        ("Anhang 5", "annex_5", "annex"),
        ("Anlage 5", "annex_5", "annex"),
        ("Bijlage 5", "annex_5", "annex"),
        ("Allegato 5", "annex_5", "annex"),
        ("Anexo 5", "annex_5", "annex"),
        ("Schedule 5", "annex_5", "annex"),
        ("附件五", "annex_5", "annex"),
        ("附录五", "annex_5", "annex"),
        ("第五条", "art_5", "article"),
        ("第五章", "chp_5", "section"),
    ],
)
def test_each_structure_word_opens_its_kind_of_part(line: str, key: str, kind: str) -> None:
    doc = parse_text(f"{line}\nThe text of the part.\n")
    assert (doc.clauses[0].key, doc.clauses[0].kind, doc.clauses[0].number) == (key, kind, line)


def test_a_lower_case_structure_word_at_the_start_of_a_line_is_text() -> None:
    doc = parse_text("Article 1\nThe Parties apply the rules.\narticle 5 applies as well.\n")
    assert [c.key for c in doc.clauses] == ["art_1"]


def test_gpo_sections_keep_their_printed_number_and_title_in_capitals() -> None:
    doc = parse_text("SEC. 2. DEFINITIONS.\n(a) In general.—The term means cooperation.\n")
    assert heads(doc) == [
        ("sec_2", "section", "SEC. 2.", "DEFINITIONS."),
        ("sec_2__para_a", "paragraph", "(a)", ""),
    ]


def test_a_sentence_case_heading_on_its_own_line_is_kept_as_the_heading() -> None:
    doc = parse_text(
        "Article 2\n\nUse of terms\n\n1. For the purposes of the Convention a term is a word.\n"
        "Article 3\nScope of the present Convention\n\nThe Convention applies to treaties.\n"
    )
    assert heads(doc) == [
        ("art_2", "article", "Article 2", "Use of terms"),
        ("art_2__para_1", "paragraph", "1.", ""),
        ("art_3", "article", "Article 3", "Scope of the present Convention"),
    ]
    assert doc.clauses[2].text == "The Convention applies to treaties."


def test_a_sentence_running_on_after_the_article_line_is_not_a_heading() -> None:
    doc = parse_text("Article 2\nThe Parties shall cooperate in\nagriculture and energy.\n")
    assert heads(doc) == [("art_2", "article", "Article 2", "")]
    assert doc.clauses[0].text == "The Parties shall cooperate in agriculture and energy."


def test_a_markdown_heading_after_an_article_is_its_heading_whatever_its_case() -> None:
    doc = parse_text("### Article 2\n\n#### Use of terms\n\nA term is a word.\n", markdown=True)
    assert heads(doc) == [("art_2", "article", "Article 2", "Use of terms")]


def test_chinese_articles_followed_directly_by_text_as_a_pdf_gives_them() -> None:
    doc = parse_text("第一章总则\n第一条为了促进合作，制定本条例。\n第二条本条例适用于本市。\n")
    assert [(c.key, c.number, c.heading, c.text) for c in doc.clauses] == [
        ("chp_1", "第一章", "总则", ""),
        ("chp_1__art_1", "第一条", "", "为了促进合作，制定本条例。"),
        ("chp_1__art_2", "第二条", "", "本条例适用于本市。"),
    ]


def test_a_chinese_reference_at_the_start_of_a_wrapped_line_is_text() -> None:
    doc = parse_text("第一条 本市依照\n第五条的规定执行。\n")
    assert [(c.key, c.text) for c in doc.clauses] == [("art_1", "本市依照第五条的规定执行。")]


def test_a_title_run_into_the_first_sentence_of_a_roman_section_is_its_heading() -> None:
    doc = parse_text(
        "ANNEX I\nI. General Obligation The Parties shall ensure adequate and effective "
        "protection of all property.\nII. Rights In Data\nIII. The Parties shall apply the "
        "rules of this Annex in good faith.\n"
    )
    assert [(c.key, c.number, c.heading, c.text) for c in doc.clauses] == [
        ("annex_1", "ANNEX I", "", ""),
        (
            "annex_1__sec_I",
            "I.",
            "General Obligation",
            "The Parties shall ensure adequate and effective protection of all property.",
        ),
        ("annex_1__sec_II", "II.", "Rights In Data", ""),
        (
            "annex_1__sec_III",
            "III.",
            "",
            "The Parties shall apply the rules of this Annex in good faith.",
        ),
    ]
