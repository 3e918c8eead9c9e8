from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from django.conf import settings

from sta_tracker.roles import Role

from .factories import make_user, the_decider


@pytest.fixture(autouse=True)
def _celery_eager_unless_real_worker(request: pytest.FixtureRequest) -> Any:
    """Tasks run in-process, except in tests marked ``celery_worker`` that start a real worker.

    CI sets CELERY_BROKER_URL so the worker tests reach Redis; every other test must not
    depend on a worker being there.
    """
    from sta_tracker.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashers cost seconds per account; tests check behaviour, not hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers() -> Any:
    """Let the test runner empty the append-only tables between transactional tests.

    On PostgreSQL the audit tables refuse TRUNCATE (see sta_tracker/append_only.py). Between
    tests that commit, Django empties every table with TRUNCATE; only that flush runs with
    triggers off (session_replication_role, which needs the superuser the tests connect as).
    """
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture
def alice(db: Any) -> Any:
    """Alice submits proposals."""
    return make_user("alice", Role.SUBMITTER)


@pytest.fixture
def bob(db: Any) -> Any:
    """Bob reviews proposals (risk–benefit assessments and returns)."""
    return make_user("bob", Role.REVIEWER)


@pytest.fixture
def charlie(db: Any) -> Any:
    """Charlie is a security reviewer."""
    return make_user("charlie", Role.SECURITY_REVIEWER)


@pytest.fixture
def judy(db: Any) -> Any:
    """Judy is a reviewer who records decisions on proposals that others assessed."""
    return the_decider()


@pytest.fixture
def dana(db: Any) -> Any:
    """Dana is an analyst: reads agreements and diffs."""
    return make_user("dana", Role.ANALYST)


@pytest.fixture
def erin(db: Any) -> Any:
    """Erin administers the site and imports official texts."""
    return make_user("erin", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def nobody(db: Any) -> Any:
    """A logged-in account with no role at all."""
    return make_user("nobody")


@pytest.fixture
def shared_sta_dir() -> Path:
    """The shared folder of real STA texts; tests that read it skip where it is absent."""
    folder = Path(settings.STA_SHARED_DATA_DIR) / "sta"
    if not (folder / "1979-agreement.zh.txt").is_file():
        pytest.skip(f"shared STA texts not found at {folder} (set STA_SHARED_DATA_DIR)")
    return folder


@pytest.fixture
def real_corpus_dir() -> Path:
    """The shared corpus of real published laws and treaties (akn/, md/, zh-pairs/)."""
    folder = Path(settings.STA_SHARED_DATA_DIR) / "real"
    if not (folder / "SOURCES.md").is_file():
        pytest.skip(f"shared real-text corpus not found at {folder} (set STA_SHARED_DATA_DIR)")
    return folder


@dataclass
class CeleryWorker:
    """A worker process started by ``start_celery_worker``, with its queue and log file."""

    process: subprocess.Popen[bytes]
    queue: str
    broker_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _drop_broker_pools(app: Any) -> None:
    """Close this process's broker connections, so the next message opens one to the new URL."""
    from kombu import pools

    # Why reset kombu's pools too: it keeps one per broker for the whole process, and a closed
    # one cannot be used again.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def start_celery_worker(
    transactional_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., CeleryWorker]]:
    """Start real Celery workers in their own processes, on a broker and the test database.

    ``start()`` runs a solo worker on the configured broker (CELERY_BROKER_URL); pass
    ``broker_url`` for another broker, ``pool="prefork"`` with ``concurrency`` for a worker
    with child processes, and ``env`` for more environment. Tasks the test enqueues go to the
    last worker started, on its own queue and broker. Tests using it are marked
    ``celery_worker``; they need a broker and a database another process can open
    (PostgreSQL), and skip with that reason otherwise.
    """
    from django.db import connection

    from sta_tracker.celery import app

    started: list[tuple[CeleryWorker, IO[bytes]]] = []
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    previous_broker = app.conf.get("broker_url")
    switched_broker = False

    def start(
        *,
        broker_url: str = "",
        pool: str = "solo",
        concurrency: int = 1,
        env: Mapping[str, str] | None = None,
    ) -> CeleryWorker:
        nonlocal switched_broker
        broker = broker_url or settings.CELERY_BROKER_URL
        if not broker:
            pytest.skip("a real worker needs CELERY_BROKER_URL (CI sets it to the local Redis)")
        if connection.vendor != "postgresql":
            pytest.skip("a real worker needs a database shared between processes (PostgreSQL)")
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        queue = f"sta-test-{uuid.uuid4().hex[:12]}"
        worker_env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "STA_CELERY_QUEUE": queue,
            **(env or {}),
        }
        # Why: a file, not a pipe, so a chatty worker never blocks on a full buffer.
        log = tmp_path / f"worker-{len(started) + 1}.log"
        log_file = log.open("wb")
        concurrency_args = [] if pool == "solo" else ["--concurrency", str(concurrency)]
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "sta_tracker",
                "worker",
                "--pool",
                pool,
                *concurrency_args,
                "--queues",
                queue,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=Path(settings.BASE_DIR),
            env=worker_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        worker = CeleryWorker(process=process, queue=queue, broker_url=broker, log=log)
        started.append((worker, log_file))
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{worker.log_text()}")
            time.sleep(0.2)
        if broker != app.conf.broker_url:
            # Why: Celery reads CELERY_BROKER_URL from the environment before its settings.
            monkeypatch.setenv("CELERY_BROKER_URL", broker)
            app.conf.broker_url = broker
            _drop_broker_pools(app)
            switched_broker = True
        app.conf.task_default_queue = queue
        app.conf.task_always_eager = False
        return worker

    try:
        yield start
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = previous
        if switched_broker:
            app.conf.broker_url = previous_broker
            _drop_broker_pools(app)
        for worker, log_file in started:
            worker.process.terminate()
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            log_file.close()
            print(worker.log_text()[-4000:])


@pytest.fixture
def celery_worker_process(start_celery_worker: Callable[..., CeleryWorker]) -> Any:
    """A real solo Celery worker on the configured broker and the test database."""
    return start_celery_worker().process


@pytest.fixture
def long_statements() -> Iterator[None]:
    """Statements as long as a command's, as ``manage.py migrate`` has them.

    Tests that run migrations in the test process would otherwise have each statement (a
    migration's COMMIT included) held to the web requests' few seconds.
    """
    from django.db import connection

    from sta_tracker import database

    before = database._deadline["statement"]
    database._deadline["statement"] = settings.STA_DB_LONG_STATEMENT_TIMEOUT_MS / 1000
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET statement_timeout = %s", [settings.STA_DB_LONG_STATEMENT_TIMEOUT_MS]
            )
    try:
        yield
    finally:
        database._deadline["statement"] = before
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [settings.STA_DB_STATEMENT_TIMEOUT_MS])
