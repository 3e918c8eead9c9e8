"""How background work is declared: every task must finish once, whatever happens to it."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Passing database errors: a restart or a dropped connection; the retry usually succeeds.
DATABASE_HICCUPS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


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
    *, retry_for: tuple[type[Exception], ...] = DATABASE_HICCUPS, **options: Any
) -> Any:
    """``shared_task`` acknowledged only once it has run, given back to the queue when its
    worker process dies, and retried with backoff on ``retry_for``.

    The task itself must be safe to run twice: it may be delivered again after a lost worker.
    """
    return shared_task(
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=retry_for,
        retry_backoff=True,
        **options,
    )
