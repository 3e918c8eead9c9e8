"""On PostgreSQL, the database itself refuses to change or delete decisions and events."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
TABLES = ("reviews_decision", "reviews_decision_cited_clauses", "reviews_proposalevent")


def create(apps: Any, schema_editor: Any) -> None:
    append_only.create_function(schema_editor, FUNCTION)
    append_only.refuse_row_changes(schema_editor, FUNCTION, TABLES)


def drop(apps: Any, schema_editor: Any) -> None:
    append_only.allow_row_changes(schema_editor, TABLES)
    append_only.drop_function(schema_editor, FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
