"""Real-browser tests: Playwright driving Debian's Chromium against a live test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("STA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def chromium_browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fresh browser per test, so Playwright's event loop never outlives the test."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("STA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Why: Playwright's sync API runs an event loop in the test thread; Django then refuses ORM
    # calls from that thread unless told they are in fact synchronous. Scoped to this test so
    # that nothing else (a deployment check in a subprocess, say) inherits the switch.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser: Any, live_server: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 800}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    outside: list[str] = []

    def refuse_outside(route: Any) -> None:
        outside.append(route.request.url)
        route.abort()

    # Pages must never load anything from the internet.
    tab.route(lambda url: not url.startswith(live_server.url), refuse_outside)
    yield tab
    context.close()
    assert outside == [], f"pages asked for outside resources: {outside}"


def screenshot(tab: Any, name: str) -> Path:
    """Save a full-page screenshot to tests/artifacts/screens/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def log_in(tab: Any, username: str, password: str) -> None:
    tab.goto("/accounts/login/")
    tab.get_by_label("User name").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Log in").click()
