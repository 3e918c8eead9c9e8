"""The diff engine and the import matcher do linear work: counted calls, never timed.

Every Python and C function call made while aligning two versions is counted (``sys.setprofile``
sees each one, so the count depends only on the input). Ten times the clauses must cost at most
``LINEAR_ROOM`` times ten times the calls: a quadratic step (every leftover pair compared, a list
scanned per clause) makes the ratio about a hundred, and even an n-log-n one passes thirty.
The inputs are the benchmark's (``benchmarks/match_bench.py``): the synthetic revision, two
unrelated versions, one article moved with keys re-derived by position, and the same move on
real legal English.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType

import pytest

from benchmarks import real_text
from benchmarks.match_bench import _parsed, _previous, inputs
from clauses.diffing import ClauseText, diff_versions
from clauses.importing.matching import match_clauses

SMALL = 150
LARGE = 10 * SMALL
# Why 1.3: from 150 to 1,500 clauses the counted calls grow 0.98 to 1.02 times the clauses;
# the room covers a revision whose leftovers grow a little with its size, and nothing worse.
LINEAR_ROOM = 1.3


def _calls(work: Callable[[], object]) -> int:
    counted = 0

    def count(frame: FrameType, event: str, argument: object) -> None:
        nonlocal counted
        if event in ("call", "c_call"):
            counted += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return counted


def _pair(case: str, size: int) -> tuple[list[ClauseText], list[ClauseText]]:
    if case == "real renumbered":
        if not real_text.available():
            pytest.skip(f"{real_text.LICENCES_DIR} is absent: no real text to diff")
        return real_text.real_pair(size)
    return inputs(size)[case]


@pytest.mark.parametrize("case", ["revision", "unrelated", "moved article", "real renumbered"])
def test_ten_times_the_clauses_cost_about_ten_times_the_calls(case: str) -> None:
    small_old, small_new = _pair(case, SMALL)
    large_old, large_new = _pair(case, LARGE)
    growth = len(large_old) / len(small_old)

    diff_small = _calls(lambda: diff_versions(small_old, small_new))
    diff_large = _calls(lambda: diff_versions(large_old, large_new))
    match_small = _calls(lambda: match_clauses(_previous(small_old), _parsed(small_new)))
    match_large = _calls(lambda: match_clauses(_previous(large_old), _parsed(large_new)))

    assert diff_large <= LINEAR_ROOM * growth * diff_small, (diff_small, diff_large)
    assert match_large <= LINEAR_ROOM * growth * match_small, (match_small, match_large)


def test_the_count_would_catch_a_quadratic_step() -> None:
    """The same bound fails when a step compares every clause with every other one."""

    def with_every_pair(old: list[ClauseText], new: list[ClauseText]) -> object:
        for left in old:
            for right in new:
                _ = left.key == right.key
                len(right.text)
        return diff_versions(old, new)

    small_old, small_new = inputs(SMALL)["moved article"]
    large_old, large_new = inputs(LARGE)["moved article"]
    small = _calls(lambda: with_every_pair(small_old, small_new))
    large = _calls(lambda: with_every_pair(large_old, large_new))
    assert large > LINEAR_ROOM * (len(large_old) / len(small_old)) * small
