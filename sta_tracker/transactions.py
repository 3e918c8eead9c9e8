"""Work that starts once the current transaction has committed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction


def after_commit(func: Callable[..., Any], *args: Any) -> None:
    """Call ``func(*args)`` after the current transaction commits; never undo the change.

    Used to queue background work. If queuing fails (the broker is down), the error is logged
    and the committed change stands; a periodic sweep queues the work again.
    """

    def call() -> None:
        func(*args)

    # Why: Django names a failed robust callback by its __qualname__ in the log line; a
    # functools.partial has none, so the logging itself would raise (Django ticket #36487).
    functools.update_wrapper(call, func)
    transaction.on_commit(call, robust=True)
