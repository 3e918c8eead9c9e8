"""The Word comparative print of two versions, formatted or as Word tracked changes.

Formatted, insertions are underlined and deletions struck through, so the print reads without
colour. Tracked, each change is a Word revision (``w:ins`` / ``w:del``) by "STA Tracker" that a
lawyer can accept or reject: accepting every change gives the newer text, rejecting every change
the older one, word for word.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..diffing import Op, VersionDiff
from ..models import DEFAULT_LANGUAGE, language_name
from .display import CompareRow, gapped_runs, needs_gap
from .sides import ComparedTexts

AUTHOR = "STA Tracker"
# Why: Word's "Heading 1" to "Heading 9" are the levels its navigation pane and contents know.
DEEPEST_HEADING = 9
# Why: in tracked changes no character may stand between a deletion and its replacement (it
# would survive both accepting and rejecting), so the gap is drawn as extra spacing after the
# first run's last character: 4 pt, in twentieths of a point.
GAP_TWIPS = "80"


def row_title(row: CompareRow) -> str:
    """The clause's full place and heading: ``Article 1, paragraph 2``, ``Article 5 Costs``."""
    heading = row.heading if row.heading and row.heading not in row.path else ""
    return " ".join(p for p in (row.path, heading) if p) or row.diff.key


def heading_level(row: CompareRow) -> int:
    """Articles, annexes and the preamble are Heading 1; what they contain goes one deeper."""
    return min(row.depth + 1, DEEPEST_HEADING)


def unchanged_note(diff: VersionDiff, *, changed_only: bool) -> str:
    """What the print holds: every clause, or the changed ones only and how many it leaves out."""
    if not changed_only:
        return "Every clause is printed, the unchanged ones included."
    n = diff.stats.unchanged
    left = "1 clause that did not change is" if n == 1 else f"{n} clauses that did not change are"
    return f"Unchanged clauses are left out: {left} not printed."


# Why: a core property holds at most 255 characters (python-docx refuses more, as Word does).
PROPERTY_LIMIT = 255


def _property(text: str) -> str:
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice fill in on each page."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", "1"), ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            run.text = text or ""
            continue
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _header_and_footer(doc: Any, header: str, notice: str) -> None:
    section = doc.sections[0]
    top = section.header.paragraphs[0]
    top.text = header
    top.runs[0].font.size = Pt(8)
    if notice:
        warning = section.header.add_paragraph()
        run = warning.add_run(notice)
        run.font.size = Pt(8)
        run.bold = True
    bottom = section.footer.paragraphs[0]
    bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bottom.add_run("Page ")
    _field(bottom, "PAGE")
    bottom.add_run(" of ")
    _field(bottom, "NUMPAGES")


class _Revisions:
    """Writes tracked changes into paragraphs; every revision gets its own id."""

    def __init__(self, when: dt.datetime) -> None:
        self.date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 1

    def _mark(self, tag: str) -> Any:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element

    @staticmethod
    def _run(text: str, *, deleted: bool, spaced: bool = False) -> Any:
        run = OxmlElement("w:r")
        if spaced:
            properties = OxmlElement("w:rPr")
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), GAP_TWIPS)
            properties.append(spacing)
            run.append(properties)
        for n, line in enumerate(text.split("\n")):
            if n:
                run.append(OxmlElement("w:br"))
            if line:
                element = OxmlElement("w:delText" if deleted else "w:t")
                element.set(qn("xml:space"), "preserve")
                element.text = line
                run.append(element)
        return run

    def write(self, paragraph: Any, ops: Sequence[Op]) -> None:
        for n, op in enumerate(ops):
            gap = n + 1 < len(ops) and needs_gap(op, ops[n + 1])
            if op.kind == "equal":
                paragraph.add_run(op.text)
                continue
            deleted = op.kind == "delete"
            mark = self._mark("w:del" if deleted else "w:ins")
            text = op.text
            if gap:
                head, last = text[:-1], text[-1]
                if head:
                    mark.append(self._run(head, deleted=deleted))
                mark.append(self._run(last, deleted=deleted, spaced=True))
            else:
                mark.append(self._run(text, deleted=deleted))
            paragraph._p.append(mark)


def _formatted(paragraph: Any, ops: Sequence[Op]) -> None:
    for run in gapped_runs(ops):
        added = paragraph.add_run(run.text)
        if run.kind == "insert":
            added.font.underline = WD_UNDERLINE.SINGLE
        elif run.kind == "delete":
            added.font.strike = True


def _track_revisions(doc: Any) -> None:
    """Word keeps tracking changes when the reader edits the print further."""
    settings = doc.settings.element
    track = OxmlElement("w:trackRevisions")
    proof = settings.find(qn("w:proofState"))
    if proof is not None:
        proof.addnext(track)
    else:
        settings.insert(0, track)


def comparative_print(
    *,
    texts: ComparedTexts,
    diff: VersionDiff,
    now: dt.datetime,
    language: str = DEFAULT_LANGUAGE,
    changed_only: bool = False,
    tracked: bool = False,
) -> bytes:
    """The ``.docx`` of a comparison: who made each text and its status, then every clause.

    Unchanged clauses are printed unless ``changed_only``; the print says which. ``tracked``
    writes the changes as Word revisions dated ``now`` instead of underlining and striking.
    """
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    notice = texts.notice
    properties = doc.core_properties
    properties.title = _property(texts.title)
    properties.subject = _property(texts.subject)
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.comments = _property(notice)
    properties.keywords = "comparative print; redline"
    properties.category = "Comparative print"
    properties.created = properties.modified = now.replace(tzinfo=None)
    properties.revision = 1
    _header_and_footer(doc, texts.header, notice)
    doc.add_heading(texts.title, level=0)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("", "Version", "Made by", "In force from", "Text"),
        strict=True,
    ):
        cell.text = text
    for side in (texts.older, texts.newer):
        cells = table.add_row().cells
        cells[0].text = side.side
        cells[1].text = f"{side.title} ({side.label})"
        cells[2].text = side.made_by
        cells[3].text = side.in_force_from
        cells[4].text = side.status
    if notice:
        doc.add_paragraph().add_run(notice).bold = True
    for note in texts.notes:
        doc.add_paragraph(note)
    doc.add_paragraph(f"Compared in the {language_name(language)} text ({language}).")
    counts = ", ".join(f"{n} {name}" for name, n in texts.clause_counts(diff))
    doc.add_paragraph(
        f"Clauses: {counts}. Words: {diff.stats.words_inserted} inserted, "
        f"{diff.stats.words_deleted} deleted."
    )
    doc.add_paragraph(unchanged_note(diff, changed_only=changed_only))
    revisions = _Revisions(now)
    if tracked:
        _track_revisions(doc)
        doc.add_paragraph(
            f"The changes are Word tracked changes by “{AUTHOR}”: accepting them all gives "
            f"{texts.newer.title}, rejecting them all gives {texts.older.title}."
        )
    else:
        legend = doc.add_paragraph("Insertions are ")
        _formatted(legend, (Op("insert", "underlined"), Op("equal", "; deletions are ")))
        _formatted(legend, (Op("delete", "struck through"), Op("equal", ".")))
    rows = texts.rows(diff, changed_only=changed_only)
    if not diff.changes:
        doc.add_paragraph("No changes.")
    for row in rows:
        name = row_title(row)
        doc.add_heading(f"{name} — {row.badge}" if row.changed else name, heading_level(row))
        if row.note:
            doc.add_paragraph().add_run(row.note).italic = True
        write = revisions.write if tracked else _formatted
        if row.heading_changed:
            write(doc.add_paragraph("Heading: "), row.diff.heading_ops)
        if row.diff.ops:
            write(doc.add_paragraph(), row.diff.ops)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
