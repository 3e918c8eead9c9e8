"""The terms of a query: Latin-script words, runs of Chinese, Japanese or Korean characters,
and labels such as "Annex C"; the limits on a query, and the sentence naming what was left out.

Plain Python: nothing here asks the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Han ideographs, kana and hangul: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says how to fix it."""


@dataclass(frozen=True)
class Terms:
    """A query split into Latin-script ``words`` (stemmed full text), ``fragments`` (runs of
    Chinese, Japanese or Korean characters, matched as typed) and ``labels``: a word and the
    single letter or digit after it ("annex c", "article 5"), found as written, the word in
    any form. ``ignored`` are the single characters left out."""

    words: tuple[str, ...]
    fragments: tuple[str, ...]
    labels: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.words + self.fragments + self.labels


# Words that name a part of a text: a lower-case letter after one of them is a label ("item b");
# after any other word a lone lower-case letter is noise ("a", or a tag's "b"), while a capital
# or a digit is still taken as typed ("Type B", "Phase 2").
PART_WORDS = frozenset(
    {
        "annex", "appendix", "art", "article", "attachment", "chapter", "clause", "exhibit",
        "item", "letter", "para", "paragraph", "part", "point", "schedule", "sec", "section",
        "subparagraph", "title",
    }
)  # fmt: skip
ONE_LETTER_HELP = (
    "A single letter or digit is searched for only after the word it labels, as in “Annex C” "
    "or “Article 5”."
)


def query_terms(query: str) -> Terms:
    """The terms of ``query``, at most ``MAX_TERMS``, duplicates dropped.

    A single Latin letter or digit is no word to look for on its own ("a" would find every
    clause), but after a word it is a label users type to find a provision ("Annex C",
    "Article 5", "item b"): it is then searched for with that word, as written. Any other is
    left out, and ``ignored`` names it so the page can say so.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    if "\x00" in query:
        raise SearchQueryError("The search holds a NUL character; type the words again.")
    seen: set[str] = set()
    words: list[str] = []
    fragments: list[str] = []
    labels: list[str] = []
    ignored: list[str] = []
    previous = ""
    for token in _WORD.findall(query):
        for part in _split_scripts(token):
            folded = part.lower()
            is_cjk = bool(_CJK_RUN.fullmatch(part))
            if not is_cjk and len(part) < 2:
                label = f"{previous} {folded}"
                if previous and (part.isdigit() or part.isupper() or previous in PART_WORDS):
                    if label not in seen:
                        seen.add(label)
                        labels.append(label)
                elif part not in ignored:
                    ignored.append(part)
                previous = ""
                continue
            previous = "" if is_cjk else folded
            if folded in seen:
                continue
            seen.add(folded)
            (fragments if is_cjk else words).append(folded)
    if len(words) + len(fragments) + len(labels) > MAX_TERMS:
        raise SearchQueryError(f"Search for at most {MAX_TERMS} words at once.")
    if not words and not fragments:
        raise SearchQueryError(
            "Type a word of at least two letters, or Chinese characters, to search for. "
            + ONE_LETTER_HELP
        )
    return Terms(tuple(words), tuple(fragments), tuple(labels), tuple(ignored))


def ignored_message(terms: Terms) -> str:
    """What the search left out of the query and why, or "" when nothing was."""
    if not terms.ignored:
        return ""
    left = series([f"“{part}”" for part in terms.ignored])
    return f"{left} {'was' if len(terms.ignored) == 1 else 'were'} left out. {ONE_LETTER_HELP}"


def label_pattern(label: str, *, postgresql: bool) -> str:
    """A regular expression for ``label`` ("annex c") as written: its word in any form, then
    its letter or digit standing alone. PostgreSQL's word boundaries are ``\\m`` and ``\\M``."""
    word, _, mark = label.rpartition(" ")
    start, end = (r"\m", r"\M") if postgresql else (r"\b", r"\b")
    return rf"{start}{re.escape(word)}\w*\s+{re.escape(mark)}{end}"


def _split_scripts(token: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for run in _CJK_RUN.finditer(token):
        if run.start() > last:
            parts.append(token[last : run.start()])
        parts.append(run.group())
        last = run.end()
    if last < len(token):
        parts.append(token[last:])
    return parts


def script_language(fragments: Sequence[str]) -> str:
    """The language a run of characters is written in, as far as its script says: kana is
    Japanese, hangul Korean, Han ideographs alone Chinese; "" for none."""
    text = "".join(fragments)
    if not text:
        return ""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh"


def series(items: Sequence[str]) -> str:
    """``items`` as an English series: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
