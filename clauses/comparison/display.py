"""What the compare page, the exports and the clause page show of a diff, built in Python.

The diff engine answers in clause keys. Here each row gets what a reader needs: where the clause
sits ("Article 5, 2"), what happened to it in words ("Moved from Article 10"), its place among
the changes for next and previous, and each side's text for the side-by-side view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diffing import ClauseDiff, ClauseText, DiffStats, Op, Status, VersionDiff, diff_texts
from ..models import Agreement, ChangeKind, Clause, TextStatus, Version
from ..names import clause_name, key_name
from ..reading.read_models import HEADING_KINDS, ClauseInVersion, text_notice
from ..record.dates import dated

BADGES = {
    Status.ADDED: "Added",
    Status.REMOVED: "Removed",
    Status.AMENDED: "Amended",
    Status.MOVED: "Moved",
    Status.RENUMBERED: "Renumbered",
    Status.UNCHANGED: "Unchanged",
    Status.SPLIT: "Split",
    Status.MERGED: "Merged",
}


def badge(c: ClauseDiff) -> str:
    """What happened to a clause, in the words the compare and version pages both show."""
    if c.status == Status.AMENDED and c.renumbered:
        return "Amended and renumbered"
    return BADGES[c.status]


def version_badges(diff: VersionDiff) -> dict[str, tuple[str, str]]:
    """The newer version's changed clauses by key: the badge its page shows, and its status.

    The version page takes these from the diff the compare page shows, so the two never
    disagree on a split, a merge, a move or a renumbering. A clause merged into another is
    listed under its own key too, for the placeholder the newer version keeps of it.
    """
    found: dict[str, tuple[str, str]] = {}
    merged_from: dict[str, list[str]] = {}
    merged_away: dict[str, str] = {}
    for c in diff.clauses:
        if c.new_key is None or not c.changed:
            continue
        was = c.old_number or c.old_key or ""
        if c.status == Status.SPLIT:
            text = f"Split from {was}"
        elif c.status == Status.MERGED:
            merged_from.setdefault(c.new_key, []).append(was)
            text = "Merged from " + ", ".join(merged_from[c.new_key])
            if c.old_key is not None:
                merged_away[c.old_key] = f"Merged into {c.new_number or c.new_key}"
        elif c.old_number != c.new_number and c.old_number:
            text = f"{badge(c)} (was {c.old_number})"
        else:
            text = badge(c)
        found[c.new_key] = (text, str(c.status))
    in_newer = {c.new_key for c in diff.clauses}
    for key, text in merged_away.items():
        if key not in in_newer:
            found[key] = (text, str(Status.MERGED))
    return found


@dataclass(frozen=True)
class Run:
    """A stretch of one side's text, marked deleted or inserted where it changed."""

    kind: str
    text: str


# Why: a deletion followed straight by the insertion that replaces it ("forms" → "and") reads
# "formsand" when copied, and runs together on paper without colour. A plain space, shown
# between the two and outside both, keeps the words apart in every rendering.
GAP = " "


def needs_gap(first: Run | Op, second: Run | Op) -> bool:
    """Whether a deletion and an insertion meet with no whitespace between them."""
    return (
        {first.kind, second.kind} == {"delete", "insert"}
        and bool(first.text)
        and bool(second.text)
        and not first.text[-1].isspace()
        and not second.text[0].isspace()
    )


def gapped_runs(ops: Iterable[Run | Op]) -> tuple[Run, ...]:
    """The runs of a redline with a ``gap`` run wherever a deletion meets an insertion.

    The gap belongs to neither text: leaving out the gaps and the deletions gives the new text,
    leaving out the gaps and the insertions gives the old one.
    """
    runs: list[Run] = []
    previous: Run | Op | None = None
    for op in ops:
        if previous is not None and needs_gap(previous, op):
            runs.append(Run("gap", GAP))
        runs.append(Run(op.kind, op.text))
        previous = op
    return tuple(runs)


def inline_redline(ops: Iterable[Op]) -> str:
    """The redline as plain text, marked as ``git diff --word-diff`` does: ``[-old-]{+new+}``."""
    marks = {"delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(
        marks[r.kind].format(r.text) if r.kind in marks else r.text for r in gapped_runs(ops)
    )


def old_runs(ops: Iterable[Op]) -> tuple[Run, ...]:
    """The old text, deletions marked: the left column of side by side."""
    return tuple(
        Run(op.kind, op.old_text if op.old_text is not None else op.text)
        for op in ops
        if op.kind != "insert"
    )


def new_runs(ops: Iterable[Op]) -> tuple[Run, ...]:
    """The new text, insertions marked: the right column of side by side."""
    return tuple(Run(op.kind, op.text) for op in ops if op.kind != "delete")


def _changed(ops: Iterable[Op]) -> bool:
    return any(op.kind != "equal" for op in ops)


@dataclass(frozen=True)
class CompareRow:
    """One clause of a comparison as the page shows it."""

    diff: ClauseDiff
    anchor: str
    status: str
    badge: str
    number: str
    heading: str
    path: str
    old_path: str
    new_path: str
    as_heading: bool
    heading_changed: bool
    depth: int
    note: str
    change_index: int
    previous_change: str
    next_change: str
    old_heading: tuple[Run, ...]
    new_heading: tuple[Run, ...]
    old_text: tuple[Run, ...]
    new_text: tuple[Run, ...]

    @property
    def changed(self) -> bool:
        return self.change_index > 0

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.number, self.heading) if p) or self.diff.key

    @property
    def spoken(self) -> str:
        """The clause's full place and what happened to it, for announcing a change."""
        return f"{self.path}, {self.badge.lower()}"


class _Places:
    """Where each key stands on one side of a diff: its full place and its depth."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.parents: dict[str, str | None] = {}
        # Why: a row asks for its place several times (path, note, depth, each side).
        self._chains: dict[str, list[str]] = {}
        self._paths: dict[str, str] = {}

    def add(self, key: str, kind: str, number: str, heading: str, parent: str | None) -> None:
        self.names[key] = clause_name(key=key, kind=kind, number=number, heading=heading)
        self.parents[key] = parent
        self._chains.clear()
        self._paths.clear()

    def chain(self, key: str) -> list[str]:
        found = self._chains.get(key)
        if found is None:
            found = self._chains[key] = self._chain(key)
        return found

    def _chain(self, key: str) -> list[str]:
        keys: list[str] = []
        seen: set[str] = set()
        current: str | None = key
        while current is not None and current in self.names and current not in seen:
            seen.add(current)
            keys.append(current)
            current = self.parents.get(current)
        return keys[::-1]

    def path(self, key: str) -> str:
        """``Article 5, paragraph 2``: the clause's place, outermost first."""
        found = self._paths.get(key)
        if found is None:
            names = self.names
            found = self._paths[key] = ", ".join([names[k] for k in self.chain(key)]) or key_name(
                key
            )
        return found

    def depth(self, key: str) -> int:
        return max(len(self.chain(key)) - 1, 0)


def _places(diff: VersionDiff) -> tuple[_Places, _Places]:
    old, new = _Places(), _Places()
    for c in diff.clauses:
        if c.old_key is not None:
            old.add(c.old_key, c.kind, c.old_number, c.old_heading, c.old_parent)
        if c.new_key is not None:
            new.add(c.new_key, c.kind, c.new_number, c.new_heading, c.new_parent)
    return old, new


def clause_places(clauses: Iterable[ClauseText]) -> _Places:
    """The places (``Annex I, Section II, C``) of one text's clauses, by key."""
    places = _Places()
    for c in clauses:
        places.add(c.key, c.kind, c.number, c.heading, c.parent)
    return places


def _note(c: ClauseDiff, old: _Places, new: _Places) -> str:
    was = old.path(c.old_key) if c.old_key else ""
    if c.status == Status.MOVED:
        return f"Moved from {was}" + (" and edited" if c.edited else "")
    if c.status == Status.RENUMBERED:
        return f"Renumbered from {was}"
    if c.status == Status.AMENDED and c.renumbered:
        return f"Amended and renumbered from {was}"
    if c.status == Status.SPLIT:
        return f"Split from {was} into " + ", ".join(new.path(k) for k in c.parts)
    if c.status == Status.MERGED and c.new_key:
        return f"Merged into {new.path(c.new_key)} from " + ", ".join(old.path(k) for k in c.parts)
    return ""


def compare_rows(diff: VersionDiff, *, changed_only: bool = False) -> tuple[CompareRow, ...]:
    """Every clause of ``diff`` (or only the changed ones), in the new version's reading order."""
    old, new = _places(diff)
    # Why once: an anchor is built from the keys each time it is asked for.
    anchors = [(c, c.anchor, c.changed) for c in diff.clauses]
    changes = [anchor for _, anchor, changed in anchors if changed]
    position = {anchor: n for n, anchor in enumerate(changes, start=1)}
    rows: list[CompareRow] = []
    for c, anchor, changed in anchors:
        if changed_only and not changed:
            continue
        index = position.get(anchor, 0) if changed else 0
        removed = c.new_key is None
        heading = c.old_heading if removed else c.new_heading
        old_path = old.path(c.old_key) if c.old_key else ""
        new_path = new.path(c.new_key) if c.new_key else ""
        rows.append(
            CompareRow(
                diff=c,
                anchor=anchor,
                status=str(c.status),
                badge=badge(c),
                number=c.old_number if removed else c.new_number,
                heading=heading,
                path=old.path(c.old_key or "") if removed else new.path(c.new_key or ""),
                old_path=old_path,
                new_path=new_path,
                as_heading=c.kind in HEADING_KINDS or bool(c.heading_ops),
                heading_changed=_changed(c.heading_ops),
                depth=old.depth(c.old_key or "") if removed else new.depth(c.new_key or ""),
                note=_note(c, old, new),
                change_index=index,
                previous_change=changes[index - 2] if index > 1 else "",
                next_change=changes[index] if 0 < index < len(changes) else "",
                old_heading=old_runs(c.heading_ops),
                new_heading=new_runs(c.heading_ops),
                old_text=old_runs(c.ops),
                new_text=new_runs(c.ops),
            )
        )
    return tuple(rows)


def summary_counts(stats: DiffStats) -> tuple[tuple[str, int], ...]:
    """Clause counts in reading order; split and merged only when they happened."""
    counts = [
        ("added", stats.added),
        ("removed", stats.removed),
        ("amended", stats.amended),
        ("moved", stats.moved),
        ("renumbered", stats.renumbered),
        ("unchanged", stats.unchanged),
    ]
    if stats.split:
        counts.append(("split", stats.split))
    if stats.merged:
        counts.append(("merged", stats.merged))
    return tuple(counts)


SHORT_STATUS = {
    TextStatus.ILLUSTRATIVE: "illustrative",
    TextStatus.PARTIAL: "partial",
    TextStatus.NONE: "not available",
}


def unofficial_notice(versions: Sequence[Version]) -> str:
    """The warning shown above a comparison when either text is not the official wording."""
    distinct = list(dict.fromkeys(versions))
    unofficial = [v for v in distinct if v.text_status != TextStatus.OFFICIAL]
    if not unofficial:
        return ""
    statuses = {SHORT_STATUS[TextStatus(v.text_status)] for v in unofficial}
    if len(unofficial) > 1 and len(statuses) == 1:
        which = f"both texts are {statuses.pop()}"
    else:
        which = "; ".join(
            f"{v.title} is {SHORT_STATUS[TextStatus(v.text_status)]}" for v in unofficial
        )
    return (
        f"Not the official wording: {which}. The changes shown are between these texts; "
        "do not quote them as changes to the agreement."
    )


@dataclass(frozen=True)
class VersionFacts:
    """One side of a comparison: the version, the instrument that made it, its text status."""

    version: Version
    url: str
    period: str
    notice: str


def version_facts(version: Version, url: str) -> VersionFacts:
    until = f" until {dated(version, 'in_force_until')}" if version.in_force_until else ""
    return VersionFacts(
        version=version,
        url=url,
        period=f"from {dated(version, 'in_force_from')}{until}",
        notice=text_notice(version.text_status),
    )


@dataclass(frozen=True)
class PickerOption:
    value: str
    text: str
    selected: bool


@dataclass(frozen=True)
class ComparePicker:
    """The two version selects of the "Compare versions" form, with their choices made."""

    action: str
    older: tuple[PickerOption, ...]
    newer: tuple[PickerOption, ...]
    keep: tuple[tuple[str, str], ...] = ()


def compare_picker(
    versions: Sequence[Version],
    *,
    action: str,
    older: Version | None = None,
    newer: Version | None = None,
    keep: Sequence[tuple[str, str]] = (),
) -> ComparePicker | None:
    """The picker for an agreement's versions, or ``None`` when there is nothing to compare.

    Without a choice it offers the first version against the latest. ``keep`` holds query
    parameters (the view and the filter) that the form carries over.
    """
    if len(versions) < 2:
        return None
    older = older or versions[0]
    newer = newer or versions[-1]

    def options(chosen: Version) -> tuple[PickerOption, ...]:
        return tuple(
            PickerOption(v.label, f"{v.title} (from {dated(v, 'in_force_from')})", v == chosen)
            for v in versions
        )

    return ComparePicker(action, options(older), options(newer), tuple(keep))


@dataclass(frozen=True)
class PartRedline:
    """A sub-clause of one version compared with the same sub-clause in the version before."""

    number: str
    depth: int
    status: str
    heading: tuple[Op, ...]
    text: tuple[Op, ...]


@dataclass(frozen=True)
class ClauseRedline:
    """A clause (and its sub-clauses) in one version, compared with the version before."""

    against: Version
    against_url: str
    heading: tuple[Op, ...]
    text: tuple[Op, ...]
    parts: tuple[PartRedline, ...]
    changed: bool
    words_inserted: int
    words_deleted: int


def _part_redlines(
    now: Sequence[Clause], before: Sequence[Clause]
) -> tuple[list[PartRedline], int, int]:
    earlier = {p.key: p for p in before if p.change != ChangeKind.REPEALED}
    seen: set[str] = set()
    parts: list[PartRedline] = []
    inserted = deleted = 0

    def add(number: str, depth: int, old: Clause | None, new: Clause | None) -> None:
        nonlocal inserted, deleted
        heading = diff_texts(old.heading if old else "", new.heading if new else "")
        text = diff_texts(old.text if old else "", new.text if new else "")
        inserted += heading.words_inserted + text.words_inserted
        deleted += heading.words_deleted + text.words_deleted
        if old is None:
            status = "added"
        elif new is None:
            status = "removed"
        else:
            status = "amended" if heading.changed or text.changed else "unchanged"
        parts.append(PartRedline(number, depth, status, heading.ops, text.ops))

    for part in now:
        old = earlier.get(part.key)
        seen.add(part.key)
        if part.change == ChangeKind.REPEALED:
            if old is not None:
                add(part.number, part.depth, old, None)
            continue
        add(part.number, part.depth, old, part)
    for key, old in earlier.items():
        if key not in seen:
            add(old.number, old.depth, old, None)
    return parts, inserted, deleted


def clause_redline(row: ClauseInVersion, before: ClauseInVersion | None) -> ClauseRedline | None:
    """The clause in ``row`` as a redline against ``before``, the version just before it.

    ``None`` where there is nothing to compare with: the first version, a clause new in this
    version or repealed in it (the page shows the repeal itself).
    """
    if (
        before is None
        or before.clause is None
        or before.status != "present"
        or row.clause is None
        or row.status != "present"
    ):
        return None
    heading = diff_texts(before.clause.heading, row.clause.heading)
    text = diff_texts(before.clause.text, row.clause.text)
    parts, inserted, deleted = _part_redlines(row.parts, before.parts)
    return ClauseRedline(
        against=before.version,
        against_url=before.version_url,
        heading=heading.ops,
        text=text.ops,
        parts=tuple(parts),
        changed=heading.changed or text.changed or any(p.status != "unchanged" for p in parts),
        words_inserted=heading.words_inserted + text.words_inserted + inserted,
        words_deleted=heading.words_deleted + text.words_deleted + deleted,
    )


def clause_redlines(
    through: Sequence[ClauseInVersion],
) -> tuple[tuple[ClauseInVersion, ClauseRedline | None], ...]:
    """Each version's row of the clause page, paired with its redline against the one before."""
    return tuple(
        (row, clause_redline(row, through[n - 1] if n else None)) for n, row in enumerate(through)
    )


def export_filename(agreement: Agreement, older: Version, newer: Version, extension: str) -> str:
    return f"{agreement.slug}-{older.label}-to-{newer.label}.{extension}"
