"""Pages against the framework's ceiling, in one run.

Starts three servers under the same gunicorn settings on 127.0.0.1: the product as deployed, the
product with nothing kept (``benchmarks/uncached_settings.py``: no page, fragment or diff in
any cache, so every request is a first render; the session is in Redis as deployed) and a bare
Django view (``benchmarks/bare_wsgi.py``). It signs in as the demo accounts and drives each page
in turn on the first two and the bare view with the same bounded load generator: short
interleaved slices, so that all three see the same machine. Each page's requests per second is
printed as a ratio to the bare view's, warm and cached (after a few requests, so the page is
kept) and uncached, with the share of answers the page cache replayed and the load average
before and after.

    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python -m benchmarks.pages
    .venv/bin/python -m benchmarks.pages --workers 3 --concurrency 4 --seconds 2 --rounds 3

Without ``REDIS_URL`` the page cache is off and the cache is per worker. The load generator is
Python threads opening one connection per request (gunicorn's sync workers close each
connection), so on a small machine it takes CPU from the servers; every side pays that the same
way, which keeps the ratio fair and makes the absolute figures low. The database is a fresh
SQLite file with the STA and the demo data unless ``DATABASE_URL`` names another (created if it
is missing; ``--prepared``: it already holds them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess  # nosec B404 - starts the servers under test, with fixed arguments
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.databases import create_database

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-demo-password"  # noqa: S105 - demo accounts in a throwaway database
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None  # None: signed out


PAGES = (
    Page("login page (signed out)", "/accounts/login/", None),
    Page("agreement list", "/agreements/", "analyst"),
    Page("agreement", "/agreements/sta/", "analyst"),
    Page("version 2024 protocol", "/agreements/sta/versions/2024-protocol/", "analyst"),
    Page("clause through versions", "/agreements/sta/clauses/art_1/", "analyst"),
    Page("text on a date", "/agreements/sta/on/2019-01-01/", "analyst"),
    Page(
        "compare 1979 / 2024 protocol",
        "/agreements/sta/compare/1979...2024-protocol/",
        "analyst",
    ),
    Page("search (empty form)", "/search/", "analyst"),
    Page("search: a common word", "/search/?q=parties", "analyst"),
    Page("review queue: assessments", "/reviews/queue/assessments/", "reviewer"),
    Page("dashboard", "/reviews/dashboard/", "reviewer"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        STA_DEBUG="false",
        STA_SECRET_KEY="benchmark-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",  # noqa: S106
        STA_ALLOWED_HOSTS="127.0.0.1,localhost",
        STA_SSL_REDIRECT="false",
        STA_STATIC_MANIFEST="false",
        STA_IMPORT_FOUR_EYES="false",
        DATABASE_URL=database_url,
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks run in-process: no broker is needed
    return env


def _prepare(env: dict[str, str]) -> None:
    for command in (
        ["migrate", "--no-input"],
        ["load_sta"],
        ["seed_demo", "--password", PASSWORD],
    ):
        subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


@contextmanager
def _server(app: str, port: int, workers: int, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(  # noqa: S603  # nosec B603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(port, "/", {})
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{app} did not start on port {port}")
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(port: int, path: str, cookies: dict[str, str]) -> tuple[int, bytes, list[str]]:
    status, body, set_cookie, _ = _fetch(port, path, cookies)
    return status, body, set_cookie


def _fetch(port: int, path: str, cookies: dict[str, str]) -> tuple[int, bytes, list[str], bool]:
    """Status, body, cookies set, and whether the page cache replayed the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return (
            response.status,
            body,
            response.headers.get_all("Set-Cookie") or [],
            response.headers.get("X-Page-Cache") == "hit",
        )
    finally:
        connection.close()


def _cookies(headers: Sequence[str]) -> dict[str, str]:
    jar = {}
    for header in headers:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _sign_in(port: int, username: str) -> dict[str, str]:
    status, body, set_cookie = _get(port, "/accounts/login/", {})
    jar = _cookies(set_cookie)
    match = CSRF_FIELD.search(body.decode())
    if status != 200 or match is None:
        raise SystemExit(f"The login page answered {status} without a form.")
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Referer": f"http://127.0.0.1:{port}/accounts/login/",
            },
        )
        response = connection.getresponse()
        response.read()
        jar.update(_cookies(response.headers.get_all("Set-Cookie") or []))
        if response.status != 302:
            raise SystemExit(f"Signing in as {username} answered {response.status}.")
    finally:
        connection.close()
    return jar


def _slice(
    port: int, path: str, cookies: dict[str, str], concurrency: int, seconds: float
) -> tuple[float, int, int, int]:
    """Requests per second answered 200 over ``seconds``, how many were not 200, how many of
    those answered were replayed by the page cache, and how many were answered."""
    done = [0] * concurrency
    failed = [0] * concurrency
    hits = [0] * concurrency
    stop = time.monotonic() + seconds

    def run(slot: int) -> None:
        while time.monotonic() < stop:
            try:
                status, _, _, hit = _fetch(port, path, cookies)
            except OSError:
                failed[slot] += 1
                continue
            if status == 200:
                done[slot] += 1
                hits[slot] += hit
            else:
                failed[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started), sum(failed), sum(hits), sum(done)


@dataclass(frozen=True)
class Result:
    page: Page
    first_ms: float
    page_rps: float
    uncached_rps: float
    bare_rps: float
    hits: float
    failed: int

    @property
    def ratio(self) -> float:
        return self.page_rps / self.bare_rps if self.bare_rps else 0.0

    @property
    def uncached_ratio(self) -> float:
        return self.uncached_rps / self.bare_rps if self.bare_rps else 0.0


def _measure(
    page: Page,
    cookies: dict[str, str],
    ports: tuple[int, int, int],
    concurrency: int,
    seconds: float,
    rounds: int,
) -> Result:
    app_port, uncached_port, bare_port = ports
    started = time.perf_counter()
    status, _, _ = _get(app_port, page.path, cookies)
    first_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"{page.path} answered {status}.")
    # Why a few more: "warm and cached" is the page after its session was renewed and the
    # page kept, which the first request (the one that renews) does not do.
    for _ in range(3):
        _get(app_port, page.path, cookies)
    rates: dict[str, list[float]] = {"page": [], "uncached": [], "bare": []}
    answered = hit = failed = 0
    for _ in range(rounds):
        # Why interleaved: the three sides see the same machine, slice by slice.
        for side, port, path, jar in (
            ("bare", bare_port, "/", {}),
            ("page", app_port, page.path, cookies),
            ("uncached", uncached_port, page.path, cookies),
        ):
            rate, bad, hits, done = _slice(port, path, jar, concurrency, seconds)
            rates[side].append(rate)
            failed += bad
            if side == "page":
                answered += done
                hit += hits
    return Result(
        page,
        first_ms,
        statistics.median(rates["page"]),
        statistics.median(rates["uncached"]),
        statistics.median(rates["bare"]),
        hit / answered if answered else 0.0,
        failed,
    )


def run(
    workers: int, concurrency: int, seconds: float, rounds: int, prepared: bool = False
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sta-pages-") as folder:
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        env = _environment(database)
        if not prepared:
            if database.startswith(("postgres://", "postgresql://")):
                create_database(database, fresh=False)
            _prepare(env)
        # Why its own settings: no page, fragment or diff kept, so every request is a first render.
        uncached_env = dict(env, DJANGO_SETTINGS_MODULE="benchmarks.uncached_settings")
        ports = (_free_port(), _free_port(), _free_port())
        load_before = os.getloadavg()
        with (
            _server("sta_tracker.wsgi:application", ports[0], workers, env),
            _server("sta_tracker.wsgi:application", ports[1], workers, uncached_env),
            _server("benchmarks.bare_wsgi:application", ports[2], workers, env),
        ):
            jars = {user: _sign_in(ports[0], user) for user in {p.user for p in PAGES if p.user}}
            results = [
                _measure(
                    page,
                    jars[page.user] if page.user else {},
                    ports,
                    concurrency,
                    seconds,
                    rounds,
                )
                for page in PAGES
            ]
        load_after = os.getloadavg()
    return {
        "settings": {
            "workers": workers,
            "concurrency": concurrency,
            "seconds_per_slice": seconds,
            "rounds": rounds,
            "database": database.split(":", 1)[0],
            "redis": bool(os.environ.get("REDIS_URL")),
            "cpus": os.cpu_count(),
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "pages": [
            {
                "page": r.page.name,
                "path": r.page.path,
                "first_request_ms": round(r.first_ms, 1),
                "page_rps": round(r.page_rps, 1),
                "uncached_rps": round(r.uncached_rps, 1),
                "bare_rps": round(r.bare_rps, 1),
                "ratio": round(r.ratio, 3),
                "uncached_ratio": round(r.uncached_ratio, 3),
                "page_cache_hits": round(r.hits, 3),
                "failed": r.failed,
            }
            for r in results
        ],
    }


def _print(report: dict[str, object]) -> None:
    print(f"settings: {report['settings']}")
    print(
        f"load average before {report['load_average_before']}, after {report['load_average_after']}"
    )
    print(
        f"{'page':30} {'first ms':>8} {'bare r/s':>8} {'page r/s':>8} {'ratio':>6} "
        f"{'hits':>5} {'uncached':>8} {'ratio':>6} {'failed':>6}"
    )
    pages = report["pages"]
    for row in pages if isinstance(pages, list) else []:
        print(
            f"{row['page'][:30]:30} {row['first_request_ms']:>8} {row['bare_rps']:>8} "
            f"{row['page_rps']:>8} {row['ratio']:>6.1%} {row['page_cache_hits']:>5.0%} "
            f"{row['uncached_rps']:>8} {row['uncached_ratio']:>6.1%} {row['failed']:>6}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one slice")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved slices per side")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--prepared",
        action="store_true",
        help="DATABASE_URL already holds the STA and the demo data (seed_demo with this password)",
    )
    args = parser.parse_args(argv)
    report = run(args.workers, args.concurrency, args.seconds, args.rounds, args.prepared)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)


if __name__ == "__main__":
    main()
