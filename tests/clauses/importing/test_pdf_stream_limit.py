"""One PDF stream may inflate only so far (STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES): a small bomb."""

from __future__ import annotations

import io
import time
import tracemalloc
import zlib
from typing import Any

import pytest
from django.test import override_settings
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    EncodedStreamObject,
    NameObject,
    StreamObject,
)

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.services import import_limits
from tests.clauses.importing.pdf_files import make_pages

INFLATED = 8_000_000


def with_page_stream(stream: StreamObject) -> bytes:
    """A real one-page PDF (a line of text) whose page draws ``stream`` after its own content."""
    reader = PdfReader(io.BytesIO(make_pages([["Article 1", "The Parties cooperate."]])))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    own = page.raw_get("/Contents")
    page[NameObject("/Contents")] = ArrayObject([own, writer._add_object(stream)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def bomb_stream() -> StreamObject:
    """A content stream of a few kilobytes that inflates to 8 MB (spaces after one text run)."""
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 11 Tf 50 700 Td (Article 2) Tj ET\n" + b" " * (INFLATED - 41))
    return stream.flate_encode()


def refused(data: bytes) -> tuple[str, float, int]:
    """The refusal, the CPU seconds and the peak traced memory of reading ``data``."""
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(TextImportError) as refusal:
            read_document(data, "bomb.pdf", import_limits())
        return str(refusal.value), time.process_time() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@override_settings(STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES=1_000_000)
def test_a_page_stream_that_inflates_past_the_limit_is_refused_naming_it_and_by_how_much() -> None:
    data = with_page_stream(bomb_stream())
    assert len(data) < 20_000

    message, seconds, peak = refused(data)

    assert message == (
        "A content stream of page 1 (of 1) of the PDF inflates to at least 1.0 MB, 48,576 bytes "
        "more than the 1.0 MB limit (STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES)."
    )
    # Why these bounds: the stream is counted as it inflates, never held whole (8 MB).
    assert seconds < 5
    assert peak < 1_000_000


@override_settings(STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES=1_000_000)
def test_a_stream_compressed_twice_is_stopped_by_pypdfs_caps_lowered_to_the_limit() -> None:
    twice = EncodedStreamObject()
    twice._data = zlib.compress(zlib.compress(b" " * INFLATED))
    twice[NameObject("/Filter")] = ArrayObject([NameObject("/FlateDecode")] * 2)
    message, seconds, _ = refused(with_page_stream(twice))

    assert message == (
        "A stream of the PDF (a font, an image or a drawing the text refers to) inflates to "
        "more than the 1.0 MB limit (STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES)."
    )
    assert seconds < 5


def test_the_same_stream_is_read_under_the_default_limit(settings: Any) -> None:
    settings.STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES = 16_000_000
    document = read_document(with_page_stream(bomb_stream()), "fine.pdf", import_limits())
    # Why both: the second article is drawn by the 8 MB stream itself.
    assert [c.number for c in document.clauses if c.kind == "article"] == [
        "Article 1",
        "Article 2",
    ]
