"""Suggestions ("did you mean"): for each word the index does not hold, the nearest word its
own vocabulary does, by trigram similarity on PostgreSQL and by difflib's ratio over the FTS5
vocabulary on SQLite.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence

from django.core.cache import cache
from django.db import connection

from .candidates import on_postgresql

# How alike a held word must be to the typed one to be offered instead: trigram similarity on
# PostgreSQL (pg_trgm's own threshold, 0.3, offers "are" for "art"), difflib's ratio on SQLite.
MIN_SIMILARITY = 0.45
MIN_RATIO = 0.75
# How long a nearest word found is kept (the key also changes when the vocabulary grows).
NEAREST_CACHE_SECONDS = 3600


def suggest(words: Sequence[str]) -> tuple[str, ...]:
    """``words`` with each word the index does not hold replaced by its nearest held word;
    () when every word is held or one has no near word."""
    held, generation = _held_words(words)
    if all(word in held for word in words):
        return ()
    out = []
    for word in words:
        if word in held:
            out.append(word)
            continue
        nearest = _cached_nearest_word(word, generation)
        if not nearest:
            return ()
        out.append(nearest)
    return tuple(out)


def _cached_nearest_word(word: str, generation: str) -> str:
    """``_nearest_word``, kept in the cache for the vocabulary it was found in.

    Why the generation in the key: PostgreSQL's word table only grows, so its size and last
    word change whenever a word is added; a suggestion found before is then looked up again.
    SQLite's vocabulary has no such cheap mark, so there it is not kept (``generation`` "").
    """
    if not generation:
        return _nearest_word(word)
    digest = hashlib.sha256(word.encode()).hexdigest()[:32]
    key = f"sta:search:nearest:{connection.settings_dict['NAME']}:{generation}:{digest}"
    found = cache.get(key)
    if isinstance(found, str):
        return found
    nearest = _nearest_word(word)
    cache.set(key, nearest, NEAREST_CACHE_SECONDS)
    return nearest


def _held_words(words: Sequence[str]) -> tuple[set[str], str]:
    """Which of ``words`` the index holds, and a mark of the vocabulary's state ("" on
    SQLite), in one query."""
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute(
                "SELECT array(SELECT word FROM clauses_search_word WHERE word = ANY(%s)), "
                "(SELECT count(*) FROM clauses_search_word), "
                "(SELECT max(word) FROM clauses_search_word)",
                [list(words)],
            )
            held, size, last = cursor.fetchone()
            return set(held), f"{size}:{hashlib.sha256((last or '').encode()).hexdigest()[:16]}"
        else:
            cursor.execute(
                "SELECT term FROM clauses_clause_vocab "
                "WHERE term IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(words))],
            )
        return {row[0] for row in cursor.fetchall()}, ""


def _nearest_word(word: str) -> str:
    """The held word most like ``word``: by trigram similarity on PostgreSQL; on SQLite by
    difflib's ratio among the held words beginning with its first or second letter."""
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute(
                "SELECT word FROM clauses_search_word WHERE word %% %s "
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                [word, word, MIN_SIMILARITY, word],
            )
            row = cursor.fetchone()
            return str(row[0]) if row else ""
        # Why two ranges: the vocabulary is read by its first letter, and a typo may be there.
        first, second = word[0], word[1] if len(word) > 1 else word[0]
        cursor.execute(
            "SELECT term FROM clauses_clause_vocab "
            "WHERE ((term >= %s AND term < %s) OR (term >= %s AND term < %s)) "
            "AND length(term) BETWEEN %s AND %s",
            [
                first,
                first + "\U0010ffff",
                second,
                second + "\U0010ffff",
                max(3, len(word) - 2),
                len(word) + 2,
            ],
        )
        held = [row[0] for row in cursor.fetchall() if not row[0].isdigit()]
    close = difflib.get_close_matches(word, held, n=1, cutoff=MIN_RATIO)
    return close[0] if close else ""
