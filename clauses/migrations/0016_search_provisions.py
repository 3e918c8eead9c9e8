"""Search on SQLite through FTS5, and a vocabulary of the clause texts on both databases.

SQLite: ``clauses_clause_fts`` indexes every clause's heading and text with the Porter stemmer
(ranked by bm25); ``clauses_clause_words`` indexes the same words unstemmed, and
``clauses_clause_vocab`` lists them: the words "did you mean" chooses from. Both are external
content tables over ``clauses_clause``, kept in step by triggers on insert, update and delete,
so publishing, corrections and deletions need nothing of the writer.

PostgreSQL: ``clauses_search_word`` holds every word of three letters or more that a clause has
held, filled by a trigger and indexed by trigram (``pg_trgm``) for the nearest-word look-up.
A word is never taken out when a clause changes: a suggestion is only offered once a search for
it has found something.

Note for later migrations: on SQLite, rebuilding ``clauses_clause`` drops these triggers; such a
migration must run ``SQLITE_TRIGGERS`` again (``tests/search/test_index_in_step.py`` fails if not).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS clauses_clause_fts USING fts5("
    "heading, text, content='clauses_clause', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS clauses_clause_words USING fts5("
    "heading, text, content='clauses_clause', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', detail='none')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS clauses_clause_vocab "
    "USING fts5vocab(clauses_clause_words, 'row')",
]
# Written out in full (no names put together) so that each statement reads as it runs.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS clauses_clause_fts_insert",
    "DROP TRIGGER IF EXISTS clauses_clause_fts_delete",
    "DROP TRIGGER IF EXISTS clauses_clause_fts_update",
    "CREATE TRIGGER clauses_clause_fts_insert AFTER INSERT ON clauses_clause BEGIN "
    "INSERT INTO clauses_clause_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text); "
    "INSERT INTO clauses_clause_words(rowid, heading, text) VALUES (new.id, new.heading, new.text); "
    "END",
    "CREATE TRIGGER clauses_clause_fts_delete AFTER DELETE ON clauses_clause BEGIN "
    "INSERT INTO clauses_clause_fts(clauses_clause_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); "
    "INSERT INTO clauses_clause_words(clauses_clause_words, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); "
    "END",
    "CREATE TRIGGER clauses_clause_fts_update AFTER UPDATE OF heading, text ON clauses_clause "
    "BEGIN "
    "INSERT INTO clauses_clause_fts(clauses_clause_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); "
    "INSERT INTO clauses_clause_words(clauses_clause_words, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); "
    "INSERT INTO clauses_clause_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text); "
    "INSERT INTO clauses_clause_words(rowid, heading, text) VALUES (new.id, new.heading, new.text); "
    "END",
    # Index the clauses written before the triggers existed.
    "INSERT INTO clauses_clause_fts(clauses_clause_fts) VALUES ('rebuild')",
    "INSERT INTO clauses_clause_words(clauses_clause_words) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS clauses_clause_fts_insert",
    "DROP TRIGGER IF EXISTS clauses_clause_fts_delete",
    "DROP TRIGGER IF EXISTS clauses_clause_fts_update",
    "DROP TABLE IF EXISTS clauses_clause_vocab",
    "DROP TABLE IF EXISTS clauses_clause_words",
    "DROP TABLE IF EXISTS clauses_clause_fts",
]

# Words: letters only, 3 to 40 of them, no Chinese, Japanese or Korean (searched as typed).
PG_WORDS = (
    "SELECT DISTINCT w FROM regexp_split_to_table(lower({doc}), '[^[:alpha:]]+') AS w "
    "WHERE length(w) BETWEEN 3 AND 40 "
    "AND w !~ '[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af]'"
)
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS clauses_search_word (word text PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS clauses_search_word_trigram ON clauses_search_word "
    "USING gin (word gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION clauses_search_word_add() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO clauses_search_word (word) "
    + PG_WORDS.format(doc="coalesce(NEW.heading, '') || ' ' || coalesce(NEW.text, '')")
    + " ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS clauses_search_word_update ON clauses_clause",
    "CREATE TRIGGER clauses_search_word_update "
    "AFTER INSERT OR UPDATE OF heading, text ON clauses_clause FOR EACH ROW "
    "EXECUTE FUNCTION clauses_search_word_add()",
    "INSERT INTO clauses_search_word (word) SELECT DISTINCT w FROM clauses_clause, "
    "regexp_split_to_table(lower(heading || ' ' || text), '[^[:alpha:]]+') AS w "
    "WHERE length(w) BETWEEN 3 AND 40 "
    "AND w !~ '[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af]' "
    "ON CONFLICT DO NOTHING",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS clauses_search_word_update ON clauses_clause",
    "DROP FUNCTION IF EXISTS clauses_search_word_add()",
    "DROP TABLE IF EXISTS clauses_search_word",
]


def _run(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, [])
        for statement in statements:
            # Why: no parameters, so nothing in a function body is read as a placeholder.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0015_compare_drafts"),
    ]

    operations = [
        migrations.RunPython(
            _run(PG_FORWARD, SQLITE_FORWARD + SQLITE_TRIGGERS),
            _run(PG_BACKWARD, SQLITE_BACKWARD),
            elidable=False,
        ),
    ]
