"""How long the database may take: short for web requests, long for workers and commands.

Two guards. The server's own ``statement_timeout`` and ``lock_timeout`` end a slow statement;
a server that has stopped answering altogether (a paused host, a dead network path) cannot run
them, so the client also waits at most a deadline for every answer, on new and on reused
connections alike (``install_client_deadline``), and then gives the connection up.
"""

from __future__ import annotations

import select
import time
from typing import Any

from django.conf import settings

# Why a margin: the server's timeout should fire first, with its clearer error.
CLIENT_GRACE_SECONDS = 2.0
_deadline = {"statement": 0.0}


def use_long_statement_timeout() -> None:
    """For a worker or a command, which may import a large text or migrate a large table.

    Called before the process opens its first connection; without PostgreSQL it does nothing.
    """
    from .settings import postgres_session_options

    for database in settings.DATABASES.values():
        options: dict[str, Any] = database.get("OPTIONS", {})
        if "options" in options:
            options["options"] = postgres_session_options(settings.STA_DB_LONG_STATEMENT_TIMEOUT_MS)
    _deadline["statement"] = settings.STA_DB_LONG_STATEMENT_TIMEOUT_MS / 1000


def statement_deadline_seconds() -> float:
    """How long the client waits for any one answer of an open connection."""
    seconds = _deadline["statement"] or settings.STA_DB_STATEMENT_TIMEOUT_MS / 1000
    return seconds + CLIENT_GRACE_SECONDS


def _wait_with_deadline(conn: Any) -> None:
    """psycopg2's wait callback: poll the connection, but never past the deadline."""
    from psycopg2 import OperationalError, extensions

    connecting = conn.status not in (extensions.STATUS_READY, extensions.STATUS_BEGIN)
    limit = (
        float(settings.STA_DB_CONNECT_TIMEOUT_SECONDS)
        if connecting
        else statement_deadline_seconds()
    )
    deadline = time.monotonic() + limit
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            # Why give it up: an answer may still arrive later, and would be read as the answer
            # to the next statement. psycopg2 marks the connection broken; Django opens another.
            raise OperationalError(
                f"The database did not answer within {limit:g} s "
                f"({'connecting' if connecting else 'waiting for a statement'})."
            )
        if state == extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:  # pragma: no cover - psycopg2 documents no other state
            raise OperationalError(f"Unexpected connection state {state}.")


def install_client_deadline() -> None:
    """Make every PostgreSQL connection of this process wait at most the deadline for answers."""
    if not any(
        db.get("ENGINE") == "django.db.backends.postgresql" for db in settings.DATABASES.values()
    ):
        return
    from psycopg2 import extensions

    extensions.set_wait_callback(_wait_with_deadline)
