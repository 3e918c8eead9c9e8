"""Idle sessions end, active ones continue, and weak passwords are refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

URL = "/agreements/"


def test_the_idle_limit_is_thirty_minutes_renewed_at_most_once_a_minute() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.STA_SESSION_RENEW_SECONDS == 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    )


def test_a_session_in_use_is_written_once_a_minute_not_on_every_request(
    client: Client, dana: Any, clock: Any
) -> None:
    client.force_login(dana)
    assert _session_writes(client) == 1  # the first request starts the renewal clock
    clock.advance(30)
    assert _session_writes(client) == 0
    clock.advance(31)
    assert _session_writes(client) == 1
    assert _session_writes(client) == 0


def test_a_renewed_session_expires_counted_from_its_renewal(
    client: Client, dana: Any, clock: Any
) -> None:
    client.force_login(dana)
    clock.advance(120)
    assert client.get(URL).status_code == 200
    session = Session.objects.get()
    assert session.expire_date == clock.now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_anonymous_visit_creates_no_session(client: Client) -> None:
    client.get("/accounts/login/")
    assert not Session.objects.exists()


def test_a_session_left_idle_past_the_limit_is_refused(
    client: Client, dana: Any, clock: Any
) -> None:
    client.force_login(dana)
    assert client.get(URL).status_code == 200
    clock.advance(settings.SESSION_COOKIE_AGE + 1)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_in_use_outlives_the_limit_counted_from_log_in(
    client: Client, dana: Any, clock: Any
) -> None:
    client.force_login(dana)
    for _ in range(3):
        clock.advance(settings.SESSION_COOKIE_AGE - 60)
        assert client.get(URL).status_code == 200


def test_a_session_just_inside_the_limit_is_kept(client: Client, dana: Any, clock: Any) -> None:
    client.force_login(dana)
    clock.advance(settings.SESSION_COOKIE_AGE - 5)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("Xq7!", "too short"),
        ("password123", "too common"),
        ("48151623429876", "entirely numeric"),
        ("dana.example.gov", "too similar"),
    ],
)
def test_weak_passwords_are_refused_by_the_validators(
    dana: Any, password: str, complaint: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=dana)
    assert any(complaint in message for message in refused.value.messages)


def test_a_weak_password_is_refused_by_the_set_password_form_and_kept_unchanged(
    dana: Any,
) -> None:
    form = SetPasswordForm(dana, {"new_password1": "password123", "new_password2": "password123"})
    assert not form.is_valid()
    assert "This password is too common." in form.errors["new_password2"]
    dana.refresh_from_db()
    assert not dana.check_password("password123")


def test_a_long_uncommon_password_is_accepted(dana: Any) -> None:
    validate_password("orbit-lantern-quarry-47", user=dana)
