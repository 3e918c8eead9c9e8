"""A comparison of two versions as JSON, CSV or a Word comparative print.

All three render the engine's dataclasses; ``docs/diff-export.md`` explains every field.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_UNDERLINE
from docx.shared import Pt

from ..diffing import ClauseDiff, Op, VersionDiff
from ..models import DEFAULT_LANGUAGE, Agreement, Version, language_name
from ..record.dates import dated
from .display import compare_rows, export_filename, summary_counts, unofficial_notice

EXPORT_FORMATS = ("json", "csv", "docx")
JSON_SCHEMA_VERSION = 1
CSV_HEADER = (
    "key", "old_number", "new_number", "change", "words_inserted", "words_deleted", "language",
)  # fmt: skip
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


def diff_csv(diff: VersionDiff, *, notice: str = "", language: str = DEFAULT_LANGUAGE) -> str:
    """One row per changed clause; a split or merge gives one row per part.

    A ``notice`` (the texts are not the official wording) comes first, as a comment row, so it
    travels with the file into whatever spreadsheet opens it.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    if notice:
        writer.writerow((spreadsheet_safe(f"# {notice}"),))
    writer.writerow(CSV_HEADER)
    for c in diff.changes:
        cells = (
            c.key,
            c.old_number,
            c.new_number,
            str(c.status),
            c.words_inserted,
            c.words_deleted,
            language,
        )
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()


def _redline(paragraph: Any, ops: tuple[Op, ...]) -> None:
    for op in ops:
        run = paragraph.add_run(op.text)
        if op.kind == "insert":
            run.font.underline = WD_UNDERLINE.SINGLE
        elif op.kind == "delete":
            run.font.strike = True


def diff_docx(
    *,
    agreement: Agreement,
    older: Version,
    newer: Version,
    diff: VersionDiff,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """A comparative print: who made each text and its status, then every changed clause."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = (
        f"{agreement.short_title}: {older.title} compared with {newer.title}"
    )
    doc.add_heading(doc.core_properties.title, level=0)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("", "Version", "Made by", "In force from", "Text"),
        strict=True,
    ):
        cell.text = text
    for side, version in (("Older", older), ("Newer", newer)):
        instrument = version.instrument
        cells = table.add_row().cells
        cells[0].text = side
        cells[1].text = f"{version.title} ({version.label})"
        cells[2].text = f"{instrument.title} ({instrument.get_kind_display().lower()})"
        cells[3].text = dated(version, "in_force_from")
        cells[4].text = version.get_text_status_display()
    notice = unofficial_notice([older, newer])
    if notice:
        doc.add_paragraph().add_run(notice).bold = True
    doc.add_paragraph(f"Compared in the {language_name(language)} text ({language}).")
    counts = ", ".join(f"{n} {name}" for name, n in summary_counts(diff.stats))
    doc.add_paragraph(
        f"Clauses: {counts}. Words: {diff.stats.words_inserted} inserted, "
        f"{diff.stats.words_deleted} deleted."
    )
    legend = doc.add_paragraph("Insertions are ")
    _redline(legend, (Op("insert", "underlined"), Op("equal", "; deletions are ")))
    _redline(legend, (Op("delete", "struck through"), Op("equal", ".")))
    rows = compare_rows(diff, changed_only=True)
    if not rows:
        doc.add_paragraph("No changes.")
    for row in rows:
        title = " ".join(p for p in (row.number, row.heading) if p) or row.diff.key
        doc.add_heading(f"{title} — {row.badge}", level=2)
        if row.note:
            doc.add_paragraph().add_run(row.note).italic = True
        if row.heading_changed:
            _redline(doc.add_paragraph("Heading: "), row.diff.heading_ops)
        if row.diff.ops:
            _redline(doc.add_paragraph(), row.diff.ops)
    out = io.BytesIO()
    doc.save(out)
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
) -> HttpResponse:
    """The download for ``export`` (one of ``EXPORT_FORMATS``), of the ``language`` texts."""
    filename = export_filename(agreement, older, newer, export)
    if export == "json":
        body: str | bytes = diff_json(
            agreement=agreement,
            older=older,
            newer=newer,
            diff=diff,
            changed_only=changed_only,
            page_url=page_url,
            language=language,
        )
        content_type = "application/json; charset=utf-8"
    elif export == "csv":
        body = diff_csv(diff, notice=unofficial_notice([older, newer]), language=language)
        content_type = "text/csv; charset=utf-8"
    elif export == "docx":
        body = diff_docx(
            agreement=agreement, older=older, newer=newer, diff=diff, language=language
        )
        content_type = DOCX_TYPE
    else:
        raise ValueError(f"Unknown export format {export!r}")
    response = HttpResponse(body, content_type=content_type)
    # Why: JSON is for programs and reads fine in a browser tab; the others are files to keep.
    disposition = "inline" if export == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
