"""The benchmarks' own PostgreSQL databases."""

from __future__ import annotations

from urllib.parse import urlparse


def create_database(url: str, *, fresh: bool) -> None:
    """Create the PostgreSQL database ``url`` names if it is missing (``fresh``: drop it first)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
