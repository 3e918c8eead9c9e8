"""CPU of a first render, in-process: each page with no page, fragment or diff kept.

Signs in a demo account through Django's test client under ``benchmarks.uncached_settings``,
asks for each page once to warm the process, then times ``--requests`` more with
``time.process_time`` and prints the milliseconds per request (the fastest of ``--rounds``).
The database must hold the STA and the demo data (``migrate``, ``load_sta``, ``seed_demo``);
PostgreSQL through ``DATABASE_URL`` as deployed. To compare two versions of the code, run it
from each checkout in turn, alternating, on the same database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sta_pages \
        .venv/bin/python -m benchmarks.first_render
"""

from __future__ import annotations

import argparse
import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

READER_PAGES = (
    "/agreements/",
    "/agreements/sta/",
    "/agreements/sta/versions/2024-protocol/",
    "/agreements/sta/clauses/art_1/",
    "/agreements/sta/on/2019-01-01/",
    "/agreements/sta/compare/1979...2024-protocol/",
    "/agreements/sta/compare/1979...2024-protocol/?view=side",
    "/search/",
    "/search/?q=parties",
)
REVIEWER_PAGES = ("/reviews/queue/assessments/", "/reviews/dashboard/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.uncached_settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    print(f"load average before: {os.getloadavg()}")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for username, pages in (("analyst", READER_PAGES), ("reviewer", REVIEWER_PAGES)):
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            for path in pages:
                answer = client.get(path)
                if answer.status_code != 200:
                    raise SystemExit(f"{path}: {answer.status_code}")
                fastest = min(_per_request(client, path, args.requests) for _ in range(args.rounds))
                print(f"{fastest:7.1f} ms  {len(answer.content):>7,} bytes  {path}")
    print(f"load average after: {os.getloadavg()}")


def _per_request(client: Client, path: str, requests: int) -> float:
    start = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - start) / requests * 1000


if __name__ == "__main__":
    main()
