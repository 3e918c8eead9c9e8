from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sta_tracker.roles import Role

from .factories import make_user


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
    """Bob reviews proposals (risk–benefit) and records decisions."""
    return make_user("bob", Role.REVIEWER)


@pytest.fixture
def charlie(db: Any) -> Any:
    """Charlie is a security reviewer."""
    return make_user("charlie", Role.SECURITY_REVIEWER)


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
def celery_worker_process(transactional_db: Any, tmp_path: Path) -> Any:
    """A real Celery worker in its own process, on the configured broker and the test database.

    Tests using it are marked ``celery_worker``; they need a broker (CELERY_BROKER_URL) and a
    database another process can open (PostgreSQL), and skip with that reason otherwise.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid

    from django.db import connection

    from sta_tracker.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("a real worker needs CELERY_BROKER_URL (CI sets it to the local Redis)")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database shared between processes (PostgreSQL)")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"sta-test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": database_url, "STA_CELERY_QUEUE": queue}
    # Why: a file, not a pipe, so a chatty worker never blocks on a full buffer.
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sta_tracker",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            log_file.close()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log_file.close()
        print(log.read_text(errors="replace")[-4000:])
