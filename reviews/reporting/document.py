"""The programme report as a DOCX document: a heading per section, its table, and a notice when
a text in force in the period is illustrative (or otherwise not the official wording)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from clauses.models import TextStatus

from .figures import ProgrammeReport
from .tables import EMPTY, Table, report_tables


def text_notice(report: ProgrammeReport) -> str:
    """The warning owed to readers when the texts in force in the period are not official."""
    illustrative = [row for row in report.in_force if row.illustrative]
    other = [
        row
        for row in report.in_force
        if row.text_status not in (TextStatus.OFFICIAL, TextStatus.ILLUSTRATIVE)
    ]
    parts = []
    if illustrative:
        names = "; ".join(f"{row.agreement} {row.version}" for row in illustrative)
        parts.append(
            f"The texts of {names} held here are illustrative, not the official wording: "
            "quote the official text, not this record."
        )
    if other:
        names = "; ".join(
            f"{row.agreement} {row.version} ({row.text_status_label.lower()})" for row in other
        )
        parts.append(f"Not the official wording either: {names}.")
    return " ".join(parts)


def _add_table(doc: object, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.header))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(value)


def report_docx(report: ProgrammeReport, *, with_detail: bool = False) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    title = f"STA programme report, {report.start.isoformat()} to {report.end.isoformat()}"
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
    notice = text_notice(report)
    if notice:
        doc.add_paragraph().add_run(notice).bold = True
    doc.add_paragraph(
        "Counts of what happened in the period, or of how things stood at its end, as each "
        "heading says. Both days of the period are included."
        + ("" if with_detail else " Aggregate figures only.")
    )
    for table in report_tables(report, with_detail=with_detail):
        doc.add_heading(table.title, level=2 if table.detail else 1)
        if table.rows:
            _add_table(doc, table)
        else:
            doc.add_paragraph(EMPTY)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
