"""Time clause search and the in-force lookup on a large synthetic corpus in PostgreSQL.

The corpus is 100 agreements x 10 versions x 200 clauses (200,000 clause rows): articles of
paragraphs written from one Zipf-distributed vocabulary shared by all agreements, each version
rewording a tenth of the paragraphs of the one before, and a sentence of Chinese in about one
paragraph in fifty. It goes into its own database (``sta_bench`` by default), built by the project's
migrations, so the search indexes are the real ones.

Run from the repository root (PostgreSQL must be running):

    .venv/bin/python -m benchmarks.search_bench

Options: ``--database-url`` (default ``$STA_BENCH_DATABASE_URL`` or
``postgres://postgres@127.0.0.1:5432/sta_bench``), ``--reload`` to drop that database and build
the corpus again, ``--repeat`` (runs per query, default 15), ``--agreements`` (default 100; a
smaller corpus for a quick check, e.g. ``--agreements 2 --reload``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.databases import create_database

AGREEMENTS = 100
VERSIONS = 10
CLAUSES = 200
ARTICLES = 20
VOCABULARY = 3000
CHINESE_SHARE = 0.02
CHINESE = (
    "双方在平等互利的基础上开展科学技术合作。",
    "本协定自签字之日起生效，有效期五年。",
    "双方应保护在对方领土上的研究人员的安全。",
    "数据管理应遵循透明和对等的原则。",
)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sta_bench"
AIM_SEARCH_MS = 50.0
AIM_IN_FORCE_MS = 10.0


def _configure(url: str) -> None:
    """Point Django at the benchmark database with production-like settings (DEBUG off)."""
    os.environ["DATABASE_URL"] = url
    os.environ["STA_DEBUG"] = "false"
    os.environ.setdefault("STA_SECRET_KEY", "benchmark-only-" + "k" * 40 + "-0123456789abcdef")
    os.environ.setdefault("STA_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sta_tracker.settings")


class _Corpus:
    """Clause texts from one vocabulary shared by every agreement, as treaties share words.

    Pseudo-words follow a Zipf-like frequency; a few real treaty words are mixed in at the top so
    that English stemming has real forms to work on. Each version rewords about a tenth of the
    paragraphs of the one before.
    """

    REAL = ("cooperation", "research", "parties", "agreement", "scientific", "technology", "data")

    def __init__(self, rng: random.Random) -> None:
        syllables = [
            c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")
        ]
        words: list[str] = list(self.REAL)
        seen = set(words)
        while len(words) < VOCABULARY:
            word = "".join(rng.choices(syllables, k=rng.choice((1, 2, 2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
        self.rng = rng

    def paragraph(self) -> str:
        length = self.rng.randint(15, 55)
        chosen = self.rng.choices(self.words, cum_weights=self.weights, k=length)
        text = " ".join(chosen).capitalize() + "."
        if self.rng.random() < CHINESE_SHARE:
            text = f"{text} {self.rng.choice(CHINESE)}"
        return text

    def versions(self) -> list[list[tuple[str, str, str, str, str | None]]]:
        """Ten versions of (key, kind, number, text, parent key) in reading order."""
        first: list[tuple[str, str, str, str, str | None]] = []
        for a in range(1, ARTICLES + 1):
            first.append((f"art_{a}", "article", f"Article {a}", "", None))
            for p in range(1, CLAUSES // ARTICLES):
                first.append(
                    (f"art_{a}__para_{p}", "paragraph", f"{a}.{p}", self.paragraph(), f"art_{a}")
                )
        out = [first]
        for _ in range(1, VERSIONS):
            out.append(
                [
                    (
                        key,
                        kind,
                        number,
                        self.paragraph() if parent and self.rng.random() < 0.1 else text,
                        parent,
                    )
                    for key, kind, number, text, parent in out[-1]
                ]
            )
        return out


REASON = "Synthetic corpus for the search benchmark"


def _load(seed: int, agreements: int) -> None:
    """Write the corpus as the product writes records: each row with its history row.

    Every historied model refuses a write that does not name its user and reason (the history
    guard, ``sta_tracker/history.py``), so the loader signs its rows as a benchmark account and
    writes clauses in bulk through ``bulk_create_with_history``.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from clauses.models import Agreement, Clause, Instrument, TextStatus, Version
    from sta_tracker.history import save_with_history

    loader, _ = get_user_model().objects.get_or_create(username="search-bench-loader")
    corpus = _Corpus(random.Random(seed))
    started = time.perf_counter()

    def saved(obj: Any) -> Any:
        save_with_history(obj, acting_user=loader, reason=REASON)
        return obj

    for a in range(agreements):
        with transaction.atomic():
            agreement = saved(
                Agreement(
                    slug=f"bench-{a:03d}",
                    title=f"Synthetic agreement {a}",
                    short_title=f"Bench {a:03d}",
                    parties=["Party A", "Party B"],
                )
            )
            previous: Version | None = None
            for v, clauses in enumerate(corpus.versions()):
                start = dt.date(1979 + 4 * v, 1, 31)
                end = dt.date(1979 + 4 * (v + 1), 1, 31) if v < VERSIONS - 1 else None
                instrument = saved(
                    Instrument(
                        agreement=agreement,
                        slug=f"v{v}",
                        kind="agreement" if v == 0 else "amendment",
                        title=f"Instrument {v}",
                        signed_on=start,
                        effective_from=start,
                        expires_on=end,
                        text_status=TextStatus.ILLUSTRATIVE,
                    )
                )
                previous = saved(
                    Version(
                        agreement=agreement,
                        label=f"v{v}",
                        title=f"Version {v}",
                        instrument=instrument,
                        previous=previous,
                        in_force_from=start,
                        in_force_until=end,
                        text_status=TextStatus.ILLUSTRATIVE,
                    )
                )
                _insert_clauses(previous, clauses, Clause, loader)
        if (a + 1) % 10 == 0:
            elapsed = time.perf_counter() - started
            print(f"  loaded {a + 1} agreements in {elapsed:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _insert_clauses(
    version: Any, clauses: Sequence[tuple[str, str, str, str, str | None]], model: Any, user: Any
) -> None:
    from sta_tracker.history import bulk_create_with_history

    def row(order: int, key: str, kind: str, number: str, text: str, parent: str | None) -> Any:
        return model(
            version=version,
            key=key,
            kind=kind,
            number=number,
            text=text,
            order=order,
            depth=0 if parent is None else 1,
            change="unchanged",
        )

    numbered = list(enumerate(clauses, start=1))
    parents = [row(o, *c) for o, c in numbered if c[4] is None]
    parents = bulk_create_with_history(parents, model, acting_user=user, reason=REASON)
    by_key = {p.key: p.pk for p in parents}
    children = []
    for order, clause in numbered:
        if clause[4] is not None:
            child = row(order, *clause)
            child.parent_id = by_key[clause[4]]
            children.append(child)
    bulk_create_with_history(children, model, acting_user=user, reason=REASON)


def _loaded(agreements: int) -> bool:
    from clauses.models import Clause

    return Clause.objects.count() >= agreements * VERSIONS * CLAUSES * 0.95


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm the caches, as a running server would have them
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@dataclass(frozen=True)
class Row:
    name: str
    hits: int
    median_ms: float
    max_ms: float
    provisions: int = 0


def _queries() -> list[tuple[str, str]]:
    from clauses.models import Clause

    # Why: pick words from the data by how many clauses hold them, so "common" means common.
    sample = Clause.objects.exclude(text="").order_by("pk").values_list("text", flat=True)[:2000]
    counts: dict[str, int] = {}
    for text in sample:
        for word in set(text.lower().replace(",", " ").replace(".", " ").split()):
            if word.isalpha() and word.isascii():
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    common, medium, rare = ranked[20], ranked[len(ranked) // 10], ranked[len(ranked) // 2]
    return [
        ("the most common word", "cooperation"),
        ("another form of it", "cooperate"),
        ("common word", common),
        ("medium word", medium),
        ("rare word", rare),
        ("two words", f"{medium} {ranked[len(ranked) // 8]}"),
        ("three words", f"{common} {medium} {ranked[len(ranked) // 6]}"),
        ("Chinese, 2 characters", "合作"),
        ("Chinese, 4 characters", "科学技术"),
        ("no match", "zzzyxq"),
        ("a typo of the most common word (cooperaton)", "cooperaton"),
    ]


def _bench(repeat: int) -> tuple[list[Row], list[Row]]:
    from django.contrib.auth.models import AnonymousUser

    from clauses.models import Agreement, Version
    from clauses.record.pointintime import state_on
    from sta_tracker.search.query import search

    reader = AnonymousUser()
    search_rows = []
    for name, query in _queries():
        result = search(query=query, user=reader, limit=20)

        def once(q: str = query) -> Any:
            return search(query=q, user=reader, limit=20)

        samples = _timed(once, repeat)
        search_rows.append(
            Row(
                f"{name} ({query})" if "(" not in name else name,
                result.clause_total,
                statistics.median(samples),
                max(samples),
                provisions=result.total,
            )
        )
    # The single common word through the API, as a client sees it: one result per provision.
    from django.contrib.auth import get_user_model
    from django.test import Client

    from sta_tracker.roles import Role, ensure_role_groups

    analyst, _ = get_user_model().objects.get_or_create(username="search-bench-analyst")
    analyst.groups.add(ensure_role_groups()[Role.ANALYST])
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    if client.get("/api/search/", {"q": "cooperation"}, secure=True).status_code != 200:
        raise SystemExit("the benchmark account could not search through the API")

    def api_once() -> Any:
        return client.get("/api/search/", {"q": "cooperation"}, secure=True)

    api_samples = _timed(api_once, repeat)
    body = api_once().json()
    search_rows.append(
        Row(
            "the single common word through /api/search/ (cooperation)",
            body["clause_count"],
            statistics.median(api_samples),
            max(api_samples),
            provisions=body["count"],
        )
    )

    agreements = list(Agreement.objects.order_by("pk"))
    rng = random.Random(1)
    days = [
        dt.date(rng.randint(1975, 2030), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(50)
    ]
    picks = [(rng.choice(agreements), day) for day in days]

    def lookups() -> None:
        for agreement, day in picks:
            state_on(agreement, day)

    per_lookup = [s / len(picks) for s in _timed(lookups, repeat)]

    def text_on() -> None:
        for agreement, day in picks[:10]:
            state = state_on(agreement, day)
            if state.version is not None:
                list(Version.objects.get(pk=state.version.pk).clauses.order_by("order"))

    per_text = [s / 10 for s in _timed(text_on, repeat)]
    in_force_rows = [
        Row(
            "version in force on a day (state_on)",
            len(picks),
            statistics.median(per_lookup),
            max(per_lookup),
        ),
        Row("... and its 200 clauses", 10, statistics.median(per_text), max(per_text)),
    ]
    return search_rows, in_force_rows


def _report(search_rows: list[Row], in_force_rows: list[Row], repeat: int) -> str:
    from django.db import connection

    from clauses.models import Clause, Version

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    overall = statistics.median(r.median_ms for r in search_rows)
    lines = [
        f"Corpus: {Version.objects.count():,} versions, {Clause.objects.count():,} clauses; "
        f"PostgreSQL {server}; {repeat} runs per query after one warm-up; times in ms, "
        "for the whole search service (count, first page of 20, highlighting).",
        "",
        "| search | provisions found | matching clauses | median | slowest |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {r.name} | {r.provisions:,} | {r.hits:,} | {r.median_ms:.1f} | {r.max_ms:.1f} |"
            for r in search_rows
        ),
        "",
        f"The single common word (cooperation): **{search_rows[0].median_ms:.1f} ms** "
        f"(target: under {AIM_SEARCH_MS:.0f} ms: "
        f"{'met' if search_rows[0].median_ms < AIM_SEARCH_MS else 'NOT met'}).",
        "",
        f"Median of the per-query medians: **{overall:.1f} ms** "
        f"(aim: under {AIM_SEARCH_MS:.0f} ms).",
        "",
        "| in-force lookup | lookups per run | median per lookup | slowest run, per lookup |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {r.name} | {r.hits} | {r.median_ms:.2f} | {r.max_ms:.2f} |" for r in in_force_rows),
        "",
        f"Aim for the in-force lookup: under {AIM_IN_FORCE_MS:.0f} ms.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("STA_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--reload", action="store_true", help="rebuild the corpus")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1979)
    parser.add_argument("--agreements", type=int, default=AGREEMENTS)
    args = parser.parse_args(argv)

    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark needs PostgreSQL")
    create_database(args.database_url, fresh=args.reload)
    _configure(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.reload or not _loaded(args.agreements):
        from clauses.models import Agreement

        if Agreement.objects.exists():
            parser.error("the database holds a partial corpus: run again with --reload")
        print("Loading the corpus (a few minutes)...", file=sys.stderr)
        _load(args.seed, args.agreements)
    connection.ensure_connection()
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    search_rows, in_force_rows = _bench(args.repeat)
    print(_report(search_rows, in_force_rows, args.repeat))
    print(f"Load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
