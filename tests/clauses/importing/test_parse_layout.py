"""A heading needs a heading's layout: a wrapped line never opens one."""

from __future__ import annotations

import pytest

from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedDocument


def shape(doc: ParsedDocument) -> list[tuple[str, str, str, str, str | None]]:
    return [(c.key, c.number, c.heading, " ".join(c.text.split()), c.parent) for c in doc.clauses]


def test_a_wrapped_line_starting_annex_i_does_not_open_an_annex() -> None:
    doc = parse_text(
        "Article 10\nThe rules are as set out in\nAnnex I. The Parties shall apply them.\n"
        "Article 11\nThe Parties meet yearly.\n"
    )
    assert [(c.key, c.parent) for c in doc.clauses] == [("art_10", None), ("art_11", None)]
    assert doc.clauses[0].text == (
        "The rules are as set out in Annex I. The Parties shall apply them."
    )


def test_a_wrapped_line_starting_article_5_does_not_open_an_article() -> None:
    doc = parse_text(
        "Article 4\nThe costs referred to in\nArticle 5. Each Party bears its own.\n"
        "Article 5\nEach Party bears its costs.\n"
    )
    assert [c.key for c in doc.clauses] == ["art_4", "art_5"]
    assert doc.clauses[0].text == "The costs referred to in Article 5. Each Party bears its own."


def test_a_wrapped_line_starting_with_a_number_after_paragraph_is_text() -> None:
    doc = parse_text("Article 1\n1. The rules of paragraph\n2. apply as well.\n")
    assert [c.key for c in doc.clauses] == ["art_1", "art_1__para_1"]
    assert doc.clauses[1].text == "The rules of paragraph 2. apply as well."


def test_a_heading_after_a_blank_line_or_a_sentence_end_opens_its_part() -> None:
    doc = parse_text("Article 1\nThe Parties cooperate.\nAnnex I\n\nArticle 1\nRules.\n")
    assert [(c.key, c.parent) for c in doc.clauses] == [
        ("art_1", None),
        ("annex_1", None),
        ("annex_1__art_1", "annex_1"),
    ]


def test_two_identical_texts_wrapped_differently_parse_to_the_same_clauses() -> None:
    words = (
        "Article 1\nThe Parties shall cooperate in the fields listed in Annex I. The Parties "
        "shall also cooperate in the fields referred to in Article 5. Each Party bears its "
        "costs.\nArticle 5\nThe fields are agriculture and energy.\nAnnex I\nThe fields of "
        "research are listed here.\n"
    )
    narrow = _wrap(words, 17)
    wide = _wrap(words, 53)
    assert "\nAnnex I. The" in narrow
    assert "\nArticle 5. Each" in narrow
    assert "\nAnnex I. The" in wide
    assert "\nArticle 5. Each" not in wide
    assert shape(parse_text(narrow)) == shape(parse_text(wide)) == shape(parse_text(words))


@pytest.mark.parametrize("width", range(12, 100, 3))
def test_any_wrapping_width_gives_the_clauses_of_the_unwrapped_text(width: int) -> None:
    text = (
        "Article 1\nThe Parties shall cooperate in the fields listed in Annex I. The Parties "
        "shall also cooperate in the fields referred to in Article 5. Each Party bears its "
        "costs.\nArticle 5\nThe fields are agriculture and energy.\nAnnex I\nThe fields of "
        "research are listed here.\n"
    )
    assert shape(parse_text(_wrap(text, width))) == shape(parse_text(text))


def _wrap(text: str, width: int) -> str:
    """Hard-wrap each line at ``width`` characters, as a PDF's text layer does."""
    out: list[str] = []
    for line in text.splitlines():
        current = ""
        for word in line.split():
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        out.append(current)
    return "\n".join(out) + "\n"
