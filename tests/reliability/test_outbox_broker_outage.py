"""Mail queued while the broker is down or stalled goes out once it is back, exactly once.

The outage is staged on a private redis-server (the shared one stays up); the worker runs in
its own process on PostgreSQL and writes each message it sends to a file, so a message sent
twice would show as two files.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from reviews.models import Decision, NotificationOutbox, Proposal
from reviews.services import (
    decision_record,
    notifications_sweep,
    proposal_return,
    proposal_suspend,
)
from reviews.services.notifications import SWEEP_AFTER
from reviews.tasks import deliver_notification, deliver_pending_notifications
from tests.factories import the_decider
from tests.reviews.factories import OTHER_GROUND, assess, load_lists, make_sta, proposal_in

from .mail_files import sent, worker_env
from .processes import PrivateRedis, drop_broker_pools, wait_until

DELIVERED = re.compile(r"deliver_notification\[[^\]]+\] succeeded in [\d.e-]+s: (True|False)")
SWEPT = re.compile(r"deliver_pending_notifications\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)")


@pytest.fixture
def quick_publish_timeouts() -> Iterator[None]:
    """A stalled broker answers nothing: without a socket timeout a publish waits forever."""
    from sta_tracker.celery import app

    previous = app.conf.broker_transport_options
    app.conf.broker_transport_options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    drop_broker_pools(app)
    try:
        yield
    finally:
        app.conf.broker_transport_options = previous
        drop_broker_pools(app)


def waiting_proposals(alice: Any, bob: Any, charlie: Any) -> dict[str, Proposal]:
    """Proposals ready for each notifying step, with distinct titles so their mail differs."""
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": make_sta()}
    load_lists()

    def ready(state: str, title: str) -> Proposal:
        return proposal_in(state, title=f"Sediment cores {title}", **people)

    return {
        "approve": assess(ready("in_review", "A"), bob, charlie),
        "reject": assess(ready("in_review", "B"), bob, charlie),
        "return": assess(ready("in_review", "C"), bob, charlie),
        "suspend": ready("approved", "D"),
        "send back": ready("in_review", "E"),
    }


def decide(proposals: dict[str, Proposal], bob: Any) -> None:
    """Three decisions (by Judy: Bob assessed), a suspension and a return before any
    decision."""
    judy = the_decider()
    approve = proposals["approve"]
    decision_record(
        proposal=approve,
        outcome="approve",
        acting_user=judy,
        reason="Sound science, modest risk",
        cited_clause_ids=[c.pk for c in approve.cited_clauses.all()],
    )
    decision_record(
        proposal=proposals["reject"], outcome="reject", acting_user=judy, reason="Defence work"
    )
    decision_record(
        proposal=proposals["return"],
        outcome="return",
        questions="Which cores?",
        acting_user=judy,
        reason="Unclear sampling",
    )
    proposal_suspend(
        proposal=proposals["suspend"],
        acting_user=bob,
        reason="No data shared",
        ground=OTHER_GROUND,
    )
    proposal_return(
        proposal=proposals["send back"],
        questions="Which partner?",
        acting_user=bob,
        reason="Incomplete",
    )


def states(proposals: dict[str, Proposal]) -> dict[str, str]:
    return {name: Proposal.objects.get(pk=p.pk).state for name, p in proposals.items()}


DECIDED_STATES = {
    "approve": "approved",
    "reject": "rejected",
    "return": "returned",
    "suspend": "suspended",
    "send back": "returned",
}


def deliveries(log: str) -> tuple[int, int]:
    """How many delivery tasks the worker finished: (sent a message, found it sent already)."""
    results = DELIVERED.findall(log)
    return results.count("True"), results.count("False")


def assert_each_sent_once(rows: list[NotificationOutbox], mail_folder: Path) -> None:
    fresh = NotificationOutbox.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    assert all(row.sent_at is not None for row in fresh)
    assert [row.attempts for row in fresh] == [1] * len(rows)
    assert sent(mail_folder) == sorted((row.email, row.subject) for row in rows)


def test_messages_to_a_stalled_broker_give_up_after_a_socket_timeout() -> None:
    from sta_tracker.celery import app

    options = app.conf.broker_transport_options
    assert options.get("socket_timeout")
    assert options.get("socket_connect_timeout")


def test_a_decision_made_while_the_broker_is_unreachable_returns_and_is_kept(
    transactional_db: Any,
    alice: Any,
    bob: Any,
    charlie: Any,
    eager_tasks: Callable[[], Any],
    unreachable_broker: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with eager_tasks():
        proposal = waiting_proposals(alice, bob, charlie)["reject"]
    caplog.set_level(logging.ERROR, logger="django.db.backends.base")

    decision = decision_record(
        proposal=proposal, outcome="reject", acting_user=the_decider(), reason="Defence work"
    )

    assert Decision.objects.get(proposal=proposal) == decision
    assert Proposal.objects.get(pk=proposal.pk).state == "rejected"
    row = NotificationOutbox.objects.get(proposal=proposal, kind="decided")
    assert (row.sent_at, row.attempts) == (None, 0)
    assert "in on_commit()" in caplog.text


@pytest.mark.celery_worker
def test_mail_queued_while_the_broker_is_down_is_sent_once_after_it_returns(
    private_redis: PrivateRedis,
    start_celery_worker: Callable[..., Any],
    mail_folder: Path,
    eager_tasks: Callable[[], Any],
    alice: Any,
    bob: Any,
    charlie: Any,
) -> None:
    worker = start_celery_worker(broker_url=private_redis.url, env=worker_env(mail_folder))
    with eager_tasks():
        proposals = waiting_proposals(alice, bob, charlie)
    last_before = NotificationOutbox.objects.order_by("pk").last()
    assert last_before is not None

    private_redis.kill()
    started = time.monotonic()
    decide(proposals, bob)
    assert time.monotonic() - started < 20, "publishing to a dead broker should fail fast"

    assert states(proposals) == DECIDED_STATES
    rows = list(NotificationOutbox.objects.filter(pk__gt=last_before.pk).order_by("pk"))
    assert [(row.kind, row.email) for row in rows] == [
        ("decided", "alice@example.gov"),
        ("decided", "alice@example.gov"),
        ("returned", "alice@example.gov"),
        ("suspended", "alice@example.gov"),
        ("returned", "alice@example.gov"),
    ]
    assert [(row.sent_at, row.attempts) for row in rows] == [(None, 0)] * 5
    assert sent(mail_folder) == []

    private_redis.start()
    # Why wait: the empty Redis knows the worker's queue again only once it reconnects.
    wait_until(
        lambda: worker.log_text().count("Connected to redis://") >= 2, "reconnect", seconds=45
    )
    later = timezone.now() + SWEEP_AFTER + dt.timedelta(minutes=1)
    assert notifications_sweep(now=later) == 5
    swept_again = notifications_sweep(now=later)
    deliver_notification.delay(rows[0].pk)

    wait_until(lambda: deliveries(worker.log_text()) == (5, swept_again + 1), "deliver", seconds=30)
    assert_each_sent_once(rows, mail_folder)


@pytest.mark.celery_worker
def test_mail_queued_while_the_broker_is_stalled_is_sent_once_it_resumes(
    private_redis: PrivateRedis,
    start_celery_worker: Callable[..., Any],
    quick_publish_timeouts: None,
    mail_folder: Path,
    eager_tasks: Callable[[], Any],
    alice: Any,
    bob: Any,
    charlie: Any,
) -> None:
    worker = start_celery_worker(broker_url=private_redis.url, env=worker_env(mail_folder))
    with eager_tasks():
        proposals = waiting_proposals(alice, bob, charlie)
    last_before = NotificationOutbox.objects.order_by("pk").last()
    assert last_before is not None

    private_redis.pause()
    try:
        started = time.monotonic()
        decide(proposals, bob)
        assert time.monotonic() - started < 40, "publishing to a stalled broker should time out"
    finally:
        private_redis.resume()

    assert states(proposals) == DECIDED_STATES
    rows = list(NotificationOutbox.objects.filter(pk__gt=last_before.pk).order_by("pk"))
    assert len(rows) == 5
    assert [(row.sent_at, row.attempts) for row in rows] == [(None, 0)] * 5
    assert sent(mail_folder) == []

    # The beat's sweep, run twice by the worker, finds the rows once they are old enough.
    NotificationOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(
        created_at=timezone.now() - SWEEP_AFTER - dt.timedelta(minutes=1)
    )
    deliver_pending_notifications.delay()
    deliver_pending_notifications.delay()

    def swept() -> list[int]:
        return [int(n) for n in SWEPT.findall(worker.log_text())]

    wait_until(lambda: len(swept()) == 2, "sweep twice", seconds=30)
    assert swept()[0] == 5

    def delivered() -> bool:
        done, already = deliveries(worker.log_text())
        # Why at least: a publish that timed out may still reach Redis when it resumes.
        return done == 5 and already >= sum(swept()) - 5

    wait_until(delivered, "deliver", seconds=30)
    assert_each_sent_once(rows, mail_folder)
