"""How background work is declared: every task must finish once, whatever happens to it."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Passing database errors: a restart or a dropped connection; the retry usually succeeds.
DATABASE_HICCUPS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


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
