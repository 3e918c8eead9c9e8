"""Indexes for clause search on PostgreSQL: English full text, and trigrams for Chinese text.

The expressions must stay identical to ``PG_VECTOR`` and ``PG_DOCUMENT`` in
``sta_tracker.search.candidates``, or the planner will not use the indexes. SQLite has neither
feature and gets no index here: its full-text tables come with migration 0016.
"""

from django.db import migrations

DOCUMENT = "(\"heading\" || ' ' || \"text\")"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS clause_search_english ON clauses_clause "
    f"USING gin (to_tsvector('english'::regconfig, {DOCUMENT}))",
    "CREATE INDEX IF NOT EXISTS clause_search_trigram ON clauses_clause "
    f"USING gin ({DOCUMENT} gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS clause_search_trigram",
    "DROP INDEX IF EXISTS clause_search_english",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0002_importjob"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
