from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from .processes import REDIS_SERVER, PrivateRedis, drop_broker_pools, free_port


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A redis-server of the test's own, to kill or pause; the shared one stays up."""
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database shared between processes (PostgreSQL)")
    if not Path(REDIS_SERVER).is_file():
        pytest.skip("staging a broker outage needs a redis-server binary")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def mail_folder(tmp_path: Path) -> Path:
    """Where the worker's file mail backend writes each message it sends."""
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def eager_tasks() -> Callable[[], Any]:
    """A context in which tasks run in this process: for building data before the real test."""
    from sta_tracker.celery import app

    @contextmanager
    def eager() -> Iterator[None]:
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            yield
        finally:
            app.conf.task_always_eager = previous

    return eager


@pytest.fixture
def unreachable_broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Tasks are sent, not run in this process, to a broker address where nothing listens."""
    from sta_tracker.celery import app

    url = f"redis://127.0.0.1:{free_port()}/0"
    previous = (app.conf.get("broker_url"), app.conf.task_always_eager)
    # Why both: Celery reads CELERY_BROKER_URL from the environment before its settings.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    drop_broker_pools(app)
    try:
        yield url
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        drop_broker_pools(app)
