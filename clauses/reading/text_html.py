"""A version's text as HTML, drawn in Python: one function per partial it replaces.

A long text was drawn by including ``partials/clause.html`` once per clause (and
``partials/toc.html`` once per heading), which cost most of a first render of the version and
on-date pages. These functions print the same bytes those partials printed (the golden copies
under tests/clauses/reading/golden/ hold them); every value goes through ``html.escape``, which is
what Django's ``escape`` and autoescaping call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from django.utils.safestring import SafeString

from ..models import ChangeKind, Clause
from .languages import SideBySideRow
from .read_models import ClauseInVersion, ClauseNode, TextClause, change_sources


def escaped(value: object) -> str:
    """``{{ value }}`` of a value that is not a number: its text, escaped."""
    return escape(str(value))


def lines(text: str) -> str:
    """Django's ``linebreaksbr``: newlines normalised, the text escaped, each newline a <br>."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def sources_html(clause: Clause | TextClause) -> str:
    """Each source of the change to ``clause``, after a space: ``partials/change_source.html``."""
    parts = []
    for source in change_sources(clause):
        citation = escaped(source["citation"])
        if source["url"]:
            cited = f'<a href="{escaped(source["url"])}" rel="noopener noreferrer">{citation}</a>'
        else:
            cited = f"<cite>{citation}</cite>"
        parts.append(f' <span class="change-source">Source: {cited}.</span>')
    return "".join(parts)


def _heading(node: ClauseNode) -> str:
    clause = node.clause
    level = node.heading_level
    inner = ""
    if clause.number:
        inner += f'<span class="clause-number">{escaped(clause.number)}</span>'
    if clause.heading:
        inner += f' <span class="clause-heading">{escaped(clause.heading)}</span>'
    if not clause.number and not clause.heading:
        inner += escaped(clause.label)
    if node.badge:
        inner += (
            f' <span class="badge badge-{escaped(node.badge_css)}">{escaped(node.badge)}</span>'
        )
    return f'\n  <h{level} class="clause-title">{inner}</h{level}>\n  '


def _body(node: ClauseNode) -> str:
    clause = node.clause
    number = ""
    if not node.as_heading and clause.number:
        number = f'<span class="clause-number">{escaped(clause.number)}</span> '
    if node.repealed:
        if node.repealed_with_parent:
            how = " with the provision above."
        else:
            by = f" by {escaped(clause.changed_by.title)}" if clause.changed_by else ""
            how = f"{by}.{sources_html(clause)}"
        former = (
            f' <a href="{escaped(node.former_url)}">Read its text in the previous version</a>.'
            if node.former_url
            else ""
        )
        note = f"{number}<strong>Repealed</strong>{how}{former}"
        return f'\n  <p class="repealed-note">{note}</p>\n  '
    if clause.text:
        badge = ""
        if not node.as_heading and node.badge:
            badge = (
                f'<span class="badge badge-{escaped(node.badge_css)}">{escaped(node.badge)}</span> '
            )
        return f'\n  <p class="clause-text">{number}{badge}{lines(clause.text)}</p>\n  '
    return ""


def clause_html(node: ClauseNode) -> str:
    """``partials/clause.html``: one clause with its tools and, nested, its sub-clauses."""
    clause = node.clause
    anchor = escaped(node.anchor)
    label = escaped(clause.label)
    citation = escaped(node.citation)
    repealed = " clause-repealed" if node.repealed else ""
    children = "".join(clause_html(child) for child in node.children)
    return (
        f'<div class="clause clause-{escaped(clause.kind)}{repealed}" id="{anchor}">\n  '
        f"{_heading(node) if node.as_heading else ''}\n  {_body(node)}\n"
        '  <p class="clause-tools">\n'
        f'    <a class="self-link" href="#{anchor}">#<span class="visually-hidden"> Link to '
        f"{label}</span></a>\n"
        f'    <a href="{escaped(node.history_url)}">History<span class="visually-hidden"> of '
        f"{label}</span></a>\n"
        f'    <button type="button" class="copy-citation" data-citation="{citation}" hidden>'
        f'Copy citation<span class="visually-hidden"> of {label}</span></button>\n'
        f'    <span class="citation">{citation}</span>\n'
        f"  </p>\n  {children}\n</div>\n"
    )


def toc_html(nodes: Iterable[ClauseNode]) -> str:
    """``partials/toc.html``: the contents, headings nested under their headings."""
    items = []
    for node in nodes:
        repealed = ' <span class="toc-repealed">(repealed)</span>' if node.repealed else ""
        below = toc_html(node.toc_children) if node.toc_children else ""
        link = f'<a href="#{escaped(node.anchor)}">{escaped(node.clause.label)}</a>'
        items.append(f"\n  <li>{link}{repealed}\n  {below}\n  </li>\n")
    return f"<ol>\n{''.join(items)}\n</ol>\n"


def text_html(tree: Sequence[ClauseNode], rows: Sequence[SideBySideRow], *, both: bool) -> str:
    """The clauses of the text: one column, or the languages' top-level clauses in rows."""
    if not both:
        return "".join(clause_html(node) for node in tree)
    drawn = []
    for row in rows:
        cells = "".join(
            f'<div class="lang-cell" lang="{escaped(code)}">'
            + (clause_html(node) if node else '<p class="muted" lang="en">Not in this text.</p>')
            + "</div>"
            for code, node in row.cells
        )
        drawn.append(f'<div class="lang-row">{cells}</div>')
    return "".join(drawn)


def version_text_parts(
    tree: Sequence[ClauseNode], rows: Sequence[SideBySideRow], *, both: bool
) -> dict[str, SafeString]:
    """The contents and the text of a version, for ``partials/version_text.html``."""
    return {
        "toc_html": SafeString(toc_html(tree)),  # nosec B703 - every value in it is escaped
        "text_html": SafeString(text_html(tree, rows, both=both)),  # nosec B703 - likewise
    }


def clause_text_html(row: ClauseInVersion) -> SafeString:
    """``partials/clause_text.html``: a clause's wording in one version, with its sub-clauses."""
    clause = row.clause
    label = escaped(clause.label) if clause is not None else ""
    text = f"<p>{lines(clause.text)}</p>" if clause is not None and clause.text else ""
    parts = []
    for part in row.parts:
        repealed = part.change == ChangeKind.REPEALED
        number = (
            f'<span class="clause-number">{escaped(part.number)}</span> ' if part.number else ""
        )
        heading = f"<strong>{escaped(part.heading)}</strong> " if part.heading else ""
        wording = "<em>Repealed.</em>" if repealed else lines(part.text)
        badge = ""
        if row.part_badges and part.change not in (ChangeKind.UNCHANGED, ChangeKind.REPEALED):
            badge = (
                f' <span class="badge badge-{escaped(part.change)}">'
                f"{escaped(part.get_change_display())}</span>"
            )
        css = f"part part-depth-{part.depth}{' part-repealed' if repealed else ''}"
        parts.append(f'\n  <p class="{css}">{number}{heading}{wording}{badge}</p>\n  ')
    html = (
        '<div class="clause-version-text">\n'
        f'  <p class="clause-label"><strong>{label}</strong></p>\n'
        f"  {text}\n  {''.join(parts)}\n</div>\n"
    )
    return SafeString(html)  # nosec B703 - every value in it is escaped
