"""The agreement page's tables of versions and events and its instruments, drawn in Python.

These loops printed a dozen values per row through the template engine, most of what was left
of a first render of the agreement page; these functions print the same bytes (the golden copy
of the agreement page under tests/clauses/reading/golden/ holds them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString

from ..addresses import PLAIN_SLUG
from ..record.dates import dated
from .text_html import escaped, lines

_MARK = "instrument-slug-mark"


def _cited(source: Mapping[str, str]) -> str:
    citation = escaped(source["citation"])
    if source["url"]:
        return f'<a href="{escaped(source["url"])}" rel="noopener noreferrer">{citation}</a>'
    return citation


def version_rows_html(rows: Sequence[Mapping[str, Any]]) -> SafeString:
    """The rows of the table of versions."""
    drawn = []
    for row in rows:
        version = row["version"]
        instrument = version.instrument
        signed = (
            escaped(dated(instrument, "signed_on"))
            if instrument.signed_on
            else '<span class="muted">date not found</span>'
        )
        retro = (
            '<br><strong class="retro">Retroactive</strong>: signed after it took effect'
            if row["retroactive"]
            else ""
        )
        drawn.append(
            "\n      <tr>\n"
            f'        <th scope="row"><a href="{escaped(row["url"])}">'
            f"{escaped(version.title)}</a></th>\n"
            f'        <td>{escaped(instrument.title)} <span class="muted">'
            f"({escaped(str(instrument.get_kind_display()).lower())})</span></td>\n"
            f"        <td>{signed}</td>\n"
            f"        <td>{escaped(row['period'])}{retro}</td>\n"
            f"        <td>{escaped(version.get_text_status_display())}</td>\n"
            "      </tr>\n    "
        )
    return SafeString("".join(drawn))  # nosec B703 - every value in it is escaped


def event_rows_html(rows: Sequence[Mapping[str, Any]]) -> SafeString:
    """The rows of the table of lapses and other events."""
    drawn = []
    for row in rows:
        event = row["event"]
        description = (
            f'<br><span class="muted">{escaped(event.description)}</span>'
            if event.description
            else ""
        )
        ends = escaped(dated(event, "ends_on")) if event.ends_on else "—"
        sources = "; ".join(_cited(s) for s in row["sources"]) if row["sources"] else "—"
        drawn.append(
            "\n      <tr>\n"
            f'        <th scope="row">{escaped(event.title)}{description}</th>\n'
            f"        <td>{escaped(event.get_kind_display())}</td>\n"
            f"        <td>{escaped(dated(event, 'starts_on'))}</td>\n"
            f"        <td>{ends}</td>\n"
            f"        <td>{sources}</td>\n"
            "      </tr>\n    "
        )
    return SafeString("".join(drawn))  # nosec B703 - every value in it is escaped


def instrument_addresses(slug: str) -> Callable[[str], str]:
    """The instrument page's address for each instrument of the agreement ``slug``.

    Why: reversing an address for each instrument was a tenth of the agreement page; the
    address is reversed once with a mark in place of the instrument's slug.
    """
    head, tail = reverse("clauses:instrument_detail", args=[slug, _MARK]).split(_MARK)

    def address(instrument: str) -> str:
        if PLAIN_SLUG.fullmatch(instrument):
            return f"{head}{instrument}{tail}"
        return reverse("clauses:instrument_detail", args=[slug, instrument])

    return address


def _instrument_html(address: Callable[[str], str], row: Mapping[str, Any]) -> str:
    i = row["instrument"]
    anchor = f"instrument-{escaped(i.slug)}"
    url = address(i.slug)
    place = f" at {escaped(i.signed_at)}" if i.signed_at else ""
    signatories = (
        "; ".join(escaped(s) for s in row["signatories"]) if row["signatories"] else "not known"
    )
    retro = (
        ' <strong class="retro">(retroactive: signed later)</strong>' if i.is_retroactive else ""
    )
    expires = escaped(dated(i, "expires_on")) if i.expires_on else "—"
    term = f"<dt>Term</dt><dd>{escaped(i.term)}</dd>" if i.term else ""
    conflict = (
        f'<dt>Date conflict</dt><dd class="conflict">{lines(i.date_conflict)}</dd>'
        if i.date_conflict
        else ""
    )
    notes = f"<dt>Notes</dt><dd>{lines(i.notes)}</dd>" if i.notes else ""
    source = ""
    if i.source_citation or i.source_url:
        if i.source_url:
            shown = f'<a href="{escaped(i.source_url)}" rel="noopener noreferrer">'
            shown += f"{escaped(i.source_citation or i.source_url)}</a>"
        else:
            shown = escaped(i.source_citation)
        source = f"<dt>Source</dt><dd>{shown}</dd>"
    sources = ""
    if row["sources"]:
        items = "".join(
            "<li>"
            + (f"<strong>{escaped(s['fact'])}</strong>: " if s["fact"] else "")
            + _cited(s)
            + "</li>"
            for s in row["sources"]
        )
        sources = (
            '\n    <div class="sources">\n      <h4>Sources</h4>\n'
            f"      <ul>{items}</ul>\n    </div>\n    "
        )
    return (
        f'\n  <article class="instrument" id="{anchor}" aria-labelledby="{anchor}-h">\n'
        f'    <h3 id="{anchor}-h"><a href="{escaped(url)}">{escaped(i.title)}</a></h3>\n'
        '    <dl class="facts">\n'
        f"      <dt>Kind</dt><dd>{escaped(i.get_kind_display())}</dd>\n"
        f"      <dt>Signed</dt><dd>{escaped(dated(i, 'signed_on'))}{place}</dd>\n"
        f"      <dt>Signatories</dt><dd>{signatories}</dd>\n"
        f"      <dt>Effective from</dt><dd>{escaped(dated(i, 'effective_from'))}{retro}</dd>\n"
        f"      <dt>Expires</dt><dd>{expires}</dd>\n"
        f"      {term}\n"
        f"      <dt>Text</dt><dd>{escaped(i.get_text_status_display())}</dd>\n"
        f"      {conflict}\n      {notes}\n      {source}\n"
        f"    </dl>\n    {sources}\n  </article>\n  "
    )


def instruments_html(slug: str, rows: Sequence[Mapping[str, Any]]) -> SafeString:
    """An article for each instrument of the agreement ``slug``, or a line saying there are none."""
    if not rows:
        return SafeString("<p>No instruments recorded yet.</p>\n  ")
    address = instrument_addresses(slug)
    drawn = "".join(f"\n  {_instrument_html(address, row)}\n  " for row in rows)
    return SafeString(drawn)  # nosec B703 - every value in it is escaped
