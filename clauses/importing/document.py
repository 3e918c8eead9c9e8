"""One entry point: the bytes of an uploaded file into a parsed document."""

from __future__ import annotations

from dataclasses import replace

from .akn import parse_akn
from .docx_reader import docx_text
from .fields import checked_document
from .limits import ImportLimits, check_lines, over_size
from .parse import parse_text
from .pdf_reader import read_pdf
from .readers import AKN, DOCX, MARKDOWN, PDF, decode_text, detect_format
from .structure import PAGE_FURNITURE, ParsedDocument, SetAside
from .truncation import truncation_warning


def read_document(data: bytes, filename: str, limits: ImportLimits | None = None) -> ParsedDocument:
    """Detect the format of ``data`` and its structure. Raises TextImportError on bad input.

    The reader's own findings join the parser's: for a PDF, the running headers, footers and
    page numbers it took out (set aside as page furniture) and the text as extracted before that
    (the source text); for every format but Akoma Ntoso, a warning when the text seems cut off.
    """
    limits = limits or ImportLimits()
    if len(data) > limits.max_bytes:
        raise over_size("The file is", len(data), limits.max_bytes, "max_bytes")
    return checked_document(_read(data, filename, limits))


def _read(data: bytes, filename: str, limits: ImportLimits) -> ParsedDocument:
    fmt = detect_format(data, filename)
    if fmt == AKN:
        # Why: a cut-off XML file does not parse; its last element says nothing of truncation.
        return parse_akn(data, limits)
    if fmt == PDF:
        pdf = read_pdf(data, limits)
        check_lines(pdf.text, limits)
        document = parse_text(pdf.text, source_format=fmt)
        document = replace(
            document,
            source_text=pdf.source_text,
            # Why: the text as extracted is the source of the whole print, every language in it.
            other_texts=tuple(replace(t, source_text="") for t in document.other_texts),
            set_aside=(
                *document.set_aside,
                *(SetAside(text, PAGE_FURNITURE) for text in pdf.furniture),
            ),
        )
    else:
        text = docx_text(data, limits) if fmt == DOCX else decode_text(data)
        check_lines(text, limits)
        document = parse_text(text, markdown=fmt == MARKDOWN, source_format=fmt)
        if not document.source_text:
            document = replace(document, source_text=text)
    warning = truncation_warning(document)
    if warning is not None and warning not in document.warnings:
        document = replace(document, warnings=(*document.warnings, warning))
    return document
