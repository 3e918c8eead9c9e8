"""Real texts of the shared corpus, made into Word and PDF files, read back in full."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.real_files import HEADER, make_docx, make_pdf, paragraphs, wrap
from clauses.importing.accounting import account, clause_words, count_words, words
from clauses.importing.document import read_document
from clauses.importing.structure import (
    METADATA,
    PAGE_FURNITURE,
    ParsedClause,
    ParsedDocument,
    SetAside,
)

FILES = {
    "jp": "md/nl-jp-st-1996.BWBV0001290.md",
    "homeland": "md/nl-us-st-homeland-2012.BWBV0006073.md",
    "vclt": "md/vclt-1969.BWBV0003441.md",
    "shanghai": "zh-pairs/shanghai-st-progress-2024.md",
}


def _texts(real_corpus_dir: Path, name: str) -> list[str]:
    return paragraphs(real_corpus_dir / FILES[name])


def _clauses(document: ParsedDocument) -> list[ParsedClause]:
    """The clauses of every language text of the document."""
    return [c for text in (document, *document.other_texts) for c in text.clauses]


def _read(texts: list[str], fmt: str, name: str) -> ParsedDocument:
    return _read_once(tuple(texts), fmt, name)


@functools.cache
def _read_once(texts: tuple[str, ...], fmt: str, name: str) -> ParsedDocument:
    """Each file is made and read once for all the tests (the parse is a frozen value)."""
    if fmt == "docx":
        return read_document(make_docx(list(texts)), f"{name}.docx")
    return read_document(make_pdf(list(texts), chinese=name == "shanghai"), f"{name}.pdf")


def _metadata(document: ParsedDocument) -> list[str]:
    return [
        item.text
        for text in (document, *document.other_texts)
        for item in text.set_aside
        if item.where == METADATA
    ]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", list(FILES))
def test_every_word_written_into_the_file_is_in_the_parse_once(
    real_corpus_dir: Path, name: str, fmt: str
) -> None:
    """Kept and extra by the corpus's counting rule, and in order, against the text written.

    Lines the parser sets aside as the publisher's metadata (a database's status lines) are
    measured apart: each must be a whole line of the file, and the rest must be in clauses.
    """
    texts = _texts(real_corpus_dir, name)
    document = _read(texts, fmt, name)
    metadata = _metadata(document)
    assert [line for line in metadata if line not in texts] == []
    written = "\n".join(text for text in texts if text not in set(metadata))

    count = count_words(words(written), clause_words(_clauses(document)))
    assert count.kept >= 0.995, count
    assert count.extra <= 0.005, count
    assert document.warnings == ()
    in_order = account(document, source_text=written)
    assert in_order.kept >= 0.995, in_order.unplaced
    assert in_order.extra <= 0.005, in_order.duplicated


@pytest.mark.parametrize("name", list(FILES))
def test_the_running_header_is_set_aside_and_in_no_clause(real_corpus_dir: Path, name: str) -> None:
    document = _read(_texts(real_corpus_dir, name), "pdf", name)

    assert SetAside(HEADER, PAGE_FURNITURE) in document.set_aside
    assert not [c.key for c in _clauses(document) if "Electronic Print" in c.text + c.heading]
    assert not [c.key for c in _clauses(document) if "print, page" in c.text + c.heading]


def test_the_pdf_wraps_lines_at_references_to_annexes_and_articles(real_corpus_dir: Path) -> None:
    """The layout that opened phantom headings is in the file: "Annex I." opening a wrapped line."""
    texts = _texts(real_corpus_dir, "homeland")
    inside = [line for text in texts for line in wrap(text, chinese=False)[1:]]
    assert [line for line in inside if line.startswith("Annex I.")]
    assert [line for line in inside if re.match(r"Article \d+\.", line)]


# The structure SOURCES.md gives for each text (its first language).
EXPECTED = {
    "jp": {"article": 8, "paragraph": 8, "item": 5, "signature": 1},
    "homeland": {"article": 20, "annex": 2, "signature": 1},
    "vclt": {"article": 85, "section": 8 + 12},
    "shanghai": {"section": 11, "article": 47},
}


def _kinds(document: ParsedDocument) -> list[Counter[str]]:
    return [Counter(c.kind for c in text.clauses) for text in (document, *document.other_texts)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [(name, fmt) for name in EXPECTED for fmt in ("docx", "pdf")],
)
def test_structure_counts_come_through_the_readers(
    real_corpus_dir: Path, name: str, fmt: str
) -> None:
    """The counts SOURCES.md gives, and the same structure as the text read as Markdown."""
    texts = _texts(real_corpus_dir, name)
    document = _read(texts, fmt, name)
    as_text = read_document("\n\n".join(texts).encode(), f"{name}.md")

    kinds = _kinds(document)
    assert {kind: kinds[0][kind] for kind in EXPECTED[name]} == EXPECTED[name]
    assert kinds == _kinds(as_text)
