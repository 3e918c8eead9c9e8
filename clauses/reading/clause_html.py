"""The clause page's versions and editorial history, drawn in Python.

The clause page drew each version's row through template includes (the row, its redline, each
run of the redline and each source of the change) and each history row through a loop whose
date filter cost more than the rest of the row; together most of what a first render of the
page cost. These functions print the same bytes (the golden copies of the clause page under
tests/clauses/reading/golden/ hold them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

from ..comparison.display import ClauseRedline
from ..comparison.redline_html import redline_html
from ..models import Agreement, Clause
from ..record.dates import dated
from .languages import LanguageColumn
from .read_models import ClauseInVersion, Edit
from .text_html import clause_text_html, escaped, lines, sources_html

# One version's row, its redline against the version before and the other language's row.
ThroughRow = tuple[ClauseInVersion, ClauseRedline | None, ClauseInVersion | None]


def _redline_html(clause: Clause, row: ClauseInVersion, redline: ClauseRedline) -> str:
    number = f"{escaped(clause.number)} " if clause.number else ""
    text = f"<p>{redline_html(redline.text)}</p>" if redline.text else ""
    parts = []
    for part in redline.parts:
        part_number = (
            f'<span class="clause-number">{escaped(part.number)}</span> ' if part.number else ""
        )
        heading = f"<strong>{redline_html(part.heading)}</strong> " if part.heading else ""
        badge = (
            f' <span class="badge badge-{escaped(part.status)}">'
            f"{escaped(part.status[:1].upper() + part.status[1:])}</span>"
            if part.status in ("added", "removed")
            else ""
        )
        parts.append(
            f'\n  <p class="part part-depth-{part.depth}">{part_number}{heading}'
            f"{redline_html(part.text)}{badge}</p>\n  "
        )
    inserted = redline.words_inserted
    before = (
        '<details class="text-before"><summary>Text in the previous version</summary>'
        f"<blockquote><p>{lines(row.previous_text)}</p></blockquote></details>"
        if row.previous_text
        else ""
    )
    return (
        '<div class="clause-redline">\n'
        f'  <p class="redline-against">Compared with <a href="{escaped(redline.against_url)}">'
        f"{escaped(redline.against.title)}</a>: {inserted} word{'' if inserted == 1 else 's'} "
        f"<ins>inserted</ins>, {redline.words_deleted} <del>deleted</del>.</p>\n"
        f'  <p class="clause-label"><strong>{number}{redline_html(redline.heading)}</strong></p>\n'
        f"  {text}\n  {''.join(parts)}\n</div>\n"
        '<details class="clean-text"><summary>Text of this version without marks</summary>'
        f"{clause_text_html(row)}</details>\n{before}\n"
    )


def _wording_html(agreement: Agreement, row: ClauseInVersion, redline: ClauseRedline | None) -> str:
    clause = row.clause
    if clause is None:
        return '\n      <p class="muted">This clause is not part of this version.</p>\n      '
    if row.changed_by:
        change = (
            f"{escaped(clause.get_change_display())} by "
            f'<a href="{escaped(agreement.get_absolute_url())}#instrument-'
            f'{escaped(row.changed_by.slug)}">{escaped(row.changed_by.title)}</a>'
        )
    elif row.badge_css == "amended":
        change = "Sub-clauses changed (see below)"
    else:
        change = "No change in this version"
    if clause.previous_number:
        change += f"; previously numbered {escaped(clause.previous_number)}"
    line = (
        f'<p class="change-line">{change}.{sources_html(clause)} '
        f'<span class="muted">{escaped(row.version.get_text_status_display())}.</span></p>'
    )
    if row.status == "repealed":
        former = lines(row.previous_text) or "(see the previous version)"
        shown = (
            '\n      <p class="repealed-note">Repealed in this version. Its last text:</p>\n'
            f'      <blockquote class="former-text"><p>{former}</p></blockquote>\n      '
        )
    elif redline is not None and redline.changed:
        shown = f"\n      {_redline_html(clause, row, redline)}\n      "
    elif row.same_as_before:
        shown = (
            '\n      <details class="same-text"><summary>Same text as in the previous version'
            f"</summary>\n        {clause_text_html(row)}\n      </details>\n      "
        )
    else:
        before = (
            '<details class="text-before"><summary>Text in the previous version</summary>'
            f"<blockquote><p>{lines(row.previous_text)}</p></blockquote></details>"
            if row.previous_text
            else ""
        )
        shown = f"\n      {clause_text_html(row)}\n      {before}\n      "
    return f"\n      {line}\n      {shown}\n      "


def _other_html(other: ClauseInVersion | None, column: LanguageColumn) -> str:
    if other is not None and other.status == "present":
        return clause_text_html(other)
    if other is not None and other.status == "repealed":
        return '<p class="repealed-note" lang="en">Repealed in this version.</p>'
    return (
        '<p class="notice notice-language" role="status" lang="en">This version has no '
        f"{escaped(column.name)} text of this clause.</p>"
    )


def clause_versions_html(
    agreement: Agreement, rows: Sequence[ThroughRow], other_language: LanguageColumn | None
) -> SafeString:
    """The clause in each version: what changed, its redline or its text, and, when a second
    language is shown, that language's text beside it."""
    drawn = []
    for row, redline, other in rows:
        opening = closing = ""
        if other_language is not None:
            code = escaped(other_language.code)
            opening = (
                '\n      <div class="lang-row lang-head" aria-hidden="true"><p lang="en">'
                f'English</p><p lang="{code}">{escaped(other_language.native)}</p></div>\n'
                '      <div class="lang-row"><div class="lang-cell" lang="en">'
            )
            closing = (
                f'</div>\n      <div class="lang-cell" lang="{code}">'
                f"{_other_html(other, other_language)}</div></div>"
            )
        drawn.append(
            f'\n    <li class="through-row through-{escaped(row.status)}">\n'
            f'      <h3><a href="{escaped(row.version_url)}">{escaped(row.version.title)}</a> '
            f'<span class="muted">from {escaped(dated(row.version, "in_force_from"))}</span>\n'
            f'        <span class="badge badge-{escaped(row.badge_css)}">{escaped(row.badge)}'
            f"</span>\n      </h3>{opening}\n      {_wording_html(agreement, row, redline)}"
            f"{closing}\n    </li>\n  "
        )
    html = f'<ol class="through">\n  {"".join(drawn)}\n  </ol>'
    return SafeString(html)  # nosec B703 - every value in it is escaped


def written_at(value: dt.datetime) -> str:
    """``{{ value|date:"j M Y, H:i" }}``: the day, the month's short name, the year and the time."""
    local = template_localtime(value)
    return f"{local.day} {MONTHS_3[local.month].title()} {local.year:04d}, {local:%H:%M}"


def corrections_html(edits: Sequence[Edit]) -> SafeString:
    """The rows of the table of corrections: when, in which version, who, why and what."""
    drawn = []
    for e in edits:
        changed = ", ".join(escaped(f) for f in e.fields) or "—"
        before = (
            f"<details><summary>Text before</summary><p>{escaped(e.text_before)}</p></details>"
            if e.text_before
            else ""
        )
        drawn.append(
            f"\n      <tr><td>{escaped(written_at(e.when))}</td><td>{escaped(e.version_label)}"
            f"</td><td>{escaped(e.who)}</td><td>{escaped(e.why)}</td><td>{changed}{before}"
            "</td></tr>\n    "
        )
    return SafeString("".join(drawn))  # nosec B703 - every value in it is escaped


def creations_html(edits: Sequence[Edit]) -> SafeString:
    """The rows of the table of when each version's copy of the clause was published."""
    drawn = "".join(
        f"<tr><td>{escaped(written_at(e.when))}</td><td>{escaped(e.version_label)}</td>"
        f"<td>{escaped(e.who)}</td><td>{escaped(e.why)}</td></tr>"
        for e in edits
    )
    return SafeString(drawn)  # nosec B703 - every value in it is escaped
