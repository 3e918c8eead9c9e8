"""The review dashboard prints exactly what it printed when its copies under ``golden/`` were
written, for a reviewer and for an analyst, whichever way its parts are built.

``STA_WRITE_GOLDEN=1`` writes the copies afresh (then the diff of the copies shows any change).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest

from clauses.models import system_user
from reviews.models import Proposal
from sta_tracker.history import save_with_history
from tests.reference_pages import without_tokens
from tests.reviews.after_factories import days_ago, open_dispute, record, refused_request
from tests.reviews.factories import proposal_in

from .view_helpers import as_user

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
NONCE = re.compile(r'nonce="[^"]+"')
# Why: the database numbers rows afresh in every run; the copies name them in order of appearance.
NUMBERED = re.compile(r"(/reviews/proposals/|[?&;](?:agency|field)=)(\d+)")
# Why: a fixed clock, so the waits, the overdue list and the last exchange read the same each run.
NOW = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)
MARKUP = '<b class="x">Tom & "Jerry"</b>'
LONG = "National Oceanic and Atmospheric Administration"


def _renumbered(html: str) -> str:
    seen: dict[tuple[str, str], int] = {}

    def number(found: re.Match[str]) -> str:
        key = (found.group(1), found.group(2))
        kind = sum(1 for prefix, _ in seen if prefix == key[0])
        return f"{found.group(1)}{seen.setdefault(key, kind + 1)}"

    return NUMBERED.sub(number, html)


def _entered(proposal: Proposal, hours: float) -> None:
    proposal = Proposal.objects.get(pk=proposal.pk)
    proposal.state_changed_at = NOW - dt.timedelta(hours=hours)
    save_with_history(proposal, acting_user=system_user(), reason="test: time has passed")


@pytest.fixture
def board(
    monkeypatch: pytest.MonkeyPatch, alice: Any, bob: Any, charlie: Any, sta: Any, lists: Any
) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    agencies = [f"Agency {n}" for n in range(1, 10)]
    proposal_in("draft", us_agency="", scientific_field="", **people)
    proposal_in("draft", us_agency=MARKUP, scientific_field=MARKUP, **people)
    proposal_in("submitted", us_agency=LONG, **people)
    for n, agency in enumerate(agencies[:3]):
        _entered(proposal_in("screening", us_agency=agency, **people), 30 + 7 * n)
    for hours, agency in ((5, agencies[3]), (250, agencies[4]), (1000.5, LONG)):
        _entered(
            proposal_in("in_review", us_agency=agency, scientific_field="Ecology", **people), hours
        )
    proposal_in("returned", us_agency=agencies[5], **people)
    provided = proposal_in("approved", us_agency=agencies[6], **people)
    record(provided, bob, requested_on=days_ago(40), provided_on=days_ago(12))
    record(provided, bob, direction="from_partner", requested_on=days_ago(3))
    refused = proposal_in("approved", us_agency=agencies[7], scientific_field="Ecology", **people)
    refused_request(refused, bob)
    record(refused, bob, requested_on=days_ago(90))
    disputed = proposal_in("approved_with_conditions", us_agency=agencies[8], **people)
    open_dispute(disputed, bob)
    proposal_in("rejected", us_agency=MARKUP, **people)
    proposal_in("withdrawn", **people)


def _same_as_golden(name: str, html: str) -> None:
    path = GOLDEN / f"{name}.html"
    if os.environ.get("STA_WRITE_GOLDEN"):
        path.write_text(html)
    assert html == path.read_text()


def test_the_dashboard_prints_what_it_printed(board: None, bob: Any, dana: Any) -> None:
    for name, user in (("reviewer", bob), ("analyst", dana)):
        response = as_user(user).get("/reviews/dashboard/")
        assert response.status_code == 200
        html = _renumbered(NONCE.sub('nonce="-"', without_tokens(response.content.decode())))
        _same_as_golden(f"dashboard-{name}", html)
