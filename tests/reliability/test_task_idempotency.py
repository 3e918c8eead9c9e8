"""A task message delivered twice has the effect of one: what tests/reviews/test_tasks.py,
tests/reviews/test_flags.py and tests/clauses/ do not already show."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from celery import Task
from django.db import connection

from clauses import tasks as clause_tasks
from reviews import tasks as review_tasks
from reviews.models import NotificationOutbox, ScreeningRun
from reviews.services import notification_deliver
from tests.reviews.factories import load_lists, make_sta, proposal_in

from .mail_files import BACKEND, FOLDER_VARIABLE, pause_next_send, paused_pid, resume_send, sent
from .processes import wait_until


def test_every_task_is_acknowledged_late_and_given_back_if_its_worker_dies() -> None:
    found = {
        task.name: task
        for module in (review_tasks, clause_tasks)
        for task in vars(module).values()
        if isinstance(task, Task)
    }
    assert sorted(found) == [
        "clauses.tasks.delete_expired_compare_drafts",
        "clauses.tasks.parse_import_job",
        "clauses.tasks.precompute_version_diff",
        "clauses.tasks.publish_import_job",
        "clauses.tasks.sweep_stalled_imports",
        "reviews.tasks.check_audit_chain",
        "reviews.tasks.deliver_notification",
        "reviews.tasks.deliver_pending_notifications",
        "reviews.tasks.flag_proposals_for_version",
        "reviews.tasks.rescreen_after_list_import",
        "reviews.tasks.screen_proposal",
        "reviews.tasks.send_review_reminders",
        "reviews.tasks.sweep_stalled_screenings",
    ]
    for task in found.values():
        assert (task.name, task.acks_late, task.reject_on_worker_lost) == (task.name, True, True)


@pytest.mark.django_db
def test_a_screening_message_delivered_twice_screens_once(
    alice: Any, bob: Any, charlie: Any
) -> None:
    load_lists()
    proposal = proposal_in(
        "submitted", submitter=alice, reviewer=bob, security=charlie, version=make_sta()
    )
    message_id = "2f1d9c3e-screening-once"

    first = review_tasks.screen_proposal.apply((proposal.pk,), task_id=message_id).get()
    again = review_tasks.screen_proposal.apply((proposal.pk,), task_id=message_id).get()

    run = ScreeningRun.objects.get(proposal=proposal)
    assert (first, again) == (run.pk, run.pk)
    assert run.request_key == f"task:{message_id}"


@pytest.mark.django_db
def test_rescreening_for_a_list_twice_screens_each_proposal_once(
    alice: Any, bob: Any, charlie: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _, screening_list = load_lists()
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=make_sta()
    )
    before = proposal.screening_runs.count()

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert review_tasks.rescreen_after_list_import(screening_list.pk) == 1

    assert proposal.screening_runs.count() == before + 1
    assert proposal.screening_runs.filter(request_key=f"list:{screening_list.pk}").count() == 1


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def test_two_deliveries_of_one_message_at_the_same_time_mail_it_once(
    transactional_db: Any,
    alice: Any,
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite runs one writer at a time")
    settings.EMAIL_BACKEND = BACKEND
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    row = NotificationOutbox.objects.create(
        kind="decided", recipient=alice, email=alice.email, subject="Decision", body="Approved."
    )
    results: list[bool] = []

    def deliver() -> None:
        try:
            results.append(notification_deliver(notification_id=row.pk))
        finally:
            connection.close()

    pause_next_send(tmp_path)
    first = threading.Thread(target=deliver)
    first.start()
    paused_pid(tmp_path)
    second = threading.Thread(target=deliver)
    second.start()
    wait_until(lambda: _waiting_on_a_lock() >= 1, "hold the second delivery on the row lock")
    resume_send(tmp_path)
    first.join(timeout=30)
    second.join(timeout=30)

    assert sorted(results) == [False, True]
    assert sent(tmp_path) == [(alice.email, "Decision")]
    row.refresh_from_db()
    assert (row.sent_at is not None, row.attempts) == (True, 1)
