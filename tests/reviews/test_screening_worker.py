"""A real Celery worker screens a submitted proposal end to end (PostgreSQL and Redis; CI has
both, elsewhere this skips)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from clauses.models import system_user
from reviews.models import NotificationOutbox, Proposal, ScreeningHit, ScreeningRun
from tests.reviews.factories import LISTED_PARTNER, content, load_lists, make_sta, proposal_in

from .view_helpers import as_user

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_until(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not {what} within {seconds:g} seconds")


def test_a_worker_screens_a_proposal_submitted_on_the_page(
    celery_worker_process: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    sta = make_sta()
    load_lists()
    partners = (*content().institutions, LISTED_PARTNER)
    proposal = proposal_in("draft", submitter=alice, version=sta, institutions=partners)

    response = as_user(alice).post(
        f"/reviews/proposals/{proposal.pk}/submit/", {"reason": "Ready for review"}
    )
    assert response.status_code == 302

    wait_until(lambda: ScreeningRun.objects.filter(proposal=proposal).exists(), "screen it")
    run = ScreeningRun.objects.get(proposal=proposal)
    assert run.started_by == system_user()
    assert run.request_key.startswith("event:")
    hit = ScreeningHit.objects.get(run=run)
    assert (hit.kind, hit.list_entry.name) == ("restricted_party", "Harbin Institute of Technology")
    assert Proposal.objects.get(pk=proposal.pk).state == "screening"

    # The message to the security reviewer is delivered by the worker too, once.
    wait_until(
        lambda: NotificationOutbox.objects.filter(
            proposal=proposal, kind="hits_to_adjudicate", sent_at__isnull=False
        ).exists(),
        "deliver the message",
    )
    message = NotificationOutbox.objects.get(proposal=proposal, kind="hits_to_adjudicate")
    assert (message.email, message.attempts) == ("charlie@example.gov", 1)
