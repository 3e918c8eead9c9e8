"""A worker process killed mid-task gives its message back; the task then runs once more.

Tasks are acknowledged late and rejected back to the queue when their worker process is
lost (``acks_late``, ``reject_on_worker_lost``), and delivery is idempotent, so the message
still goes out exactly once.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reviews.models import NotificationOutbox
from reviews.services import proposal_return
from tests.reviews.factories import load_lists, make_sta, proposal_in

from .mail_files import pause_next_send, paused_pid, sent, worker_env
from .processes import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

RECEIVED = re.compile(r"deliver_notification\[([^\]]+)\] received")


def test_a_delivery_whose_worker_process_is_killed_runs_again_and_mails_once(
    start_celery_worker: Callable[..., Any],
    mail_folder: Path,
    eager_tasks: Callable[[], Any],
    alice: Any,
    bob: Any,
    charlie: Any,
) -> None:
    worker = start_celery_worker(pool="prefork", concurrency=1, env=worker_env(mail_folder))
    with eager_tasks():
        load_lists()
        proposal = proposal_in(
            "in_review", submitter=alice, reviewer=bob, security=charlie, version=make_sta()
        )
    pause_next_send(mail_folder)

    proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="Unclear")

    row = NotificationOutbox.objects.get(proposal=proposal, kind="returned")
    child = paused_pid(mail_folder)
    assert child != worker.process.pid
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 0)

    os.kill(child, signal.SIGKILL)

    wait_until(
        lambda: NotificationOutbox.objects.filter(pk=row.pk, sent_at__isnull=False).exists(),
        "deliver the message after the lost worker process",
        seconds=45,
    )
    row.refresh_from_db()
    assert row.attempts == 1
    assert sent(mail_folder) == [("alice@example.gov", row.subject)]
    log = worker.log_text()
    assert "WorkerLostError" in log
    assert "signal 9 (SIGKILL)" in log
    received = RECEIVED.findall(log)
    assert len(received) == 2
    assert received[0] == received[1], "the same message, given back to the queue, ran again"
