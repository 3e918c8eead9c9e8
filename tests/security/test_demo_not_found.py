"""With DEBUG on, as in the demo, a bad link shows the product's 404 page, not Django's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DEBUG_PAGE = "You’re seeing this error because you have"


@pytest.fixture
def demo(settings: Any, dana: Any) -> Client:
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(dana)
    return client


def test_an_unknown_address_shows_the_product_404_page(demo: Client) -> None:
    response = demo.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert DEBUG_PAGE not in page
    assert "Using the URLconf" not in page


def test_an_unknown_object_shows_the_product_404_page(demo: Client) -> None:
    """A view raising Http404 (an agreement that does not exist) gets the same page."""
    response = demo.get("/agreements/nope/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert DEBUG_PAGE not in page


def test_the_api_keeps_its_json_not_found(demo: Client) -> None:
    response = demo.get("/api/agreements/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in json.loads(response.content)


def test_without_debug_the_same_page_is_shown(client: Client, dana: Any) -> None:
    client.force_login(dana)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_missing_slash_is_still_added_before_anything_is_not_found(demo: Client) -> None:
    response = demo.get("/agreements")
    assert response.status_code == 301
    assert response["Location"] == "/agreements/"


def test_every_page_links_the_vendored_favicon(client: Client, dana: Any) -> None:
    """The icon is a file of the product's static folder: no request leaves the site."""
    from django.contrib.staticfiles import finders

    client.force_login(dana)
    page = client.get("/agreements/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("img/favicon.svg") is not None
    error = client.get("/no-such-page/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in error
