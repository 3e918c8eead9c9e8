"""The review queue prints exactly what it printed before its counts and rows were read faster.

The copies under ``golden/`` were written from the demo data by the queue as it was;
``STA_WRITE_GOLDEN=1`` writes them afresh (then the diff of the copies shows any change).
The demo is dated from today, so dates are printed as days from today, and its ids are
counted from a fixed start so that links name the same rows in every run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from .view_helpers import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="ids are counted from a PostgreSQL sequence"
    ),
]

GOLDEN = Path(__file__).parent / "golden"
FIRST_ID = 1_000_000
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
SHOWN_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")
ISO_MOMENT = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)(T[0-9:.]+[+-]\d\d:\d\d)?\b")
SECRETS = re.compile(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"')

PAGES = {
    "reviewer-assessments": ("reviewer", "/reviews/queue/assessments/"),
    "reviewer-assessments-by-title": ("reviewer", "/reviews/queue/assessments/?sort=title"),
    "reviewer-decisions": ("reviewer", "/reviews/queue/decisions/"),
    "reviewer-flags": ("reviewer", "/reviews/queue/flags/"),
    "reviewer-conditions": ("reviewer", "/reviews/queue/conditions/"),
    "reviewer-work": ("reviewer", "/reviews/queue/work/"),
    "reviewer-work-any-state": ("reviewer", "/reviews/queue/work/?state=any&sort=due"),
    "reviewer-work-filtered": (
        "reviewer",
        "/reviews/queue/work/?assignee=me&overdue=on&waiting=2&city=Nowhere",
    ),
    "reviewer-work-agency": ("reviewer", f"/reviews/queue/work/?state=any&agency={FIRST_ID}"),
    "decider-decisions": ("decider", "/reviews/queue/decisions/"),
    "security-assessments": ("security", "/reviews/queue/assessments/"),
    "security-hits": ("security", "/reviews/queue/hits/"),
    "security-trips": ("security", "/reviews/queue/trips/"),
    "security-work": ("security", "/reviews/queue/work/?sort=recent"),
}


@pytest.fixture
def demo(db: Any) -> None:
    with connection.cursor() as cursor:
        for sequence in connection.introspection.sequence_list():
            cursor.execute("SELECT setval(%s, %s, false)", [sequence["name"], FIRST_ID])
    call_command("load_sta", verbosity=0)
    call_command("seed_demo", password="demo-pass-1", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _days_from_today(day: dt.date) -> str:
    return f"(today{(day - timezone.localdate()).days:+d})"


def _dated_from_today(html: str) -> str:
    def shown(match: re.Match[str]) -> str:
        moment = dt.datetime.strptime(" ".join(match.groups()), "%d %b %Y")
        return _days_from_today(moment.date())

    def iso(match: re.Match[str]) -> str:
        year, month, day = (int(part) for part in match.groups()[:3])
        return _days_from_today(dt.date(year, month, day))

    return ISO_MOMENT.sub(iso, SHOWN_DATE.sub(shown, html))


def shown(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _dated_from_today(SECRETS.sub(r'\1="-"', response.content.decode()))


def test_the_dates_of_a_page_are_told_from_today() -> None:
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    html = f"{yesterday:%-d %b %Y} {today:%Y-%m-%d} {today:%Y-%m-%d}T09:30:00.120+00:00 12 days"
    assert _dated_from_today(html) == "(today-1) (today+0) (today+0) 12 days"


def test_the_queue_prints_what_it_printed(demo: None) -> None:
    users = get_user_model().objects
    clients = {
        name: as_user(users.get(username=name)) for name in ("reviewer", "security", "decider")
    }
    for name, (user, url) in PAGES.items():
        html = shown(clients[user], url)
        path = GOLDEN / f"queue-{name}.html"
        if os.environ.get("STA_WRITE_GOLDEN"):
            path.write_text(html)
        assert html == path.read_text(), name
