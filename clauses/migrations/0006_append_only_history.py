"""On PostgreSQL, the history tables of the corpus refuse UPDATE, DELETE and TRUNCATE."""

from typing import Any

from django.db import migrations

from sta_tracker import append_only

FUNCTION = "clauses_refuse_change"
TABLES = (
    "clauses_historicalagreement",
    "clauses_historicalinstrument",
    "clauses_historicalagreementevent",
    "clauses_historicalversion",
    "clauses_historicalclause",
)


def install(apps: Any, schema_editor: Any) -> None:
    append_only.create_function(schema_editor, FUNCTION)
    append_only.refuse_row_changes(schema_editor, FUNCTION, TABLES)
    append_only.refuse_truncate(schema_editor, FUNCTION, TABLES)


def remove(apps: Any, schema_editor: Any) -> None:
    append_only.allow_truncate(schema_editor, TABLES)
    append_only.allow_row_changes(schema_editor, TABLES)
    append_only.drop_function(schema_editor, FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("clauses", "0005_clause_search_vector")]

    operations = [migrations.RunPython(install, remove)]
