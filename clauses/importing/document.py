"""One entry point: the bytes of an uploaded file into a parsed document."""

from __future__ import annotations

from .akn import parse_akn
from .docx_reader import docx_text
from .parse import parse_text
from .readers import AKN, DOCX, MARKDOWN, PDF, decode_text, detect_format, pdf_text
from .structure import ParsedDocument


def read_document(data: bytes, filename: str) -> ParsedDocument:
    """Detect the format of ``data`` and its structure. Raises TextImportError on bad input."""
    fmt = detect_format(data, filename)
    if fmt == AKN:
        return parse_akn(data)
    if fmt == PDF:
        text = pdf_text(data)
    elif fmt == DOCX:
        text = docx_text(data)
    else:
        text = decode_text(data)
    return parse_text(text, markdown=fmt == MARKDOWN, source_format=fmt)
