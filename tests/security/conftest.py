"""Fixtures shared by the security tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A settable 'now' for the session store; starts at the real time."""

    class Clock:
        now = timezone.now()

        def advance(self, seconds: float) -> None:
            self.now += dt.timedelta(seconds=seconds)

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.now)
    return clock
