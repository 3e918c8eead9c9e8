"""Time the diff engine against difflib and redlines on synthetic agreements and real text.

Run from the repository root::

    .venv/bin/python -m benchmarks.diff_bench              # 20, 200 and 2,000 clauses, real text
    .venv/bin/python -m benchmarks.diff_bench --sizes 200 --timeout 30

Every comparison gets the same two versions. The engine aligns clauses (keys, then text
similarity, moves, splits) and diffs words; the baselines do less. Every difflib column runs
``SequenceMatcher`` (autojunk off) over plain words (``clauses.diffing.words``: no whitespace or
punctuation tokens, which would make every other token a frequent one and difflib quadratic):

- tokenising: ``tokenize`` on every clause of both versions once, the floor of any word diff;
- difflib per clause, pairing given: for each pair of clauses the engine paired whose texts
  differ (the engine's alignment handed over for free: no search, no moves);
- difflib per clause, by key: for each pair of clauses sharing a key whose texts differ (what a
  per-clause tool does without an alignment; with keys derived by position it pairs wrong ones);
- difflib whole text: over the words of each whole version (no pairing at all);
- redlines per clause, pairing given: ``Redlines`` on the same pairs as difflib's;
- redlines whole text: ``Redlines(old, new)`` on each version's text, paragraphs separated by a
  blank line.

The cases are seeded synthetic agreements (``benchmarks/synthetic.py``) and real legal English:
the licence texts of /usr/share/common-licenses (``benchmarks/real_text.py``), the second article
moved to the end, a tenth of the sentences edited and every key derived by position.

Each cell is the fastest of ``--repeats`` runs (the machine is shared and load only adds time).
Baselines run in a child process so that one stuck past ``--timeout`` seconds can be stopped.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from redlines import Redlines

from clauses.diffing import ClauseText, DiffStats, diff_versions, tokenize
from clauses.diffing.words import words

from . import real_text
from .synthetic import Rates, synthetic_pair

WORDS_PER_CLAUSE = 250
HEAVY = Rates(edit=0.5, move=0.1, renumber=0.2, add=0.05, remove=0.05)


@dataclass(frozen=True)
class Case:
    label: str
    clauses: int
    rates: Rates
    real: bool = False


@dataclass(frozen=True)
class Timing:
    """The fastest runs in seconds of CPU time and of wall-clock time; None when none finished."""

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
    return Timing(len(times), min(t[0] for t in times), min(t[1] for t in times), timeout)


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


def _engine_pairs(old: list[ClauseText], new: list[ClauseText]) -> list[tuple[str, str]]:
    """The pairs of clauses the engine aligned whose texts differ (splits and merges left out)."""
    old_text = {c.key: c.text for c in old}
    new_text = {c.key: c.text for c in new}
    return [
        (old_text[row.old_key], new_text[row.new_key])
        for row in diff_versions(old, new).clauses
        if row.old_key is not None
        and row.new_key is not None
        and not row.parts
        and old_text[row.old_key] != new_text[row.new_key]
    ]


@dataclass(frozen=True)
class Result:
    case: Case
    words: int
    stats: DiffStats
    timings: dict[str, Timing]


def versions(case: Case, seed: int) -> tuple[list[ClauseText], list[ClauseText]]:
    if case.real:
        return real_text.real_revision(case.clauses, seed=seed)
    return synthetic_pair(
        clauses=case.clauses, words=case.clauses * WORDS_PER_CLAUSE, seed=seed, rates=case.rates
    )


def run_case(case: Case, *, seed: int, repeats: int, timeout: float) -> Result:
    old, new = versions(case, seed)
    old_doc, new_doc = _document(old), _document(new)
    # Why outside the timed work: each baseline is given its words for free, as the engine is
    # not (it reads the texts).
    old_words, new_words = words(old_doc), words(new_doc)
    given = _engine_pairs(old, new)
    given_words = [(words(a), words(b)) for a, b in given]
    by_key_words = [(words(a), words(b)) for a, b in _changed_pairs(old, new)]

    def tokenising() -> object:
        return [tokenize(c.text) for c in (*old, *new)]

    def difflib_given() -> object:
        return [SequenceMatcher(None, a, b, autojunk=False).get_opcodes() for a, b in given_words]

    def difflib_by_key() -> object:
        return [SequenceMatcher(None, a, b, autojunk=False).get_opcodes() for a, b in by_key_words]

    def difflib_whole() -> object:
        return SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()

    def redlines_whole() -> object:
        return Redlines(old_doc, new_doc).opcodes

    def redlines_given() -> object:
        return [Redlines(a, b).opcodes for a, b in given]

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
            "tokenising": _measure_here(tokenising, repeats),
            "difflib_given": _measure_in_child(difflib_given, repeats, timeout, budget),
            "difflib_by_key": _measure_in_child(difflib_by_key, repeats, timeout, budget),
            "difflib_whole": _measure_in_child(difflib_whole, repeats, timeout, budget),
            "redlines_given": _measure_in_child(redlines_given, repeats, timeout, budget),
            "redlines_whole": _measure_in_child(redlines_whole, repeats, timeout, budget),
        },
    )


COLUMNS = {
    "engine": "engine",
    "engine_ignore": "engine, ignoring punctuation",
    "tokenising": "tokenising both",
    "difflib_given": "difflib per clause, pairing given",
    "difflib_by_key": "difflib per clause, by key",
    "difflib_whole": "difflib whole text",
    "redlines_given": "redlines per clause, pairing given",
    "redlines_whole": "redlines whole text",
}
# Each baseline's time over the engine's, in one run.
RATIOS = ("tokenising", "difflib_given", "difflib_by_key", "difflib_whole", "redlines_given")


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


def ratios(results: list[Result]) -> str:
    """Each baseline's CPU time over the engine's, or a lower bound when it was stopped."""
    head = ["case", "clauses", *(COLUMNS[key] for key in RATIOS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for result in results:
        engine = result.timings["engine"].cpu or 1e-9
        cells = [result.case.label, f"{result.case.clauses:,}"]
        for key in RATIOS:
            timing = result.timings[key]
            if timing.cpu is None:
                cells.append(f"> {timing.timeout / engine:.0f}×")
            else:
                cells.append(f"{timing.cpu / engine:.2f}×")
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
    parser.add_argument("--no-real", action="store_true", help="skip the real-text case")
    args = parser.parse_args(argv)

    cases = [Case("typical", int(n), Rates()) for n in args.sizes.split(",")]
    if not args.no_heavy:
        cases.append(Case("heavy", 200, HEAVY))
    if not args.no_real:
        if real_text.available():
            cases.append(Case("real licences", 2000, Rates(), real=True))
        else:
            print(f"# no real-text case: {real_text.LICENCES_DIR} is missing")
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
    print(f"\nCPU time (fastest of {args.repeats}):\n")
    print(table(results, "cpu"))
    print("\nCPU time over the engine's, same run:\n")
    print(ratios(results))
    print(f"\nWall-clock time (fastest of {args.repeats}):\n")
    print(table(results, "wall"))
    print("\nChanges the engine found:\n")
    print(changes(results))


if __name__ == "__main__":
    main()
