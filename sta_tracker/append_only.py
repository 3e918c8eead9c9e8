"""Database triggers that make audit tables append-only, for the migrations that install them.

On PostgreSQL a row trigger refuses UPDATE and DELETE and a statement trigger refuses TRUNCATE,
whoever asks: the application, the admin, a shell. Other databases (SQLite in the demo) rely on
the models' own refusals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: they are never updated or deleted', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def create_function(schema_editor: Any, name: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # Why: params=None keeps the "%" of the PL/pgSQL message away from parameter merging.
        schema_editor.execute(FUNCTION.format(name=name), params=None)


def drop_function(schema_editor: Any, name: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")


def refuse_row_changes(schema_editor: Any, function: str, tables: Iterable[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        )


def allow_row_changes(schema_editor: Any, tables: Iterable[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")


def refuse_truncate(schema_editor: Any, function: str, tables: Iterable[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )


def allow_truncate(schema_editor: Any, tables: Iterable[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")


def refuse_changes(schema_editor: Any, function: str, tables: Iterable[str]) -> None:
    """Make every table refuse UPDATE, DELETE and TRUNCATE: the install step of most migrations."""
    tables = tuple(tables)
    refuse_row_changes(schema_editor, function, tables)
    refuse_truncate(schema_editor, function, tables)


def allow_changes(schema_editor: Any, tables: Iterable[str]) -> None:
    """Undo refuse_changes, in the reverse order, for a migration run backwards."""
    tables = tuple(tables)
    allow_truncate(schema_editor, tables)
    allow_row_changes(schema_editor, tables)


def operation(function: str, tables: Iterable[str]) -> Any:
    """A RunPython that installs refuse_changes on the tables and removes it when reversed.

    Why here: five migrations wrote the same install/remove pair; the SQL they emit is unchanged.
    """
    from django.db import migrations

    tables = tuple(tables)

    def install(apps: Any, schema_editor: Any) -> None:
        refuse_changes(schema_editor, function, tables)

    def remove(apps: Any, schema_editor: Any) -> None:
        allow_changes(schema_editor, tables)

    return migrations.RunPython(install, remove)
