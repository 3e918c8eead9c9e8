"""On PostgreSQL, the database itself refuses to change or delete decisions and events."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("reviews_decision", "reviews_decision_cited_clauses", "reviews_proposalevent")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION reviews_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: they are never updated or deleted', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # Why: params=None keeps the "%" of the PL/pgSQL message away from parameter merging.
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION reviews_refuse_change();"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS reviews_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
