"""The login page's kept blank form: the same page as Django renders, with a token of its own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from sta_tracker import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_page() -> Any:
    login._rendered.clear()
    yield
    login._rendered.clear()


def without_token(html: str) -> str:
    return CSRF_VALUE.sub('name="csrfmiddlewaretoken" value="-"', html)


def django_login_page(request_factory: RequestFactory, path: str = LOGIN) -> str:
    request = request_factory.get(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    response = auth_views.LoginView.as_view()(request)
    return response.render().content.decode()  # type: ignore[attr-defined, no-any-return]


def test_the_kept_page_is_the_page_django_renders(client: Client, rf: RequestFactory) -> None:
    first = client.get(LOGIN).content.decode()
    kept = client.get(LOGIN).content.decode()
    assert login._rendered
    assert without_token(first) == without_token(django_login_page(rf))
    assert without_token(kept) == without_token(first)


def test_each_visit_gets_a_token_of_its_own_that_signs_in(dana: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    first = CSRF_VALUE.search(client.get(LOGIN).content.decode())
    second = CSRF_VALUE.search(client.get(LOGIN).content.decode())
    assert first is not None
    assert second is not None
    assert first.group(1) != second.group(1)
    assert login.TOKEN_PLACEHOLDER not in first.group(1)
    assert "csrftoken" in client.cookies
    response = client.post(
        LOGIN, {"username": "dana", "password": PASSWORD, "csrfmiddlewaretoken": second.group(1)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_token_of_another_browser_is_refused(dana: Any) -> None:
    other = Client(enforce_csrf_checks=True)
    token = CSRF_VALUE.search(other.get(LOGIN).content.decode())
    assert token is not None
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    response = client.post(
        LOGIN, {"username": "dana", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 403


def test_an_address_to_go_back_to_is_rendered_afresh(client: Client, rf: RequestFactory) -> None:
    client.get(LOGIN)
    html = client.get(f"{LOGIN}?next=/agreements/sta/").content.decode()
    assert '<input type="hidden" name="next" value="/agreements/sta/">' in html
    assert without_token(html) == without_token(
        django_login_page(rf, f"{LOGIN}?next=/agreements/sta/")
    )
    assert '<input type="hidden" name="next" value="">' in client.get(LOGIN).content.decode()


def test_a_waiting_message_is_shown_once(rf: RequestFactory) -> None:
    Client().get(LOGIN)  # the blank page is kept
    request = rf.get(LOGIN)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.info(request, "You were signed out.")
    html = login.LoginPage.as_view()(request).render().content.decode()  # type: ignore[attr-defined]
    assert "You were signed out." in html
    # Why used: the message middleware then drops them from the storage, so they show once.
    assert messages.get_messages(request).used


def test_a_form_sent_back_shows_its_error(client: Client, dana: Any) -> None:
    client.get(LOGIN)
    response = client.post(LOGIN, {"username": "dana", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert 'value="dana"' in response.content.decode()


def test_a_signed_in_person_sees_their_navigation(client: Client, dana: Any) -> None:
    client.get(LOGIN)
    client.force_login(dana)
    html = client.get(LOGIN).content.decode()
    assert '<nav aria-label="Main">' in html
    assert "dana" in html


def test_the_blank_page_costs_no_query_and_no_session(
    client: Client, django_assert_num_queries: Any
) -> None:
    client.get(LOGIN)
    with django_assert_num_queries(0):
        response = client.get(LOGIN)
    assert "sessionid" not in response.cookies


def _view_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the login view ran")

    monkeypatch.setattr(login.LoginPage, "get", refuse)


def test_a_plain_visit_is_answered_before_the_chain_with_the_same_headers(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get(LOGIN)
    _view_not_run(monkeypatch)
    kept = client.get(LOGIN)
    assert kept.status_code == 200
    assert without_token(kept.content.decode()) == without_token(first.content.decode())
    for header in (
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Vary",
        "Referrer-Policy",
    ):
        assert kept[header] == first[header]
    assert kept.cookies["csrftoken"].value == client.cookies["csrftoken"].value
    assert kept.cookies["csrftoken"]["httponly"]


def test_a_first_visit_without_a_cookie_gets_a_new_csrf_cookie(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(LOGIN)
    _view_not_run(monkeypatch)
    stranger = Client()
    stranger.handler = client.handler  # the same process's kept page
    response = stranger.get(LOGIN)
    assert response.status_code == 200
    assert len(response.cookies["csrftoken"].value) == 32
    assert response.cookies["csrftoken"].value != client.cookies["csrftoken"].value


def test_a_host_not_allowed_is_refused_on_the_kept_way_too(client: Client) -> None:
    client.get(LOGIN)
    assert client.get(LOGIN, HTTP_HOST="evil.example").status_code == 400


def test_a_visitor_with_a_session_cookie_goes_the_whole_way(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(LOGIN)
    _view_not_run(monkeypatch)
    client.cookies["sessionid"] = "x" * 32
    with pytest.raises(AssertionError, match="the login view ran"):
        client.get(LOGIN)


def test_an_insecure_visit_is_still_sent_to_https(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(LOGIN, secure=True).status_code == 200
    assert client.get(LOGIN, secure=True).status_code == 200
    response = client.get(LOGIN)
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
