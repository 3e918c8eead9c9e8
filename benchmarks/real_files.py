"""Word and PDF files made from the shared real texts, as an agency would receive them.

The importer tests and the import benchmark both read these.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HEADER = "Treaty Series - Official Electronic Print"
FOOTER = "Treaty Series print, page {page}"
CHINESE_FONT = "STSong-Light"
# A wrapped line is started at each of these, the layout that opened phantom headings.
REFERENCE = re.compile(r"(?:Annex|Article) [IVX\d]+\.")
_TOP, _BOTTOM, _STEP = 780, 60, 14
_WIDTH, _CJK_WIDTH = 95, 40


def paragraphs(path: Path) -> list[str]:
    """The paragraphs of a Markdown file of the corpus, without markup or HTML lines.

    The collection's metadata (the lines between the title and ``<!-- INFO END -->``) is left
    out, as SOURCES.md says it is no part of the text.
    """
    out = []
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    if "<!-- INFO END -->" in raw_lines:
        raw_lines = raw_lines[:1] + raw_lines[raw_lines.index("<!-- INFO END -->") :]
    for raw in raw_lines:
        line = " ".join(raw.strip().lstrip("#").split())
        if line and not line.startswith("<"):
            out.append(line)
    return out


def make_docx(texts: list[str]) -> bytes:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def wrap(text: str, chinese: bool) -> list[str]:
    """Lines of at most a page's width; a reference to an article or annex starts a line."""
    if chinese:
        return [text[i : i + _CJK_WIDTH] for i in range(0, len(text), _CJK_WIDTH)]
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    for i, word in enumerate(words):
        starts_reference = REFERENCE.match(" ".join(words[i : i + 2]))
        if current and (len(current) + 1 + len(word) > _WIDTH or starts_reference):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def wrapped_lines(texts: list[str], chinese: bool) -> list[str]:
    """Every drawn line; ``""`` between paragraphs leaves the gap of a paragraph break."""
    lines: list[str] = []
    for text in texts:
        if lines:
            lines.append("")
        lines.extend(wrap(text, chinese))
    return lines


def make_pdf(texts: list[str], *, chinese: bool = False) -> bytes:
    """A print with a running header and a numbered footer on every page."""
    font = CHINESE_FONT if chinese else "Helvetica"
    if chinese:
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    page, y = 1, _TOP
    for line in wrapped_lines(texts, chinese):
        if y < _BOTTOM:
            _furniture(pdf, font, page)
            pdf.showPage()
            page, y = page + 1, _TOP
        if line:
            pdf.setFont(font, 10)
            pdf.drawString(40, y, line)
        y -= _STEP
    _furniture(pdf, font, page)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _furniture(pdf: canvas.Canvas, font: str, page: int) -> None:
    pdf.setFont(font, 8)
    pdf.drawString(40, 810, HEADER)
    pdf.drawString(250, 30, FOOTER.format(page=page))
