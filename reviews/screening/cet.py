"""CET screening: find the technology categories a proposal's text touches, and why.

Plain Python. Each category carries search terms; a term matches as whole words, ignoring case,
treating hyphens and spaces alike and allowing a plural "s". Short all-capital terms (acronyms
such as "AI" or "GPS") match only in capitals, so the family name "Ai" is not a hit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Category:
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class CetMatch:
    category: str
    terms: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CetList:
    """A CET list file: its comment lines and its category names in order."""

    notes: tuple[str, ...]
    categories: tuple[str, ...]


class CetListError(ValueError):
    """The CET list file cannot be read; the message names the line."""


_SEPARATOR = r"[\s\-‐‑–—/]+"
_ACRONYM_MAX = 6


def is_acronym(term: str) -> bool:
    letters = [ch for ch in term if ch.isalpha()]
    return bool(letters) and len(term) <= _ACRONYM_MAX and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in re.split(_SEPARATOR, term.strip()) if word]
    if not words:
        raise ValueError("A search term cannot be empty.")
    body = _SEPARATOR.join(words)
    plural = "(?:e?s)?" if term.strip()[-1].isalpha() else ""
    flags = 0 if is_acronym(term.strip()) else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}{plural}(?!\w)", flags)


def matches(term: str, text: str) -> bool:
    return term_pattern(term).search(text) is not None


def screen(texts: Mapping[str, str], categories: Sequence[Category]) -> tuple[CetMatch, ...]:
    """The categories whose terms occur in ``texts`` (field name → text), in list order.

    Each match lists the matched terms in the order the category gives them, and the fields
    they were found in, in the order of ``texts``.
    """
    found: list[CetMatch] = []
    for category in categories:
        terms: list[str] = []
        fields: list[str] = []
        for term in category.terms:
            hit_fields = [name for name, text in texts.items() if text and matches(term, text)]
            if hit_fields:
                terms.append(term)
                fields.extend(name for name in hit_fields if name not in fields)
        if terms:
            ordered = tuple(name for name in texts if name in fields)
            found.append(CetMatch(category=category.name, terms=tuple(terms), fields=ordered))
    return tuple(found)


def parse_cet_list(text: str) -> CetList:
    """Read a CET list file: ``#`` comment lines, then one category name a line."""
    notes: list[str] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            notes.append(line.lstrip("#").strip())
            continue
        key = line.casefold()
        if key in seen:
            raise CetListError(
                f"Line {number}: category {line!r} already appears on line {seen[key]}."
            )
        if len(line) > 200:
            raise CetListError(f"Line {number}: a category name is at most 200 characters.")
        seen[key] = number
        names.append(line)
    if not names:
        raise CetListError("The file lists no categories.")
    return CetList(notes=tuple(notes), categories=tuple(names))
