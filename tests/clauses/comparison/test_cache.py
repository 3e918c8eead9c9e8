"""Version diffs are computed once, invalidated by any write to a clause, and precomputed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from clauses.comparison import cache as comparison_cache
from clauses.comparison.cache import version_diff, version_diff_precompute
from clauses.diffing import Status, diff_versions
from clauses.models import Clause
from clauses.record.versions import clause_correct
from clauses.tasks import precompute_version_diff
from tests.factories import article, make_agreement, make_version

from .compare_data import PURPOSE, build_pair, versions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every call the cache makes to the diff engine."""
    calls: list[tuple[Any, ...]] = []
    real: Callable[..., Any] = diff_versions

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(comparison_cache, "diff_versions", counting)
    return calls


def test_the_second_call_is_served_from_the_cache(engine_calls: list[Any]) -> None:
    older, newer = versions(build_pair())
    first = version_diff(older=older, newer=newer)
    second = version_diff(older=older, newer=newer)
    assert len(engine_calls) == 1
    assert second == first
    assert first.stats.amended == 1


def test_a_cached_diff_costs_one_query(
    engine_calls: list[Any], django_assert_num_queries: Any
) -> None:
    older, newer = versions(build_pair())
    with django_assert_num_queries(2):
        version_diff(older=older, newer=newer)
    with django_assert_num_queries(1):
        version_diff(older=older, newer=newer)


def test_each_direction_and_mode_is_a_diff_of_its_own(engine_calls: list[Any]) -> None:
    older, newer = versions(build_pair())
    forward = version_diff(older=older, newer=newer)
    backward = version_diff(older=newer, newer=older)
    loose = version_diff(older=older, newer=newer, ignore_whitespace_and_punctuation=True)
    assert len(engine_calls) == 3
    assert (forward.stats.added, forward.stats.removed) == (2, 1)
    assert (backward.stats.added, backward.stats.removed) == (1, 2)
    assert loose.ignore_whitespace_and_punctuation
    assert not forward.ignore_whitespace_and_punctuation


def test_a_correction_invalidates_every_diff_that_includes_the_version(
    engine_calls: list[Any], erin: Any
) -> None:
    older, newer = versions(build_pair())
    version_diff(older=older, newer=newer)
    version_diff(older=newer, newer=older)
    clause = Clause.objects.get(version=older, key="art_1")
    clause_correct(
        clause=clause,
        heading="Purpose",
        text=PURPOSE.replace("equality", "equality and mutual benefit"),
        acting_user=erin,
        reason="typo in the source",
    )
    forward = version_diff(older=older, newer=newer)
    backward = version_diff(older=newer, newer=older)
    assert len(engine_calls) == 4
    art_1 = next(c for c in forward.clauses if c.key == "art_1")
    assert [(op.kind, op.text) for op in art_1.ops if op.kind != "equal"] == [
        ("insert", "basic "),
        ("delete", " and mutual benefit"),
    ]
    assert next(c for c in backward.clauses if c.key == "art_1").words_inserted == 3


def test_a_correction_to_another_version_leaves_the_cached_diff_alone(
    engine_calls: list[Any], erin: Any
) -> None:
    pact = build_pair()
    older, newer = versions(pact)
    third = make_version(
        pact,
        "2021",
        [article(1, "Something else entirely.")],
        in_force_from=dt.date(2021, 1, 1),
    )
    version_diff(older=older, newer=newer)
    clause_correct(
        clause=Clause.objects.get(version=third, key="art_1"),
        heading="",
        text="Something else, corrected.",
        acting_user=erin,
        reason="typo",
    )
    version_diff(older=older, newer=newer)
    assert len(engine_calls) == 1


def test_publishing_a_version_enqueues_the_precompute_only_after_commit(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pact = build_pair()
    enqueued: list[int] = []
    monkeypatch.setattr(precompute_version_diff, "delay", enqueued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        third = make_version(
            pact,
            "2021",
            [article(1, PURPOSE, heading="Purpose")],
            in_force_from=dt.date(2021, 1, 1),
        )
    assert enqueued == []
    # The second callback flags proposals citing changed clauses (tests/reviews/test_flags.py).
    assert len(callbacks) == 2
    callbacks[0]()
    assert enqueued == [third.pk]


def test_the_first_version_enqueues_nothing(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    enqueued: list[int] = []
    monkeypatch.setattr(precompute_version_diff, "delay", enqueued.append)
    with django_capture_on_commit_callbacks(execute=True):
        make_version(
            make_agreement("solo"), "2001", [article(1, PURPOSE)], in_force_from=dt.date(2001, 1, 1)
        )
    assert enqueued == []


def test_publishing_fills_the_cache_through_the_task(
    django_capture_on_commit_callbacks: Any, engine_calls: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pact = build_pair()
    assert len(engine_calls) == 1
    older, newer = versions(pact)
    diff = version_diff(older=older, newer=newer)
    assert len(engine_calls) == 1
    assert diff.stats.moved == 1
    assert [c.status for c in diff.clauses][:3] == [Status.AMENDED, Status.MOVED, Status.REMOVED]


def test_the_task_is_idempotent_and_skips_a_version_without_a_previous_one(
    engine_calls: list[Any],
) -> None:
    older, newer = versions(build_pair())
    assert precompute_version_diff.delay(newer.pk).get() is True
    assert precompute_version_diff.delay(newer.pk).get() is True
    assert len(engine_calls) == 1
    assert version_diff_precompute(version_id=older.pk) is False
    assert version_diff_precompute(version_id=10**9) is False
    assert len(engine_calls) == 1
