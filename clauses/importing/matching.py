"""Match a new version's clauses with the previous version's, to keep keys stable.

A clause whose text reappears keeps its key (renumbered when its number moved). A clause with the
same provisional key and a similar text is amended. Leftovers are paired by text similarity, and
two unrelated texts are never paired just because they share a number. Whatever is still unmatched
is added (new text) or repealed (old text that is gone).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from .structure import ParsedClause

ADDED = "added"
AMENDED = "amended"
UNCHANGED = "unchanged"
RENUMBERED = "renumbered"
REPEALED = "repealed"

# Below this share of common tokens two texts are treated as unrelated.
SAME_KEY_THRESHOLD = 0.5
# Under one key, a text that keeps most of the old wording inside a much longer one is the same
# clause extended (the diff engine pairs such clauses the same way).
SAME_KEY_CONTAINMENT = 0.75
MOVED_THRESHOLD = 0.6

_TOKEN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)


@dataclass(frozen=True)
class PreviousClause:
    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchedClause:
    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent: str | None
    change: str
    previous_number: str = ""
    notes: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Text as compared: NFKC (full-width punctuation folded), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def tokens(text: str) -> list[str]:
    """Words for alphabetic scripts, single characters for Chinese; punctuation dropped."""
    return _TOKEN.findall(normalise(text).lower())


def containment(a: str, b: str) -> float:
    """The share of the shorter text's tokens kept, in order, inside the longer one."""
    ta, tb = tokens(a), tokens(b)
    shorter = min(len(ta), len(tb))
    if shorter == 0:
        return 0.0
    kept = SequenceMatcher(None, ta, tb, autojunk=False).get_matching_blocks()
    return sum(block.size for block in kept) / shorter


def similarity(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0
    return SequenceMatcher(None, ta, tb, autojunk=False).ratio()


def _unique_key(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def match_clauses(
    previous: Sequence[PreviousClause], new: Sequence[ParsedClause]
) -> list[MatchedClause]:
    """Give every clause of ``new`` its stable key and change kind against ``previous``.

    Returns the new clauses in their order, with a repealed entry for each previous clause that
    has no successor, placed after the clause that preceded it.
    """
    provisional = [c.key for c in new]
    if len(set(provisional)) != len(provisional):
        duplicates = sorted({k for k in provisional if provisional.count(k) > 1})
        raise ValueError(f"Duplicate clause keys in the parse: {', '.join(duplicates)}")

    match: dict[int, PreviousClause] = {}  # index in new -> previous clause
    used: set[str] = set()

    def pair(i: int, old: PreviousClause) -> None:
        match[i] = old
        used.add(old.key)

    # 1. The same text, word for word.
    by_text: dict[tuple[str, str], list[PreviousClause]] = {}
    for old in previous:
        if normalise(old.text):
            by_text.setdefault((old.kind, normalise(old.text)), []).append(old)
    for i, clause in enumerate(new):
        candidates = [
            o for o in by_text.get((clause.kind, normalise(clause.text)), []) if o.key not in used
        ]
        if candidates:
            same_key = [o for o in candidates if o.key == clause.key]
            pair(i, (same_key or candidates)[0])

    # 2. The same key with a related text (or both containers without text of their own).
    previous_by_key = {o.key: o for o in previous}
    for i, clause in enumerate(new):
        candidate = previous_by_key.get(clause.key)
        if i in match or candidate is None or candidate.key in used:
            continue
        if candidate.kind != clause.kind:
            continue
        old = candidate
        both_empty = not normalise(old.text) and not normalise(clause.text)
        related = (
            similarity(old.text, clause.text) >= SAME_KEY_THRESHOLD
            or containment(old.text, clause.text) >= SAME_KEY_CONTAINMENT
        )
        if both_empty or related:
            pair(i, old)

    # 3. Leftovers paired by similarity, best pairs first.
    left_new = [i for i in range(len(new)) if i not in match and normalise(new[i].text)]
    left_old = [o for o in previous if o.key not in used and normalise(o.text)]
    scored: list[tuple[float, int, int]] = []
    for i in left_new:
        for j, old in enumerate(left_old):
            if old.kind != new[i].kind:
                continue
            matcher = SequenceMatcher(None, tokens(old.text), tokens(new[i].text), autojunk=False)
            if (
                matcher.real_quick_ratio() < MOVED_THRESHOLD
                or matcher.quick_ratio() < MOVED_THRESHOLD
            ):
                continue
            score = matcher.ratio()
            if score >= MOVED_THRESHOLD:
                scored.append((score, i, j))
    for _score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in match and left_old[j].key not in used:
            pair(i, left_old[j])

    # Final keys: matched clauses keep the old key; new text gets its own, never a taken one.
    taken = {o.key for o in previous} | {c.key for i, c in enumerate(new) if i not in match}
    final_key: dict[str, str] = {}
    for i, clause in enumerate(new):
        if i in match:
            final_key[clause.key] = match[i].key
    for i, clause in enumerate(new):
        if i not in match:
            wanted = clause.key
            clash = wanted in {o.key for o in previous} or wanted in final_key.values()
            key = _unique_key(wanted, taken | set(final_key.values())) if clash else wanted
            final_key[clause.key] = key
            taken.add(key)

    result: list[MatchedClause] = []
    for i, clause in enumerate(new):
        parent = final_key[clause.parent] if clause.parent is not None else None
        predecessor = match.get(i)
        if predecessor is None:
            change, previous_number = ADDED, ""
        elif normalise(predecessor.text) != normalise(clause.text) or normalise(
            predecessor.heading
        ) != normalise(clause.heading):
            change = AMENDED
            renumbered = predecessor.number != clause.number
            previous_number = predecessor.number if renumbered else ""
        elif predecessor.number != clause.number:
            change, previous_number = RENUMBERED, predecessor.number
        else:
            change, previous_number = UNCHANGED, ""
        result.append(
            MatchedClause(
                key=final_key[clause.key],
                kind=clause.kind,
                number=clause.number,
                heading=clause.heading,
                text=clause.text,
                parent=parent,
                change=change,
                previous_number=previous_number,
                notes=clause.notes,
            )
        )
    return _with_repealed(previous, result, used)


def _with_repealed(
    previous: Sequence[PreviousClause], result: list[MatchedClause], used: set[str]
) -> list[MatchedClause]:
    gone = [o for o in previous if o.key not in used]
    if not gone:
        return result
    present = {c.key for c in result}
    after: dict[str | None, list[MatchedClause]] = {}
    anchor: str | None = None
    for old in previous:
        if old.key in used:
            anchor = old.key
            continue
        parent = old.parent if old.parent in present else None
        entry = MatchedClause(
            key=old.key,
            kind=old.kind,
            number=old.number,
            heading=old.heading,
            text="",
            parent=parent,
            change=REPEALED,
            previous_number=old.number,
        )
        after.setdefault(anchor, []).append(entry)
        present.add(old.key)
    ordered: list[MatchedClause] = list(after.get(None, []))
    for clause in result:
        ordered.append(clause)
        ordered.extend(after.get(clause.key, []))
    return ordered


def carry_forward(previous: Iterable[PreviousClause]) -> list[MatchedClause]:
    """The clauses of a version that changes no text: everything unchanged."""
    return [
        MatchedClause(
            key=o.key,
            kind=o.kind,
            number=o.number,
            heading=o.heading,
            text=o.text,
            parent=o.parent,
            change=UNCHANGED,
            notes=o.notes,
        )
        for o in previous
    ]
