"""Every structure pattern, and the whole parse, take linear time on adversarial 100 KB lines."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable

import pytest

from clauses.importing import amending, markdown, numberpath, parse, reflow, vocabulary
from clauses.importing import lines as line_patterns
from clauses.importing.errors import TextImportError
from clauses.importing.markdown import markdown_line, strip_links
from clauses.importing.parse import parse_text

# Why: a linear scan of 100 KB takes about a millisecond; a backtracking pattern takes minutes.
BOUND = 1.0
SIZE = 100_000

ADVERSARIAL = {
    "markdown heading": "# " + "a " * (SIZE // 2) + "#",
    "spaces": "Article" + " " * SIZE + "x",
    "spaces after hash": "# " + " " * SIZE + "x",
    "digits": "1" * SIZE,
    "dots": "." * SIZE,
    "digits and dots": "1." * (SIZE // 2),
    "roman numerals": "I" * SIZE + ".",
    "roman and letters": "II. " + "C " * (SIZE // 2),
    "chinese numerals": "第" + "一" * SIZE,
    "chinese numerals and spaces": "第" + "一 " * (SIZE // 2) + "章",
    "brackets": "[" * SIZE + "](",
    "links": "[a](" * (SIZE // 4),
    "pipes": "|" * SIZE,
    "parentheses": "(" * SIZE,
    "article words": "Article " * (SIZE // 8),
    "dates": "January 1, " * (SIZE // 11),
    "chinese signature": "本协定于" + "签" * SIZE,
    "years": "1234" + " " * SIZE,
    "chinese ordinal marks": "第" * SIZE,
    "chinese extension and spaces": "本协定有效期延长" + " " * SIZE + "x",
    "extension and spaces": "The Agreement shall be extended for" + " " * SIZE + "x",
    "annex marks": "附件" * (SIZE // 2),
}


def patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for module in (line_patterns, reflow, parse, vocabulary, markdown, numberpath, amending):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__}.{name}", value))
    found.extend((f"NUMBERED {style}", pattern) for style, pattern in line_patterns.NUMBERED)
    return found


def cpu_seconds(work: Callable[..., object], *args: object) -> float:
    start = time.process_time()
    work(*args)
    return time.process_time() - start


def match_and_search(pattern: re.Pattern[str], line: str) -> None:
    pattern.match(line)
    pattern.search(line)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_every_structure_pattern_is_linear_on_an_adversarial_line(name: str) -> None:
    line = ADVERSARIAL[name]
    slow = {
        pattern_name: seconds
        for pattern_name, pattern in patterns()
        if (seconds := cpu_seconds(match_and_search, pattern, line)) > BOUND
    }
    assert slow == {}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_the_line_classifiers_are_linear_on_an_adversarial_line(name: str) -> None:
    line = ADVERSARIAL[name]
    calls: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (line_patterns.classify_heading, (line,)),
        (line_patterns.classify_roman, (line, "C")),
        (line_patterns.classify_numbered, (line, "h")),
        (line_patterns.signature_opening, (line, True)),
        (line_patterns.part_title, (line,)),
        (line_patterns.salutation, (line,)),
        (line_patterns.letter_date, (line,)),
        (markdown_line, (line,)),
        (strip_links, (line,)),
    ]
    slow = [work.__name__ for work, args in calls if cpu_seconds(work, *args) >= BOUND]
    assert slow == []


def _parse(text: str, markdown: bool) -> None:
    with contextlib.suppress(TextImportError):
        parse_text(text, markdown=markdown)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
@pytest.mark.parametrize("markdown", [False, True])
def test_the_whole_parse_is_linear_on_an_adversarial_line(name: str, markdown: bool) -> None:
    text = f"Article 1\n{ADVERSARIAL[name]}\n"
    assert cpu_seconds(_parse, text, markdown) < BOUND


@pytest.mark.parametrize(
    "line", ["Article 1", "a", "1. a", "第一条", "", "Annex I", "(a) x;", "as set out in"]
)
def test_the_whole_parse_is_linear_on_100_kb_of_short_lines(line: str) -> None:
    text = "Article 1\n" + "\n".join([line] * (SIZE // max(1, len(line) + 1)))
    # Why: tens of thousands of lines take about a second; quadratic work would take minutes.
    assert cpu_seconds(_parse, text, False) < 10 * BOUND
