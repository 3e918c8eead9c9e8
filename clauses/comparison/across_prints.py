"""One agreement against another, in the prints every comparison writes (CSV, Word, PDF).

The alignment is turned into the rows a version comparison has, so the one writer of each
format prints it: a pair is a row from one agreement's provision to the other's; a provision
with no counterpart is a row of its own, named "Only in the …" rather than removed or added.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..diffing import ClauseDiff, ClauseText, DiffStats, Op, Status, VersionDiff
from ..diffing.results import OpKind
from .display import CompareRow, unofficial_notice
from .sides import ComparedTexts, printed_version

if TYPE_CHECKING:
    from .across import AcrossComparison

PAIRED, IDENTICAL, ONLY_LEFT, ONLY_RIGHT = "paired", "identical", "only-left", "only-right"


def _words(text: str) -> int:
    return len(text.split())


def _alone(clause: ClauseText, *, left: bool) -> ClauseDiff:
    kind: OpKind = "delete" if left else "insert"
    return ClauseDiff(
        status=Status.REMOVED if left else Status.ADDED,
        kind=clause.kind,
        old_key=clause.key if left else None,
        new_key=None if left else clause.key,
        old_number=clause.number if left else "",
        new_number="" if left else clause.number,
        old_heading=clause.heading if left else "",
        new_heading="" if left else clause.heading,
        old_parent=clause.parent if left else None,
        new_parent=None if left else clause.parent,
        ops=(Op(kind, clause.text),) if clause.text else (),
        heading_ops=(Op(kind, clause.heading),) if clause.heading else (),
        words_inserted=0 if left else _words(clause.text),
        words_deleted=_words(clause.text) if left else 0,
        similarity=0.0,
        edited=True,
    )


def across_diff(result: AcrossComparison) -> VersionDiff:
    """The pairs in the first agreement's reading order, then each side's provisions alone."""
    assert result.alignment is not None  # noqa: S101 - only an aligned comparison is printed
    rows: list[ClauseDiff] = []
    for pair in result.alignment.pairs:
        changed = pair.text.changed or pair.heading.changed
        rows.append(
            ClauseDiff(
                status=Status.AMENDED if changed else Status.UNCHANGED,
                kind=pair.right.kind,
                old_key=pair.left.key,
                new_key=pair.right.key,
                old_number=pair.left.number,
                new_number=pair.right.number,
                old_heading=pair.left.heading,
                new_heading=pair.right.heading,
                old_parent=pair.left.parent,
                new_parent=pair.right.parent,
                ops=pair.text.ops,
                heading_ops=pair.heading.ops if pair.heading.changed else (),
                words_inserted=pair.text.words_inserted + pair.heading.words_inserted,
                words_deleted=pair.text.words_deleted + pair.heading.words_deleted,
                similarity=pair.text.similarity,
                edited=changed,
            )
        )
    rows += [_alone(c, left=True) for c in result.alignment.left_only]
    rows += [_alone(c, left=False) for c in result.alignment.right_only]
    stats = DiffStats(
        added=sum(r.status == Status.ADDED for r in rows),
        removed=sum(r.status == Status.REMOVED for r in rows),
        amended=sum(r.status == Status.AMENDED for r in rows),
        unchanged=sum(r.status == Status.UNCHANGED for r in rows),
        words_inserted=sum(r.words_inserted for r in rows),
        words_deleted=sum(r.words_deleted for r in rows),
    )
    return VersionDiff(tuple(rows), stats)


def across_texts(result: AcrossComparison) -> ComparedTexts:
    """The two agreements' names in the title, the header and each row's change."""
    ours, theirs, other, alignment = result.ours, result.theirs, result.other, result.alignment
    if ours is None or theirs is None or other is None or alignment is None:
        raise ValueError("Only an aligned comparison is printed.")
    agreement = result.agreement
    left_name, right_name = agreement.short_title, other.short_title
    left_part = result.our_part_name if result.params["our_part"] else "the whole text"
    right_part = result.their_part_name if result.params["their_part"] else "the whole text"
    title = f"{left_part} of the {left_name} compared with {right_part} of the {right_name}"

    def relabel(row: CompareRow) -> CompareRow:
        c = row.diff
        if c.status == Status.REMOVED:
            return replace(row, status=ONLY_LEFT, badge=f"Only in the {left_name}")
        if c.status == Status.ADDED:
            return replace(row, status=ONLY_RIGHT, badge=f"Only in the {right_name}")
        percent = round(c.similarity * 100)
        alike = "paired by what they hold" if not c.ops else f"{percent}% alike"
        return replace(
            row,
            status=PAIRED if c.changed else IDENTICAL,
            badge=alike if c.changed else "Identical",
            note=(
                f"{row.old_path} of the {left_name} and {row.new_path} of the {right_name}: "
                f"{alike}."
            ),
        )

    return ComparedTexts(
        agreement=f"{agreement.title} and {other.title}",
        older=printed_version(left_name, ours),
        newer=printed_version(right_name, theirs),
        title=title[0].upper() + title[1:],
        header=(
            f"{agreement.title} ({ours.title}) compared with {other.title} ({theirs.title}), "
            "provisions aligned by their wording"
        ),
        subject=f"Comparative print of the {left_name} and the {right_name}",
        notice=unofficial_notice([ours, theirs]),
        filename=f"{agreement.slug}-{ours.label}-and-{other.slug}-{theirs.label}",
        notes=(
            "Provisions are paired by their wording, never by their numbers: a pair is printed "
            f"as a redline from the {left_name} to the {right_name}. Rows marked “only-left” "
            f"(CSV) are provisions only in the {left_name}; “only-right”, only in the "
            f"{right_name}.",
            f"{len(alignment.pairs)} pairs; {len(alignment.left_only)} of the "
            f"{len(result.left)} provisions of the {left_name} and "
            f"{len(alignment.right_only)} of the {len(result.right)} of the {right_name} "
            "have no counterpart.",
        ),
        relabel=relabel,
        counts=(
            ("pairs", len(alignment.pairs)),
            (f"only in the {left_name}", len(alignment.left_only)),
            (f"only in the {right_name}", len(alignment.right_only)),
        ),
    )
