"""Word accounting: does the parse hold every word of the source, once?

The counting rule: text is NFKC-normalised and lower-cased, then split into words (runs of
word characters; each CJK character is a word of its own). ``kept`` is the share of the
source's words found in the parse (number, heading and text of every clause, with repeats);
``extra`` is the share of words the parse holds beyond the source's (duplicated or injected
text), both relative to the number of words in the source. ``document_word_count`` applies
that rule (multisets, order ignored); ``account`` also heeds order and names the passages: the
source's runs that reached no clause, with where they went, and the parse's runs the source
lacks.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .structure import FRONT_MATTER, NOTE, SET_ASIDE_LABELS, TITLE, ParsedClause, ParsedDocument

_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK_CHARS}]|[^\W{_CJK_CHARS}]+")
_NON_SPACE = re.compile(r"\S*")
_CHUNK = 4096


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


# Where an unplaced passage went besides the set-aside places of ``structure``.
IN_TITLE = TITLE
IN_NOTES = NOTE
NOWHERE = "nowhere"
WHERE_LABELS = {**SET_ASIDE_LABELS, NOWHERE: "nowhere: lost"}


@dataclass(frozen=True)
class Unplaced:
    """A run of the source's words that reached no clause, as text, and where it went."""

    text: str
    where: str
    words: int

    @property
    def where_label(self) -> str:
        return WHERE_LABELS.get(self.where, self.where)


@dataclass(frozen=True)
class Duplicated:
    """A run of words of clause ``key`` that the source lacks or holds fewer times there."""

    text: str
    key: str
    words: int


@dataclass(frozen=True)
class WordCounts:
    """The source's words, those the parse holds in the same order, and those it adds."""

    source_words: int
    kept_words: int
    extra_words: int

    @property
    def kept(self) -> float:
        return self.kept_words / self.source_words if self.source_words else 1.0

    @property
    def extra(self) -> float:
        return self.extra_words / self.source_words if self.source_words else 0.0


@dataclass(frozen=True)
class WordAccount(WordCounts):
    """The order-aware account of a parse: words kept in order, extra words, and the passages.

    ``kept_words`` counts the source's words that the parse holds in the same order (a passage
    moved elsewhere counts as unplaced where it was and duplicated where it landed).
    """

    parse_words: int
    unplaced: tuple[Unplaced, ...]
    duplicated: tuple[Duplicated, ...]


class _Tokens:
    """Words of several texts in order; the span each came from is found only when asked for.

    Texts are read in chunks cut at whitespace (no word crosses one), so that finding a span
    reads one chunk again, not the whole source.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: list[str] = []
        self.owners: list[int] = []
        self.texts: list[str] = []
        self._lower: list[str] = []
        self._chunks: list[tuple[int, int, int, int]] = []  # first token, owner, start, end
        self._starts: list[int] = []
        self._spans: dict[int, list[tuple[int, int]]] = {}
        for owner, text in enumerate(texts):
            normal = unicodedata.normalize("NFKC", text)
            self.texts.append(normal)
            lower = normal.lower()
            self._lower.append(lower)
            if len(lower) != len(normal):
                # Why: lower-casing can split a run (a dotted capital I) and the count must
                # equal that of ``words``; every piece keeps the span of the run it came from.
                self._add_chunk(owner, 0, len(normal))
                spans = []
                for match in _WORD.finditer(normal):
                    pieces = words(match.group())
                    self.words.extend(pieces)
                    spans.extend([match.span()] * len(pieces))
                self._spans[len(self._chunks) - 1] = spans
                self.owners.extend([owner] * len(spans))
                continue
            pos = 0
            while pos < len(lower):
                end = min(len(lower), pos + _CHUNK)
                tail = _NON_SPACE.match(lower, end)
                end = tail.end() if tail else end
                self._add_chunk(owner, pos, end)
                found = _WORD.findall(lower, pos, end)
                self.words.extend(found)
                self.owners.extend([owner] * len(found))
                pos = end

    def _add_chunk(self, owner: int, start: int, end: int) -> None:
        self._chunks.append((len(self.words), owner, start, end))
        self._starts.append(len(self.words))

    def span(self, k: int) -> tuple[int, int]:
        c = bisect.bisect_right(self._starts, k) - 1
        first, owner, start, end = self._chunks[c]
        if c not in self._spans:
            lower = self._lower[owner]
            self._spans[c] = [m.span() for m in _WORD.finditer(lower, start, end)]
        return self._spans[c][k - first]


def _runs(matched: list[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = -1
    for i, hit in enumerate(matched):
        if not hit and start < 0:
            start = i
        elif hit and start >= 0:
            runs.append((start, i))
            start = -1
    if start >= 0:
        runs.append((start, len(matched)))
    return runs


def _passage(tokens: _Tokens, start: int, end: int) -> str:
    text = tokens.texts[tokens.owners[start]]
    return " ".join(text[tokens.span(start)[0] : tokens.span(end - 1)[1]].split())


def _passages(tokens: _Tokens, start: int, end: int) -> str:
    """The text of a run that may cross from one text (a number) into the next (a heading)."""
    parts: list[str] = []
    p = start
    while p < end:
        q = p
        while q < end and tokens.owners[q] == tokens.owners[p]:
            q += 1
        parts.append(_passage(tokens, p, q))
        p = q
    return " ".join(parts)


def print_source(document: ParsedDocument) -> str:
    """The source of the whole print: each language text keeps its own part of it."""
    return "\n".join(t.source_text for t in _texts(document) if t.source_text)


def _texts(document: ParsedDocument) -> list[ParsedDocument]:
    """The document and its further language texts, in the order the source holds them."""
    return [document, *document.other_texts]


def _places(document: ParsedDocument) -> list[tuple[str, list[str]]]:
    """The words of each place a passage can go, passages of one place apart by an empty word.

    One sequence per place keeps the search for a run's place short however many passages a
    place holds (a running header set aside on every page); no word is empty, so no match
    runs from one passage into the next.
    """
    passages: dict[str, list[str]] = {}
    for text in _texts(document):
        found = [(IN_TITLE, text.title)]
        found += [(FRONT_MATTER, passage) for passage in text.front_matter]
        found += [(item.where, item.text) for item in text.set_aside]
        found += [(IN_NOTES, note) for clause in text.clauses for note in clause.notes]
        for where, passage in found:
            passages.setdefault(where, []).extend([*words(passage), ""])
    return [(where, sequence) for where, sequence in passages.items() if any(sequence)]


# Why: a run is looked up in each place at most at this many starting points, which bounds the
# work where a common word ("the") opens it.
_MAX_STARTS = 64


def _longest_in(run: list[str], p: int, place: list[str], index: dict[str, list[int]]) -> int:
    best = 0
    for start in index.get(run[p], [])[:_MAX_STARTS]:
        n = 0
        while p + n < len(run) and start + n < len(place) and run[p + n] == place[start + n]:
            n += 1
        best = max(best, n)
    return best


def _where_runs(run: list[str], places: list[tuple[str, list[str]]]) -> list[tuple[int, str]]:
    """Cut ``run`` into pieces, each the longest stretch found in one place, or nowhere."""
    indexes = []
    for _, place in places:
        index: dict[str, list[int]] = {}
        for i, word in enumerate(place):
            index.setdefault(word, []).append(i)
        indexes.append(index)
    pieces: list[tuple[int, str]] = []
    p = 0
    while p < len(run):
        best, where = 0, NOWHERE
        for (name, place), index in zip(places, indexes, strict=True):
            n = _longest_in(run, p, place, index)
            if n > best:
                best, where = n, name
        step = max(best, 1)
        if pieces and pieces[-1][1] == where:
            pieces[-1] = (pieces[-1][0] + step, where)
        else:
            pieces.append((step, where))
        p += step
    return pieces


def account(document: ParsedDocument, source_text: str | None = None) -> WordAccount:
    """The order-aware word account of ``document`` against its source text.

    The parse is every clause of the document and of its further language texts, in order.
    The two word sequences are aligned with the diff engine's patience matching (anchors on
    words unique to both, then the rarest shared word), which stays near-linear on a parse that
    follows its source.
    """
    from clauses.diffing.words import matching_blocks

    source = _Tokens([print_source(document) if source_text is None else source_text])
    clauses = [clause for text in _texts(document) for clause in text.clauses]
    parse = _Tokens(
        part for clause in clauses for part in (clause.number, clause.heading, clause.text)
    )
    in_source = [False] * len(source.words)
    in_parse = [False] * len(parse.words)
    for i, j, n in matching_blocks(source.words, parse.words):
        in_source[i : i + n] = [True] * n
        in_parse[j : j + n] = [True] * n
    places = _places(document)
    unplaced: list[Unplaced] = []
    for start, end in _runs(in_source):
        p = start
        for size, where in _where_runs(source.words[start:end], places):
            unplaced.append(Unplaced(_passages(source, p, p + size), where, size))
            p += size
    duplicated: list[Duplicated] = []
    for start, end in _runs(in_parse):
        p = start
        while p < end:
            clause = parse.owners[p] // 3
            q = p
            while q < end and parse.owners[q] // 3 == clause:
                q += 1
            duplicated.append(Duplicated(_passages(parse, p, q), clauses[clause].key, q - p))
            p = q
    kept = sum(in_source)
    return WordAccount(
        source_words=len(source.words),
        parse_words=len(parse.words),
        kept_words=kept,
        extra_words=len(parse.words) - kept,
        unplaced=tuple(unplaced),
        duplicated=tuple(duplicated),
    )
