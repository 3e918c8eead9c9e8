"""Outages answered plainly: with Redis down or stalled the compare pages compute without the
cache; with PostgreSQL stalled, not refusing, pages answer the 503 page within seconds."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection, connections
from django.test import Client
from redis.backoff import NoBackoff
from redis.retry import Retry

from sta_tracker import database
from sta_tracker.database import use_long_statement_timeout
from sta_tracker.settings import postgres_session_options
from tests.clauses.comparison.compare_data import build_pair

from .processes import REDIS_SERVER, PrivatePostgres, PrivateRedis

COMPARE = "/agreements/pact/compare/2001...2011/"
AGREEMENTS = "/agreements/"


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not Path(REDIS_SERVER).is_file():
        pytest.skip("staging a cache outage needs a redis-server binary")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_cache(own_redis: PrivateRedis, settings: Any) -> PrivateRedis:
    """The site's cache on the private Redis, configured as production configures it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "sta_tracker.cache.ForgivingRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry": Retry(NoBackoff(), 0),
                "RETRY_SECONDS": 30,
            },
        }
    }
    return own_redis


def cached_diffs(server: PrivateRedis) -> list[bytes]:
    with redis.Redis(port=server.port, socket_timeout=1) as client:
        return list(client.scan_iter("*version-diff*"))


def timed_get(client: Client, path: str) -> tuple[Any, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_with_redis_killed_the_compare_page_is_computed_and_the_outage_logged(
    redis_cache: PrivateRedis, dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    build_pair()
    web = Client(raise_request_exception=False)
    web.force_login(dana)
    assert web.get(COMPARE).status_code == 200
    assert len(cached_diffs(redis_cache)) == 1
    redis_cache.kill()
    response, took = timed_get(web, COMPARE)
    assert response.status_code == 200
    assert "Article 1" in response.content.decode()
    assert took < 5
    warnings = [r for r in caplog.records if r.name == "sta_tracker.cache"]
    assert warnings
    assert warnings[0].getMessage().startswith("cache unavailable (ConnectionError")


@pytest.mark.django_db
def test_with_redis_stalled_the_compare_page_answers_within_a_second_or_two(
    redis_cache: PrivateRedis, dana: Any
) -> None:
    build_pair()
    web = Client(raise_request_exception=False)
    web.force_login(dana)
    redis_cache.pause()
    first, took_first = timed_get(web, COMPARE)
    again, took_again = timed_get(web, COMPARE)
    assert (first.status_code, again.status_code) == (200, 200)
    # One socket timeout (0.5 s) at most; then the cache is left alone for a while.
    assert took_first < 3
    assert took_again < 2
    redis_cache.resume()


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a stalled database server needs PostgreSQL")


@pytest.fixture
def paused_postgres() -> Iterator[PrivatePostgres]:
    require_postgres()
    # Why not tmp_path: the server runs as the postgres account, which must reach its folder.
    with tempfile.TemporaryDirectory(prefix="sta-pg-") as folder:
        server = PrivatePostgres(Path(folder))
        try:
            server.start()
        except (OSError, subprocess.CalledProcessError) as exc:
            pytest.skip(f"could not start a private PostgreSQL: {exc}")
        try:
            yield server
        finally:
            server.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_web_connections_carry_the_connect_and_statement_timeouts(settings: Any) -> None:
    require_postgres()
    options = connection.settings_dict["OPTIONS"]
    assert options["connect_timeout"] == settings.STA_DB_CONNECT_TIMEOUT_SECONDS == 3
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("5s",)


@pytest.mark.postgres
def test_workers_and_commands_switch_to_the_long_statement_timeout(settings: Any) -> None:
    require_postgres()
    options = connections["default"].settings_dict["OPTIONS"]
    before = options["options"]
    try:
        use_long_statement_timeout()
        assert options["options"] == "-c statement_timeout=900000 -c lock_timeout=900000"
    finally:
        options["options"] = before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_paused_postgres_answers_the_503_page_within_the_connect_timeout(
    paused_postgres: PrivatePostgres, dana: Any
) -> None:
    web = Client(raise_request_exception=False)
    web.force_login(dana)
    assert web.get(AGREEMENTS).status_code == 200
    wrapper = connections["default"]
    saved = (wrapper.settings_dict["HOST"], wrapper.settings_dict["PORT"])
    paused_postgres.pause()
    wrapper.close()
    wrapper.settings_dict["HOST"], wrapper.settings_dict["PORT"] = "127.0.0.1", paused_postgres.port
    try:
        response, took = timed_get(web, AGREEMENTS)
    finally:
        wrapper.close()
        wrapper.settings_dict["HOST"], wrapper.settings_dict["PORT"] = saved
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert 2.5 < took < 6, took
    assert web.get(AGREEMENTS).status_code == 200
    paused_postgres.resume()
    assert paused_postgres.answers()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_held_up_by_a_lock_answers_503_within_the_statement_timeout(
    dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    require_postgres()
    import psycopg2

    web = Client(raise_request_exception=False)
    web.force_login(dana)
    wrapper = connections["default"]
    options = wrapper.settings_dict["OPTIONS"]
    before = options["options"]
    holder = psycopg2.connect(**wrapper.get_connection_params())
    try:
        wrapper.close()
        options["options"] = postgres_session_options(1000)
        with holder.cursor() as cursor:
            # An administrator's long migration, say: every read of the sessions waits.
            cursor.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
        with caplog.at_level(logging.ERROR):
            response, took = timed_get(web, AGREEMENTS)
    finally:
        holder.rollback()
        holder.close()
        wrapper.close()
        options["options"] = before
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert took < 3, took
    assert web.get(AGREEMENTS).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reused_connection_to_a_server_that_stops_answering_gives_up_within_the_deadline(
    paused_postgres: PrivatePostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kept connections (STA_DB_CONN_MAX_AGE) were opened before the stall, so the connect
    # timeout cannot help, and a paused server cannot run its statement timeout either.
    import psycopg2

    monkeypatch.setitem(database._deadline, "statement", 0.5)
    params = {**connection.get_connection_params(), "host": "127.0.0.1"}
    params["port"] = paused_postgres.port
    params["dbname"] = "postgres"
    kept = psycopg2.connect(**params)
    backend = 0
    try:
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        # Why the backend too: PostgreSQL's backends lead process groups of their own, so
        # pausing the server's group leaves an open connection's backend running.
        backend = kept.get_backend_pid()
        paused_postgres.pause()
        os.kill(backend, signal.SIGSTOP)
        started = time.monotonic()
        with (
            pytest.raises(psycopg2.OperationalError, match=r"did not answer within 2\.5 s"),
            kept.cursor() as cursor,
        ):
            cursor.execute("SELECT 1")
        took = time.monotonic() - started
        assert 2 < took < 4, took
        assert kept.closed
    finally:
        if backend:
            with contextlib.suppress(ProcessLookupError):
                os.kill(backend, signal.SIGCONT)
        paused_postgres.resume()
        kept.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_client_deadline_follows_the_long_timeout_of_workers_and_commands(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    require_postgres()
    monkeypatch.setitem(database._deadline, "statement", 0.0)
    assert database.statement_deadline_seconds() == 5 + database.CLIENT_GRACE_SECONDS
    options = connections["default"].settings_dict["OPTIONS"]
    before = options["options"]
    try:
        use_long_statement_timeout()
        assert database.statement_deadline_seconds() == 900 + database.CLIENT_GRACE_SECONDS
    finally:
        options["options"] = before
