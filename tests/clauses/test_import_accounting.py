"""The word accounting of a parse against its source."""

from __future__ import annotations

from clauses.importing.accounting import count_words, document_word_count, words
from clauses.importing.structure import ParsedClause, ParsedDocument


def test_words_are_lower_cased_nfkc_runs_and_single_cjk_characters() -> None:
    assert words("Article 5: Ｆull-width 第五条") == [
        "article",
        "5",
        "full",
        "width",
        "第",
        "五",
        "条",
    ]


def test_a_parse_holding_every_word_once_keeps_all_and_adds_none() -> None:
    count = count_words(["a", "b", "b"], ["b", "a", "b"])
    assert (count.kept, count.extra) == (1.0, 0.0)


def test_lost_and_duplicated_words_are_counted_against_the_source() -> None:
    count = count_words(["a", "b", "c", "d"], ["a", "b", "b", "b"])
    assert (count.kept_words, count.extra_words) == (2, 2)
    assert (count.kept, count.extra) == (0.5, 0.5)


def test_a_document_is_measured_by_number_heading_and_text_of_its_clauses() -> None:
    document = ParsedDocument(
        title="",
        clauses=(ParsedClause("art_1", "article", "Article 1", "Scope", "It applies."),),
        source_text="Article 1 Scope It applies. Done at Beijing.",
    )
    count = document_word_count(document)
    assert (count.source_words, count.kept_words, count.extra_words) == (8, 5, 0)
