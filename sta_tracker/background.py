"""How background work is declared: every task must finish once, whatever happens to it, and
work that keeps failing is given up and shown, never retried forever."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Passing database errors: a restart or a dropped connection; the retry usually succeeds.
DATABASE_HICCUPS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Why: bad data fails the same way on every run; running it again only repeats the failure.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (ValidationError, ValueError)
KEY_LIMIT = 200


def default_work_key(*args: Any, **kwargs: Any) -> str:
    """What a task's arguments name, as ``12:event:5``; the task name says what kind of work."""
    return ":".join([*map(str, args), *(f"{k}={v}" for k, v in sorted(kwargs.items()))])


class ReliableTask(Task):  # type: ignore[type-arg]
    """Records the failure of its work item once its own retries are spent (see TaskFailure)."""

    work_key: Callable[..., str] = staticmethod(default_work_key)

    def item_key(self, args: Any, kwargs: Any) -> str:
        key = self.work_key(*(args or ()), **(kwargs or {}))
        if len(key) <= KEY_LIMIT:
            return key
        return key[: KEY_LIMIT - 17] + ":" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        try:
            task_failure_record(task=self.name, key=self.item_key(args, kwargs), exc=exc)
        except DatabaseError:
            logger.exception("Could not record the failure of %s[%s]", self.name, task_id)

    def on_success(self, retval: Any, task_id: str, args: Any, kwargs: Any) -> None:
        from .models import TaskFailure

        # Why: earlier failures of work that has now been done count no more against it.
        try:
            TaskFailure.objects.filter(task=self.name, key=self.item_key(args, kwargs)).delete()
        except DatabaseError:
            logger.exception("Could not clear the failures of %s[%s]", self.name, task_id)


def task_failure_record(*, task: str, key: str, exc: BaseException) -> Any:
    """Count one failed run of ``task`` on ``key``; give the item up when it is permanent or
    has failed ``STA_TASK_MAX_ATTEMPTS`` times. Returns the TaskFailure row."""
    from .models import TaskFailure

    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        row, _ = TaskFailure.objects.select_for_update().get_or_create(
            task=task, key=key, defaults={"error": error, "first_failed_at": now}
        )
        row.attempts += 1
        row.error, row.last_failed_at = error, now
        permanent = isinstance(exc, PERMANENT_ERRORS)
        if row.given_up_at is None and (
            permanent or row.attempts >= settings.STA_TASK_MAX_ATTEMPTS
        ):
            row.given_up_at = now
            logger.error("Given up %s(%s) after %s runs: %s", task, key, row.attempts, error)
        row.save()
    return row


def given_up_keys(task: str) -> set[str]:
    """The work items of ``task`` that sweeps must not queue again."""
    from .models import TaskFailure

    return set(TaskFailure.objects.given_up().filter(task=task).values_list("key", flat=True))


def limit_process_memory(megabytes: int) -> None:
    """Cap this process's address space: past it an allocation raises MemoryError.

    Why: a worker child reading a hostile file then fails its task with a message instead of
    growing until the machine's out-of-memory killer takes it (and its task comes back).
    ``0`` leaves the process unlimited.
    """
    import resource

    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def reliable_task(
    *,
    retry_for: tuple[type[Exception], ...] = DATABASE_HICCUPS,
    work_key: Callable[..., str] | None = None,
    **options: Any,
) -> Any:
    """``shared_task`` acknowledged only once it has run, given back to the queue when its
    worker process dies, retried with backoff on ``retry_for`` up to its ``max_retries``, and
    its failure then recorded against the item ``work_key`` names (by default, its arguments).

    The task itself must be safe to run twice: it may be delivered again after a lost worker.
    """
    if work_key is not None:
        options["work_key"] = staticmethod(work_key)
    return shared_task(
        base=ReliableTask,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=retry_for,
        retry_backoff=True,
        **options,
    )
