"""Real legal English whose keys were re-derived by position: one moved article is one move.

Two real texts: the licences in /usr/share/common-licenses (cut into parts, articles, paragraphs
and points by ``benchmarks.real_text``), and the Vienna Convention on the Law of Treaties from the
shared corpus, read by the importer before and after one article is moved in its Markdown and
every article heading renumbered, as a careless import would read the two versions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import real_text
from clauses.diffing import ClauseText, Status, diff_versions
from clauses.importing.document import read_document
from clauses.importing.matching import (
    RENUMBERED,
    UNCHANGED,
    PreviousClause,
    match_clauses,
)
from clauses.importing.structure import ParsedClause


@pytest.fixture
def licences() -> list[real_text.Part]:
    if not real_text.available():
        pytest.skip(f"the licence texts are not at {real_text.LICENCES_DIR} (not a Debian machine)")
    return real_text.read_parts()


def _expected_new_key(old_key: str, moved_to: str) -> str:
    """Where each old clause stands after part 1's second article went to the end of part 13."""
    found = re.fullmatch(r"part_(\d+)__art_(\d+)(.*)", old_key)
    if found is None or found.group(1) != "1":
        return old_key
    article, rest = int(found.group(2)), found.group(3)
    if article == 2:
        return moved_to + rest
    if article > 2:
        return f"part_1__art_{article - 1}{rest}"
    return old_key


def test_moving_one_licence_article_reports_it_alone_as_moved(
    licences: list[real_text.Part],
) -> None:
    old = real_text.clauses_by_position(licences)
    new = real_text.clauses_by_position(real_text.with_article_moved(licences))
    assert len(old) > 1900
    moved_to = f"part_{len(licences)}__art_{len(licences[-1].articles) + 1}"
    new_by_key = {c.key: c for c in new}

    diff = diff_versions(old, new)

    expected = {}
    for clause in old:
        new_key = _expected_new_key(clause.key, moved_to)
        if clause.key == "part_1__art_2":
            status = Status.MOVED
        elif new_by_key[new_key].number != clause.number:
            status = Status.RENUMBERED
        else:
            status = Status.UNCHANGED
        expected[clause.key] = (new_key, status)
    assert {row.old_key: (row.new_key, row.status) for row in diff.clauses} == expected
    assert len(diff.clauses) == len(old)
    assert diff.stats.moved == 1
    # The moved article's paragraphs and points go with it, renumbered (paragraphs) or not.
    under_moved = [r for r in diff.clauses if (r.new_key or "").startswith(moved_to + "__")]
    assert under_moved
    assert {r.status for r in under_moved} == {Status.RENUMBERED, Status.UNCHANGED}
    assert diff.stats.renumbered == sum(1 for k, s in expected.values() if s == Status.RENUMBERED)
    assert diff.stats.added == diff.stats.removed == diff.stats.amended == 0


def test_the_import_matcher_keeps_every_key_of_the_moved_licence_text(
    licences: list[real_text.Part],
) -> None:
    old = real_text.clauses_by_position(licences)
    new = real_text.clauses_by_position(real_text.with_article_moved(licences))
    moved_to = f"part_{len(licences)}__art_{len(licences[-1].articles) + 1}"
    previous = [PreviousClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in old]
    parsed = [ParsedClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in new]

    matched = match_clauses(previous, parsed)

    # Every clause keeps the key of the clause it continues; nothing is added or repealed.
    expected_old_key = {_expected_new_key(c.key, moved_to): c.key for c in old}
    assert [m.key for m in matched] == [expected_old_key[c.key] for c in new]
    old_number = {c.key: c.number for c in old}
    assert [m.change for m in matched] == [
        UNCHANGED if old_number[m.key] == m.number else RENUMBERED for m in matched
    ]


def _vclt_with_article_moved(source: str, article: int) -> str:
    """The convention's Markdown with one article moved after the last one, headings renumbered."""
    lines = source.split("\n")
    heads = [
        n
        for n, line in enumerate(lines)
        if re.match(r"### (Article|PART|SECTION|Annex|ANNEX)", line)
    ]

    def span(number: int) -> tuple[int, int]:
        start = next(n for n in heads if re.fullmatch(rf"### Article\s+{number}\s*", lines[n]))
        return start, next(n for n in heads if n > start)

    start, end = span(article)
    moving, rest = lines[start:end], lines[:start] + lines[end:]
    last_end = span(85)[1] - len(moving)
    out = rest[:last_end] + moving + rest[last_end:]
    count = 0
    for n, line in enumerate(out):
        if re.fullmatch(r"### Article\s+\d+\s*", line):
            count += 1
            out[n] = f"### Article  {count}  "
    return "\n".join(out)


def _clauses(text: str) -> list[ClauseText]:
    parsed = read_document(text.encode("utf-8"), "convention.md").clauses
    return [
        ClauseText(c.key, c.kind, c.number, c.heading, c.text, c.parent, order=n)
        for n, c in enumerate(parsed)
    ]


def test_the_convention_reimported_with_one_article_moved_reports_one_move(
    real_corpus_dir: Path,
) -> None:
    path = real_corpus_dir / "md" / "vclt-1969.BWBV0003441.md"
    if not path.is_file():
        pytest.skip(f"{path} is not in the shared corpus")
    source = path.read_text(encoding="utf-8")
    old = _clauses(source)
    new = _clauses(_vclt_with_article_moved(source, 2))
    # Article 2 (use of terms: a paragraph and its items) now closes Part VIII as Article 85.
    assert [c.number for c in new if c.key == "art_85__para_1__item_a"] == ["(a)"]

    diff = diff_versions(old, new)

    rows = {row.old_key: row for row in diff.clauses}
    assert len(diff.clauses) == len(old) == len(new)
    moved = [(r.old_key, r.new_key) for r in diff.clauses if r.status == Status.MOVED]
    assert moved == [("part_1__art_2", "art_85")]
    assert rows["part_1__art_2__para_1__item_a"].new_key == "art_85__para_1__item_a"
    assert rows["part_1__art_2__para_1__item_a"].status == Status.UNCHANGED
    # Every later article is renumbered (one less), and nothing else changes.
    renumbered = sorted(
        (r.old_number, r.new_number) for r in diff.clauses if r.status == Status.RENUMBERED
    )
    assert renumbered == sorted((f"Article {n}", f"Article {n - 1}") for n in range(3, 86))
    assert diff.stats.unchanged == len(old) - 1 - 83
    assert diff.stats.added == diff.stats.removed == diff.stats.amended == 0
