"""At 400 px wide no page scrolls sideways: every role, its navigation and the main detail pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from clauses.importing.services import import_job_create
from clauses.models import Agreement
from reviews.models import Proposal
from tests.clauses.importing.test_modes import PROTOCOL
from tests.factories import PASSWORD

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 400
READING = [
    "/agreements/sta/",
    "/agreements/sta/versions/2024-protocol/",
    "/agreements/sta/versions/2024-protocol/?lang=both",
    "/agreements/sta/clauses/annex_1__sec_II__para_C/",
    "/agreements/sta/compare/2018-amended...2024-protocol/",
    "/agreements/sta/compare/2018-amended...2024-protocol/?view=side",
    "/agreements/sta/compare/",
    "/agreements/sta/on/",
    "/agreements/sta/on/2024-10-01/",
    "/agreements/sta/on/1995-06-01/",
    "/agreements/sta/instruments/2024-protocol/",
    "/search/?q=intellectual+property",
]


@pytest.fixture
def demo(transactional_db: Any) -> dict[str, list[str]]:
    """The demo's data and accounts; the pages each demo account works on."""
    call_command("load_sta", verbosity=0)
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = get_user_model().objects.get(username="admin")
    job = import_job_create(
        agreement=Agreement.objects.get(slug="sta"), filename="protocol.txt",
        content=PROTOCOL.encode(), label="2030-protocol", kind="protocol",
        signed_on=dt.date(2030, 1, 10), effective_from=dt.date(2030, 2, 1),
        text_status="official", mode="amending", reason="Narrow-page check",
        acting_user=admin,
    )  # fmt: skip
    proposal = Proposal.objects.filter(state="in_review").order_by("pk").first()
    assert proposal is not None
    mine = f"/reviews/proposals/{proposal.pk}/"
    review = [mine, "/reviews/queue/", "/reviews/dashboard/"]
    return {
        "analyst": [*READING, "/reviews/dashboard/"],
        "submitter": [*READING[:3], mine, "/reviews/proposals/new/"],
        "reviewer": review,
        "decider": review,
        "security": review,
        "admin": [mine, "/import/", f"/import/{job.pk}/", "/reviews/screening-lists/"],
    }


def nav_links(tab: Any) -> list[str]:
    return tab.eval_on_selector_all(
        'nav[aria-label="Main"] a', "links => links.map(a => a.getAttribute('href'))"
    )


def wide_elements(tab: Any) -> list[str]:
    """What sticks out past the right edge, outside the boxes meant to scroll, to name it."""
    return tab.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest('.table-scroll, .tl-scroll'))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
        WIDTH,
    )


@pytest.mark.parametrize(
    "username", ["analyst", "submitter", "reviewer", "decider", "security", "admin"]
)
def test_no_page_scrolls_sideways_at_400_px(
    chromium_browser: Any, live_server: Any, demo: dict[str, list[str]], username: str
) -> None:
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": 800}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        log_in(tab, username, PASSWORD)
        landing = tab.url
        pages = [p for p in nav_links(tab) if not p.startswith("/admin/")] + demo[username]
        assert len(pages) >= 3
        too_wide: dict[str, Any] = {}
        for n, path in enumerate(dict.fromkeys(pages)):
            response = tab.goto(path)
            assert response is not None, (username, path)
            assert response.status == 200, (username, path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            slug = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
            screenshot(tab, f"narrow-{username}-{n:02d}-{slug}"[:120])
            if width > WIDTH:
                too_wide[path] = (width, wide_elements(tab))
        assert too_wide == {}, f"{username} (landed on {landing})"
    finally:
        context.close()
