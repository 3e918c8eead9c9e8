"""Screenshot the browsing pages of a running server, for a person to look at.

    python tests/clauses/screenshot_pages.py --base http://127.0.0.1:8765 \
        --username dana --password PW --agreement sta --version 2024 --clause art_2 \
        --date 2024-10-01

Writes full-page PNGs (1366×800 viewport) to tests/artifacts/pages/ and prints any console
errors or requests that left the server.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "artifacts" / "pages"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--username", default="dana")
    parser.add_argument("--password", required=True)
    parser.add_argument("--agreement", default="sta")
    parser.add_argument("--version", default="2024")
    parser.add_argument("--clause", default="art_2")
    parser.add_argument("--date", default="2024-10-01")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--print", action="store_true", help="also render print media")
    opts = parser.parse_args()
    slug = opts.agreement
    pages = {
        "list": "/agreements/",
        "agreement": f"/agreements/{slug}/",
        "version": f"/agreements/{slug}/versions/{opts.version}/",
        "clause": f"/agreements/{slug}/clauses/{opts.clause}/",
        "on-date": f"/agreements/{slug}/on/{opts.date}/",
        "bad-date": f"/agreements/{slug}/on/?date=2024-02-30",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(
            base_url=opts.base, viewport={"width": opts.width, "height": 800}
        )
        tab = context.new_page()
        tab.on("console", lambda m: m.type == "error" and print("console:", m.text))
        tab.route(
            lambda url: not url.startswith(opts.base),
            lambda route: (print("outside request:", route.request.url), route.abort()),
        )
        tab.goto("/accounts/login/")
        tab.fill("input[name=username]", opts.username)
        tab.fill("input[name=password]", opts.password)
        tab.click("button[type=submit], input[type=submit]")
        for name, url in pages.items():
            response = tab.goto(url)
            status = response.status if response else "?"
            path = OUT / f"{name}-{opts.width}.png"
            tab.screenshot(path=str(path), full_page=True)
            print(f"{status} {url} -> {path}")
            if opts.print:
                tab.emulate_media(media="print")
                tab.screenshot(path=str(OUT / f"{name}-print.png"), full_page=True)
                tab.emulate_media(media="screen")
        browser.close()


if __name__ == "__main__":
    main()
