"""The parse says where every word went: clauses, the title, or the publisher's metadata."""

from __future__ import annotations

from clauses.importing.accounting import document_word_count, words
from clauses.importing.parse import parse_text
from clauses.importing.structure import METADATA, TITLE, SetAside


def test_plain_text_source_is_the_decoded_text_with_whitespace_collapsed() -> None:
    doc = parse_text("Article 1\r\nThe  Parties\u00a0cooperate.\n")
    assert doc.source_text == "Article 1\nThe Parties cooperate.\n"
    count = document_word_count(doc)
    assert (count.kept, count.extra) == (1.0, 0.0)


def test_markdown_source_is_the_text_without_markup_or_link_targets() -> None:
    doc = parse_text(
        "# Agreement\n\n## Article 1\n\n**See** [the rules](https://example.org/rules).\n\n"
        "| Term | Meaning |\n| --- | --- |\n| Party | A State |\n",
        markdown=True,
    )
    assert doc.source_text == (
        "Agreement\n\nArticle 1\n\nSee the rules.\n\nTerm | Meaning\n\nParty | A State\n"
    )
    assert "example" not in " ".join(c.text for c in doc.clauses)


def test_the_title_is_set_aside_as_the_title() -> None:
    doc = parse_text("AGREEMENT ON SCIENCE\n\nArticle 1\nThe Parties cooperate.\n")
    assert doc.set_aside == (SetAside("AGREEMENT ON SCIENCE", TITLE),)


def test_a_meta_line_and_a_collection_note_are_set_aside_as_metadata() -> None:
    doc = parse_text(
        "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n"
        "### Article 1\n\nWordt voorlopig toegepast per 29-11-2012\n\nThe Parties cooperate.\n",
        markdown=True,
    )
    assert doc.set_aside == (
        SetAside("<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />", METADATA),
        SetAside("Wordt voorlopig toegepast per 29-11-2012", METADATA),
    )
    assert doc.clauses[0].text == "The Parties cooperate."


def test_a_header_before_info_end_is_metadata_and_gives_the_title() -> None:
    doc = parse_text(
        "# 某某条例\n\n1996年6月20日 通过\n\n<!-- INFO END -->\n\n"
        "第一条 本条例自公布之日起施行。\n",
        markdown=True,
    )
    assert doc.title == "某某条例"
    assert doc.set_aside == (SetAside("某某条例\n1996年6月20日 通过\n<!-- INFO END -->", METADATA),)
    accounted = [w for c in doc.clauses for w in words(c.text + c.number)]
    accounted += [w for s in doc.set_aside for w in words(s.text)]
    assert sorted(accounted) == sorted(words(doc.source_text))
