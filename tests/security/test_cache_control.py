"""Signed-in pages and API answers are never cached; static files keep their cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from sta_tracker.security import PRIVATE
from sta_tracker.tokens import token_create
from tests.api.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/agreements/", "/reviews/", "/accounts/tokens/", "/api/agreements/", "/no/such/page/"],
)
def test_every_answer_to_a_signed_in_person_is_private_and_not_stored(dana: Any, path: str) -> None:
    response = as_user(dana).get(path)
    assert response["Cache-Control"] == PRIVATE, response.status_code


def test_refusals_to_a_signed_in_person_are_not_stored_either(alice: Any) -> None:
    response = as_user(alice).get("/reviews/queue/")
    assert response.status_code == 403
    assert response["Cache-Control"] == PRIVATE


def test_api_answers_are_not_stored_whoever_asks(dana: Any) -> None:
    anonymous = Client().get("/api/agreements/")
    assert anonymous.status_code == 401
    assert anonymous["Cache-Control"] == PRIVATE
    key = token_create(user=dana)[1]
    by_token = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/agreements/")
    assert by_token.status_code == 200
    assert by_token["Cache-Control"] == PRIVATE


def test_the_anonymous_login_page_is_left_to_its_own_headers(db: Any) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert response.get("Cache-Control", "") != PRIVATE


# Why: the tests run without collectstatic; WhiteNoise serves the source files instead.
@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_cache_even_for_a_signed_in_person(dana: Any) -> None:
    response = as_user(dana).get("/static/css/site.css")
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "max-age=" in cache
    assert "no-store" not in cache
    assert "private" not in cache
