"""Faster clause search on PostgreSQL: a stored word vector, and character bigrams for Chinese.

Ranking needs each matching clause's vector; an expression index only finds the clauses, so the
vector was recomputed for every match, which took seconds for common words in a large corpus. A
column kept by a trigger holds it instead (a trigger, not a generated column, because a generated
column would forbid later migrations from changing the type of ``heading`` or ``text``). The
column is not on the Django model: only ``sta_tracker.search`` reads it.

Trigrams cannot serve a two-character Chinese word, the commonest kind, so an index of the
character bigrams of Chinese, Japanese and Korean runs replaces the trigram index. SQLite has
none of this; search there matches substrings.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE clauses_clause ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "DROP TRIGGER IF EXISTS clause_search_vector_update ON clauses_clause",
    "CREATE TRIGGER clause_search_vector_update "
    "BEFORE INSERT OR UPDATE OF heading, text ON clauses_clause FOR EACH ROW "
    "EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.english', heading, text)",
    # Fill the column for clauses written before the trigger existed.
    "UPDATE clauses_clause SET search_vector = "
    "to_tsvector('pg_catalog.english', coalesce(heading, '') || ' ' || coalesce(text, ''))",
    "CREATE INDEX IF NOT EXISTS clause_search_vector ON clauses_clause USING gin (search_vector)",
    "DROP INDEX IF EXISTS clause_search_english",
    r"""
    CREATE OR REPLACE FUNCTION sta_cjk_bigrams(doc text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT gram), '{}')
      FROM (
        SELECT substr(runs, i, 2) AS gram
        FROM regexp_replace(
               doc, '[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+', ' ', 'g'
             ) AS runs,
             generate_series(1, length(runs) - 1) AS i
      ) AS grams
      WHERE gram !~ ' '
    $$
    """,
    "CREATE INDEX IF NOT EXISTS clause_search_cjk_bigrams ON clauses_clause "
    "USING gin (sta_cjk_bigrams((\"heading\" || ' ' || \"text\")))",
    "DROP INDEX IF EXISTS clause_search_trigram",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS clause_search_trigram ON clauses_clause "
    "USING gin ((\"heading\" || ' ' || \"text\") gin_trgm_ops)",
    "DROP INDEX IF EXISTS clause_search_cjk_bigrams",
    "DROP FUNCTION IF EXISTS sta_cjk_bigrams(text)",
    "CREATE INDEX IF NOT EXISTS clause_search_english ON clauses_clause "
    "USING gin (to_tsvector('english'::regconfig, (\"heading\" || ' ' || \"text\")))",
    "DROP TRIGGER IF EXISTS clause_search_vector_update ON clauses_clause",
    "ALTER TABLE clauses_clause DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            # Why: no parameters, so nothing in a function body is read as a placeholder.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0004_history_reason_text"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
