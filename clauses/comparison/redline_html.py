"""A comparison's rows as HTML, built in Python.

The compare, compare-by-dates and draft pages and the printed comparison show a row for each
clause; rendering them through a template include per row and per redline was most of what a
first compare cost. The markup is the one those templates wrote, byte for byte (the tests keep
golden copies of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from django.utils.safestring import SafeString

from ..diffing import Op
from ..reading.text_html import lines
from .display import CompareRow, Run, gapped_runs

# Why the standard library's escape: Django's is the same function behind a lazy-string
# wrapper, and a page of rows calls it thousands of times on plain strings.
MARKS = {"insert": ("<ins>", "</ins>"), "delete": ("<del>", "</del>")}


def redline_html(ops: Iterable[Run | Op]) -> str:
    """A redline's runs: insertions in ``<ins>``, deletions in ``<del>``, the gaps between."""
    out: list[str] = []
    for run in gapped_runs(ops):
        if run.kind == "gap":
            out.append(f'<span class="redline-gap">{escape(run.text)}</span>')
        elif run.kind in MARKS:
            start, end = MARKS[run.kind]
            out.append(f"{start}{lines(run.text)}{end}")
        else:
            out.append(lines(run.text))
    return "".join(out)


def _badge(row: CompareRow, after: str = "") -> str:
    return f'<span class="badge badge-{escape(row.status)}">{escape(row.badge)}</span>{after}'


def _number(row: CompareRow) -> str:
    return f'<span class="clause-number">{escape(row.number)}</span> ' if row.number else ""


def _title(row: CompareRow, side: bool) -> str:
    if row.heading_changed and not side:
        heading = f'<span class="clause-heading">{redline_html(row.diff.heading_ops)}</span> '
    elif row.heading:
        heading = f'<span class="clause-heading">{escape(row.heading)}</span> '
    else:
        heading = ""
    badge = _badge(row) if row.changed else ""
    return f'<h3 class="cmp-title" id="{escape(row.anchor)}-h">{_number(row)}{heading}{badge}</h3>'


def _side(
    name: str,
    path: str,
    key: str | None,
    heading: Sequence[Run],
    text: Sequence[Run],
    row: CompareRow,
) -> str:
    label = f"{escape(name)}, {escape(path)}" if path else escape(name)
    if key:
        body = (
            f'<p class="side-heading">{redline_html(heading)}</p>' if row.heading_changed else ""
        ) + (f'<p class="redline">{redline_html(text)}</p>' if text else "")
    else:
        body = '<p class="side-absent">Not in this version.</p>'
    return f'<p class="side-label">{label}</p>\n      {body}'


def _body(row: CompareRow, side: bool, older: str, newer: str) -> str:
    if side:
        diff = row.diff
        old = _side(older, row.old_path, diff.old_key, row.old_heading, row.old_text, row)
        new = _side(newer, row.new_path, diff.new_key, row.new_heading, row.new_text, row)
        return (
            '\n  <div class="side-by-side">\n    <div class="side side-old">\n      '
            f"{old}\n    </div>\n"
            '    <div class="side side-new">\n      '
            f"{new}\n    </div>\n  </div>\n  "
        )
    if row.as_heading:
        ops = f'<p class="redline">{redline_html(row.diff.ops)}</p>' if row.diff.ops else ""
        return f"\n  {ops}\n  "
    badge = _badge(row, " ") if row.changed else ""
    return f'\n  <p class="redline">{_number(row)}{badge}{redline_html(row.diff.ops)}</p>\n  '


def _tools(row: CompareRow, change_count: object) -> str:
    path = escape(row.path)
    previous = (
        f'<a href="#{escape(row.previous_change)}">Previous change'
        f'<span class="visually-hidden"> before {path}</span></a>'
        if row.previous_change
        else ""
    )
    following = (
        f'<a href="#{escape(row.next_change)}">Next change'
        f'<span class="visually-hidden"> after {path}</span></a>'
        if row.next_change
        else ""
    )
    return (
        '\n  <p class="clause-tools no-print">\n'
        f'    <a class="self-link" href="#{escape(row.anchor)}">Link to this change'
        f'<span class="visually-hidden">: {path}</span></a>\n'
        f"    <span>Change {row.change_index} of {escape(str(change_count))}</span>\n"
        f"    {previous}\n    {following}\n  </p>\n  "
    )


def row_html(row: CompareRow, *, side: bool, older: str, newer: str, change_count: object) -> str:
    """One clause of a comparison: its title, note, redline (or both sides) and its links."""
    anchor = escape(row.anchor)
    titled = row.as_heading or side
    label = f' aria-labelledby="{anchor}-h"' if titled else f' aria-label="{escape(row.path)}"'
    if row.changed:
        label += (
            f' data-change="{row.change_index}" data-label="{escape(row.spoken)}" tabindex="-1"'
        )
    title = f"\n  {_title(row, side)}\n  " if titled else ""
    note = f'<p class="cmp-note">{escape(row.note)}</p>' if row.note else ""
    tools = _tools(row, change_count) if row.changed else ""
    return (
        f'<section class="cmp-row cmp-{escape(row.status)} cmp-depth-{row.depth}" id="{anchor}"'
        f"{label}>\n  {title}\n  {note}\n  {_body(row, side, older, newer)}\n  {tools}\n"
        "</section>\n"
    )


def rows_html(
    rows: Iterable[CompareRow], *, side: bool, older: str, newer: str, change_count: object
) -> SafeString:
    """Every row of a comparison in its ``cmp-rows`` block; ``older`` and ``newer`` name the
    two versions above the columns of side by side."""
    body = "".join(
        row_html(row, side=side, older=older, newer=newer, change_count=change_count)
        for row in rows
    )
    kind = " cmp-side" if side else ""
    # Why safe: every value above went through escape.
    return SafeString(f'<div class="cmp-rows{kind}">\n    {body}\n  </div>')  # nosec B703
