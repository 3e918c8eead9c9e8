"""Search finds provisions of instruments' own texts (a side document), in one more query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.importing.modes import plan_document
from clauses.importing.parse import parse_text
from clauses.models import Version
from clauses.record.services import import_plan_publish
from sta_tracker.search.query import search
from tests.factories import article, make_agreement, make_instrument, make_version

pytestmark = pytest.mark.django_db

MINUTES = """Agreed minutes

Article 1

The Parties met in Beijing and agreed on a plan for glaciology.

Article 2

双方同意在冰川学方面开展合作。The Parties confirm it.
"""


@pytest.fixture
def minutes(erin: Any) -> Version:
    agreement = make_agreement()
    version = make_version(
        agreement,
        "1979",
        [article(1, "The Parties cooperate in science.")],
        in_force_from=dt.date(1979, 1, 31),
    )
    instrument = make_instrument(
        agreement, "1980-minutes", kind="exchange_of_notes", title="Agreed minutes of 1980"
    )
    document = parse_text(MINUTES)
    import_plan_publish(
        agreement=agreement, instrument=instrument, plan=plan_document(document),
        document=document, label="", title="", in_force_from=dt.date(1980, 1, 1),
        in_force_until=None, text_status="official", acting_user=erin, reason="Minutes",
    )  # fmt: skip
    return version


def test_a_word_of_a_side_document_is_found_with_its_instrument(
    minutes: Version, dana: Any
) -> None:
    results = search(query="glaciology", user=dana)
    assert results.total == 0
    assert [(h.instrument_title, h.number, h.url) for h in results.documents] == [
        ("Agreed minutes of 1980", "Article 1", "/agreements/sta/instruments/1980-minutes/#art_1")
    ]
    assert "<mark>glaciology</mark>" in results.documents[0].snippet_html
    assert results.more_documents is False


def test_chinese_characters_of_a_side_document_are_found(minutes: Version, dana: Any) -> None:
    results = search(query="冰川学", user=dana)
    assert [h.number for h in results.documents] == ["Article 2"]


def test_a_search_within_a_version_or_on_a_day_leaves_side_documents_out(
    minutes: Version, dana: Any
) -> None:
    assert search(query="glaciology", user=dana, version=minutes).documents == ()
    assert search(query="glaciology", user=dana, in_force_on=dt.date(1990, 1, 1)).documents == ()
    other = make_agreement("cet", short_title="CET")
    assert search(query="glaciology", user=dana, agreement=other).documents == ()


def test_more_matches_than_the_limit_are_said_to_be_more(minutes: Version, dana: Any) -> None:
    results = search(query="parties", user=dana, document_limit=1)
    assert len(results.documents) == 1
    assert results.more_documents is True


def test_the_search_page_lists_them_and_searching_costs_one_query_more(
    client: Client, minutes: Version, dana: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(7):
        search(query="glaciology", user=dana)
    client.force_login(dana)
    html = client.get("/search/?q=glaciology").content.decode()
    assert "In instruments' own texts" in html
    assert '<a href="/agreements/sta/instruments/1980-minutes/#art_1">' in html
