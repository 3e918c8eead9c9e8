"""Error pages are plain, say what happened in words, and leak nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory

from sta_tracker.security import bad_request, page_not_found, permission_denied, server_error

from .test_database_outage import unreachable_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def web() -> Client:
    return Client(raise_request_exception=False)


def test_an_unknown_address_answers_the_plain_404_page(web: Client, dana: Any) -> None:
    web.force_login(dana)
    response = web.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refused_page_answers_the_plain_403_page(web: Client, nobody: Any) -> None:
    web.force_login(nobody)
    response = web.get("/agreements/")
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.content.decode()


def test_a_request_for_an_unknown_host_answers_the_plain_400_page(web: Client) -> None:
    response = web.get("/accounts/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bad request" in page
    assert "attacker.example" not in page


def test_a_form_sent_without_its_csrf_token_answers_a_plain_explanation(dana: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dana)
    response = browser.post("/accounts/logout/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "<style" not in page
    assert "_auth_user_id" in browser.session


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (bad_request, 400, "Bad request"),
        (permission_denied, 403, "You are not allowed to do this"),
        (page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages_need_neither_the_database_nor_a_signed_in_request(
    handler: Any, status: int, heading: str
) -> None:
    bare = RequestFactory().get("/")  # no user, no session: as before the middleware ran
    with unreachable_database():
        response = handler(bare, Exception("detail"))
    assert response.status_code == status
    assert heading in response.content.decode()
    assert "detail" not in response.content.decode()


@pytest.mark.urls("tests.security.urls_failing")
def test_a_failing_view_answers_the_plain_500_page_without_details(web: Client, dana: Any) -> None:
    web.force_login(dana)
    response = web.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "secret detail" not in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_the_500_page_renders_with_the_database_gone() -> None:
    request = RequestFactory().get("/")
    with unreachable_database():
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_error_pages_carry_the_security_headers(web: Client) -> None:
    response = web.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_failure_under_the_api_answers_json_without_details() -> None:
    request = RequestFactory().post("/api/proposals/")
    try:
        raise RuntimeError("secret detail")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "code": "error",
        "detail": "Something went wrong on the server; it has been logged.",
    }
