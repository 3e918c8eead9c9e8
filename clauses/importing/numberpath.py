"""Where a provision sits, by its numbers: ``第三条`` and ``Article 3`` are both ``(article, 3)``.

A number path is the tuple of (kind, value) from the top of the text down to the provision, so
that an instruction naming "paragraph 2 of Article 5" and a partial text holding 第五条第二款 can
find the clause they mean whatever its key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from .numerals import number_value

NumberPath = tuple[tuple[str, int | str], ...]

# Why bounded, and no 第 inside: an unbounded lazy number made a line of 第 take minutes.
_CHINESE_NUMBERED = re.compile(
    r"第\s{0,3}(?P<n>[^条款项章节第\s]{1,20})\s{0,3}[条款项章节](?:之(?P<sub>\S{1,20}))?"
)
_CHINESE_ANNEX = re.compile(r"附件\s*(?P<n>\S+)")
_LEADING_WORD = re.compile(r"^[A-Za-z]+\.?\s+(?=\S)")
_PUNCTUATION = "()（）、.．:：,，"


class Numbered(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


def number_token_value(token: str) -> int | str:
    """The value of ``5``, ``V``, ``五``, ``(b)``; a lower-cased token where it is no numeral."""
    token = token.strip().strip(_PUNCTUATION).strip()
    try:
        return number_value(token)
    except ValueError:
        pass
    if len(token) == 1 and token.isascii() and token.isalpha():
        return ord(token.lower()) - ord("a") + 1
    return token.lower()


def number_of(number: str) -> int | str:
    """The value of a clause's printed number: ``Article 5``, ``第五条``, ``附件一``, ``2.``."""
    text = number.strip()
    found = _CHINESE_NUMBERED.search(text)
    if found and found.group("sub"):
        # Why: 第三条之一 is a provision inserted after Article 3, not Article 3 itself.
        return f"{number_token_value(found.group('n'))}.{number_token_value(found.group('sub'))}"
    found = found or _CHINESE_ANNEX.search(text)
    if found:
        return number_token_value(found.group("n"))
    return number_token_value(_LEADING_WORD.sub("", text))


def number_paths(clauses: Iterable[Numbered]) -> dict[str, NumberPath]:
    """The number path of every clause, by key (parents come before their children)."""
    paths: dict[str, NumberPath] = {}
    for clause in clauses:
        above = paths.get(clause.parent, ()) if clause.parent else ()
        if not clause.number.strip():
            paths[clause.key] = (*above, (clause.kind, clause.key))
            continue
        paths[clause.key] = (*above, (clause.kind, number_of(clause.number)))
    return paths


def keys_by_path(paths: Mapping[str, NumberPath]) -> dict[NumberPath, str]:
    """The inverse of ``number_paths``; where two clauses share a path, the first one wins."""
    found: dict[NumberPath, str] = {}
    for key, path in paths.items():
        found.setdefault(path, key)
    return found
