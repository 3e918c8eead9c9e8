"""Failed logins are logged and, past the limit, lock that user name from that address."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not-the-password-7731"


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = log_in(client, username, WRONG, address)
        assert response.status_code in {200, 429}


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_and_cool_off_come_from_settings_with_sane_defaults() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.backends.")


def test_a_wrong_password_is_refused_with_the_login_form_again(client: Client, dana: Any) -> None:
    response = log_in(client, "dana", WRONG)
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert not is_logged_in(client)


def test_after_the_limit_even_the_right_password_is_refused_with_a_plain_page(
    client: Client, dana: Any
) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "dana", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "15 minutes" in page
    assert "Traceback" not in page
    assert not is_logged_in(client)
    assert client.get("/agreements/").status_code == 302


def test_one_failure_short_of_the_limit_the_right_password_still_works_and_resets_the_count(
    client: Client, dana: Any
) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "dana", PASSWORD).status_code == 302
    assert is_logged_in(client)
    assert not AccessAttempt.objects.filter(username="dana").exists()


def test_a_locked_name_does_not_lock_other_users_at_the_same_address(
    client: Client, dana: Any, bob: Any
) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT)
    other = Client()
    assert log_in(other, "bob", PASSWORD).status_code == 302
    assert is_logged_in(other)


def test_a_locked_name_can_still_log_in_from_another_address(client: Client, dana: Any) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    other = Client()
    assert log_in(other, "dana", PASSWORD, address="10.9.9.9").status_code == 302
    assert is_logged_in(other)


def test_failures_at_the_admin_login_count_towards_the_same_lockout(
    client: Client, erin: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": "erin", "password": WRONG}, REMOTE_ADDR="10.0.0.1"
        )
    assert log_in(client, "erin", PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_the_lockout_ends_after_the_cool_off(
    client: Client, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "dana", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: later)
    assert log_in(client, "dana", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_guessing_during_a_lockout_restarts_the_cool_off(
    client: Client, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = timezone.now()
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: start)
    fail(client, "dana", settings.AXES_FAILURE_LIMIT)
    halfway = start + settings.AXES_COOLOFF_TIME / 2
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: halfway)
    assert log_in(client, "dana", WRONG).status_code == 429
    past_the_first = start + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: past_the_first)
    assert log_in(client, "dana", PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_each_failed_login_writes_one_log_line_without_the_password(
    client: Client, dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sta_tracker.security"):
        fail(client, "dana", 2, address="10.1.2.3")
    lines = [r.getMessage() for r in caplog.records if r.name == "sta_tracker.security"]
    assert lines == ["login failed for username 'dana' from 10.1.2.3 on /accounts/login/"] * 2
    assert all(WRONG not in record.getMessage() for record in caplog.records)
    assert all(WRONG not in str(record.args) for record in caplog.records)


def test_attempts_past_the_limit_are_logged_as_locked_out(
    client: Client, dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fail(client, "dana", settings.AXES_FAILURE_LIMIT)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sta_tracker.security"):
        log_in(client, "dana", PASSWORD)
    lines = [r.getMessage() for r in caplog.records if r.name == "sta_tracker.security"]
    assert lines == [
        "login failed for username 'dana' from 10.0.0.1 on /accounts/login/ (locked out)"
    ]
    assert all(PASSWORD not in record.getMessage() for record in caplog.records)


def test_a_user_name_with_a_line_break_cannot_forge_a_log_line(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sta_tracker.security"):
        log_in(client, "mallory\nlogin succeeded for admin", WRONG)
    lines = [r.getMessage() for r in caplog.records if r.name == "sta_tracker.security"]
    assert len(lines) == 1
    assert "\n" not in lines[0]


def test_the_stored_attempt_keeps_no_password(client: Client, dana: Any) -> None:
    fail(client, "dana", 1)
    attempt = AccessAttempt.objects.get(username="dana")
    assert WRONG not in attempt.post_data
    assert attempt.failures_since_start == 1


def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_one_locked(
    client: Client, dana: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.STA_TRUSTED_PROXY_COUNT = 1
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        client.post(
            LOGIN,
            {"username": "dana", "password": WRONG},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5",
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "sta_tracker.security"]
    assert all("from 203.0.113.5 on" in line for line in lines)
    through_proxy = {"REMOTE_ADDR": "10.0.0.254"}
    locked = client.post(
        LOGIN,
        {"username": "dana", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **through_proxy,
    )
    assert locked.status_code == 429
    colleague = Client()
    response = colleague.post(
        LOGIN,
        {"username": "dana", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **through_proxy,
    )
    assert response.status_code == 302


def test_without_trusted_proxies_a_forwarded_header_is_ignored(
    client: Client, dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client.post(
        LOGIN,
        {"username": "dana", "password": WRONG},
        REMOTE_ADDR="10.0.0.7",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    [line] = [r.getMessage() for r in caplog.records if r.name == "sta_tracker.security"]
    assert "from 10.0.0.7 on" in line
