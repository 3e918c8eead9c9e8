"""What one uploaded file may make the readers do, and the refusals that name the limit.

The readers are plain Python: they take an ``ImportLimits`` and know nothing of Django. The
Django side builds one from the settings (``import_limits`` in ``services``), so the import
page, the command and the task read the same limits from one place. Every refusal says which
limit was passed, by how much, and the setting that raises it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from .errors import TextImportError

MB = 1_000_000


@dataclass(frozen=True)
class ImportLimits:
    """Each field is a setting ``STA_IMPORT_<FIELD in capitals>``; docs/security.md lists them."""

    max_bytes: int = 20 * MB
    max_part_bytes: int = 50 * MB
    max_inflated_bytes: int = 100 * MB
    max_parts: int = 1000
    max_pdf_pages: int = 2000
    max_pdf_stream_bytes: int = 64 * MB
    max_pdf_one_stream_bytes: int = 16 * MB
    max_xml_nodes: int = 500_000
    max_xml_depth: int = 120
    max_line_chars: int = 100_000


def setting_name(field: str) -> str:
    return f"STA_IMPORT_{field.upper()}"


def size_text(size: int) -> str:
    """``412 MB``, ``1.5 MB``, ``800 bytes``: a size as a person reads it."""
    if size >= 10 * MB:
        return f"{size / MB:,.0f} MB"
    if size >= MB // 10:
        return f"{size / MB:.1f} MB"
    return f"{size:,} bytes"


def over_size(what: str, size: int, limit: int, field: str) -> TextImportError:
    return TextImportError(
        f"{what} {size_text(size)}, {size_text(size - limit)} more than the {size_text(limit)} "
        f"limit ({setting_name(field)})."
    )


def over_count(what: str, count: int, limit: int, noun: str, field: str) -> TextImportError:
    return TextImportError(
        f"{what} {count:,} {noun}, {count - limit:,} more than the limit of {limit:,} "
        f"({setting_name(field)})."
    )


_CHUNK = 1 << 16


def check_archive(data: bytes, limits: ImportLimits, *, label: str = "DOCX") -> None:
    """Refuse a ZIP (a DOCX) with too many parts, or parts that inflate past the limits.

    The sizes the archive declares are checked before anything is inflated; then every part is
    inflated as a stream, counting, so that a part lying about its size is stopped at the limit
    and never held whole.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise TextImportError(
            f"The {label} file could not be opened; it is damaged or not a ZIP archive."
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_parts:
            raise over_count(
                f"The {label} file has", len(infos), limits.max_parts, "parts", "max_parts"
            )
        declared = 0
        for info in infos:
            _check_part(label, info.filename, info.file_size, limits)
            declared += info.file_size
            _check_total(label, declared, limits)
        total = 0
        for info in infos:
            size = 0
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        _check_part(label, info.filename, size, limits)
                        _check_total(label, total, limits)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise TextImportError(
                    f"The {label} part {info.filename} could not be read: the file is damaged "
                    f"({exc.__class__.__name__})."
                ) from exc


def _check_part(label: str, name: str, size: int, limits: ImportLimits) -> None:
    if size > limits.max_part_bytes:
        raise over_size(
            f"The {label} part {name[:200]} inflates to",
            size,
            limits.max_part_bytes,
            "max_part_bytes",
        )


def _check_total(label: str, total: int, limits: ImportLimits) -> None:
    if total > limits.max_inflated_bytes:
        raise over_size(
            f"The {label} file's parts inflate to at least",
            total,
            limits.max_inflated_bytes,
            "max_inflated_bytes",
        )


def check_lines(text: str, limits: ImportLimits) -> None:
    """Refuse a text with a line longer than the limit (no treaty paragraph comes near it)."""
    start = 0
    number = 1
    size = len(text)
    while start <= size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        if end - start > limits.max_line_chars:
            raise TextImportError(
                f"Line {number:,} of the text is {end - start:,} characters long, "
                f"{end - start - limits.max_line_chars:,} more than the limit of "
                f"{limits.max_line_chars:,} ({setting_name('max_line_chars')})."
            )
        start, number = end + 1, number + 1
