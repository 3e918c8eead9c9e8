"""A comparison of two versions as JSON, CSV, or a comparative print in Word or PDF.

All of them render the engine's dataclasses; ``docs/diff-export.md`` explains every field.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from ..diffing import ClauseDiff, VersionDiff, new_side, old_side
from ..models import DEFAULT_LANGUAGE, Agreement, Version
from .display import export_filename, inline_redline, unofficial_notice
from .pdfprint import comparative_pdf
from .sides import ComparedTexts, versions_compared
from .wordprint import comparative_print

EXPORT_FORMATS = ("json", "csv", "docx", "pdf")
# The comparative prints: every comparison writes these (JSON is each one's own API).
PRINT_FORMATS = ("csv", "docx", "pdf")
JSON_SCHEMA_VERSION = 1
CSV_HEADER = (
    "key", "old_number", "new_number", "old_heading", "new_heading", "change",
    "old_text", "new_text", "redline", "words_inserted", "words_deleted", "language",
)  # fmt: skip
# Why: Excel reads a CSV as the machine's legacy code page unless it starts with a BOM, which
# would garble every quotation mark and accent of the texts.
BOM = "\ufeff"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _version(version: Version) -> dict[str, Any]:
    instrument = version.instrument
    return {
        "label": version.label,
        "title": version.title,
        "in_force_from": version.in_force_from.isoformat(),
        "in_force_until": version.in_force_until.isoformat() if version.in_force_until else None,
        "date_notes": version.date_notes,
        "text_status": version.text_status,
        "instrument": {
            "slug": instrument.slug,
            "title": instrument.title,
            "kind": instrument.kind,
            "signed_on": instrument.signed_on.isoformat() if instrument.signed_on else None,
            "date_notes": instrument.date_notes,
            "text_status": instrument.text_status,
        },
    }


def _clause(clause: ClauseDiff) -> dict[str, Any]:
    return {**dataclasses.asdict(clause), "key": clause.key, "anchor": clause.anchor}


def diff_json(
    *,
    agreement: Agreement,
    older: Version,
    newer: Version,
    diff: VersionDiff,
    changed_only: bool,
    page_url: str,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    clauses = diff.changes if changed_only else diff.clauses
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "agreement": {
            "slug": agreement.slug,
            "short_title": agreement.short_title,
            "title": agreement.title,
        },
        "older": _version(older),
        "newer": _version(newer),
        "url": page_url,
        "language": language,
        "notice": unofficial_notice([older, newer]),
        "ignore_whitespace_and_punctuation": diff.ignore_whitespace_and_punctuation,
        "changed_only": changed_only,
        "stats": {**dataclasses.asdict(diff.stats), "changed": diff.stats.changed},
        "clauses": [_clause(c) for c in clauses],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# Why: a spreadsheet runs a cell starting with one of these as a formula (CSV injection); OWASP
# advises a leading apostrophe, which shows the text as it is and runs nothing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A text cell that no spreadsheet will run: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def diff_csv(
    diff: VersionDiff,
    *,
    texts: ComparedTexts,
    language: str = DEFAULT_LANGUAGE,
    changed_only: bool = False,
) -> str:
    """One row per compared clause, with both texts and the redline; a split or merge gives
    one row per part.

    Comment rows (one field starting ``# ``) come first: the agreement, both texts, the
    comparison's notes and, when a text is not the official wording, the notice, so they travel
    with the file into whatever spreadsheet opens it. The text starts with a byte order mark.
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    preamble = [f"# Agreement: {texts.agreement}", f"# {texts.older.line}", f"# {texts.newer.line}"]
    preamble += [f"# {note}" for note in texts.notes]
    if texts.notice:
        preamble.append(f"# {texts.notice}")
    if changed_only:
        preamble.append(f"# Unchanged clauses left out: {diff.stats.unchanged}.")
    for line in preamble:
        writer.writerow((spreadsheet_safe(line),))
    writer.writerow(CSV_HEADER)
    for row in texts.rows(diff, changed_only=changed_only):
        c = row.diff
        cells = (
            c.key,
            c.old_number,
            c.new_number,
            c.old_heading,
            c.new_heading,
            row.status,
            old_side(c.ops),
            new_side(c.ops),
            inline_redline(c.ops),
            c.words_inserted,
            c.words_deleted,
            language,
        )
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()


def export_response(
    export: str,
    *,
    agreement: Agreement,
    older: Version,
    newer: Version,
    diff: VersionDiff,
    changed_only: bool,
    page_url: str,
    language: str = DEFAULT_LANGUAGE,
    tracked: bool = False,
    now: dt.datetime | None = None,
) -> HttpResponse:
    """The download for ``export`` (one of ``EXPORT_FORMATS``), of the ``language`` texts.

    Raises ``TooLargeForPdf`` for a PDF past its bound.
    """
    if export == "json":
        body = diff_json(
            agreement=agreement,
            older=older,
            newer=newer,
            diff=diff,
            changed_only=changed_only,
            page_url=page_url,
            language=language,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        # Why inline: JSON is for programs and reads fine in a browser tab.
        filename = export_filename(agreement, older, newer, "json")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    texts = versions_compared(agreement, older, newer, notice=unofficial_notice([older, newer]))
    return print_response(
        export,
        texts=texts,
        diff=diff,
        changed_only=changed_only,
        page_url=page_url,
        language=language,
        tracked=tracked,
        now=now,
    )


def print_response(
    export: str,
    *,
    texts: ComparedTexts,
    diff: VersionDiff,
    changed_only: bool,
    page_url: str,
    language: str = DEFAULT_LANGUAGE,
    tracked: bool = False,
    now: dt.datetime | None = None,
) -> HttpResponse:
    """The CSV, Word print or PDF print (``export``) of any comparison, as a file to keep.

    Raises ``TooLargeForPdf`` for a PDF past its bound.
    """
    if export == "csv":
        body: str | bytes = diff_csv(
            diff, texts=texts, language=language, changed_only=changed_only
        )
        content_type = "text/csv; charset=utf-8"
    elif export == "docx":
        body = comparative_print(
            texts=texts,
            diff=diff,
            now=now or timezone.now(),
            language=language,
            changed_only=changed_only,
            tracked=tracked,
        )
        content_type = DOCX_TYPE
    elif export == "pdf":
        body = comparative_pdf(
            texts=texts,
            diff=diff,
            page_url=page_url,
            language=language,
            changed_only=changed_only,
        )
        content_type = PDF_TYPE
    else:
        raise ValueError(f"Unknown export format {export!r}")
    extension = "tracked.docx" if export == "docx" and tracked else export
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{texts.filename}.{extension}"'
    return response
