"""Which files a proposal may carry: a short list of document types, checked by content."""

from __future__ import annotations

from pathlib import PurePath

_ZIP = b"PK\x03\x04"

# Why: the extension alone is the submitter's claim; the first bytes show what the file is.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".pptx": (_ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
    ".csv": (),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
ALLOWED_EXTENSIONS = tuple(ext.lstrip(".") for ext in SIGNATURES)


def attachment_problem(name: str, size: int, head: bytes, *, max_bytes: int) -> str | None:
    """Why a file may not be attached, or None when it may.

    ``head`` is the start of the file (a few kilobytes are enough).
    """
    suffix = PurePath(name).suffix.lower()
    if suffix not in SIGNATURES:
        allowed = ", ".join(sorted(SIGNATURES))
        return f"{name!r} is not an accepted file type; attach one of: {allowed}."
    if size == 0:
        return f"{name!r} is empty."
    if size > max_bytes:
        return f"{name!r} is {size:,} bytes; attachments may be at most {max_bytes:,} bytes."
    signatures = SIGNATURES[suffix]
    if signatures and not head.startswith(signatures):
        return f"{name!r} does not contain what its {suffix} extension says."
    if not signatures:
        if b"\x00" in head:
            return f"{name!r} is not a text file."
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut off at the end of the sample is still text.
            if exc.start < len(head) - 3:
                return f"{name!r} is not UTF-8 text."
    return None


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")
