"""Align a further language text of a version with the text the version already holds.

Two authentic texts of one version say the same provisions in the same structure, so they are
aligned by number path, not by wording: 第三条 is Article 3, 附件一 is Annex 1, (一) is (a) and
1., 第二章 is Chapter 2; the preamble is the preamble and a signature block the signature block
at the same place. An aligned clause takes the existing clause's key (clauses of one provision
share their key across languages); a clause that aligns with nothing gets a key of its own, which
collides with no key the agreement already uses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from .numerals import number_value
from .structure import ParsedClause


class AlignmentError(ValueError):
    """A pairing asked by a person cannot be made; the message names the clause."""


@dataclass(frozen=True)
class ExistingClause:
    """A clause of the text the version already holds, as the alignment needs it."""

    key: str
    kind: str
    number: str
    parent: str | None = None


@dataclass(frozen=True)
class AlignedPair:
    """The new clause ``new_key`` (its provisional key) is the provision ``key``.

    ``by_person`` is true where a person made the pair rather than the number path.
    """

    new_key: str
    key: str
    number: str
    existing_number: str
    by_person: bool = False


@dataclass(frozen=True)
class LanguageAlignment:
    """The outcome: pairs, what stayed unaligned on each side, and the clauses to write.

    ``clauses`` are the new text's clauses in reading order with their final keys (and their
    parents' final keys); ``keys`` maps each provisional key to its final key.
    """

    pairs: tuple[AlignedPair, ...]
    unaligned_new: tuple[str, ...]
    unaligned_existing: tuple[str, ...]
    clauses: tuple[ParsedClause, ...]
    keys: tuple[tuple[str, str], ...]

    def as_json(self) -> dict[str, object]:
        return {
            "pairs": [
                {
                    "new_key": p.new_key,
                    "key": p.key,
                    "number": p.number,
                    "existing_number": p.existing_number,
                    "by_person": p.by_person,
                }
                for p in self.pairs
            ],
            "unaligned_new": [
                {"new_key": new_key, "key": final}
                for new_key, final in self.keys
                if new_key in self.unaligned_new
            ],
            "unaligned_existing": list(self.unaligned_existing),
        }


Segment = tuple[str, str]

# Why: a further language text numbers its articles in its own word (Artikel 1 is Article 1).
_ARTICLE_WORDS = ("article", "art", "artikel", "articolo", "articulo", "artikla")
_DIVISIONS = {
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "编": "part",
    "章": "chp",
    "节": "sec",
}
_NUMBER_TOKEN = re.compile(r"[0-9]+|[〇零○一二三四五六七八九两十百千]+|[A-Za-z]+")
_SUFFIX = re.compile(r"\b(bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)\b", re.I)


def _value(token: str, *, letters: bool, after_letter: int | None = None) -> str:
    """The number a token stands for, as a string; letters count a = 1, b = 2.

    ``(i)`` right after ``(h)`` is the letter i; otherwise a lower-case Roman numeral.
    """
    if token.isalpha() and token.isascii() and len(token) == 1 and letters:
        letter = ord(token.lower()) - ord("a") + 1
        if token.lower() not in "ivx" or after_letter == letter - 1:
            return str(letter)
    try:
        return str(number_value(token))
    except ValueError:
        return token.lower()


def _tokens(number: str) -> list[str]:
    return [t for t in _NUMBER_TOKEN.findall(number) if t.lower() not in _ARTICLE_WORDS]


def _segment(kind: str, number: str, after_letter: int | None) -> Segment:
    low = number.lower()
    if kind in {"preamble", "signature"}:
        return (kind, "")
    if kind == "article":
        numbers = [t for t in _tokens(number.replace("第", " ").replace("条", " ")) if t]
        suffix = _SUFFIX.search(number)
        value = _value(numbers[0], letters=False) if numbers else ""
        return ("art", value + (suffix.group(1).lower() if suffix else ""))
    if kind == "annex":
        body = re.sub(r"annex|appendix|附\s*件|附", " ", low)
        numbers = _tokens(body)
        return ("annex", _value(numbers[0], letters=True) if numbers else "")
    if kind == "section":
        division = next((v for w, v in _DIVISIONS.items() if w in low), "sec")
        body = re.sub(r"part|chapter|section|第|[编章节]", " ", low)
        numbers = _tokens(body)
        return (division, _value(numbers[0], letters=True) if numbers else "")
    numbers = _tokens(number)
    return ("sub", _value(numbers[0], letters=True, after_letter=after_letter) if numbers else "")


def _paths(rows: Sequence[tuple[str, str, str, str | None]]) -> dict[str, tuple[Segment, ...]]:
    """Number path of every clause ``(key, kind, number, parent)``, in reading order.

    A segment met twice under one parent (two unnumbered annexes) is told apart by its rank.
    """
    paths: dict[str, tuple[Segment, ...]] = {}
    seen: Counter[tuple[tuple[Segment, ...], Segment]] = Counter()
    last_letter: dict[str | None, int] = {}
    for key, kind, number, parent in rows:
        base = paths.get(parent, ()) if parent else ()
        segment = _segment(kind, number, last_letter.get(parent))
        if segment[0] == "sub" and segment[1].isdigit():
            last_letter[parent] = int(segment[1])
        seen[(base, segment)] += 1
        if seen[(base, segment)] > 1:
            segment = (segment[0], f"{segment[1]}#{seen[(base, segment)]}")
        paths[key] = (*base, segment)
    return paths


def number_path(path: tuple[Segment, ...]) -> str:
    """``art 3 / sub 2``: a path as the preview and the tests show it."""
    return " / ".join(f"{kind} {value}".strip() for kind, value in path)


def _own_key(provisional: str, language: str, taken: set[str]) -> str:
    base = f"{provisional}_{language}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def align_language(
    existing: Sequence[ExistingClause],
    new: Sequence[ParsedClause],
    *,
    language: str,
    taken: Collection[str] = (),
    pairs: Mapping[str, str | None] | None = None,
) -> LanguageAlignment:
    """Align ``new`` (a parse of the text in ``language``) with ``existing``.

    ``pairs`` holds a person's decisions, provisional key → existing key, or ``None`` to leave a
    clause unaligned; they come before the number path. ``taken`` holds every key the agreement
    uses (in any version or language), which a key of the new text's own must avoid. Raises
    AlignmentError for a pairing that names a clause on either side that does not exist, or
    pairs two new clauses with one existing clause.
    """
    pairs = dict(pairs or {})
    new_keys = {c.key for c in new}
    by_key = {c.key: c for c in existing}
    for new_key, key in pairs.items():
        if new_key not in new_keys:
            raise AlignmentError(f"The new text has no clause {new_key!r} to pair.")
        if key is not None and key not in by_key:
            raise AlignmentError(f"The version has no clause {key!r} to pair {new_key!r} with.")
    chosen = [key for key in pairs.values() if key is not None]
    if doubled := sorted({k for k in chosen if chosen.count(k) > 1}):
        raise AlignmentError(f"Two clauses of the new text are paired with {doubled[0]!r}.")

    old_paths = _paths([(c.key, c.kind, c.number, c.parent) for c in existing])
    new_paths = _paths([(c.key, c.kind, c.number, c.parent) for c in new])
    by_path = {path: key for key, path in old_paths.items()}
    used = set(chosen)
    found: list[AlignedPair] = []
    final: dict[str, str] = {}
    for clause in new:
        if clause.key in pairs:
            key = pairs[clause.key]
            by_person = True
        else:
            key = by_path.get(new_paths[clause.key])
            key = None if key in used else key
            by_person = False
        if key is None:
            continue
        used.add(key)
        final[clause.key] = key
        found.append(AlignedPair(clause.key, key, clause.number, by_key[key].number, by_person))

    avoid = set(taken) | set(by_key) | used
    unaligned_new: list[str] = []
    for clause in new:
        if clause.key not in final:
            final[clause.key] = _own_key(clause.key, language, avoid)
            avoid.add(final[clause.key])
            unaligned_new.append(clause.key)
    written = tuple(
        replace(c, key=final[c.key], parent=final[c.parent] if c.parent else None) for c in new
    )
    return LanguageAlignment(
        pairs=tuple(found),
        unaligned_new=tuple(unaligned_new),
        unaligned_existing=tuple(c.key for c in existing if c.key not in used),
        clauses=written,
        keys=tuple((c.key, final[c.key]) for c in new),
    )
