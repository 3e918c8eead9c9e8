"""Work that keeps failing is given up after a bounded number of runs, with its error shown to
administrators, instead of being queued again by the sweeps forever."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from celery import Task
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from clauses import tasks as clause_tasks
from reviews import tasks as review_tasks
from reviews.models import Proposal, ScreeningRun
from reviews.services import proposal_submit, screenings_sweep
from sta_tracker.background import ReliableTask
from sta_tracker.models import TaskFailure
from tests.reviews.factories import load_lists, make_sta, proposal_in

LATER = dt.timedelta(minutes=30)
SCREEN = "reviews.services.screening_run"


@pytest.fixture
def worker_like() -> Iterator[None]:
    """Tasks run in this process, but a failing one fails its result, as in a worker."""
    from sta_tracker.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_eager_propagates = previous


@pytest.fixture
def submitted(alice: Any) -> Proposal:
    load_lists()
    draft = proposal_in("draft", submitter=alice, version=make_sta())
    # In a test transaction nothing runs after commit: as if the broker had lost the message.
    proposal_submit(proposal=draft, acting_user=alice, reason="Ready")
    return Proposal.objects.get(pk=draft.pk)


def test_every_task_records_its_failures() -> None:
    tasks = [
        task
        for module in (review_tasks, clause_tasks)
        for task in vars(module).values()
        if isinstance(task, Task)
    ]
    assert len(tasks) == 13
    for task in tasks:
        assert isinstance(task, ReliableTask), task.name
        assert task.max_retries is not None, task.name


@pytest.mark.django_db
def test_a_screening_that_keeps_failing_is_given_up_after_the_attempts(
    submitted: Proposal, worker_like: None, settings: Any
) -> None:
    settings.STA_TASK_MAX_ATTEMPTS = 3
    later = timezone.now() + LATER
    with mock.patch(SCREEN, side_effect=RuntimeError("list row 12 has no name")) as screen:
        queued = [screenings_sweep(now=later) for _ in range(5)]
    assert queued == [1, 1, 1, 0, 0]
    assert screen.call_count == 3
    failure = TaskFailure.objects.get()
    assert failure.task == "reviews.tasks.screen_proposal"
    assert failure.key.startswith(f"{submitted.pk}:event:")
    assert failure.attempts == 3
    assert failure.error == "RuntimeError: list row 12 has no name"
    assert failure.given_up_at is not None
    assert Proposal.objects.get(pk=submitted.pk).state == "submitted"


@pytest.mark.django_db
def test_a_screening_refused_as_invalid_is_given_up_at_once(
    submitted: Proposal, worker_like: None
) -> None:
    later = timezone.now() + LATER
    with mock.patch(SCREEN, side_effect=ValidationError("bad data")) as screen:
        assert screenings_sweep(now=later) == 1
        assert screenings_sweep(now=later) == 0
    assert screen.call_count == 1
    failure = TaskFailure.objects.get()
    assert (failure.attempts, failure.given_up_at is not None) == (1, True)


@pytest.mark.django_db
def test_deleting_the_failure_lets_the_sweep_try_again_and_success_clears_it(
    submitted: Proposal, worker_like: None, settings: Any
) -> None:
    settings.STA_TASK_MAX_ATTEMPTS = 1
    later = timezone.now() + LATER
    with mock.patch(SCREEN, side_effect=RuntimeError("bug")):
        assert screenings_sweep(now=later) == 1
    assert screenings_sweep(now=later) == 0
    TaskFailure.objects.all().delete()  # an administrator mended the cause
    assert screenings_sweep(now=later) == 1
    assert ScreeningRun.objects.filter(proposal=submitted).count() == 1
    assert not TaskFailure.objects.exists()


@pytest.mark.django_db
def test_a_failure_then_a_success_leaves_nothing_recorded(
    submitted: Proposal, worker_like: None
) -> None:
    later = timezone.now() + LATER
    with mock.patch(SCREEN, side_effect=RuntimeError("passing")):
        screenings_sweep(now=later)
    assert TaskFailure.objects.get().attempts == 1
    screenings_sweep(now=later)
    assert not TaskFailure.objects.exists()
    assert Proposal.objects.get(pk=submitted.pk).state in ("in_review", "screening")


@pytest.mark.django_db
def test_administrators_read_failed_work_in_the_admin_and_others_cannot(
    submitted: Proposal, worker_like: None, erin: Any, alice: Any
) -> None:
    with mock.patch(SCREEN, side_effect=ValidationError("bad data")):
        screenings_sweep(now=timezone.now() + LATER)
    failure = TaskFailure.objects.get()
    admin = Client()
    admin.force_login(erin)
    listing = admin.get("/admin/sta_tracker/taskfailure/")
    assert listing.status_code == 200
    assert "reviews.tasks.screen_proposal" in listing.content.decode()
    page = admin.get(f"/admin/sta_tracker/taskfailure/{failure.pk}/change/")
    assert "ValidationError: [&#x27;bad data&#x27;]" in page.content.decode()
    submitter = Client()
    submitter.force_login(alice)
    assert submitter.get("/admin/sta_tracker/taskfailure/").status_code == 302
