from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

# The review personas and data of the review tests, shared rather than redefined.
from tests.reviews.conftest import grace, lists, sta  # noqa: F401


@contextmanager
def triggers_off() -> Iterator[Any]:
    """A cursor that writes past the append-only triggers, as a database superuser could.

    On PostgreSQL triggers are skipped for the statements inside; SQLite has none to skip.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
