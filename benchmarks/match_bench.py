"""Time the import matcher (``match_clauses``) and fit how it grows with the number of clauses.

Run from the repository root::

    .venv/bin/python -m benchmarks.match_bench                       # 125 to 2,000 clauses
    .venv/bin/python -m benchmarks.match_bench --sizes 125 250 --runs 1

Three inputs, each at every size:

- revision: the synthetic agreement and a revision of it (edits, moves, additions, removals,
  keys re-derived by position), the case an ordinary import meets;
- unrelated: two synthetic agreements from different seeds, so that almost nothing pairs, the
  case that used to cost the most (every leftover pair was compared);
- moved article: the revision's base with one article moved to the end and every key and number
  re-derived by position, which must report one moved article, not every article after it.

The exponent is the slope of log(CPU time) on log(clauses) by least squares. Figures are CPU
seconds (``time.process_time``), medians of ``--runs``; the machine's load average is printed.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from clauses.diffing import ClauseText, Status, diff_versions
from clauses.diffing.align import alignment_work
from clauses.importing.matching import PreviousClause, match_clauses
from clauses.importing.structure import ParsedClause

from .synthetic import synthetic_agreement, synthetic_revision

WORDS_PER_CLAUSE = 60
SIZES = (125, 250, 500, 1000, 2000)


def _previous(clauses: Sequence[ClauseText]) -> list[PreviousClause]:
    return [PreviousClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in clauses]


def _parsed(clauses: Sequence[ClauseText]) -> list[ParsedClause]:
    return [ParsedClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in clauses]


def moved_article(base: Sequence[ClauseText]) -> list[ClauseText]:
    """``base`` with its second article moved to the end, keys and numbers by position."""
    articles = [c for c in base if c.parent is None]
    children: dict[str, list[ClauseText]] = {a.key: [] for a in articles}
    for clause in base:
        if clause.parent is not None:
            children[clause.parent].append(clause)
    order = articles[:1] + articles[2:] + articles[1:2]
    out: list[ClauseText] = []
    for n, article in enumerate(order, start=1):
        key = f"art_{n}"
        out.append(
            replace(article, key=key, number=f"Article {n}", parent=None, order=len(out) + 1)
        )
        for m, child in enumerate(children[article.key], start=1):
            out.append(
                replace(
                    child,
                    key=f"{key}__para_{m}",
                    number=f"{n}.{m}",
                    parent=key,
                    order=len(out) + 1,
                )
            )
    return out


def inputs(size: int) -> dict[str, tuple[list[ClauseText], list[ClauseText]]]:
    base = synthetic_agreement(clauses=size, words=size * WORDS_PER_CLAUSE, seed=size)
    other = synthetic_agreement(clauses=size, words=size * WORDS_PER_CLAUSE, seed=size + 7919)
    return {
        "revision": (base, synthetic_revision(base, seed=size + 1)),
        "unrelated": (base, [replace(c, key=f"x_{c.key}", parent=None) for c in other]),
        "moved article": (base, moved_article(base)),
    }


def _cpu(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, load average {os.getloadavg()}")
    cases = ("revision", "unrelated", "moved article")
    seconds: dict[str, list[float]] = {case: [] for case in cases}
    header = "| clauses a side | input | match_clauses CPU | candidate pairs | text diffs | moved |"
    print(header)
    print("|---:|---|---:|---:|---:|---:|")
    for size in args.sizes:
        for case, (old, new) in inputs(size).items():
            previous, parsed = _previous(old), _parsed(new)
            cpu = _cpu(lambda p=previous, q=parsed: match_clauses(p, q), args.runs)  # type: ignore[misc]
            seconds[case].append(cpu)
            work = alignment_work(old, new)
            moved = diff_versions(old, new).stats.moved
            print(
                f"| {len(old):,} | {case} | {cpu:.3f} s | {work.candidate_pairs:,} "
                f"| {work.text_diffs:,} | {moved} |"
            )
    print()
    if len(args.sizes) > 1:
        for case in cases:
            print(f"fitted exponent, {case}: {exponent(args.sizes, seconds[case]):.2f}")
    moved_rows = [
        r for r in diff_versions(*inputs(args.sizes[0])["moved article"]).clauses if r.status
    ]
    print(
        "moved article: "
        f"{sum(1 for r in moved_rows if r.status == Status.MOVED)} clause(s) reported moved"
    )
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
