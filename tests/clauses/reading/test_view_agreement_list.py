from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.test import Client

from clauses.models import Agreement
from tests.factories import make_agreement

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db

URL = "/agreements/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2025, 1, 1))


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    client.force_login(nobody)
    assert client.get(URL).status_code == 403


def test_it_lists_each_agreement_with_its_versions_and_what_is_in_force(
    client: Client, alice: Any
) -> None:
    build_sta()
    make_agreement("other", short_title="Other agreement")
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/agreements/sta/">STA</a>' in html
    assert '<a href="/agreements/other/">Other agreement</a>' in html
    assert "<td>6</td>" in html
    assert "Version 2024" in html
    assert "Nothing in force" in html


def test_an_empty_catalogue_says_so(client: Client, dana: Any) -> None:
    client.force_login(dana)
    assert "No agreements loaded yet." in client.get(URL).content.decode()


def test_many_agreements_come_in_pages_at_the_same_query_cost(
    client: Client, alice: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(1, 61):
        make_agreement(f"a{n:02d}", short_title=f"Agreement {n:02d}")
    client.force_login(alice)
    client.get(URL)  # the first request of a session renews it (a write)
    with django_assert_max_num_queries(7):
        first = client.get(URL).content.decode()
    assert first.count('<th scope="row">') == 25
    assert "Agreements 1–25 of 60" in first
    assert 'href="?page=2" rel="next"' in first
    assert "Agreement 26" not in first
    with django_assert_max_num_queries(7):
        last = client.get(URL + "?page=3").content.decode()
    assert last.count('<th scope="row">') == 10
    assert "Agreement 60" in last
    assert 'rel="next"' not in last
    assert 'href="?page=2" rel="prev"' in last
    # A page past the end, or not a number, shows the nearest page rather than an error.
    assert "Agreement 60" in client.get(URL + "?page=99").content.decode()
    assert "Agreement 01" in client.get(URL + "?page=x").content.decode()


@pytest.mark.parametrize("asked", ["", "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", " 2"])
def test_each_address_shows_the_page_the_paginator_names(
    client: Client, alice: Any, asked: str, django_assert_max_num_queries: Any
) -> None:
    for n in range(1, 61):
        make_agreement(f"a{n:02d}", short_title=f"Agreement {n:02d}")
    expected = Paginator(Agreement.objects.order_by("short_title", "pk"), 25).get_page(asked)
    client.force_login(alice)
    client.get(URL)  # the first request of a session renews it (a write)
    # Why five: the session, the user, the page with the count, its versions and its lapses;
    # an address off the pages reads the page it is sent to as well.
    within = asked.strip() in ("", "1", "2", "3", "x", "2.0")
    with django_assert_max_num_queries(5 if within else 6):
        html = client.get(f"{URL}?page={asked}").content.decode()
    shown = [a.short_title for a in expected.object_list]
    assert html.count('<th scope="row">') == len(shown)
    assert all(f">{title}</a>" in html for title in shown)
    assert f"Agreements {expected.start_index()}–{expected.end_index()} of 60" in html
