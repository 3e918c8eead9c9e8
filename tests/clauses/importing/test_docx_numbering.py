"""Word's automatic paragraph numbers, rebuilt as Word renders them."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml

from clauses.importing.docx_reader import docx_text, number_text

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _lvl(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _docx(numbering: str, paragraphs: list[tuple[str, str, int]]) -> bytes:
    """Paragraphs as (text, numId, ilvl); numId "" for a paragraph without a number."""
    document = docx.Document()
    part = document.part.numbering_part
    part._element = parse_xml(f"<w:numbering {NS}>{numbering}</w:numbering>")
    for text, num_id, ilvl in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id:
            num_pr = f'<w:numPr {NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
            properties: Any = paragraph._p.get_or_add_pPr()
            properties.append(parse_xml(num_pr))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _labels(numbering: str, paragraphs: list[tuple[str, str, int]]) -> list[str]:
    return docx_text(_docx(numbering, paragraphs)).split("\n\n")


TWO_LEVELS = (
    '<w:abstractNum w:abstractNumId="0">'
    + _lvl(0, "upperRoman", "%1.")
    + _lvl(1, "decimal", "%1.%2.")
    + "</w:abstractNum>"
)


def test_numbers_shared_across_nums_of_one_abstract_numbering_continue() -> None:
    numbering = (
        TWO_LEVELS
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
    )
    paragraphs = [("Scope", "1", 0), ("Costs", "2", 0), ("Term", "1", 0)]
    assert _labels(numbering, paragraphs) == ["I. Scope", "II. Costs", "III. Term"]


def test_a_start_override_sets_the_counter_where_its_num_is_first_used() -> None:
    numbering = (
        TWO_LEVELS
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        + '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    )
    paragraphs = [("A", "1", 0), ("B", "1", 0), ("C", "2", 0), ("D", "2", 0), ("E", "1", 0)]
    assert _labels(numbering, paragraphs) == ["I. A", "II. B", "V. C", "VI. D", "VII. E"]


def test_a_lower_level_restarts_after_a_higher_one_and_shows_both_numbers() -> None:
    numbering = TWO_LEVELS + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    paragraphs = [("A", "1", 0), ("a", "1", 1), ("b", "1", 1), ("B", "1", 0), ("c", "1", 1)]
    assert _labels(numbering, paragraphs) == ["I. A", "I.1. a", "I.2. b", "II. B", "II.1. c"]


def test_lvl_restart_zero_never_restarts_and_one_restarts_only_after_the_top_level() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "decimal", "Part %1")
        + _lvl(1, "upperLetter", "%2.")
        + _lvl(2, "lowerLetter", "(%3)", extra='<w:lvlRestart w:val="1"/>')
        + "</w:abstractNum>"
        + '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "decimal", "%1.")
        + _lvl(1, "decimal", "Note %2", extra='<w:lvlRestart w:val="0"/>')
        + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    )
    paragraphs = [
        *(("x", "1", 0), ("x", "1", 1), ("x", "1", 2), ("x", "1", 1), ("x", "1", 2)),
        *(("x", "1", 0), ("x", "1", 2)),
        *(("x", "2", 0), ("x", "2", 1), ("x", "2", 0), ("x", "2", 1)),
    ]
    assert _labels(numbering, paragraphs) == [
        *("Part 1 x", "A. x", "(a) x", "B. x", "(b) x"),
        *("Part 2 x", "(a) x"),
        *("1. x", "Note 1 x", "2. x", "Note 2 x"),
    ]


def test_legal_numbering_and_suffixes_follow_the_level() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "upperRoman", "Article %1", extra='<w:suff w:val="space"/>')
        + _lvl(1, "lowerLetter", "%1.%2", extra='<w:isLgl/><w:suff w:val="nothing"/>')
        + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    paragraphs = [("", "1", 0), ("\ttext", "1", 1), ("plain", "", 0)]
    assert _labels(numbering, paragraphs) == ["Article I ", "1.1\ttext", "plain"]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (4, "decimal", "4"),
        (4, "decimalZero", "04"),
        (28, "lowerLetter", "bb"),
        (3, "upperLetter", "C"),
        (1994, "upperRoman", "MCMXCIV"),
        (14, "lowerRoman", "xiv"),
        (22, "ordinal", "22nd"),
        (12, "ordinal", "12th"),
        (3, "decimalEnclosedCircle", "③"),
        (7, "decimalFullWidth", "７"),
        (3, "ideographTraditional", "丙"),
        (10, "chineseCounting", "十"),
        (15, "chineseCounting", "十五"),
        (47, "chineseCountingThousand", "四十七"),
        (105, "chineseCounting", "一百零五"),
        (1200, "chineseCounting", "一千二百"),
        (5, "someFormatNotKnown", "5"),
    ],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert number_text(value, fmt) == shown


def test_paragraphs_with_unknown_or_removed_numbering_get_no_number() -> None:
    numbering = TWO_LEVELS + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    paragraphs = [("A", "1", 0), ("none", "0", 0), ("missing", "9", 0), ("deep", "1", 7)]
    assert _labels(numbering, paragraphs) == ["I. A", "none", "missing", "deep"]


def test_a_bullet_level_counts_but_prints_no_number() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "decimal", "%1.")
        + _lvl(1, "bullet", "•")
        + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    paragraphs = [("A", "1", 0), ("point", "1", 1), ("B", "1", 0)]
    assert _labels(numbering, paragraphs) == ["1. A", "point", "2. B"]


def test_a_level_replaced_in_a_num_override_is_used_for_that_num_only() -> None:
    numbering = (
        TWO_LEVELS
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
        + _lvl(0, "decimal", "Chapter %1")
        + "</w:lvlOverride></w:num>"
    )
    paragraphs = [("A", "1", 0), ("B", "2", 0), ("C", "1", 0)]
    assert _labels(numbering, paragraphs) == ["I. A", "Chapter 2 B", "III. C"]
