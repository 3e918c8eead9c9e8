"""Marking the matches: HTML-escaped text with ``<mark>`` around each match, snippets around the
first one, and on SQLite the spans FTS5 itself matched (the stemmer's own forms).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Django's escape is this one, behind a check for lazy text that a clause's text never is; it
# is called for every piece of every snippet.
from html import escape

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from .candidates import fts_query
from .terms import label_pattern

SNIPPET_BEFORE = 80
SNIPPET_AFTER = 180

# The markers FTS5's highlight() is asked to put around the words it matched.
_MARK_START, _MARK_END = "\x02", "\x03"
FTS_HIGHLIGHT_SQL = (
    "SELECT rowid, highlight(clauses_clause_fts, 0, %s, %s), "
    "highlight(clauses_clause_fts, 1, %s, %s) FROM clauses_clause_fts "
    "WHERE clauses_clause_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"
)


@dataclass(frozen=True)
class Patterns:
    regex: re.Pattern[str] | None

    @classmethod
    def build(
        cls, prefixes: Iterable[str], fragments: Iterable[str], labels: Iterable[str] = ()
    ) -> Patterns:
        alternatives = [label_pattern(label, postgresql=False) for label in labels]
        alternatives += [rf"\b{re.escape(p)}\w*" for p in prefixes]
        alternatives += [re.escape(f) for f in fragments]
        if not alternatives:
            return cls(None)
        # Why: longest first, so "cooperation" is marked whole rather than as "cooper".
        alternatives.sort(key=len, reverse=True)
        return cls(re.compile("|".join(alternatives), re.IGNORECASE))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.regex is None:
            return []
        return [(m.start(), m.end()) for m in self.regex.finditer(text) if m.end() > m.start()]


def highlight(text: str, patterns: Patterns) -> SafeString:
    """``text`` escaped for HTML with every match wrapped in ``<mark>``."""
    return marked(text, patterns.spans(text), 0, len(text))


def marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
    out: list[str] = []
    at = start
    for begin, finish in spans:
        if finish <= start or begin >= end:
            continue
        begin, finish = max(begin, start), min(finish, end)
        out.append(escape(text[at:begin]))
        out.append(f"<mark>{escape(text[begin:finish])}</mark>")
        at = finish
    out.append(escape(text[at:end]))
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every piece above is escaped


def snippet(text: str, patterns: Patterns) -> SafeString:
    """The part of ``text`` around its first match, escaped, with the matches marked."""
    return snippet_from_spans(text, patterns.spans(text))


def snippet_from_spans(text: str, spans: list[tuple[int, int]]) -> SafeString:
    if not spans:
        cut = _word_end(text, SNIPPET_BEFORE + SNIPPET_AFTER)
        return mark_safe(escape(text[:cut]) + ("…" if cut < len(text) else ""))  # noqa: S308  # nosec B308 B703 - escaped
    first = spans[0][0]
    start = _word_start(text, max(0, first - SNIPPET_BEFORE))
    end = _word_end(text, first + SNIPPET_AFTER)
    body = marked(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308  # nosec B308 B703 - body is escaped by marked


def _word_start(text: str, at: int) -> int:
    if at <= 0:
        return 0
    space = text.rfind(" ", max(0, at - 20), at)
    return space + 1 if space >= 0 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.find(" ", at, at + 20)
    return space if space >= 0 else at


def _unmark(highlighted: str) -> tuple[str, list[tuple[int, int]]]:
    """Text FTS5's ``highlight()`` marked, without the markers, and the spans they enclosed."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = -1
    for piece in re.split(f"([{_MARK_START}{_MARK_END}])", highlighted):
        if piece == _MARK_START:
            start = length
        elif piece == _MARK_END:
            if start >= 0:
                spans.append((start, length))
            start = -1
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans


def fts_spans(
    ids: Sequence[int], words: Sequence[str]
) -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The spans of the words FTS5 matched in the heading and text of each clause of ``ids``:
    the stemmer's own forms, in one query."""
    if not ids or not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            FTS_HIGHLIGHT_SQL,
            [_MARK_START, _MARK_END, _MARK_START, _MARK_END, fts_query(words), json.dumps(ids)],
        )
        found: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for rowid, heading, text in cursor.fetchall():
            found[rowid] = (_unmark(heading or "")[1], _unmark(text or "")[1])
        return found
