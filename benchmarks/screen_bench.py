"""Time restricted-party screening (``PartyIndex``) and fit how it grows with the list's size.

Run from the repository root::

    .venv/bin/python -m benchmarks.screen_bench                      # 1,000 to 16,000 entries
    .venv/bin/python -m benchmarks.screen_bench --sizes 1000 2000 --runs 1

The list is synthetic: institutions with an English name, a pinyin alias and a Chinese alias,
and people with a Chinese alias, drawn from a fixed seed. Each size screens the same partners:
an institution given in English and in Chinese, one given in pinyin, and three people (one in
Chinese characters, one with initials, one in reversed order), which is what one proposal
asks of the matcher. Building the index is timed apart, since it happens once per imported list.

Screening a partner compares its forms with every listed form, so it grows linearly with the
list (exponent near 1); initials are looked up through a word index, not by walking the list.
Figures are CPU seconds (``time.process_time``), medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable

from reviews.screening.parties import ListedParty, PartyIndex, PartyKind

from .match_bench import exponent

SIZES = (1000, 2000, 4000, 8000, 16000)
# Syllables with characters that carry them, to write names in both scripts.
_SYLLABLES = (
    ("bei", "北"), ("jing", "京"), ("hua", "华"), ("nan", "南"), ("dong", "东"), ("xi", "西"),
    ("shan", "山"), ("hai", "海"), ("tian", "天"), ("guang", "光"), ("ming", "明"), ("an", "安"),
    ("kang", "康"), ("long", "龙"), ("feng", "丰"), ("xin", "新"), ("yuan", "远"), ("he", "河"),
)  # fmt: skip
_KINDS = (
    ("University", "Daxue", "大学"),
    ("Institute of Technology", "Ligong Xueyuan", "理工学院"),
    ("Research Institute", "Yanjiusuo", "研究所"),
    ("Electronics Company", "Dianzi Gongsi", "电子公司"),
)
_FAMILY = (("zhang", "张"), ("wang", "王"), ("li", "李"), ("liu", "刘"), ("chen", "陈"))


def synthetic_list(size: int, seed: int = 7) -> list[ListedParty]:
    rng = random.Random(seed)
    parties = []
    for key in range(size):
        first, second = rng.sample(_SYLLABLES, 2)
        place = first[0] + second[0]
        chars = first[1] + second[1]
        if key % 5 == 4:
            family = rng.choice(_FAMILY)
            given = rng.choice(_SYLLABLES)
            parties.append(
                ListedParty(
                    key,
                    f"{family[0].upper()}, {given[0].capitalize()}",
                    (family[1] + given[1],),
                    PartyKind.INDIVIDUAL,
                )
            )
            continue
        english, pinyin, chinese = rng.choice(_KINDS)
        parties.append(
            ListedParty(
                key,
                f"{place.capitalize()} {english} No. {key}",
                (f"{place.capitalize()} {pinyin} {key}", f"{chars}{chinese}{key}"),
                PartyKind.ENTITY,
                "1 Road, Beijing, CN",
            )
        )
    return parties


PARTNERS = (
    (["Harbin Institute of Technology", "哈尔滨工业大学"], PartyKind.ENTITY),
    (["Haerbin Gongye Daxue"], PartyKind.ENTITY),
    (["张伟"], PartyKind.INDIVIDUAL),
    (["W. Zhang"], PartyKind.INDIVIDUAL),
    (["Xiaoming Liu"], PartyKind.INDIVIDUAL),
)


def _cpu(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, load average {os.getloadavg()}")
    print("| listed parties | listed forms | build index CPU | screen one proposal CPU |")
    print("|---:|---:|---:|---:|")
    build_times, screen_times = [], []
    for size in args.sizes:
        parties = synthetic_list(size)
        build = _cpu(lambda p=parties: PartyIndex(p), args.runs)  # type: ignore[misc]
        index = PartyIndex(parties)

        def proposal(ix: PartyIndex = index) -> None:
            for names, kind in PARTNERS:
                ix.screen(names, kind=kind)

        screen = _cpu(proposal, args.runs)
        build_times.append(build)
        screen_times.append(screen)
        print(f"| {size:,} | {len(index):,} | {build:.3f} s | {screen:.3f} s |")
    if len(args.sizes) > 1:
        print()
        print(f"fitted exponent, build index: {exponent(args.sizes, build_times):.2f}")
        print(f"fitted exponent, screen one proposal: {exponent(args.sizes, screen_times):.2f}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
