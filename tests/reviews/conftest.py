from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from sta_tracker.roles import Role
from tests.factories import make_user

from .factories import load_lists, make_sta


@pytest.fixture
def sta(db: Any) -> Version:
    """The agreement's 2024 version, in force, with three articles to cite."""
    return make_sta()


@pytest.fixture
def lists(db: Any) -> Any:
    """A CET edition in force and a screening list imported."""
    return load_lists()


@pytest.fixture
def frank(db: Any) -> Any:
    """Frank is another submitter, whose proposals Alice must never see."""
    return make_user("frank", Role.SUBMITTER)


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is both a reviewer and a security reviewer: separation of duties applies to her."""
    return make_user("grace", Role.REVIEWER, Role.SECURITY_REVIEWER)


@pytest.fixture
def heidi(db: Any) -> Any:
    """Heidi reviews proposals and also submits her own."""
    return make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
