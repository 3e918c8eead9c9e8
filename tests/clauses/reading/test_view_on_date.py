from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.models import system_user
from clauses.record.reference import sta_load

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2025, 1, 1))


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    build_sta()
    client.force_login(dana)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_sta()
    for url in ("/agreements/sta/on/2024-10-01/", "/agreements/sta/on/?date=2024-10-01"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    build_sta()
    client.force_login(nobody)
    assert client.get("/agreements/sta/on/2024-10-01/").status_code == 403
    assert client.get("/agreements/sta/on/?date=2024-10-01").status_code == 403


def test_an_unknown_agreement_is_not_found(reader: Client) -> None:
    assert reader.get("/agreements/nope/on/2024-10-01/").status_code == 404
    assert reader.get("/agreements/nope/on/?date=2024-10-01").status_code == 404


def test_a_day_in_the_lapse_says_lapsed_and_retroactive_and_shows_the_text(reader: Client) -> None:
    response = reader.get("/agreements/sta/on/2024-10-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<h2 id="pit-heading">Lapsed on this day; later covered retroactively by Instrument '
        "2024-instrument</h2>" in html
    )
    assert "In force:" not in html
    assert "On 1 October 2024 the agreement had lapsed (The 2024 lapse)" in html
    assert (
        "This day is covered only retroactively: Instrument 2024-instrument was signed on "
        "13 December 2024, after 1 October 2024, and took effect from 27 August 2024." in html
    )
    assert 'id="art_4"' in html
    assert "Cooperation is limited to basic research" in html
    assert '<p class="notice notice-illustrative" role="note">' in html
    assert '<input type="date" id="on-date" name="date" value="2024-10-01"' in html


def test_an_ordinary_day_shows_the_version_without_warnings(reader: Client) -> None:
    html = reader.get("/agreements/sta/on/2000-06-01/").content.decode()
    assert "In force: Version 1984" in html
    assert "lapsed" not in html
    assert "retroactively" not in html
    assert "A joint commission meets once a year" in html


def test_a_day_before_the_agreement_shows_no_text(reader: Client) -> None:
    response = reader.get("/agreements/sta/on/1970-01-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No text in force" in html
    assert "the agreement was not yet in force" in html
    assert 'class="clause' not in html


def test_a_day_after_the_last_term_says_it_expired(reader: Client) -> None:
    html = reader.get("/agreements/sta/on/2030-01-01/").content.decode()
    assert "No text in force" in html
    assert "ceased to be in force on 27 August 2029" in html


@pytest.mark.parametrize("bad", ["2024-02-30", "2024-13-01", "yesterday", "20241001"])
def test_an_impossible_date_in_the_address_is_a_clear_error(reader: Client, bad: str) -> None:
    response = reader.get(f"/agreements/sta/on/{bad}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{bad}” is not a date. Write it as YYYY-MM-DD" in html
    assert 'aria-invalid="true"' in html


def test_the_picker_redirects_to_the_dated_page(reader: Client) -> None:
    response = reader.get("/agreements/sta/on/", {"date": "2024-10-01"})
    assert response.status_code == 302
    assert response["Location"] == "/agreements/sta/on/2024-10-01/"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "“2024-02-30” is not a date."),
        ("", "Choose a date"),
        ("soon", "“soon” is not"),
    ],
)
def test_the_picker_shows_its_form_again_for_bad_dates_with_a_message(
    reader: Client, value: str, message: str
) -> None:
    """A bad date is the form shown again (200) with the error tied to the field."""
    response = reader.get("/agreements/sta/on/", {"date": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true" aria-describedby="on-date-error"' in html
    assert '<form class="date-picker" method="get" action="/agreements/sta/on/">' in html


def test_the_picker_without_a_date_offers_the_form(reader: Client) -> None:
    """Called with no parameter, the page is the form, without an error."""
    response = reader.get("/agreements/sta/on/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="date-picker" method="get" action="/agreements/sta/on/">' in html
    assert 'role="alert"' not in html
    assert "aria-invalid" not in html


def test_the_box_says_an_assumed_signing_date_is_assumed(client: Client, dana: Any) -> None:
    sta_load(acting_user=system_user(), reason="test load")
    client.force_login(dana)
    html = client.get("/agreements/sta/on/2024-03-01/").content.decode()
    box = html.split('<section class="point-in-time', 1)[1].split("</section>", 1)[0]
    assert (
        "<li>This day is covered only retroactively: Second six-month extension of 2024 was "
        "signed on 7 March 2024 (assumed: the announcement date), after 1 March 2024, and took "
        "effect from 27 February 2024.</li>" in box
    )
    assert "was in force from 27 February 2024 until 27 August 2024." in box
    html = client.get("/agreements/sta/on/1990-01-01/").content.decode()
    box = html.split('<section class="point-in-time', 1)[1].split("</section>", 1)[0]
    assert (
        "in force from 31 January 1984 (assumed: the end of the first five-year term) until "
        "18 April 2006 (assumed: the date of signature of the 2006 protocol) (first day no "
        "longer in force)." in box
    )
