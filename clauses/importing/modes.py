"""The four ways an instrument's text comes in, each planned before anything is written.

A consolidated text is the whole agreement as it now stands; an amending instrument says what
changes; a partial official text holds some clauses of the version in their official wording;
a side document (agreed minutes, an exchange of letters) changes nothing. Each ``plan_*``
function returns an ``ImportPlan``: the clauses of the resulting version, the effects, and what
could not be applied and why, so that a person reads the consequence before publishing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .amending import (
    EXTENSION,
    INSERTION,
    OTHER,
    RENUMBERING,
    REPEAL,
    SUBSTITUTION,
    ParsedEffect,
    UnparsedInstruction,
    parse_instructions,
)
from .errors import TextImportError
from .matching import (
    ADDED,
    AMENDED,
    RENUMBERED,
    REPEALED,
    UNCHANGED,
    MatchedClause,
    PreviousClause,
    match_clauses,
    normalise,
)
from .numberpath import NumberPath, keys_by_path, number_of, number_paths
from .structure import ParsedDocument

CONSOLIDATED = "consolidated"
AMENDING = "amending"
PARTIAL = "partial"
DOCUMENT = "document"
MODES = (CONSOLIDATED, AMENDING, PARTIAL, DOCUMENT)

# Where a clause's wording in the new version comes from (``Clause.wording``).
WORDING_OFFICIAL = "official"
WORDING_PARTIAL = "partial"
WORDING_CARRIED_OVER = "carried_over"

CONSOLIDATED_TEXT = "the consolidated text"


class AmendmentError(TextImportError, ValueError):
    """An instruction cannot be applied to the version it amends; the message names the clause."""


@dataclass(frozen=True)
class PlannedEffect:
    """An effect as it would be recorded: which provision, how, and whether it was applied.

    ``affected_key`` is the stable key of the provision changed (for an insertion, the key the
    new clause gets; empty for an extension of term); ``affected_label`` its label at the time.
    """

    kind: str
    affected_key: str
    affected_label: str
    affecting: str
    applied: bool
    why_not: str = ""
    new_number: str = ""
    new_heading: str = ""
    new_text: str = ""
    after_key: str = ""
    term: str = ""
    note: str = ""


@dataclass(frozen=True)
class ManualEffect:
    """An unparsed instruction applied by a person: the clause it changes and the new text.

    ``kind`` is a substitution of ``affected_key``'s text, its repeal, or the insertion of a
    new provision (``new_number``, ``new_text``) after it. ``by`` names the person, for the
    record of the effect.
    """

    instruction: str
    affected_key: str
    new_text: str = ""
    new_heading: str = ""
    kind: str = SUBSTITUTION
    new_number: str = ""
    by: str = ""

    @property
    def note(self) -> str:
        who = f" by {self.by}" if self.by else ""
        return f"Applied by hand{who} on the import preview: “{self.instruction}”"


MANUAL_KINDS = (SUBSTITUTION, INSERTION, REPEAL)


@dataclass(frozen=True)
class PlanCounts:
    added: int
    amended: int
    repealed: int
    renumbered: int
    unchanged: int
    effects_applied: int
    effects_not_applied: int


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do. ``clauses`` is the resulting version (empty for a document)."""

    mode: str
    clauses: tuple[MatchedClause, ...] = ()
    effects: tuple[PlannedEffect, ...] = ()
    unparsed: tuple[UnparsedInstruction, ...] = ()
    wording: tuple[tuple[str, str], ...] = field(default=())

    @property
    def makes_version(self) -> bool:
        return self.mode != DOCUMENT

    @property
    def wording_by_key(self) -> dict[str, str]:
        return dict(self.wording)

    def as_json(self) -> dict[str, Any]:
        """The plan as JSON-ready data, for a preview kept between two requests."""
        return {
            "mode": self.mode,
            "counts": asdict(self.counts),
            "clauses": [asdict(c) for c in self.clauses],
            "effects": [asdict(e) for e in self.effects],
            "unparsed": [asdict(u) for u in self.unparsed],
            "wording": dict(self.wording),
        }

    @property
    def counts(self) -> PlanCounts:
        changes = [c.change for c in self.clauses]
        return PlanCounts(
            added=changes.count(ADDED),
            amended=changes.count(AMENDED),
            repealed=changes.count(REPEALED),
            renumbered=changes.count(RENUMBERED),
            unchanged=changes.count(UNCHANGED),
            effects_applied=sum(1 for e in self.effects if e.applied),
            effects_not_applied=sum(1 for e in self.effects if not e.applied),
        )


def _label(number: str, heading: str, key: str) -> str:
    return number or heading or key


def effects_of_diff(
    previous: Sequence[PreviousClause], clauses: Sequence[MatchedClause]
) -> tuple[PlannedEffect, ...]:
    """The effects a consolidated text has on the version before it, read from the diff."""
    old = {c.key: c for c in previous}
    effects: list[PlannedEffect] = []
    kept_before = ""
    for clause in clauses:
        before = old.get(clause.key)
        was = _label(before.number, before.heading, clause.key) if before else ""
        if clause.change == ADDED:
            effects.append(
                PlannedEffect(
                    INSERTION, clause.key, _label(clause.number, clause.heading, clause.key),
                    CONSOLIDATED_TEXT, True, new_number=clause.number,
                    new_heading=clause.heading, new_text=clause.text, after_key=kept_before,
                )
            )  # fmt: skip
        elif clause.change == AMENDED:
            effects.append(
                PlannedEffect(
                    SUBSTITUTION, clause.key, was, CONSOLIDATED_TEXT, True,
                    new_number=clause.number, new_heading=clause.heading, new_text=clause.text,
                )
            )  # fmt: skip
        elif clause.change == REPEALED:
            effects.append(PlannedEffect(REPEAL, clause.key, was, CONSOLIDATED_TEXT, True))
        elif clause.change == RENUMBERED:
            effects.append(
                PlannedEffect(
                    RENUMBERING, clause.key, was, CONSOLIDATED_TEXT, True,
                    new_number=clause.number,
                )
            )  # fmt: skip
        if clause.change != REPEALED:
            kept_before = clause.key
    return tuple(effects)


def plan_consolidated(previous: Sequence[PreviousClause], document: ParsedDocument) -> ImportPlan:
    """The whole agreement as it now stands: a new version matched with the previous one."""
    if not document.clauses:
        raise TextImportError("No clauses were found in the text.")
    try:
        matched = match_clauses(previous, document.clauses)
    except ValueError as exc:
        raise TextImportError(str(exc)) from exc
    return ImportPlan(
        mode=CONSOLIDATED, clauses=tuple(matched), effects=effects_of_diff(previous, matched)
    )


def plan_document(document: ParsedDocument) -> ImportPlan:
    """A side document: kept with its own clauses; no version, nothing repealed."""
    if not document.clauses:
        raise TextImportError("No clauses were found in the text.")
    return ImportPlan(mode=DOCUMENT)


def _changed(before: PreviousClause, number: str, heading: str, text: str) -> tuple[str, str]:
    """The change kind and the previous number of a clause that keeps its key."""
    words_changed = normalise(before.text) != normalise(text) or normalise(
        before.heading
    ) != normalise(heading)
    renumbered = before.number != number
    if words_changed:
        return AMENDED, before.number if renumbered else ""
    if renumbered:
        return RENUMBERED, before.number
    return UNCHANGED, ""


def _unique_key(wanted: str, taken: set[str]) -> str:
    key, n = wanted, 2
    while key in taken:
        key, n = f"{wanted}_{n}", n + 1
    return key


def plan_partial(
    previous: Sequence[PreviousClause],
    document: ParsedDocument,
    *,
    previous_label: str = "the previous version",
) -> ImportPlan:
    """Replace only the clauses the text holds (by key, else by number path); keep the rest.

    A clause of the text that matches none of the previous version is added after the clause
    it follows in the text. Nothing is repealed by being absent.
    """
    if not document.clauses:
        raise TextImportError("No clauses were found in the text.")
    old_keys = {c.key for c in previous}
    old_by_path = keys_by_path(number_paths(previous))
    new_paths = number_paths(document.clauses)
    target: dict[str, str] = {}  # document key -> previous key
    for clause in document.clauses:
        if clause.key in old_keys and clause.key not in target.values():
            target[clause.key] = clause.key
            continue
        found = old_by_path.get(new_paths[clause.key])
        if found is not None and found not in target.values():
            target[clause.key] = found
    if not target:
        raise TextImportError(
            f"The partial text matches no clause of {previous_label}: none of its provisions "
            f"({', '.join(_label(c.number, c.heading, c.key) for c in document.clauses[:5])}"
            f"{', …' if len(document.clauses) > 5 else ''}) is found there by key or number."
        )
    taken = set(old_keys)
    final: dict[str, str] = {}
    for clause in document.clauses:
        if clause.key in target:
            final[clause.key] = target[clause.key]
        else:
            final[clause.key] = _unique_key(clause.key, taken)
            taken.add(final[clause.key])
    replacing = {target[k]: c for c in document.clauses if (k := c.key) in target}
    added_after: dict[str | None, list[MatchedClause]] = {}
    last: str | None = None
    for clause in document.clauses:
        if clause.key in target:
            last = target[clause.key]
            continue
        entry = MatchedClause(
            key=final[clause.key], kind=clause.kind, number=clause.number,
            heading=clause.heading, text=clause.text,
            parent=final.get(clause.parent) if clause.parent else None,
            change=ADDED, notes=clause.notes,
        )  # fmt: skip
        added_after.setdefault(last, []).append(entry)
        last = entry.key
    result: list[MatchedClause] = list(added_after.get(None, []))
    wording: list[tuple[str, str]] = [(m.key, WORDING_PARTIAL) for m in result]
    pending = dict(added_after)
    pending.pop(None, None)

    def flush(key: str) -> None:
        for entry in pending.pop(key, []):
            result.append(entry)
            wording.append((entry.key, WORDING_PARTIAL))
            flush(entry.key)

    for before in previous:
        new = replacing.get(before.key)
        if new is None:
            result.append(_carried(before))
            wording.append((before.key, WORDING_CARRIED_OVER))
        else:
            change, previous_number = _changed(before, new.number, new.heading, new.text)
            result.append(
                MatchedClause(
                    key=before.key, kind=before.kind, number=new.number, heading=new.heading,
                    text=new.text, parent=before.parent, change=change,
                    previous_number=previous_number, notes=new.notes,
                )
            )  # fmt: skip
            wording.append((before.key, WORDING_PARTIAL))
        flush(before.key)
    for key in [k for k in pending if k is not None]:
        flush(key)
    return ImportPlan(
        mode=PARTIAL,
        clauses=tuple(result),
        effects=effects_of_diff(previous, result),
        wording=tuple(wording),
    )


def _carried(before: PreviousClause) -> MatchedClause:
    return MatchedClause(
        key=before.key, kind=before.kind, number=before.number, heading=before.heading,
        text=before.text, parent=before.parent, change=UNCHANGED, notes=before.notes,
    )  # fmt: skip


@dataclass
class _Entry:
    """A clause of the version being made, while effects are applied to it."""

    clause: MatchedClause
    before: PreviousClause | None


def _key_for_number(number: str, kind: str, parent: str | None, taken: set[str]) -> str:
    """A key in the parser's style for an inserted provision: ``art_3a``, ``art_5__para_4``."""
    value = number_of(number) if number else ""
    prefix = {"article": "art", "annex": "annex", "section": "sec", "paragraph": "para"}.get(
        kind, kind
    )
    slug = re.sub(r"[^0-9a-z]+", "_", str(value).lower()).strip("_") or "new"
    segment = f"{prefix}_{slug}"
    return _unique_key(f"{parent}__{segment}" if parent else segment, taken)


class _Amender:
    """The previous version's clauses, changed one effect at a time."""

    def __init__(
        self, previous: Sequence[PreviousClause], previous_label: str, instrument_name: str
    ) -> None:
        self.paths = keys_by_path(number_paths(previous))
        self.entries = [_Entry(_carried(c), c) for c in previous]
        self.index = {e.clause.key: e for e in self.entries}
        self.taken = set(self.index)
        self.previous_label = previous_label
        self.owner = instrument_name[:1].upper() + instrument_name[1:]

    def resolve(self, path: NumberPath, label: str, affecting: str) -> _Entry:
        key = self.paths.get(path)
        if key is None or self.index[key].clause.change == REPEALED:
            raise AmendmentError(
                f"{self.owner}'s {affecting} amends {label}, which {self.previous_label} "
                "does not have."
            )
        return self.index[key]

    def descendants(self, key: str) -> list[_Entry]:
        found: list[_Entry] = []
        parents = {key}
        for e in self.entries:
            if e.clause.parent in parents:
                found.append(e)
                parents.add(e.clause.key)
        return found

    def set_clause(self, entry: _Entry, *, number: str, heading: str, text: str) -> None:
        clause = replace(entry.clause, number=number, heading=heading, text=text)
        if entry.before is not None:
            change, previous_number = _changed(entry.before, number, heading, text)
            clause = replace(clause, change=change, previous_number=previous_number)
        entry.clause = clause

    def repeal(self, entry: _Entry) -> None:
        for e in [entry, *self.descendants(entry.clause.key)]:
            number = e.before.number if e.before else e.clause.number
            e.clause = replace(e.clause, text="", change=REPEALED, previous_number=number, notes=())

    def apply(self, effect: ParsedEffect) -> PlannedEffect:
        if effect.kind == EXTENSION:
            return PlannedEffect(EXTENSION, "", "", effect.affecting, True, term=effect.term)
        if effect.kind == INSERTION:
            return self._insert(effect)
        entry = self.resolve(effect.affected, effect.affected_label, effect.affecting)
        key = entry.clause.key
        if effect.kind == REPEAL:
            self.repeal(entry)
            return PlannedEffect(REPEAL, key, effect.affected_label, effect.affecting, True)
        if effect.kind == RENUMBERING:
            self.set_clause(
                entry,
                number=effect.new_number,
                heading=entry.clause.heading,
                text=entry.clause.text,
            )
            return PlannedEffect(
                RENUMBERING, key, effect.affected_label, effect.affecting, True,
                new_number=effect.new_number,
            )  # fmt: skip
        # Why: the new wording of a provision replaces its subdivisions too; they are repealed
        # rather than left beside a text that now says it all.
        for child in self.descendants(key):
            self.repeal(child)
        self.set_clause(
            entry,
            number=effect.new_number or entry.clause.number,
            heading=effect.new_heading or entry.clause.heading,
            text=effect.new_text,
        )
        return PlannedEffect(
            SUBSTITUTION, key, effect.affected_label, effect.affecting, True,
            new_number=effect.new_number, new_heading=effect.new_heading,
            new_text=effect.new_text,
        )  # fmt: skip

    def _insert(self, effect: ParsedEffect) -> PlannedEffect:
        after = None
        if effect.after:
            after = self.resolve(effect.after, effect.after_label, effect.affecting)
        return self.insert_after(
            after,
            number=effect.new_number,
            heading=effect.new_heading,
            text=effect.new_text,
            affecting=effect.affecting,
        )

    def insert_after(
        self, after: _Entry | None, *, number: str, heading: str, text: str, affecting: str
    ) -> PlannedEffect:
        """Insert a new provision after ``after`` and its subdivisions (at the start if None)."""
        position, parent, kind = 0, None, "article"
        after_key = ""
        if after is not None:
            after_key, parent, kind = after.clause.key, after.clause.parent, after.clause.kind
            tail = [after, *self.descendants(after_key)]
            position = max(self.entries.index(e) for e in tail) + 1
        key = _key_for_number(number, kind, parent, self.taken)
        self.taken.add(key)
        clause = MatchedClause(
            key=key, kind=kind, number=number, heading=heading,
            text=text, parent=parent, change=ADDED,
        )  # fmt: skip
        entry = _Entry(clause, None)
        self.entries.insert(position, entry)
        self.index[key] = entry
        return PlannedEffect(
            INSERTION, key, number or key, affecting, True, new_number=number,
            new_heading=heading, new_text=text, after_key=after_key,
        )  # fmt: skip


def _apply_by_hand(amender: _Amender, hand: ManualEffect, previous_label: str) -> PlannedEffect:
    """Apply an instruction a person read: AmendmentError when it cannot be applied."""
    entry = amender.index.get(hand.affected_key)
    if entry is None or entry.clause.change == REPEALED:
        raise AmendmentError(
            f"The clause chosen by hand for “{hand.instruction[:80]}” ({hand.affected_key}) "
            f"is not a clause of {previous_label}."
        )
    if hand.kind not in MANUAL_KINDS:
        raise AmendmentError(
            f"An instruction applied by hand is a substitution, an insertion or a repeal, "
            f"not {hand.kind!r}."
        )
    if hand.kind != REPEAL and not hand.new_text.strip():
        raise AmendmentError(
            f"Paste the new text for “{hand.instruction[:80]}”: a {hand.kind} needs one."
        )
    if hand.kind == INSERTION and not hand.new_number.strip():
        raise AmendmentError(
            f"Give the number of the provision “{hand.instruction[:80]}” inserts (Article 3A)."
        )
    who = f" by {hand.by}" if hand.by else ""
    affecting = f"{hand.instruction[:80]} (applied by hand{who})"
    label = _label(entry.clause.number, entry.clause.heading, entry.clause.key)
    if hand.kind == INSERTION:
        planned = amender.insert_after(
            entry,
            number=hand.new_number,
            heading=hand.new_heading,
            text=hand.new_text,
            affecting=affecting,
        )
        return replace(planned, note=hand.note)
    if hand.kind == REPEAL:
        amender.repeal(entry)
    else:
        amender.set_clause(
            entry,
            number=entry.clause.number,
            heading=hand.new_heading or entry.clause.heading,
            text=hand.new_text,
        )
    return PlannedEffect(
        hand.kind, entry.clause.key, label, affecting, True,
        new_text="" if hand.kind == REPEAL else hand.new_text, new_heading=hand.new_heading,
        note=hand.note,
    )  # fmt: skip


def plan_amending(
    previous: Sequence[PreviousClause],
    document: ParsedDocument,
    *,
    manual: Sequence[ManualEffect] = (),
    previous_label: str = "the previous version",
    instrument_name: str = "the amending instrument",
) -> ImportPlan:
    """Apply the instrument's parsed instructions (and those a person applied by hand).

    Provisions are named as numbered before the instrument. An instruction naming a provision
    the previous version does not have is refused (AmendmentError, naming it); an instruction
    that could not be read stays listed as unparsed, and not applied, until applied by hand.
    """
    if not document.clauses:
        raise TextImportError("No clauses were found in the text.")
    parsed = parse_instructions(document.clauses)
    handled = {m.instruction for m in manual}
    unparsed = tuple(u for u in parsed.unparsed if u.text not in handled)
    if not parsed.effects and not manual:
        raise TextImportError(
            "No amending instruction was recognised in the text"
            + (f" ({len(unparsed)} could not be read)" if unparsed else "")
            + "; import it as a side document or as a consolidated text instead."
        )
    amender = _Amender(previous, previous_label, instrument_name)
    effects = [amender.apply(effect) for effect in parsed.effects]
    for hand in manual:
        effects.append(_apply_by_hand(amender, hand, previous_label))
    for u in unparsed:
        effects.append(
            PlannedEffect(
                OTHER, "", "", u.where, False, new_text=u.text,
                why_not="Not understood: apply it by hand or leave it unapplied.",
            )
        )  # fmt: skip
    entries = amender.entries
    return ImportPlan(
        mode=AMENDING,
        clauses=tuple(e.clause for e in entries),
        effects=tuple(effects),
        unparsed=unparsed,
        wording=tuple(
            (
                e.clause.key,
                WORDING_CARRIED_OVER if e.clause.change == UNCHANGED else WORDING_OFFICIAL,
            )
            for e in entries
            if e.clause.change != REPEALED
        ),
    )
