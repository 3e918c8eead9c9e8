"""Time the import matcher and the diff engine, and fit how they grow with the number of clauses.

Run from the repository root::

    .venv/bin/python -m benchmarks.match_bench                       # 125 to 2,000 clauses
    .venv/bin/python -m benchmarks.match_bench --sizes 125 250 --runs 1

Four inputs, each at every size:

- revision: the synthetic agreement and a revision of it (edits, moves, additions, removals,
  keys re-derived by position), the case an ordinary import meets;
- unrelated: two synthetic agreements from different seeds, so that almost nothing pairs, the
  case that used to cost the most (every leftover pair was compared);
- moved article: the revision's base with one article moved to the end and every key and number
  re-derived by position, which must report one moved article, not every article after it;
- real renumbered: the same move on real legal English (the licence texts of
  /usr/share/common-licenses, ``benchmarks/real_text.py``; 1,974 clauses in all, so the largest
  size takes all of them), keys and numbers re-derived by position.

For each input and size: ``match_clauses`` (the import preview's work), ``diff_versions`` (the
compare page's), and tokenising both versions' texts once (``tokenize`` on every clause), the
floor any word diff pays; the diff's ratio to that floor is printed. The exponent is the slope of
log(CPU time) on log(clauses) by least squares. Figures are CPU seconds (``time.process_time``),
the fastest of ``--runs`` (the machine is shared, and other work only ever adds time); the
machine's load average is printed before and after.
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

from clauses.diffing import ClauseText, diff_versions, tokenize
from clauses.diffing.align import alignment_work
from clauses.importing.matching import PreviousClause, match_clauses
from clauses.importing.structure import ParsedClause

from . import real_text
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


def real_input(size: int) -> tuple[list[ClauseText], list[ClauseText]] | None:
    if not real_text.available():
        return None
    return real_text.real_pair(size)


def all_inputs(size: int) -> dict[str, tuple[list[ClauseText], list[ClauseText]]]:
    found = inputs(size)
    real = real_input(size)
    if real is not None:
        found["real renumbered"] = real
    return found


def tokenise_both(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> None:
    for clause in (*old, *new):
        tokenize(clause.text)


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


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
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {platform.python_version()}, {args.runs} rounds, load average before {load}")
    cells = [
        (size, case, old, new, _previous(old), _parsed(new))
        for size in args.sizes
        for case, (old, new) in all_inputs(size).items()
    ]
    # Why rounds: every cell is timed once a round, so a burst of load from other work slows
    # one run of every size alike rather than every run of one size; each cell keeps its fastest.
    best: dict[tuple[int, str, str], float] = {}
    for _ in range(args.runs):
        for size, case, old, new, previous, parsed in cells:
            timings = (
                ("match", _cpu(lambda: match_clauses(previous, parsed))),  # noqa: B023
                ("diff", _cpu(lambda: diff_versions(old, new))),  # noqa: B023
                ("floor", _cpu(lambda: tokenise_both(old, new))),  # noqa: B023
            )
            for kind, took in timings:
                key = (size, case, kind)
                best[key] = min(best.get(key, took), took)
    print(
        "| clauses a side | input | match_clauses CPU | diff_versions CPU | tokenising both "
        "| diff / tokenising | candidate pairs | text diffs | moved |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    counts: dict[str, list[int]] = {}
    for size, case, old, new, _, _ in cells:
        match, diff, floor = (best[(size, case, kind)] for kind in ("match", "diff", "floor"))
        counts.setdefault(case, []).append(len(old))
        work = alignment_work(old, new)
        moved = diff_versions(old, new).stats.moved
        print(
            f"| {len(old):,} | {case} | {match:.4f} s | {diff:.4f} s | {floor:.4f} s "
            f"| {diff / max(floor, 1e-9):.2f} | {work.candidate_pairs:,} "
            f"| {work.text_diffs:,} | {moved} |"
        )
    print()
    if len(args.sizes) > 1:
        for case, found in counts.items():
            fits = [
                f"{label} {exponent(found, [best[(n, case, kind)] for n in args.sizes]):.2f}"
                for kind, label in (
                    ("match", "match_clauses"),
                    ("diff", "diff_versions"),
                    ("floor", "tokenising"),
                )
            ]
            print(f"fitted exponent, {case} ({found[0]:,} to {found[-1]:,}): {', '.join(fits)}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
