"""A text that stops mid-word or mid-sentence is flagged; complete endings are not."""

from __future__ import annotations

import pytest

from clauses.importing.document import read_document
from clauses.importing.structure import ParsedClause, ParsedDocument
from clauses.importing.truncation import truncation_warning

OPENING = "Article 1\n\nThe Parties shall cooperate in science.\n\nArticle 2\n\n"


def _ending_with(kind: str, text: str) -> ParsedDocument:
    return ParsedDocument(title="", clauses=(ParsedClause("x", kind, "", "", text),))


def test_a_text_cut_off_mid_sentence_is_flagged_with_its_last_words() -> None:
    document = read_document(
        (OPENING + "Each Party shall bear the costs of its own participation in").encode(),
        "agreement.txt",
    )
    assert document.warnings == (
        "The text ends in the middle of a sentence (…costs of its own participation in); the "
        "file may be cut off.",
    )


def test_a_text_cut_off_mid_word_is_flagged() -> None:
    document = read_document((OPENING + "Each Party shall bear the co-").encode(), "a.txt")
    assert document.warnings == (
        "The text ends in the middle of a word (…Each Party shall bear the co-); the file may "
        "be cut off.",
    )


def test_a_complete_text_has_no_warning() -> None:
    document = read_document((OPENING + "Costs are shared.").encode(), "agreement.txt")
    assert document.warnings == ()


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("signature", "For the Government of the United States of America\nJohn Smith"),
        ("paragraph", "Done at Beijing, 10 May 2024"),
        ("paragraph", "Signed on May 10, 2024"),
        ("paragraph", "二〇二四年五月十日"),
        ("paragraph", "2024年5月10日"),
        ("article", "本条例自2024年7月1日起施行。"),
        ("item", "(q) marine science"),
        ("paragraph", "Voor de Regering van Japan: (w.g.) TARO YAMADA"),
        ("paragraph", "For the Government of the Kingdom of the Netherlands: JAN DE VRIES"),
        ("paragraph", "中华人民共和国政府代表（签字）"),
        ("article", 'The term "Party" means a State ("Party.")'),
        ("article", "It shall apply as follows:"),
    ],
)
def test_complete_endings_are_not_flagged(kind: str, text: str) -> None:
    assert truncation_warning(_ending_with(kind, text)) is None


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("本条例自2024年7月1日起", "…本条例自2024年7月1日起"),
        ("The Parties shall", "…The Parties shall"),
        ("It is signed by the PRC", "…It is signed by the PRC"),
        ("缔约双方应当，", "…缔约双方应当，"),
    ],
)
def test_endings_without_sentence_punctuation_are_flagged(text: str, tail: str) -> None:
    assert truncation_warning(_ending_with("article", text)) == (
        f"The text ends in the middle of a sentence ({tail}); the file may be cut off."
    )


def test_the_last_language_text_of_a_bilingual_print_is_the_one_judged() -> None:
    english = _ending_with("article", "It ends.")
    document = ParsedDocument(
        title="",
        clauses=english.clauses,
        other_texts=(_ending_with("article", "Het eindigt"),),
    )
    assert truncation_warning(document) == (
        "The text ends in the middle of a sentence (…Het eindigt); the file may be cut off."
    )
    assert truncation_warning(english) is None


def test_a_heading_alone_at_the_end_is_not_judged() -> None:
    assert truncation_warning(_ending_with("annex", "")) is None
