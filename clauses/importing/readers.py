"""Reading an uploaded file: which format it is, and its text.

The format is decided by the content first (a PDF renamed ``.txt`` is still a PDF) and by the
extension only to tell Markdown from plain text. Every failure is a TextImportError that tells a
person what is wrong with the file and what to do.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePath

from .errors import TextImportError
from .lines import CJK

TEXT, MARKDOWN, PDF, DOCX, AKN = "text", "markdown", "pdf", "docx", "akn"
FORMAT_LABELS = {
    TEXT: "plain text",
    MARKDOWN: "Markdown",
    PDF: "PDF",
    DOCX: "Word (DOCX)",
    AKN: "Akoma Ntoso XML",
}
ACCEPTED_EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx", ".xml", ".akn")


def detect_format(data: bytes, filename: str) -> str:
    """One of text, markdown, pdf, docx, akn; TextImportError for anything else."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise TextImportError("The file is empty.")
    extension = PurePath(filename).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return DOCX
        raise TextImportError(
            "The file is a ZIP archive but not a Word document (DOCX). Upload the treaty text "
            "itself as PDF, DOCX, plain text, Markdown or Akoma Ntoso XML."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TextImportError(
            "The file is in the old Word (.doc) format, which cannot be read. Save it as DOCX or "
            "PDF and upload that."
        )
    if extension == ".pdf":
        raise TextImportError("The file is named .pdf but is not a PDF; it may be damaged.")
    if extension == ".docx":
        raise TextImportError("The file is named .docx but is not a Word document.")
    head = data[:4096].lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if head.startswith(b"{\\rtf"):
        raise TextImportError("RTF files cannot be read. Save the document as DOCX or PDF.")
    if _is_binary(data):
        raise TextImportError(
            f"The format of {PurePath(filename).name or 'the file'} is not recognised. Upload a "
            "PDF, DOCX, plain text, Markdown or Akoma Ntoso XML file."
        )
    if head.startswith(b"<"):
        if b"akomaNtoso" in head or _is_akoma_ntoso(data):
            return AKN
        if b"<html" in head.lower() or b"<!doctype html" in head.lower():
            raise TextImportError(
                "Web pages (HTML) cannot be imported. Save the treaty text as plain text or PDF."
            )
        if extension in {".xml", ".akn"}:
            raise TextImportError(
                "The XML file is not Akoma Ntoso (its root element is not akomaNtoso)."
            )
    return MARKDOWN if extension in {".md", ".markdown"} else TEXT


# Why: a prolog (declaration, comments, processing instructions, a DOCTYPE) can be longer than
# any fixed window; the root element is what tells Akoma Ntoso from other XML. No two adjacent
# repetitions may match the same character (a DOCTYPE's name and the spaces before its ">"
# did): that made an unclosed DOCTYPE of spaces take minutes.
_PROLOG = re.compile(
    rb"(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->"
    rb"|<!DOCTYPE[^\[>]*(?:\[[^\]]*\]\s*)?>)*<(?:[\w.-]+:)?akomaNtoso[\s>/]"
)
_PROLOG_WINDOW = 1 << 20


def _is_akoma_ntoso(data: bytes) -> bool:
    """Whether the first element after the XML prolog is ``akomaNtoso`` (with any prefix)."""
    return _PROLOG.match(data[:_PROLOG_WINDOW].lstrip(codecs.BOM_UTF8)) is not None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _is_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in data[:8192]


def decode_text(data: bytes) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 or Windows-1252."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise TextImportError(f"The text is not valid Unicode ({exc.reason}).") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Why: Chinese texts saved on Chinese-locale systems are often GB18030/GBK, which decodes
    # almost any bytes; accept it only when the result is mostly Chinese.
    try:
        text = data.decode("gb18030")
        non_ascii = [c for c in text if ord(c) > 127]
        if non_ascii and sum(1 for c in non_ascii if CJK.match(c)) / len(non_ascii) > 0.8:
            return text
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TextImportError(
            "The text encoding is not recognised; save the file as UTF-8 and upload it again."
        ) from exc
