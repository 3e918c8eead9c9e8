"""The compare page and its exports cost the same few queries for a large agreement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clauses.models import Clause

from ..pages_data import build_large, build_sta

pytestmark = pytest.mark.django_db

# The session, and the user with their roles, cost two queries (see test_view_query_counts);
# the page adds the agreement with its versions, the text tokens and, on a cache miss, the
# clauses of both versions.
BOUND = 6
PAGES = {
    "inline": "/agreements/{slug}/compare/{a}...{b}/",
    "side, changed only": "/agreements/{slug}/compare/{a}...{b}/?view=side&changed=1",
    "csv": "/agreements/{slug}/compare/{a}...{b}/?format=csv",
    "json": "/agreements/{slug}/compare/{a}...{b}/?format=json",
    "docx": "/agreements/{slug}/compare/{a}...{b}/?format=docx",
    "docx, tracked": "/agreements/{slug}/compare/{a}...{b}/?format=docx&tracked=1&changed=1",
    "pdf, changed only": "/agreements/{slug}/compare/{a}...{b}/?format=pdf&changed=1",
    "csv, changed only": "/agreements/{slug}/compare/{a}...{b}/?format=csv&changed=1",
    "picker": "/agreements/{slug}/compare/?from={a}&to={b}",
}


@pytest.fixture
def reader(client: Client, dana: Any) -> Iterator[Client]:
    build_sta()
    build_large(versions=2, articles=150)
    cache.clear()
    client.force_login(dana, backend="sta_tracker.roles.RoleLoadingBackend")
    # Why: the first request of a session renews it (a write); the bound is for the ones after.
    client.get("/agreements/")
    yield client
    cache.clear()


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), url
    return len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_comparison_costs_the_same_for_a_large_agreement_as_for_a_small_one(
    reader: Client, page: str, django_assert_max_num_queries: Any
) -> None:
    small = PAGES[page].format(slug="sta", a="1979", b="2024")
    large = PAGES[page].format(slug="large", a="v1", b="v2")
    assert Clause.objects.filter(version__agreement__slug="large").count() == 900
    with django_assert_max_num_queries(BOUND):
        reader.get(small)
    with django_assert_max_num_queries(BOUND):
        reader.get(large)
    cache.clear()
    assert count(reader, small) == count(reader, large)


def test_a_cached_comparison_skips_loading_the_clauses(reader: Client) -> None:
    url = PAGES["inline"].format(slug="large", a="v1", b="v2")
    first = count(reader, url)
    assert count(reader, url) == first - 1
