"""Counting the matching clauses and ranking them, grouped into provisions (an agreement's
clause key through its versions), best first.

A word found in very many clauses costs most in counting and ranking every match. On
PostgreSQL the count is therefore exact up to ``EXACT_COUNT_LIMIT`` matches and beyond that the
planner's estimate (said so on the page and in the API); for a word in at least ``COMMON_SHARE``
of all clauses, ranking then runs over the ``RANKED_CANDIDATES`` most recently added matches
rather than over all of them. These are read when a search runs, here: a test changes them on
this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from clauses.models import Clause

from .candidates import on_postgresql

# Past this many matches, counting them all is what costs: the count becomes an estimate.
EXACT_COUNT_LIMIT = 1000
# ... and the matches ranked are this many, the most recently added ones.
RANKED_CANDIDATES = 1000
# Only a word in this share of all clauses or more: a rarer one's matches are few enough to count
# and rank in full, and too scattered to find by walking back through the newest clauses.
COMMON_SHARE = 0.05


def _ordered(groups: Iterable[Sequence[Any]]) -> list[tuple[int, str, float, int]]:
    """Provisions (agreement id, key, best rank, newest version id) best first; ties go to the
    provision in the latest version, then by key."""
    rows = [(int(a), str(k), float(best or 0.0), int(newest)) for a, k, best, newest in groups]
    rows.sort(key=lambda g: (-g[2], -g[3], g[1]))
    return rows


@dataclass(frozen=True)
class FirstLook:
    """What the first query of a search learns: how many clauses match, up to one more than
    ``EXACT_COUNT_LIMIT``; the provisions they are when that is all of them (else None); the
    stems of the words, the table's estimated size and its newest id (PostgreSQL)."""

    found: int
    groups: list[tuple[int, str, float, int]] | None
    lexemes: tuple[str, ...] = ()
    table_rows: float = 0.0
    newest: int = 0


def first_look(clauses: QuerySet[Clause], rank: Any, words: Sequence[str]) -> FirstLook:
    """One query: the first ``EXACT_COUNT_LIMIT`` + 1 matches, counted and, when they are all
    the matches, grouped into provisions; on PostgreSQL with the stems of ``words`` and the
    figures ``ranked_provisions`` needs past the limit.

    Why one: a search of a word found in fewer clauses than the limit (most words) then costs
    this query, the page's versions and clauses and the instruments' texts, and nothing else.
    """
    extra, extra_params = "", []
    postgresql = on_postgresql()
    if postgresql:
        extra = (
            ", (SELECT array(SELECT lexeme FROM unnest(to_tsvector('english'::regconfig, %s))))"
            ", (SELECT reltuples FROM pg_class WHERE oid = 'clauses_clause'::regclass)"
            ", (SELECT max(id) FROM clauses_clause)"
        )
        extra_params = [" ".join(words)]
    try:
        head, groups = _counted_and_grouped(
            clauses.order_by(),
            rank,
            limit=EXACT_COUNT_LIMIT + 1,
            extra=extra,
            extra_params=extra_params,
            group_at_most=EXACT_COUNT_LIMIT,
        )
    except EmptyResultSet:
        # A filter no clause can pass (no version in force on the day asked for).
        return FirstLook(0, [], _lexemes(words) if postgresql else ())
    found = int(head[0])
    lexemes: tuple[str, ...] = ()
    table_rows, newest = 0.0, 0
    if postgresql:
        lexemes = tuple(head[1] or ()) if words else ()
        table_rows, newest = float(head[2] or 0.0), int(head[3] or 0)
    if found > EXACT_COUNT_LIMIT:
        return FirstLook(found, None, lexemes, table_rows, newest)
    return FirstLook(found, groups, lexemes, table_rows, newest)


def _counted_and_grouped(
    matches: QuerySet[Clause],
    rank: Any,
    *,
    limit: int | None = None,
    extra: str = "",
    extra_params: Sequence[Any] = (),
    group_at_most: int | None = None,
) -> tuple[Sequence[Any], list[tuple[int, str, float, int]]]:
    """One statement: how many of ``matches`` (their first ``limit``, in their order) there
    are, the scalar subqueries of ``extra`` after it, and the provisions they are, ranked by
    ``rank`` (only when they are at most ``group_at_most``; else no provision).

    Why the versions are joined only to the matches taken: inside the limit, PostgreSQL read
    every version for each match of a Chinese word (its estimate of one match made that look
    cheap), 41 ms instead of 15. Why the grouping's own condition on the count, not the join's:
    it is then evaluated once, before grouping, and a word past the limit is neither grouped
    nor sorted for nothing. Why taken in the statement and not fetched first: the planner
    cannot join them to every match, and no list of ids travels back and forth.
    """
    taken = matches.annotate(score=rank).values_list("key", "score", "version_id")
    if limit is not None:
        taken = taken[:limit]
    inner, inner_params = taken.query.sql_with_params()
    condition, condition_params = "", []
    if group_at_most is not None:
        condition, condition_params = "WHERE (SELECT count(*) FROM m) <= %s ", [group_at_most]
    # The SQL is the ORM's own and constant text; the user's words travel as parameters.
    sql = (  # nosec B608
        f"WITH m(key, score, version_id) AS MATERIALIZED ({inner}) "  # noqa: S608  # nosec B608
        "SELECT t.*, g.agreement_id, g.key, g.best, g.newest "
        f"FROM (SELECT (SELECT count(*) FROM m){extra}) AS t "
        "LEFT JOIN (SELECT v.agreement_id, m.key, max(m.score) AS best, "
        "max(m.version_id) AS newest FROM m JOIN clauses_version AS v ON v.id = m.version_id "
        f"{condition}GROUP BY v.agreement_id, m.key) AS g ON 1 = 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *extra_params, *condition_params])
        rows = cursor.fetchall()
    return rows[0][:-4], _ordered(row[-4:] for row in rows if row[-4] is not None)


@dataclass(frozen=True)
class Ranking:
    """The provisions found, best first, and the count a page shows: the clauses found (the
    planner's estimate, rounded, when ``estimated``) and how many matches were ranked when
    only the newest were (else 0)."""

    groups: list[tuple[int, str, float, int]]
    clause_total: int
    estimated: bool = False
    ranked_among: int = 0


def ranked_provisions(clauses: QuerySet[Clause], rank: Any, look: FirstLook) -> Ranking:
    """The provisions ``clauses`` are, ranked by ``rank``: those of ``look`` when it found them
    all, else grouped here from every match, or from the newest of a common word's."""
    if look.groups is not None:
        return Ranking(look.groups, look.found)
    if look.table_rows <= 0:
        # SQLite, or a table never analysed: no estimate to trust, so every match is counted,
        # in the statement that groups them.
        head, groups = _counted_and_grouped(clauses.order_by(), rank)
        return Ranking(groups, int(head[0]))
    clause_total, share = _estimated(clauses, look)
    if share < COMMON_SHARE:
        _, groups = _counted_and_grouped(clauses.order_by(), rank)
        return Ranking(groups, clause_total, estimated=True)
    # Why: ranking every match of a common word sorts them all; the newest are found by
    # walking the primary key backwards through a window expected to hold twice as many as
    # needed, which stops early.
    window = math.ceil(2 * RANKED_CANDIDATES / share)
    latest = clauses.filter(pk__gt=look.newest - window).order_by("-pk")
    head, groups = _counted_and_grouped(latest, rank, limit=RANKED_CANDIDATES)
    return Ranking(groups, clause_total, estimated=True, ranked_among=int(head[0]))


def _lexemes(words: Sequence[str]) -> tuple[str, ...]:
    """The stems PostgreSQL matches for ``words``, to highlight the forms it found."""
    if not words:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM unnest(to_tsvector('english'::regconfig, %s))",
            [" ".join(words)],
        )
        return tuple(row[0] for row in cursor.fetchall())


def _estimated(clauses: QuerySet[Clause], look: FirstLook) -> tuple[int, float]:
    """For more matches than ``EXACT_COUNT_LIMIT``, on an analysed PostgreSQL table: their
    number, PostgreSQL's estimate for the query (from the index's statistics) to three
    figures, and the estimated share of all clauses they are."""
    estimate = _estimated_rows(clauses.order_by().values("pk"))
    figures = max(len(str(estimate)) - 3, 0)
    share = min(estimate / look.table_rows, 1.0)
    return max(round(estimate, -figures), look.found), share


def _estimated_rows(queryset: QuerySet[Any]) -> int:
    plan: Any = queryset.explain(format="json")
    if isinstance(plan, str):
        plan = json.loads(plan) if plan.strip() else [{"Plan": {"Plan Rows": 0}}]
    return int(plan[0]["Plan"]["Plan Rows"])
