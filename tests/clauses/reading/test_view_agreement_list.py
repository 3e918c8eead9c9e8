from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

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
