"""Match a new version's clauses with the previous version's, to keep keys stable.

The pairing is the diff engine's (``clauses.diffing``): one algorithm and one set of thresholds,
so what an import records is what the compare page shows. A paired clause keeps the previous
clause's key; a split keeps it on one part (the part under the same key, else the first) and
adds the others; a merge keeps the key of one of its parts (the same rule) and repeals the
rest. Whatever is still unpaired is added (new text) or repealed (old text that is gone).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diffing import ClauseText, Status, diff_versions
from .structure import ParsedClause

ADDED = "added"
AMENDED = "amended"
UNCHANGED = "unchanged"
RENUMBERED = "renumbered"
REPEALED = "repealed"


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


def _unique_key(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def _successors(
    previous: Sequence[PreviousClause], new: Sequence[ParsedClause]
) -> dict[str, PreviousClause]:
    """The previous clause each new clause (by provisional key) continues, as the diff pairs."""
    diff = diff_versions(
        [
            ClauseText(o.key, o.kind, o.number, o.heading, o.text, o.parent, order=n)
            for n, o in enumerate(previous)
        ],
        [
            ClauseText(c.key, c.kind, c.number, c.heading, c.text, c.parent, order=n)
            for n, c in enumerate(new)
        ],
    )
    old_by_key = {o.key: o for o in previous}
    successor: dict[str, PreviousClause] = {}
    merged_into: dict[str, list[str]] = {}
    split_from: dict[str, list[str]] = {}
    for row in diff.clauses:
        if row.old_key is None or row.new_key is None:
            continue
        if row.status == Status.SPLIT:
            split_from.setdefault(row.old_key, []).append(row.new_key)
        elif row.status == Status.MERGED:
            merged_into.setdefault(row.new_key, []).append(row.old_key)
        else:
            successor[row.new_key] = old_by_key[row.old_key]
    # Why: one key may go to one clause only; the part that already has it keeps it, so a
    # careful import's keys are never moved about, else the first part in reading order.
    for old_key, parts in split_from.items():
        heir = old_key if old_key in parts else parts[0]
        successor[heir] = old_by_key[old_key]
    for new_key, parts in merged_into.items():
        heir = new_key if new_key in parts else parts[0]
        successor[new_key] = old_by_key[heir]
    return successor


def _change(old: PreviousClause, clause: ParsedClause) -> tuple[str, str]:
    renumbered = old.number != clause.number
    if old.text != clause.text or old.heading != clause.heading:
        return AMENDED, old.number if renumbered else ""
    if renumbered:
        return RENUMBERED, old.number
    return UNCHANGED, ""


def match_clauses(
    previous: Sequence[PreviousClause], new: Sequence[ParsedClause]
) -> list[MatchedClause]:
    """Give every clause of ``new`` its stable key and change kind against ``previous``.

    Returns the new clauses in their order, with a repealed entry for each previous clause that
    has no successor, placed after the clause that preceded it.
    """
    duplicates = sorted(key for key, n in Counter(c.key for c in new).items() if n > 1)
    if duplicates:
        raise ValueError(f"Duplicate clause keys in the parse: {', '.join(duplicates)}")
    successor = _successors(previous, new)
    used = {old.key for old in successor.values()}

    # Final keys: matched clauses keep the old key; new text gets its own, never a taken one.
    previous_keys = {o.key for o in previous}
    final_key = {key: old.key for key, old in successor.items()}
    taken = previous_keys | {c.key for c in new if c.key not in successor}
    held = set(final_key.values())
    for clause in new:
        if clause.key not in successor:
            wanted = clause.key
            clash = wanted in previous_keys or wanted in held
            key = _unique_key(wanted, taken | held) if clash else wanted
            final_key[clause.key] = key
            taken.add(key)
            held.add(key)

    result: list[MatchedClause] = []
    for clause in new:
        predecessor = successor.get(clause.key)
        change, previous_number = (
            (ADDED, "") if predecessor is None else _change(predecessor, clause)
        )
        result.append(
            MatchedClause(
                key=final_key[clause.key],
                kind=clause.kind,
                number=clause.number,
                heading=clause.heading,
                text=clause.text,
                parent=final_key[clause.parent] if clause.parent is not None else None,
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
