"""Which statement timeout a process runs under: short for web requests, long for the rest."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def use_long_statement_timeout() -> None:
    """For a worker or a command, which may import a large text or migrate a large table.

    Called before the process opens its first connection; without PostgreSQL it does nothing.
    """
    from .settings import postgres_session_options

    for database in settings.DATABASES.values():
        options: dict[str, Any] = database.get("OPTIONS", {})
        if "options" in options:
            options["options"] = postgres_session_options(settings.STA_DB_LONG_STATEMENT_TIMEOUT_MS)
