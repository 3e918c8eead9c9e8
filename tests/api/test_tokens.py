"""API tokens: created and revoked by their owner, and accepted in place of a session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from .conftest import as_user

pytestmark = pytest.mark.django_db


def _with_token(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_signed_in_person_creates_a_token_and_calls_the_api_with_it(
    corpus: Any, dana: Any
) -> None:
    response = as_user(dana).post("/api/tokens/")
    assert response.status_code == 201
    key = response.json()["key"]
    assert Token.objects.get(user=dana).key == key
    assert _with_token(key).get("/api/agreements/").status_code == 200


def test_a_new_token_replaces_the_old_one(corpus: Any, dana: Any) -> None:
    client = as_user(dana)
    first = client.post("/api/tokens/").json()["key"]
    second = client.post("/api/tokens/").json()["key"]
    assert first != second
    assert Token.objects.filter(user=dana).count() == 1
    assert _with_token(first).get("/api/agreements/").status_code == 401
    assert _with_token(second).get("/api/agreements/").status_code == 200


def test_the_owner_revokes_their_token_and_it_stops_working(corpus: Any, dana: Any) -> None:
    key = as_user(dana).post("/api/tokens/").json()["key"]
    caller = _with_token(key)
    assert caller.get("/api/tokens/").json()["exists"] is True
    assert caller.delete("/api/tokens/").status_code == 204
    assert not Token.objects.filter(user=dana).exists()
    response = caller.get("/api/agreements/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}


def test_revoking_when_there_is_no_token_says_so(dana: Any) -> None:
    response = as_user(dana).delete("/api/tokens/")
    assert response.status_code == 404
    assert response.json()["detail"] == "You have no API token to revoke."


def test_a_person_never_touches_another_persons_token(dana: Any, alice: Any) -> None:
    alices = Token.objects.create(user=alice)
    as_user(dana).post("/api/tokens/")
    as_user(dana).delete("/api/tokens/")
    assert Token.objects.filter(pk=alices.pk).exists()


def test_anonymous_callers_cannot_create_tokens(db: Any) -> None:
    response = Client().post("/api/tokens/")
    assert response.status_code == 401
    assert not Token.objects.exists()


def test_a_token_of_a_deactivated_account_is_refused(corpus: Any, dana: Any) -> None:
    key = Token.objects.create(user=dana).key
    dana.is_active = False
    dana.save()
    assert _with_token(key).get("/api/agreements/").status_code == 401


def test_a_session_call_that_writes_needs_the_csrf_token(dana: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dana)
    response = client.post("/api/tokens/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Token.objects.exists()


def test_a_malformed_authorization_header_is_a_401_not_a_500(corpus: Any) -> None:
    for header in ("Token", "Token a b", "Token \u00e9\u00e9", "Bearer xyz"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/agreements/")
        assert response.status_code == 401, header
