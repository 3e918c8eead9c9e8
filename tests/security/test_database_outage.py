"""With the database unreachable, pages answer a plain 503, nothing is half-written, and the
site recovers by itself when the database returns."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from clauses.models import Clause
from tests.factories import PASSWORD, article, make_agreement, make_version

AGREEMENTS = "/agreements/"
LEAKS = ["Traceback", "OperationalError", "Connection refused", "psycopg", "sqlite", "SELECT"]


@pytest.fixture
def web() -> Client:
    """A client that shows what a browser would get, instead of re-raising server errors."""
    return Client(raise_request_exception=False)


@pytest.fixture
def clause(db: Any) -> Clause:
    sta = make_agreement()
    version = make_version(
        sta,
        "1979",
        [article(1, "Cooperation shall be mutual.")],
        in_force_from=dt.date(1979, 1, 31),
    )
    return version.clauses.get()


@contextmanager
def unreachable_database() -> Iterator[None]:
    """Every attempt to reach the database fails, as when the server is down."""
    wrapper = connections["default"]

    def refuse() -> None:
        raise OperationalError("could not connect to server: Connection refused")

    wrapper.ensure_connection = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        del wrapper.ensure_connection


def assert_plain_outage_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert "cannot reach its database" in page
    for leak in LEAKS:
        assert leak not in page, leak


def edit_clause(client: Client, clause: Clause) -> Any:
    return client.post(
        f"/admin/clauses/clause/{clause.pk}/change/",
        {
            "heading": "Principles",
            "text": "Cooperation shall be mutual and equal.",
            "number": clause.number,
            "change_reason": "Typo in the source transcription",
        },
    )


@pytest.mark.django_db
def test_a_signed_in_page_answers_a_plain_503_and_recovers_when_the_database_returns(
    web: Client, dana: Any, clause: Clause
) -> None:
    web.force_login(dana)
    assert web.get(AGREEMENTS).status_code == 200
    with unreachable_database():
        # The session lookup fails before any view runs; the page must not need the database.
        assert_plain_outage_page(web.get(AGREEMENTS))
        assert_plain_outage_page(web.get(f"/agreements/sta/clauses/{clause.key}/"))
    assert web.get(AGREEMENTS).status_code == 200


@pytest.mark.django_db
def test_the_api_answers_an_outage_in_its_own_json_shape(web: Client, dana: Any) -> None:
    web.force_login(dana)
    with unreachable_database():
        response = web.get("/api/agreements/")
    assert response.status_code == 503
    assert response.json() == {
        "code": "unavailable",
        "detail": "The database is unreachable; try again shortly.",
    }
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_logging_in_during_an_outage_answers_503_and_signs_no_one_in(
    web: Client, dana: Any
) -> None:
    with unreachable_database():
        response = web.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert_plain_outage_page(response)
    assert "_auth_user_id" not in web.session


@pytest.mark.django_db
def test_an_outage_is_logged_for_the_operators(
    web: Client, dana: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with unreachable_database():
        web.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    [record] = [r for r in caplog.records if r.name == "sta_tracker.security"]
    assert record.getMessage() == "database unavailable during POST /accounts/login/"
    assert record.exc_info is not None


@pytest.mark.django_db
def test_a_write_cut_off_midway_is_rolled_back_whole(
    web: Client, erin: Any, clause: Clause
) -> None:
    web.force_login(erin)

    def drop_on_history_insert(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        # Why here: the clause row is already updated; only its history row is still to come.
        if sql.startswith('INSERT INTO "clauses_historicalclause"'):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    with connection.execute_wrapper(drop_on_history_insert):
        response = edit_clause(web, clause)
    assert_plain_outage_page(response)
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual."
    assert clause.history.count() == 1
    assert edit_clause(web, clause).status_code == 302
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual and equal."


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real refused or dropped connection needs a database server (PostgreSQL)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgres_a_refused_connection_gives_503_and_the_next_request_recovers(
    web: Client, dana: Any, clause: Clause
) -> None:
    require_postgres()
    web.force_login(dana)
    wrapper = connections["default"]
    port = wrapper.settings_dict["PORT"]
    wrapper.close()
    wrapper.settings_dict["PORT"] = str(unused_port())
    try:
        assert_plain_outage_page(web.get(AGREEMENTS))
        assert_plain_outage_page(web.post("/accounts/login/", {"username": "dana"}))
    finally:
        wrapper.close()
        wrapper.settings_dict["PORT"] = port
    response = web.get(AGREEMENTS)
    assert response.status_code == 200
    assert "Cooperation" in web.get(f"/agreements/sta/clauses/{clause.key}/").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgres_a_connection_killed_mid_write_leaves_nothing_half_applied(
    web: Client, erin: Any, clause: Clause
) -> None:
    require_postgres()
    import psycopg2
    from simple_history.signals import pre_create_historical_record

    web.force_login(erin)
    wrapper = connections["default"]

    def kill_connection(**kwargs: Any) -> None:
        # Why another connection: the server ends the session as an outage would, between the
        # clause UPDATE and its history INSERT.
        pid = wrapper.connection.info.backend_pid
        with psycopg2.connect(**wrapper.get_connection_params()) as killer:
            killer.autocommit = True
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        killer.close()

    pre_create_historical_record.connect(kill_connection, sender=Clause.history.model)
    try:
        response = edit_clause(web, clause)
    finally:
        pre_create_historical_record.disconnect(kill_connection, sender=Clause.history.model)
    assert_plain_outage_page(response)
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual."
    assert clause.history.count() == 1
    assert edit_clause(web, clause).status_code == 302
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual and equal."
    assert clause.history.count() == 2
