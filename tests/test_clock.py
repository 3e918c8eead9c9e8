"""The settable clock the demo seeds under: services, model defaults and history read it, it
runs forward only, and leaving it gives the real time back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reviews.models import Agency
from sta_tracker.clock import SetClock
from sta_tracker.history import save_with_history
from tests.factories import make_user

MARCH = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_it_sets_now_and_the_local_day_and_gives_them_back() -> None:
    with SetClock(MARCH) as clock:
        assert timezone.now() == MARCH
        assert timezone.localdate() == dt.date(2026, 3, 2)
        clock.set(MARCH + dt.timedelta(days=40))
        assert timezone.localdate() == dt.date(2026, 4, 11)
    assert timezone.now() - dt.datetime.now(dt.UTC) < dt.timedelta(minutes=1)
    assert isinstance(timezone.now(), dt.datetime)


def test_a_real_datetime_still_counts_as_one_while_it_is_set() -> None:
    with SetClock(MARCH):
        assert timezone.is_aware(dt.datetime.now(dt.UTC))
        assert timezone.localtime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).year == 2026
        assert type(timezone.now()) is dt.datetime


@pytest.mark.django_db
def test_model_defaults_and_history_rows_carry_the_set_moment() -> None:
    erin = make_user("erin")
    with SetClock(MARCH):
        agency = Agency(name="Clock test agency")
        save_with_history(agency, acting_user=erin, reason="Testing the clock")
    row = agency.history.get()
    assert row.history_date == MARCH


def test_it_runs_forward_only_and_refuses_naive_or_nested_setting() -> None:
    with SetClock(MARCH) as clock:
        with pytest.raises(ValueError, match="forward only"):
            clock.set(MARCH - dt.timedelta(seconds=1))
        with pytest.raises(RuntimeError, match="already set"), SetClock(MARCH):
            pass
        assert timezone.now() == MARCH
    with pytest.raises(ValueError, match="aware"):
        SetClock(dt.datetime(2026, 3, 2, 9, 30))


def test_leaving_on_an_error_gives_the_real_time_back() -> None:
    with pytest.raises(KeyError), SetClock(MARCH):
        raise KeyError("boom")
    assert timezone.now().year >= 2026
    assert timezone.now() != MARCH
