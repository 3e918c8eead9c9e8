"""The PDF comparative print, laid out by WeasyPrint from the print stylesheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from clauses.comparison import pdfprint
from clauses.models import TextStatus
from tests.factories import article, make_agreement, make_version

from .compare_data import build_pair

pytestmark = pytest.mark.django_db

URL = "/agreements/pact/compare/2001...2011/"
HEADER = "Pact on Scientific Cooperation — Version 2001 (2001) compared with Version 2011 (2011)"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    build_pair(newer_status=TextStatus.ILLUSTRATIVE)
    client.force_login(dana)
    return client


def pages(content: bytes) -> list[str]:
    """Each page's text, with line breaks read as spaces."""
    assert content.startswith(b"%PDF-")
    return [
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages
    ]


def test_the_pdf_needs_a_reader(client: Client, nobody: Any) -> None:
    build_pair()
    assert client.get(URL + "?format=pdf").status_code == 302
    client.force_login(nobody)
    assert client.get(URL + "?format=pdf").status_code == 403


def test_the_pdf_holds_the_header_the_notice_the_page_number_and_every_clause(
    reader: Client,
) -> None:
    response = reader.get(URL + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pact-2001-to-2011.pdf"'
    printed = pages(response.content)
    for n, text in enumerate(printed, start=1):
        assert HEADER in text
        assert "Not the official wording: Version 2011 is illustrative." in text
        assert f"Page {n} of {len(printed)}" in text
    page = " ".join(printed)
    assert "Every clause is printed, the unchanged ones included." in page
    for text in ("Purpose", "Joint Commission", "Costs", "Safety", "Disputes"):
        assert text in page
    assert "Link to this change" not in page
    assert "Next change" not in page


def test_every_page_of_a_long_pdf_carries_the_header_and_its_number(
    client: Client, dana: Any
) -> None:
    long = make_agreement("long", short_title="Long", title="Long Agreement")
    body = "Each party cooperates in every field of science named in this article. " * 12
    make_version(
        long, "a", [article(n, body) for n in range(1, 13)], in_force_from=dt.date(2001, 1, 1)
    )
    make_version(
        long,
        "b",
        [article(n, body.replace("every", "each")) for n in range(1, 13)],
        in_force_from=dt.date(2011, 1, 1),
    )
    client.force_login(dana)
    printed = pages(client.get("/agreements/long/compare/a...b/?format=pdf").content)
    assert len(printed) > 2
    for n, page in enumerate(printed, start=1):
        assert "Long Agreement — Version a (a) compared with Version b (b)" in page
        assert "Not the official wording: both texts are illustrative." in page
        assert f"Page {n} of {len(printed)}" in page


def test_the_pdf_can_leave_out_unchanged_clauses_and_says_so(reader: Client) -> None:
    page = " ".join(pages(reader.get(URL + "?format=pdf&changed=1").content))
    assert "Unchanged clauses are left out: 1 clause that did not change is not printed." in page
    assert "Costs" not in page


def test_a_comparison_past_the_pdf_bound_is_refused_with_what_to_do_instead(
    reader: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfprint, "MAX_PDF_ROWS", 6)
    response = reader.get(URL + "?format=pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This comparison has 7 clauses; a PDF print holds at most 6." in html
    assert "download the Word print or the CSV" in html
    assert reader.get(URL + "?format=pdf&changed=1").status_code == 200


def test_the_pdf_fetches_nothing_a_text_names(client: Client, dana: Any) -> None:
    odd = make_agreement("odd")
    trap = '<img src="http://127.0.0.1:9/x.png"> <link rel=stylesheet href="file:///etc/passwd">'
    make_version(odd, "a", [article(1, "One.")], in_force_from=dt.date(2001, 1, 1))
    make_version(odd, "b", [article(1, f"One. {trap}")], in_force_from=dt.date(2011, 1, 1))
    client.force_login(dana)
    page = " ".join(pages(client.get("/agreements/odd/compare/a...b/?format=pdf").content))
    # The markup in a text is printed as text, never loaded.
    assert 'img src="http://127.0.0.1:9/x.png"' in page
