"""Word accounting: does the parse hold every word of the source, once?

The counting rule: text is NFKC-normalised and lower-cased, then split into words (runs of
word characters; each CJK character is a word of its own). ``kept`` is the share of the
source's words found in the parse (number, heading and text of every clause, with repeats);
``extra`` is the share of words the parse holds beyond the source's (duplicated or injected
text), both relative to the number of words in the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .structure import ParsedClause, ParsedDocument

_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK_CHARS}]|[^\W{_CJK_CHARS}]+")


def words(text: str) -> list[str]:
    """The words of ``text`` under the counting rule."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def clause_words(clauses: Iterable[ParsedClause]) -> list[str]:
    """The words of the clauses in reading order: number, heading, then text of each."""
    found: list[str] = []
    for clause in clauses:
        for part in (clause.number, clause.heading, clause.text):
            found.extend(words(part))
    return found


@dataclass(frozen=True)
class WordCount:
    """Kept and extra words of a parse against its source, by the counting rule."""

    source_words: int
    parse_words: int
    kept_words: int
    extra_words: int

    @property
    def kept(self) -> float:
        return self.kept_words / self.source_words if self.source_words else 1.0

    @property
    def extra(self) -> float:
        return self.extra_words / self.source_words if self.source_words else 0.0


def count_words(source: Iterable[str], parse: Iterable[str]) -> WordCount:
    """Compare two word sequences as multisets (the corpus's counting rule)."""
    have, got = Counter(source), Counter(parse)
    kept = sum(min(n, got[word]) for word, n in have.items())
    extra = sum(max(0, n - have[word]) for word, n in got.items())
    return WordCount(
        source_words=sum(have.values()),
        parse_words=sum(got.values()),
        kept_words=kept,
        extra_words=extra,
    )


def document_word_count(document: ParsedDocument, source_text: str | None = None) -> WordCount:
    """Kept and extra words of ``document``'s clauses against its source text."""
    source = document.source_text if source_text is None else source_text
    return count_words(words(source), clause_words(document.clauses))
