"""Compare by dates: the text in force on A against the text in force on B, over the STA record."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/compare/dates/"


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    cache.clear()
    call_command("load_sta", stdout=StringIO())
    client.force_login(dana)
    client.get(URL)  # Why: the first request after force_login writes the session.
    return client


def page(client: Client, query: str) -> str:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    call_command("load_sta", stdout=StringIO())
    client.force_login(nobody)
    assert client.get(URL + "?a=2000-01-01&b=2020-01-01").status_code == 403


def test_without_dates_the_page_is_the_form(reader: Client) -> None:
    html = page(reader, "")
    assert '<input type="date" id="dates-a" name="a"' in html
    assert 'min="1979-01-31"' in html
    assert "What was in force on each date" not in html


def test_two_dates_show_the_redline_of_the_versions_in_force_on_them(reader: Client) -> None:
    html = page(reader, "?a=2000-01-01&b=2020-01-01")
    words = text(html)
    assert "A: 1 January 2000" in words
    # Why presumed: the extensions of 1989, 1996 and 2001 that would cover 2000 were not found.
    assert "In force (presumed): “As extended in 1984”: the extensions were not found." in words
    assert "Presumed, not established" in words
    assert "pit-presumed" in html
    assert "In force: “As extended and amended in 2018”." in words
    assert "From As extended in 1984 (A) to As extended and amended in 2018 (B)." in words
    assert 'href="/agreements/sta/compare/1984-extension...2018-amended/"' in html
    assert html.count('<section class="cmp-row') > 20
    assert "<ins>" in html or 'class="ins' in html


def test_a_day_inside_the_term_of_the_1984_extension_is_simply_in_force(reader: Client) -> None:
    words = text(page(reader, "?a=1986-06-01&b=2020-01-01"))
    assert "In force: “As extended in 1984”." in words
    assert "In force (presumed)" not in words


def test_a_day_in_the_2024_lapse_says_it_lapsed_and_was_covered_later(reader: Client) -> None:
    html = page(reader, "?a=2024-09-01&b=2018-07-01")
    words = text(html)
    assert "Lapsed on this day; later covered retroactively by" in words
    assert "the text is “As amended and extended by the 2024 protocol”." in words
    assert "had lapsed" in words
    assert "pit-lapse" in html


def test_both_dates_in_one_version_say_nothing_changed(reader: Client) -> None:
    words = text(page(reader, "?a=1990-01-01&b=2000-06-30"))
    assert "No changes: both dates fall in one version, “As extended in 1984”" in words
    assert "Every clause" not in words


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?a=1978-12-31&b=2000-01-01", "choose a date from then on (“1978-12-31” is before"),
        ("?a=2000-02-30&b=2000-01-01", "“2000-02-30” is not a date: write it as YYYY-MM-DD"),
        ("?a=yesterday&b=2000-01-01", "“yesterday” is not a date"),
        ("?a=2000-01-01&b=", "Choose the second date."),
        ("?a=0001-01-01&b=99999-01-01", "“99999-01-01” is not a date"),
    ],
)
def test_bad_dates_are_refused_on_the_form(reader: Client, query: str, message: str) -> None:
    html = page(reader, query)
    assert message in text(html)
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert "What was in force on each date" not in html


def test_the_page_is_reached_from_the_date_page_and_the_picker(reader: Client) -> None:
    on_date = reader.get("/agreements/sta/on/2000-01-01/").content.decode()
    assert 'href="/agreements/sta/compare/dates/?a=2000-01-01"' in on_date
    compare = reader.get("/agreements/sta/compare/1979...2018-amended/").content.decode()
    assert 'href="/agreements/sta/compare/dates/"' in compare


def test_the_page_costs_a_fixed_number_of_queries(
    reader: Client, django_assert_max_num_queries: Any
) -> None:
    cache.clear()
    with django_assert_max_num_queries(8):
        page(reader, "?a=1980-01-01&b=2025-01-01")
