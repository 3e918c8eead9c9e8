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
