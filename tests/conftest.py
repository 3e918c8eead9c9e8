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
