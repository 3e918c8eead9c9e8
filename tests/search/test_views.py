"""The search page: one box, filters, marked matches and links to the clause."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from clauses.models import TextStatus
from tests.factories import article, make_agreement, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def sta(db: Any) -> Any:
    agreement = make_agreement("sta")
    old = make_version(
        agreement,
        "1979",
        [article(1, "The Parties cooperate in science & technology.", heading="Scope")],
        in_force_from=dt.date(1979, 1, 31),
        in_force_until=dt.date(2024, 8, 27),
        text_status=TextStatus.ILLUSTRATIVE,
    )
    make_version(
        agreement,
        "2024",
        [article(1, "The Parties cooperate in basic research.", heading="Scope")],
        in_force_from=dt.date(2024, 8, 27),
        text_status=TextStatus.OFFICIAL,
    )
    return old


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_log_in(sta: Any) -> None:
    response = Client().get("/search/?q=science")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_without_a_role_are_refused(sta: Any, nobody: Any) -> None:
    assert logged_in(nobody).get("/search/?q=science").status_code == 403


def test_the_empty_page_shows_the_box_and_no_results(sta: Any, dana: Any) -> None:
    response = logged_in(dana).get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'name="q"' in html
    assert "clause-hits" not in html


def test_results_mark_the_words_and_link_to_the_clause(sta: Any, dana: Any) -> None:
    response = logged_in(dana).get("/search/?q=science")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/agreements/sta/versions/1979/#art_1"' in html
    assert "cooperate in <mark>science</mark> &amp; technology." in html
    assert html.count("Illustrative text") == 1
    assert "1 provision matches" in html
    assert "this database" not in html


def test_the_filters_narrow_the_results(sta: Any, dana: Any) -> None:
    client = logged_in(dana)
    every = client.get("/search/?q=parties").content.decode()
    # One provision held by both versions: once, the latest text, both versions named.
    assert "1 provision matches" in every
    assert "(2 clauses across their versions)" in every
    assert "Text from “Version 1979” to “Version 2024”" in every
    assert every.count('href="/agreements/sta/versions/2024/#art_1"') == 1
    assert 'href="/agreements/sta/clauses/art_1/">History of this provision' in every
    on_day = client.get("/search/?q=parties&in_force_on=2025-01-01").content.decode()
    assert "1 provision matches" in on_day
    assert "/versions/2024/#art_1" in on_day
    by_version = client.get("/search/?q=parties&agreement=sta&version=1979").content.decode()
    assert "/versions/1979/#art_1" in by_version
    assert "/versions/2024/#art_1" not in by_version


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=science&in_force_on=2024-02-30", "Write the date as YYYY-MM-DD"),
        ("q=science&version=1979", "Choose the agreement of that version first"),
        ("q=science&agreement=sta&version=1066", "has no version “1066”"),
        ("q=science&agreement=nowhere", "Select a valid choice"),
        ("q=science&page=0", "greater than or equal to 1"),
        ("q=%3F%21", "Type a word"),
        ("q=" + "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_is_a_400_with_a_message(sta: Any, dana: Any, query: str, message: str) -> None:
    response = logged_in(dana).get(f"/search/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_version_of_another_agreement_is_refused(sta: Any, dana: Any) -> None:
    other = make_agreement("ocean", short_title="Ocean")
    make_version(other, "1", [article(1, "Oceans.")], in_force_from=dt.date(2000, 1, 1))
    response = logged_in(dana).get("/search/?q=science&agreement=ocean&version=1979")
    assert response.status_code == 400
    assert "Ocean has no version “1979”" in response.content.decode()


def test_the_search_page_does_not_grow_with_the_number_of_versions(
    sta: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(dana)
    before = len(client.get("/search/").content)
    for year in range(1980, 2024):
        make_version(
            sta.agreement,
            str(year),
            [article(1, "Text.")],
            in_force_from=dt.date(year, 1, 1),
        )
    with django_assert_max_num_queries(6):
        after = len(client.get("/search/").content)
    assert after == before


def test_the_chosen_agreements_versions_are_offered_for_the_version_box(
    sta: Any, dana: Any
) -> None:
    html = logged_in(dana).get("/search/?agreement=sta").content.decode()
    options = '<option value="1979"><option value="2024">'
    assert f'<datalist id="version-labels">{options}</datalist>' in html
    assert "Its versions: 1979, 2024." in html


def test_many_results_come_in_pages(dana: Any) -> None:
    agreement = make_agreement("big")
    make_version(
        agreement,
        "1",
        [article(n, f"Clause {n} mentions reciprocity.") for n in range(1, 46)],
        in_force_from=dt.date(2000, 1, 1),
    )
    client = logged_in(dana)
    first = client.get("/search/?q=reciprocity").content.decode()
    assert "showing 1–20" in first
    assert 'rel="next"' in first
    third = client.get("/search/?q=reciprocity&page=3").content.decode()
    assert "showing 41–45" in third
    assert 'rel="next"' not in third
    assert 'rel="prev"' in third


def test_the_page_costs_a_fixed_number_of_queries(
    sta: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(dana)
    with django_assert_max_num_queries(16):
        assert client.get("/search/?q=parties").status_code == 200


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the count is estimated only on PostgreSQL",
)
def test_an_estimated_count_is_said_so_and_pages_stop_at_the_ranked_matches(
    dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sta_tracker.search import ranking

    agreement = make_agreement("big")
    make_version(
        agreement,
        "1",
        [article(n, f"Clause {n} mentions reciprocity.") for n in range(1, 46)],
        in_force_from=dt.date(2000, 1, 1),
    )
    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 10)
    monkeypatch.setattr(ranking, "RANKED_CANDIDATES", 25)
    # Why: the estimate comes from the table's statistics, which autovacuum may not have made.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clauses_clause")
    client = logged_in(dana)
    first = client.get("/search/?q=reciprocity").content.decode()
    assert "About " in first
    assert "an estimate" in first
    assert "The 25 most recently added of them are 25 provisions" in first
    second = client.get("/search/?q=reciprocity&page=2").content.decode()
    assert "showing 21–25" in second
    assert 'rel="next"' not in second


def test_the_agreements_are_offered_by_title_in_one_plain_query(sta: Any) -> None:
    from django.test.utils import CaptureQueriesContext

    from sta_tracker.search.views import SearchForm

    make_agreement("cet", short_title="CET")
    with CaptureQueriesContext(connection) as queries:
        choices = [(str(value), label) for value, label in SearchForm()["agreement"].field.choices]
    assert choices == [("", "Every agreement"), ("cet", "CET"), ("sta", "STA")]
    # Why: a server-side cursor would be three statements for a handful of rows.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]
