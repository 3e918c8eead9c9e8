from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clauses.models import EventKind
from clauses.record.pointintime import state_on
from tests.factories import article, make_agreement, make_event, make_version

from ..pages_data import (
    AMENDED_2018,
    ANNOUNCED_2024_03,
    EXTENDED_1984,
    EXTENDED_2024_02,
    LAPSED_2024,
    PROTOCOL_ENDS_2029,
    PROTOCOL_SIGNED_2024,
    SIGNED_1979,
    build_sta,
)

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def sta() -> Any:
    return build_sta()


def test_the_first_day_of_a_period_is_in_force(sta: Any) -> None:
    state = state_on(sta, SIGNED_1979)
    assert state.version is not None
    assert state.version.label == "1979"
    assert not (state.before_start)
    assert not (state.in_lapse)
    assert not (state.retroactive)
    assert not (state.after_end)


def test_the_day_before_the_first_version_is_before_the_agreement(sta: Any) -> None:
    state = state_on(sta, SIGNED_1979 - ONE_DAY)
    assert state.version is None
    assert state.before_start
    assert "not yet in force" in state.explanations[0]
    assert "31 January 1979" in state.explanations[0]


def test_in_force_until_is_the_first_day_of_the_next_period(sta: Any) -> None:
    assert state_on(sta, EXTENDED_1984 - ONE_DAY).version.label == "1979"  # type: ignore[union-attr]
    assert state_on(sta, EXTENDED_1984).version.label == "1984"  # type: ignore[union-attr]
    assert state_on(sta, AMENDED_2018).version.label == "2018"  # type: ignore[union-attr]


def test_a_day_in_the_lapse_is_also_covered_retroactively_and_both_are_said(sta: Any) -> None:
    state = state_on(sta, dt.date(2024, 10, 1))
    assert state.version is not None
    assert state.version.label == "2024"
    assert state.in_lapse
    assert state.retroactive
    assert state.signed_on == PROTOCOL_SIGNED_2024
    text = " ".join(state.explanations)
    assert "had lapsed" in text
    assert "covered only retroactively" in text
    assert "13 December 2024" in text
    assert "27 August 2024" in text


def test_the_first_day_of_the_lapse_is_in_it_and_the_day_it_ends_is_not(sta: Any) -> None:
    assert state_on(sta, LAPSED_2024).in_lapse
    assert state_on(sta, LAPSED_2024 - ONE_DAY).version.label == "2024-03"  # type: ignore[union-attr]
    assert not state_on(sta, LAPSED_2024 - ONE_DAY).in_lapse
    last_lapsed = state_on(sta, PROTOCOL_SIGNED_2024 - ONE_DAY)
    assert last_lapsed.in_lapse
    assert last_lapsed.retroactive
    signing_day = state_on(sta, PROTOCOL_SIGNED_2024)
    assert not signing_day.in_lapse
    assert not signing_day.retroactive
    assert signing_day.version.label == "2024"  # type: ignore[union-attr]


def test_an_extension_announced_late_covers_its_first_days_retroactively(sta: Any) -> None:
    state = state_on(sta, EXTENDED_2024_02)
    assert state.version.label == "2024-03"  # type: ignore[union-attr]
    assert state.retroactive
    assert not state.in_lapse
    assert not state_on(sta, ANNOUNCED_2024_03).retroactive


def test_a_day_after_the_last_term_is_expired_with_nothing_after(sta: Any) -> None:
    assert state_on(sta, PROTOCOL_ENDS_2029 - ONE_DAY).version.label == "2024"  # type: ignore[union-attr]
    state = state_on(sta, PROTOCOL_ENDS_2029)
    assert state.version is None
    assert state.after_end
    assert not state.before_start
    assert not state.in_gap
    assert "27 August 2029" in state.explanations[0]


def test_a_future_day_says_the_text_is_only_scheduled(sta: Any) -> None:
    state = state_on(sta, dt.date(2027, 1, 1), today=dt.date(2025, 6, 1))
    assert state.future
    assert state.version.label == "2024"
    assert any("in the future" in line for line in state.explanations)


def test_an_ordinary_day_names_the_version_and_its_period(sta: Any) -> None:
    state = state_on(sta, dt.date(2000, 5, 5))
    assert state.explanations == (
        "On 5 May 2000 the version in force was “Version 1984”, in force from 31 January 1984 "
        "until 27 June 2018 (first day no longer in force).",
    )


def test_a_gap_between_versions_without_a_recorded_lapse_is_a_gap() -> None:
    agreement = make_agreement()
    make_version(
        agreement,
        "a",
        [article(1, "One.")],
        in_force_from=dt.date(2000, 1, 1),
        in_force_until=dt.date(2001, 1, 1),
    )
    make_version(agreement, "b", [article(1, "One.")], in_force_from=dt.date(2002, 1, 1))
    state = state_on(agreement, dt.date(2001, 6, 1))
    assert state.version is None
    assert state.in_gap
    assert not (state.after_end)
    assert not (state.before_start)
    assert not (state.in_lapse)
    assert state_on(agreement, dt.date(2090, 1, 1)).version.label == "b"  # type: ignore[union-attr]


def test_an_open_ended_lapse_covers_every_later_day() -> None:
    agreement = make_agreement()
    make_version(
        agreement,
        "a",
        [article(1, "One.")],
        in_force_from=dt.date(2000, 1, 1),
        in_force_until=dt.date(2001, 1, 1),
    )
    make_event(agreement, "lapse", dt.date(2001, 1, 1), None, kind=EventKind.LAPSE)
    state = state_on(agreement, dt.date(2010, 1, 1))
    assert state.in_lapse
    assert state.after_end
    assert "with no recorded end" in state.explanations[0]


def test_other_events_during_a_lapse_are_not_taken_for_it(sta: Any) -> None:
    assert state_on(sta, dt.date(2024, 9, 10)).lapse.slug == "lapse-2024"  # type: ignore[union-attr]
    assert state_on(sta, dt.date(2025, 9, 10)).lapse is None


def test_an_agreement_without_versions_says_so() -> None:
    state = state_on(make_agreement(), dt.date(2000, 1, 1))
    assert state.version is None
    assert state.explanations == ("No version of this agreement has been recorded yet.",)


def test_it_costs_two_queries_however_many_versions(
    sta: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        state = state_on(sta, dt.date(2024, 10, 1))
        assert state.version is not None
        assert state.version.instrument.signed_on == PROTOCOL_SIGNED_2024
