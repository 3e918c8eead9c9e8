from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sta_tracker.settings")

app = Celery("sta_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def _long_statements_in_workers(**kwargs: Any) -> None:
    # Why here: the worker's pool processes fork from this one and inherit its settings.
    from .database import use_long_statement_timeout

    use_long_statement_timeout()


@worker_process_init.connect
def _limit_child_memory(**_: Any) -> None:
    """Each worker child gets the address-space limit STA_WORKER_MEMORY_MB (docs/security.md)."""
    from django.conf import settings

    from .background import limit_process_memory

    limit_process_memory(settings.STA_WORKER_MEMORY_MB)
