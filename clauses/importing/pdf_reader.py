"""The text layer of a PDF, read with the positions of its lines.

Text pypdf gives as several lines on one baseline (words drawn one by one) is one line again.
What a print adds to a text is taken out and recorded, never silently dropped:

- running headers and footers: a line among the two highest or the two lowest of a page that
  recurs there on at least half of the pages (and on two at least), either word for word or
  with a page number inside it that rises with the page (``TIAS 12345, page 7``); a line that is
  a page number alone (``- 3 -``, ``Page 3 of 9``, ``第 3 页``) at the top or bottom of any page;
- a word hyphenated at the end of a line is joined (``agree-`` + ``ment``: ``agreement``), unless
  the text elsewhere holds the hyphenated form and not the joined word (``co-operation``), or the
  next line goes on with a capital or a digit (``Sino-`` + ``American``): then the hyphen stays
  and only the line break goes;
- a vertical gap between two lines of a page wider than one and a half times the usual line
  spacing becomes a blank line, which the parser reads as a paragraph break; so does a page
  break after a page that stops a line or more above the lowest line of the other pages (or
  before one that starts a line or more below the highest).
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .errors import TextImportError
from .limits import ImportLimits, over_count, over_size, setting_name, size_text

EDGE_LINES = 2
FURNITURE_SHARE = 0.5
GAP_FACTOR = 1.5
SAME_BASELINE = 0.5  # points
PAGE_ROOM = 0.9  # of a line's spacing

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*$|^\s*Page \d+(?: of \d+)?\s*$|^\s*第\s*\d+\s*页"
    r"(?:\s*共\s*\d+\s*页)?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NUMBER_AT_START = re.compile(r"\W*#")
# Why no # after the #, and a compound only from a word's start: each would otherwise be tried
# again at every later position, quadratic on a long line or word.
_NUMBER_AT_END = re.compile(r"#[^\w#]*$")
_HYPHENATED_END = re.compile(r"(?<![^\W\d_])([^\W\d_]+)([-\u2010\xad])$")
_FIRST_TOKEN = re.compile(r"(\S+)\s*")
_COMPOUND = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:-[^\W\d_]+)+")
_WORD = re.compile(r"[^\W\d_]+")
_WORD_OR_NUMBER = re.compile(r"[^\W_]+")
_PARAGRAPH_NUMBER = re.compile(r"\d+[.)]$")


@dataclass(frozen=True)
class PdfText:
    """``text`` goes to the parser; ``source_text`` is every line read, furniture included.

    Both hold the hyphenated words joined, so that the accounting compares like with like.
    """

    text: str
    source_text: str
    furniture: tuple[str, ...]


@dataclass
class _Line:
    text: str
    page: int
    y: float | None
    furniture: bool = False
    gap_before: bool = False
    numbers: list[int] = field(default_factory=list)


def read_pdf(data: bytes, limits: ImportLimits | None = None) -> PdfText:
    """The text of a PDF. Raises TextImportError on a damaged, locked, scanned or huge file."""
    pages = _pages(data, limits or ImportLimits())
    lines = [line for page in pages for line in page]
    _mark_furniture(pages)
    _mark_gaps([line for line in lines if not line.furniture])
    _join_hyphens([line for line in lines if not line.furniture])
    lines = [line for line in lines if line.text]
    body = [line for line in lines if not line.furniture]
    if not any(line.text.strip() for line in body):
        raise TextImportError(
            "The PDF has no text layer (it is probably a scan). Run it through text recognition "
            "(OCR) first, or upload the text in another format."
        )
    return PdfText(
        text=_join(body),
        source_text=_join(lines),
        furniture=tuple(line.text for line in lines if line.furniture),
    )


def _join(lines: list[_Line]) -> str:
    out: list[str] = []
    for line in lines:
        if line.gap_before and out:
            out.append("")
        out.append(line.text)
    return "\n".join(out)


# pypdf's caps on what one stream may decode to, each lowered to the one-stream limit.
_PYPDF_OUTPUT_CAPS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "brotli_maximum_output_length",
)
_CHUNK = 1 << 16


def _pages(data: bytes, limits: ImportLimits) -> list[list[_Line]]:
    from pypdf import apply_configuration, get_configuration
    from pypdf.errors import LimitReachedError

    current = get_configuration()
    caps = {
        name: min(getattr(current, name), limits.max_pdf_one_stream_bytes)
        for name in _PYPDF_OUTPUT_CAPS
    }
    try:
        with apply_configuration(**caps):
            return _read_pages(data, limits)
    except LimitReachedError as exc:
        # Why no size: pypdf stops decoding at the limit, so only "more than" is known.
        raise TextImportError(
            "A stream of the PDF (a font, an image or a drawing the text refers to) inflates to "
            f"more than the {size_text(limits.max_pdf_one_stream_bytes)} limit "
            f"({setting_name('max_pdf_one_stream_bytes')})."
        ) from exc


def _read_pages(data: bytes, limits: ImportLimits) -> list[list[_Line]]:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several types for unsupported encryption.
                unlocked = False
            if not unlocked:
                raise TextImportError(
                    "The PDF is password-protected. Remove the protection (or print it to a new "
                    "PDF) and upload it again."
                )
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            # Why: split into parts (the treaty text, its annexes), each is read on its own.
            raise over_count("The PDF has", count, limits.max_pdf_pages, "pages", "max_pdf_pages")
        size = 0
        pages: list[list[_Line]] = []
        for number, page in enumerate(reader.pages):
            size += _content_size(page, f"page {number + 1} (of {count})", limits)
            if size > limits.max_pdf_stream_bytes:
                raise over_size(
                    f"The content streams of pages 1 to {number + 1} (of {count}) of the PDF "
                    "inflate to",
                    size,
                    limits.max_pdf_stream_bytes,
                    "max_pdf_stream_bytes",
                )
            pages.append(_page_lines(page, number))
    except (TextImportError, LimitReachedError):
        raise
    except Exception as exc:  # Why: a damaged PDF fails in many ways inside pypdf.
        raise TextImportError(
            "The PDF could not be read: it is damaged or incomplete "
            f"({exc.__class__.__name__}: {str(exc)[:120]}). Upload a complete copy."
        ) from exc
    return pages


def _content_size(page: Any, where: str, limits: ImportLimits) -> int:
    """Decoded bytes of the page's content streams, each refused past the one-stream limit."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return sum(_stream_size(stream.get_object(), where, limits) for stream in streams)


def _stream_size(stream: Any, where: str, limits: ImportLimits) -> int:
    """One stream's decoded size. A stream compressed with Flate alone (nearly every content
    stream) is inflated 64 KiB at a time and counted, never held whole, so a small stream that
    inflates to gigabytes is stopped at the limit; any other is decoded by pypdf within its
    caps (lowered to the same limit in ``_pages``) and then measured."""
    limit = limits.max_pdf_one_stream_bytes
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    size = -1
    if names in (["/FlateDecode"], ["/Fl"]):
        size = _inflated_size(getattr(stream, "_data", b""), limit, where)
    if size < 0:
        size = len(stream.get_data())
    if size > limit:
        raise over_size(
            f"A content stream of {where} of the PDF inflates to",
            size,
            limit,
            "max_pdf_one_stream_bytes",
        )
    return size


def _inflated_size(raw: bytes, limit: int, where: str) -> int:
    """Bytes ``raw`` inflates to, counted in chunks; -1 when zlib cannot read it (pypdf's own
    decoder then tries its repairs, within its caps)."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            size += len(chunk)
            if size > limit:
                raise over_size(
                    f"A content stream of {where} of the PDF inflates to at least",
                    size,
                    limit,
                    "max_pdf_one_stream_bytes",
                )
    except zlib.error:
        return -1
    return size


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _page_lines(page: Any, number: int) -> list[_Line]:
    """The page's lines in pypdf's reading order, each with the height of its baseline."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text:
            pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    current, y = "", None
    for text, height in pieces:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if part.strip() and y is None:
                y = height
            current += part
            if k < len(parts) - 1:
                lines.append(_Line(" ".join(current.split()), number, y))
                current, y = "", None
    lines.append(_Line(" ".join(current.split()), number, y))
    return _same_baseline_joined([line for line in lines if line.text])


def _same_baseline_joined(lines: list[_Line]) -> list[_Line]:
    """One line for text pypdf gives as several on one baseline (words drawn one by one)."""
    out: list[_Line] = []
    for line in lines:
        last = out[-1] if out else None
        if (
            last is not None
            and last.y is not None
            and line.y is not None
            and abs(last.y - line.y) < SAME_BASELINE
        ):
            cjk = _CJK.match(last.text[-1]) or _CJK.match(line.text[0])
            last.text += line.text if cjk else f" {line.text}"
        else:
            out.append(line)
    return out


def _edges(page: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    if all(line.y is not None for line in page):
        ordered = sorted(page, key=lambda line: -(line.y or 0.0))
    else:
        ordered = list(page)
    return ordered[:EDGE_LINES], ordered[-EDGE_LINES:]


def _mark_furniture(pages: list[list[_Line]]) -> None:
    groups: dict[tuple[str, str], list[_Line]] = defaultdict(list)
    for page in pages:
        top, bottom = _edges(page)
        for side, lines in (("top", top), ("bottom", bottom)):
            for line in lines:
                if PAGE_NUMBER.match(line.text):
                    line.furniture = True
                    continue
                key = _DIGITS.sub("#", line.text.lower())
                line.numbers = [int(n) for n in _DIGITS.findall(line.text)]
                groups[side, key].append(line)
    needed = max(2, math.ceil(FURNITURE_SHARE * len(pages)))
    for (_, key), lines in groups.items():
        if len({line.page for line in lines}) >= needed and _running(key, lines):
            for line in lines:
                line.furniture = True


def _running(key: str, lines: list[_Line]) -> bool:
    """The same line on each page, or one whose changing number is the page number."""
    if len({line.text for line in lines}) == 1:
        return True
    # Why: "Article 5" heading page 5 would otherwise pass; a running header carrying its page
    # number has more words, and the number sits at one end of it.
    if len(_WORD.findall(key)) < 2:
        return False
    count = len(lines[0].numbers)
    for k in range(count):
        values = {line.numbers[k] for line in lines}
        if len(values) == 1:
            continue
        if len({line.numbers[k] - line.page for line in lines}) > 1:
            return False
        at_start = k == 0 and _NUMBER_AT_START.match(key)
        at_end = k == count - 1 and _NUMBER_AT_END.search(key)
        if not (at_start or at_end):
            return False
    return True


def _mark_gaps(lines: list[_Line]) -> None:
    steps = [
        (line, above.y - line.y)
        for above, line in itertools.pairwise(lines)
        if above.page == line.page and above.y is not None and line.y is not None
    ]
    usual = [step for _, step in steps if step > 0]
    if not usual:
        return
    spacing = statistics.median(usual)
    for line, step in steps:
        line.gap_before = step > GAP_FACTOR * spacing
    _mark_page_break_gaps(lines, spacing)


def _mark_page_break_gaps(lines: list[_Line], spacing: float) -> None:
    """A page left a line short, or begun a line low, ended or opens a paragraph there.

    Why: a paragraph gap that falls at a page break shows only as room left at the foot of the
    page (or at the head of the next), since no page starts with a blank line.
    """
    pages: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        if line.y is not None:
            pages[line.page].append(line)
    numbers = sorted(pages)
    if len(numbers) < 2:
        return
    bottom = min(pages[n][-1].y or 0.0 for n in numbers[:-1])
    top = max(pages[n][0].y or 0.0 for n in numbers)
    for before, after in itertools.pairwise(numbers):
        last, first = pages[before][-1], pages[after][0]
        room = (last.y or 0.0) - bottom + top - (first.y or 0.0)
        if room >= PAGE_ROOM * spacing:
            first.gap_before = True


def _join_hyphens(lines: list[_Line]) -> None:
    text = "\n".join(line.text for line in lines).lower()
    compounds = set(_COMPOUND.findall(text))
    known = set(_WORD.findall(text))
    for line, after in itertools.pairwise(lines):
        end = _HYPHENATED_END.search(line.text)
        start = _FIRST_TOKEN.match(after.text)
        if end is None or start is None or after.gap_before or not after.text[:1].isalnum():
            continue
        left, hyphen = end.groups()
        token = start.group(1)
        right = _WORD_OR_NUMBER.match(token)
        # Why: "2." or "3)" opening the next line is a paragraph's number, not a word's end.
        if right is None or _PARAGRAPH_NUMBER.match(token):
            continue
        keep = hyphen != "\xad" and (
            not token[0].islower()
            or (
                f"{left}-{right.group()}".lower() in compounds
                and f"{left}{right.group()}".lower() not in known
            )
        )
        line.text = line.text[: end.start(2)] + ("-" if keep else "") + token
        after.text = after.text[start.end() :]
