"""Every browsing page costs the same few queries for 6 versions × 60 clauses as for a handful."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clauses.models import Clause
from clauses.record.versions import clause_correct

from ..pages_data import build_large, build_sta

pytestmark = pytest.mark.django_db

# Reading the session and reading the user with their roles (sta_tracker.roles.
# RoleLoadingBackend) cost two queries; each page adds at most four of its own: the agreement
# with its versions, then what the page shows (the clause page: the clauses, their history and
# the effects of instruments on the provision). The version and on-date pages add the text
# tokens of the version shown, and on the first render its clauses.
BOUND = 6
# The text on a date also reads the instruments never found (one query, whatever their number),
# which make a day's text presumed. The list reads its page of agreements with their count,
# then their versions and their lapses; the agreement page its versions, events and instruments.
BOUNDS: dict[str, int] = {"on date": BOUND + 1, "list": BOUND - 1, "agreement": BOUND - 1}
PAGES = {
    "list": "/agreements/",
    "agreement": "/agreements/{slug}/",
    "version": "/agreements/{slug}/versions/{label}/",
    "clause": "/agreements/{slug}/clauses/art_1/",
    "on date": "/agreements/{slug}/on/{day}/",
    "picker": "/agreements/{slug}/on/?date={day}",
    "picker form": "/agreements/{slug}/on/",
    "picker, bad date": "/agreements/{slug}/on/?date=soon",
    "compare picker form": "/agreements/{slug}/compare/",
    "search form": "/search/",
}


@pytest.fixture
def reader(client: Client, dana: Any, erin: Any) -> Client:
    build_sta()
    large = build_large(versions=6, articles=20)
    # Why: corrections add history rows; the clause page must not pay per row.
    for clause in Clause.objects.filter(version__agreement=large, key="art_1"):
        clause_correct(
            clause=clause,
            heading="Corrected",
            text=clause.text + " Corrected.",
            acting_user=erin,
            reason="proofreading",
        )
    client.force_login(dana, backend="sta_tracker.roles.RoleLoadingBackend")
    # Why: the first request of a session renews it (a write); the bound is for the ones after.
    client.get("/agreements/")
    return client


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), url
    return len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_costs_the_same_for_a_large_agreement_as_for_a_small_one(
    reader: Client, page: str, django_assert_max_num_queries: Any
) -> None:
    small_url = PAGES[page].format(slug="sta", label="2024", day="2024-10-01")
    large_url = PAGES[page].format(slug="large", label="v6", day="2016-01-01")
    assert Clause.objects.filter(version__agreement__slug="large").count() == 360
    with django_assert_max_num_queries(BOUNDS.get(page, BOUND)):
        reader.get(small_url)
    with django_assert_max_num_queries(BOUNDS.get(page, BOUND)):
        reader.get(large_url)
    assert count(reader, small_url) == count(reader, large_url)
