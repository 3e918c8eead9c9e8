"""Time the diff engine against difflib and redlines on synthetic agreements.

Run from the repository root::

    .venv/bin/python -m benchmarks.diff_bench              # 20, 200 and 2,000 clauses
    .venv/bin/python -m benchmarks.diff_bench --sizes 200 --timeout 30

Every comparison gets the same two versions. The engine aligns clauses (keys, then text
similarity, moves, splits) and diffs words; the baselines do less:

- difflib, whole text: ``SequenceMatcher`` (autojunk off) over the engine's tokens of each whole
  version, the naive way to redline a document;
- difflib, per clause: ``SequenceMatcher`` over the same tokens for each pair of clauses sharing a
  key whose texts differ (no move detection, no pairing of re-keyed clauses);
- redlines, whole text: ``Redlines(old, new)`` on each version's text, paragraphs separated by a
  blank line;
- redlines, per clause: ``Redlines`` for each pair of clauses sharing a key whose texts differ.

Baselines run in a child process so that one stuck past ``--timeout`` seconds can be stopped.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from redlines import Redlines

from clauses.diffing import ClauseText, DiffStats, diff_versions, tokenize

from .synthetic import Rates, synthetic_pair

WORDS_PER_CLAUSE = 250
HEAVY = Rates(edit=0.5, move=0.1, renumber=0.2, add=0.05, remove=0.05)


@dataclass(frozen=True)
class Case:
    label: str
    clauses: int
    rates: Rates


@dataclass(frozen=True)
class Timing:
    """Medians in seconds of CPU time and of wall-clock time; None when nothing finished."""

    runs: int
    cpu: float | None
    wall: float | None
    timeout: float

    def cell(self, clock: str) -> str:
        value = self.cpu if clock == "cpu" else self.wall
        if value is None:
            return f"> {self.timeout:.0f} s"
        if value >= 1:
            return f"{value:.1f} s"
        return f"{value * 1000:.1f} ms"


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def _timing(times: list[tuple[float, float]], timeout: float) -> Timing:
    if not times:
        return Timing(0, None, None, timeout)
    return Timing(
        len(times),
        statistics.median(t[0] for t in times),
        statistics.median(t[1] for t in times),
        timeout,
    )


def _measure_here(work: Callable[[], object], repeats: int) -> Timing:
    return _timing([_timed(work) for _ in range(repeats)], 0)


def _measure_in_child(
    work: Callable[[], object], repeats: int, timeout: float, budget: float
) -> Timing:
    """Up to ``repeats`` runs in a child process, stopping once ``budget`` seconds are spent."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def run() -> None:
        spent = 0.0
        for _ in range(repeats):
            took = _timed(work)
            sender.send(took)
            spent += took[1]
            if spent > budget:
                break
        sender.send(None)

    process = context.Process(target=run)
    process.start()
    times: list[tuple[float, float]] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(remaining):
            process.terminate()
            break
        took = receiver.recv()
        if took is None:
            break
        times.append(took)
    process.join()
    return _timing(times, timeout)


def _document(clauses: list[ClauseText]) -> str:
    return "\n\n".join(c.text for c in clauses if c.text)


def _changed_pairs(old: list[ClauseText], new: list[ClauseText]) -> list[tuple[str, str]]:
    by_key = {c.key: c.text for c in old}
    return [(by_key[c.key], c.text) for c in new if c.key in by_key and by_key[c.key] != c.text]


@dataclass(frozen=True)
class Result:
    case: Case
    words: int
    stats: DiffStats
    timings: dict[str, Timing]


def run_case(case: Case, *, seed: int, repeats: int, timeout: float) -> Result:
    old, new = synthetic_pair(
        clauses=case.clauses, words=case.clauses * WORDS_PER_CLAUSE, seed=seed, rates=case.rates
    )
    old_doc, new_doc = _document(old), _document(new)
    old_tokens, new_tokens = tokenize(old_doc), tokenize(new_doc)
    pairs = _changed_pairs(old, new)
    token_pairs = [(tokenize(a), tokenize(b)) for a, b in pairs]

    def difflib_whole() -> object:
        return SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()

    def difflib_per_clause() -> object:
        return [SequenceMatcher(None, a, b, autojunk=False).get_opcodes() for a, b in token_pairs]

    def redlines_whole() -> object:
        return Redlines(old_doc, new_doc).opcodes

    def redlines_per_clause() -> object:
        return [Redlines(a, b).opcodes for a, b in pairs]

    budget = max(timeout / 2, 1.0)
    return Result(
        case=case,
        words=sum(len(c.text.split()) for c in old),
        stats=diff_versions(old, new).stats,
        timings={
            "engine": _measure_here(lambda: diff_versions(old, new), repeats),
            "engine_ignore": _measure_here(
                lambda: diff_versions(old, new, ignore_whitespace_and_punctuation=True), repeats
            ),
            "difflib_per_clause": _measure_in_child(difflib_per_clause, repeats, timeout, budget),
            "difflib_whole": _measure_in_child(difflib_whole, repeats, timeout, budget),
            "redlines_per_clause": _measure_in_child(redlines_per_clause, repeats, timeout, budget),
            "redlines_whole": _measure_in_child(redlines_whole, repeats, timeout, budget),
        },
    )


COLUMNS = {
    "engine": "engine",
    "engine_ignore": "engine, ignoring punctuation",
    "difflib_per_clause": "difflib per clause",
    "difflib_whole": "difflib whole text",
    "redlines_per_clause": "redlines per clause",
    "redlines_whole": "redlines whole text",
}


def table(results: list[Result], clock: str) -> str:
    head = ["case", "clauses", "words", *COLUMNS.values(), "engine µs / 1,000 words"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for result in results:
        engine = result.timings["engine"]
        seconds = (engine.cpu if clock == "cpu" else engine.wall) or 0.0
        cells = [
            result.case.label,
            f"{result.case.clauses:,}",
            f"{result.words:,}",
            *[result.timings[key].cell(clock) for key in COLUMNS],
            f"{seconds * 1e6 / (result.words / 1000):.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def changes(results: list[Result]) -> str:
    lines = [
        "| case | clauses | added | removed | amended | moved | renumbered | split | merged |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        s = result.stats
        lines.append(
            f"| {result.case.label} | {result.case.clauses:,} | {s.added} | {s.removed} | "
            f"{s.amended} | {s.moved} | {s.renumbered} | {s.split} | {s.merged} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="20,200,2000", help="clause counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1979)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per baseline cell")
    parser.add_argument("--no-heavy", action="store_true", help="skip the heavy-revision case")
    args = parser.parse_args(argv)

    cases = [Case("typical", int(n), Rates()) for n in args.sizes.split(",")]
    if not args.no_heavy:
        cases.append(Case("heavy", 200, HEAVY))
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"{multiprocessing.cpu_count()} CPUs, seed {args.seed}, "
        f"{WORDS_PER_CLAUSE} words a clause, {date.today().isoformat()}"
    )
    print(f"# load average before the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results = []
    for case in cases:
        results.append(run_case(case, seed=args.seed, repeats=args.repeats, timeout=args.timeout))
        print(f"# done: {case.label}, {case.clauses} clauses", flush=True)
    print(f"# load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\nCPU time (median):\n")
    print(table(results, "cpu"))
    print("\nWall-clock time (median):\n")
    print(table(results, "wall"))
    print("\nChanges the engine found:\n")
    print(changes(results))


if __name__ == "__main__":
    main()
