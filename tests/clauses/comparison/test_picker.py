"""The version picker: on the agreement, version and compare pages, and its redirect."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ..pages_data import build_sta
from .compare_data import build_pair

pytestmark = pytest.mark.django_db

PICK = "/agreements/pact/compare/"


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    build_pair()
    client.force_login(dana)
    return client


def selected(html: str, name: str) -> list[str]:
    """The values selected in the picker's select called ``name``."""
    select = re.search(rf'<select id="compare-\w+" name="{name}">(.*?)</select>', html, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([\w-]+)" selected>', select[1])


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_pair()
    response = client.get(PICK + "?from=2001&to=2011")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    build_pair()
    client.force_login(nobody)
    assert client.get(PICK + "?from=2001&to=2011").status_code == 403


def test_unknown_agreements_are_not_found(reader: Client) -> None:
    assert reader.get("/agreements/nope/compare/?from=2001&to=2011").status_code == 404


def test_picking_two_versions_redirects_to_their_comparison(reader: Client) -> None:
    response = reader.get(PICK + "?from=2001&to=2011")
    assert response.status_code == 302
    assert response["Location"] == "/agreements/pact/compare/2001...2011/"


def test_the_view_and_filter_are_carried_over(reader: Client) -> None:
    response = reader.get(PICK + "?from=2011&to=2001&view=side&changed=1")
    assert response["Location"] == "/agreements/pact/compare/2011...2001/?view=side&changed=1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2001", "Choose two versions to compare."),
        ("?from=2001&to=1999", "The Pact has no version “1999”. Choose one below."),
        ("?from=2001&to=2011&view=wide", "“view=wide” is not a view"),
    ],
)
def test_a_missing_or_unknown_choice_shows_the_form_with_a_clear_error(
    reader: Client, query: str, message: str
) -> None:
    """The form shown again answers 200, with the error and the valid half kept."""
    response = reader.get(PICK + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="error" role="alert">{message}' in html
    assert selected(html, "from") == ["2001"]
    assert selected(html, "to") == ["2011"]


def test_the_picker_without_parameters_is_the_form(reader: Client) -> None:
    """No choice yet: the first version against the latest, and no error."""
    response = reader.get(PICK)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="compare-picker" method="get" action="/agreements/pact/compare/">' in html
    assert 'role="alert"' not in html
    assert selected(html, "from") == ["2001"]
    assert selected(html, "to") == ["2011"]


def test_a_bad_option_in_a_comparison_address_is_still_a_400(reader: Client) -> None:
    """Only the picker's form is shown again; a bad address stays a bad request."""
    assert reader.get("/agreements/pact/compare/2001...2011/?view=wide").status_code == 400


def test_a_valid_half_of_a_bad_choice_stays_chosen(reader: Client) -> None:
    html = reader.get(PICK + "?from=2011&to=1999").content.decode()
    assert selected(html, "from") == ["2011"]
    assert selected(html, "to") == ["2011"]
    html = reader.get("/agreements/pact/compare/2011...2001/?view=wide").content.decode()
    assert selected(html, "from") == ["2011"]
    assert selected(html, "to") == ["2001"]


def test_the_agreement_page_offers_the_first_version_against_the_latest(
    client: Client, dana: Any
) -> None:
    build_sta()
    client.force_login(dana)
    html = client.get("/agreements/sta/").content.decode()
    assert '<form class="compare-picker" method="get" action="/agreements/sta/compare/">' in html
    assert selected(html, "from") == ["1979"]
    assert selected(html, "to") == ["2024"]
    assert '<option value="2018">Version 2018 (from 27 June 2018)</option>' in html


def test_a_version_page_offers_itself_against_the_version_before(client: Client, dana: Any) -> None:
    build_sta()
    client.force_login(dana)
    html = client.get("/agreements/sta/versions/2018/").content.decode()
    assert selected(html, "from") == ["1984"]
    assert selected(html, "to") == ["2018"]
    first = client.get("/agreements/sta/versions/1979/").content.decode()
    assert selected(first, "from") == ["1979"]
    assert selected(first, "to") == ["2024"]


def test_the_compare_page_keeps_the_current_choice_and_view(reader: Client) -> None:
    html = reader.get("/agreements/pact/compare/2011...2001/?view=side").content.decode()
    assert selected(html, "from") == ["2011"]
    assert selected(html, "to") == ["2001"]
    assert '<input type="hidden" name="view" value="side">' in html


def test_an_agreement_with_one_version_has_no_picker(client: Client, dana: Any) -> None:
    import datetime as dt

    from tests.factories import article, make_agreement, make_version

    make_version(
        make_agreement("solo"), "2001", [article(1, "Text.")], in_force_from=dt.date(2001, 1, 1)
    )
    client.force_login(dana)
    assert "compare-picker" not in client.get("/agreements/solo/").content.decode()
