"""What the differ reads and what it returns: plain frozen dataclasses, no Django.

Templates, exports and the API all render these, so they hold everything a reader needs (numbers,
headings, parents) and nothing that needs the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol

OpKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class ClauseText:
    """One clause of one version as the differ sees it.

    ``parent`` is the parent's key. ``repealed`` marks the placeholder a version keeps for a
    clause it repealed: the differ treats it as absent, so the clause counts as removed.
    """

    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent: str | None = None
    order: int = 0
    repealed: bool = False


class Status(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    AMENDED = "amended"
    MOVED = "moved"
    RENUMBERED = "renumbered"
    UNCHANGED = "unchanged"
    SPLIT = "split"
    MERGED = "merged"


@dataclass(frozen=True)
class Op:
    """A run of text that is kept, inserted or deleted.

    ``old_text`` is set only on an ``equal`` run whose old wording differs in whitespace or
    punctuation, which happens only when those differences are ignored: ``text`` is then the new
    wording, so both sides can still be rebuilt exactly.
    """

    kind: OpKind
    text: str
    old_text: str | None = None


def new_side(ops: Iterable[Op]) -> str:
    """The new text rebuilt from ``ops``."""
    return "".join(op.text for op in ops if op.kind != "delete")


def old_side(ops: Iterable[Op]) -> str:
    """The old text rebuilt from ``ops``."""
    return "".join(
        (op.old_text if op.old_text is not None else op.text) if op.kind == "equal" else op.text
        for op in ops
        if op.kind != "insert"
    )


@dataclass(frozen=True)
class TextDiff:
    """The word-level diff of two texts."""

    ops: tuple[Op, ...]
    words_inserted: int
    words_deleted: int
    similarity: float

    @property
    def changed(self) -> bool:
        return len(self.ops) > 1 or (len(self.ops) == 1 and self.ops[0].kind != "equal")


@dataclass(frozen=True)
class ClauseDiff:
    """One row of a version comparison.

    A split clause gives one row per new part and a merge one row per old part; ``parts`` then
    names the keys on the "many" side, and each row's ops cover its share of the single clause.
    Word counts include the heading. ``edited`` says whether the wording changed, which a moved
    clause may or may not have.
    """

    status: Status
    kind: str
    old_key: str | None
    new_key: str | None
    old_number: str
    new_number: str
    old_heading: str
    new_heading: str
    old_parent: str | None
    new_parent: str | None
    ops: tuple[Op, ...]
    heading_ops: tuple[Op, ...]
    words_inserted: int
    words_deleted: int
    similarity: float
    edited: bool
    parts: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The key the row is known by: the new one, or the old one for a removed clause."""
        return self.new_key if self.new_key is not None else self.old_key or ""

    @property
    def anchor(self) -> str:
        """A fragment id unique within one comparison, for links and next/previous change."""
        if self.status == Status.MERGED:
            return f"{self.new_key}--from-{self.old_key}".replace("__", "-")
        prefix = "removed-" if self.status == Status.REMOVED else ""
        return prefix + self.key.replace("__", "-")

    @property
    def changed(self) -> bool:
        return self.status != Status.UNCHANGED

    @property
    def renumbered(self) -> bool:
        return (
            self.old_key is not None
            and self.new_key is not None
            and (self.old_number != self.new_number)
        )

    @property
    def old_text(self) -> str:
        return old_side(self.ops)

    @property
    def new_text(self) -> str:
        return new_side(self.ops)


@dataclass(frozen=True)
class DiffStats:
    """Counts for a version pair. ``split`` counts old clauses split, ``merged`` new clauses
    formed by merging; every other count is of clauses with that status."""

    added: int = 0
    removed: int = 0
    amended: int = 0
    moved: int = 0
    renumbered: int = 0
    unchanged: int = 0
    split: int = 0
    merged: int = 0
    words_inserted: int = 0
    words_deleted: int = 0

    @property
    def changed(self) -> int:
        return (
            self.added
            + self.removed
            + self.amended
            + self.moved
            + self.renumbered
            + self.split
            + self.merged
        )


@dataclass(frozen=True)
class VersionDiff:
    """Every clause of two versions, in the new version's reading order, removed clauses where
    they stood."""

    clauses: tuple[ClauseDiff, ...]
    stats: DiffStats
    ignore_whitespace_and_punctuation: bool = False

    @property
    def changes(self) -> tuple[ClauseDiff, ...]:
        return tuple(c for c in self.clauses if c.changed)


class ClauseRow(Protocol):
    """What ``clause_texts_from_rows`` reads from a clause row (``clauses.models.Clause``, or
    a tuple of its values)."""

    @property
    def pk(self) -> Any: ...
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def parent_id(self) -> Any: ...
    @property
    def order(self) -> int: ...
    @property
    def change(self) -> str: ...


def clause_texts_from_rows(rows: Iterable[ClauseRow]) -> list[ClauseText]:
    """The clauses of one version as differ input, without querying for parents."""
    rows = list(rows)
    key_by_id = {row.pk: row.key for row in rows}
    return [
        ClauseText(
            key=row.key,
            kind=row.kind,
            number=row.number,
            heading=row.heading,
            text=row.text,
            parent=key_by_id.get(row.parent_id) if row.parent_id is not None else None,
            order=row.order,
            repealed=row.change == "repealed",
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AlignmentWork:
    """How much work an alignment did, to bound it in tests without timing anything.

    ``candidate_pairs``: pairs of clauses whose shared word pairs were counted exactly;
    ``text_diffs``: pairs of clauses diffed word by word.
    """

    clauses: int
    candidate_pairs: int
    text_diffs: int


@dataclass(frozen=True)
class AlignedPair:
    """Two provisions of different texts found alike by their words, and their diff."""

    left: ClauseText
    right: ClauseText
    text: TextDiff
    heading: TextDiff

    @property
    def similarity(self) -> float:
        return self.text.similarity if self.left.text or self.right.text else 1.0


@dataclass(frozen=True)
class SimilarityAlignment:
    """Every clause of two texts once: in a pair, or on its side alone, in reading order."""

    pairs: tuple[AlignedPair, ...]
    left_only: tuple[ClauseText, ...]
    right_only: tuple[ClauseText, ...]
