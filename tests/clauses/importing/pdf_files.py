"""PDF files drawn line by line, with the layout a print gives them."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

LINE_SPACING = 14


def make_pages(
    pages: list[list[str]],
    *,
    header: str = "",
    footer: str = "",
    font: str = "Helvetica",
) -> bytes:
    """One page per list of lines; ``""`` leaves a paragraph gap; ``{page}`` is the page number.

    The header is drawn above the text and the footer below it, in a smaller size, as a print's
    running header and footer are.
    """
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if font != "Helvetica":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont(font, 8)
            pdf.drawString(50, 810, header.format(page=number))
        y = 780
        for line in lines:
            if line:
                pdf.setFont(font, 11)
                pdf.drawString(50, y, line)
                y -= LINE_SPACING
            else:
                y -= LINE_SPACING
        if footer:
            pdf.setFont(font, 8)
            pdf.drawString(280, 30, footer.format(page=number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
