"""Which clauses match a query's terms, within its filters, and their rank as an expression.

Words are matched per database: PostgreSQL's English full text over a stored vector
(GIN-indexed: migration ``clause_search_vector``), SQLite's FTS5 with the Porter stemmer ranked
by bm25 (migration ``0016_search_provisions``). Runs of Chinese, Japanese or Korean characters
are matched as typed, which an index of character pairs serves on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import CombinedExpression, Expression, RawSQL
from django.db.models.functions import Cast, Concat, Length, Lower, Replace

from clauses.models import Agreement, ChangeKind, Clause, Version

from .terms import Terms, label_pattern

# Why: the indexes (migrations ``clause_search_index`` and ``clause_search_vector``) are on
# exactly these expressions; a query spelled differently would not use them.
PG_DOCUMENT = '("clauses_clause"."heading" || \' \' || "clauses_clause"."text")'
# A column kept by a trigger on PostgreSQL only; it is not a field of the model.
PG_VECTOR = '"clauses_clause"."search_vector"'
PG_BIGRAMS = f"sta_cjk_bigrams({PG_DOCUMENT})"
# SQLite's FTS5 tables (migration ``0016_search_provisions``).
FTS_MATCH_SQL = (
    '"clauses_clause"."id" IN '
    "(SELECT rowid FROM clauses_clause_fts WHERE clauses_clause_fts MATCH %s)"
)
FTS_RANK_SQL = (
    "(SELECT -bm25(clauses_clause_fts) FROM clauses_clause_fts "
    'WHERE clauses_clause_fts MATCH %s AND clauses_clause_fts.rowid = "clauses_clause"."id")'
)

CLAUSE_FIELDS = ("heading", "text")


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Filters:
    agreement: Agreement | None = None
    version: Version | None = None
    in_force_on: dt.date | None = None
    language: str = ""
    kind: str = ""


def versions_in_force(day: dt.date, agreement: Agreement | None = None) -> list[Version]:
    """The one version of each agreement in force on ``day``, by ``clauses.record.inforce``."""
    versions = Version.objects.all()
    if agreement is not None:
        versions = versions.filter(agreement=agreement)
    return versions.in_force_versions(day)


def _occurrences(document: Any, term: str) -> Expression:
    """How many times ``term`` (already lower-case) occurs in ``document``, in SQL."""
    lowered = Lower(document)
    removed = Length(lowered) - Length(Replace(lowered, Value(term), Value("")))
    return Cast(removed, FloatField()) / Value(float(len(term)))


def _substring_match(fields: Sequence[str], term: str, *, indexed: bool) -> Any:
    if fields == CLAUSE_FIELDS and on_postgresql():
        return _pg_fragment_match(term, indexed=indexed)
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": term})
    return match


def _pg_fragment_match(term: str, *, indexed: bool) -> Any:
    """A run of Chinese (or Japanese, Korean) characters anywhere in a clause, on PostgreSQL.

    ``indexed``, every character pair of the run must be in the clause (which the bigram index
    answers), and then the run itself, as a substring. Not ``indexed``, only the run, which is
    the same test (the run holds its pairs) without computing the clause's pairs: for testing
    clauses already found.
    """
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    pairs = [term[i : i + 2] for i in range(len(term) - 1)]
    sql: str
    params: list[Any]
    if not pairs or not indexed:
        # A single character has no pair to look up, so every clause is read.
        sql, params = f"{PG_DOCUMENT} ILIKE %s", [pattern]
    else:
        sql, params = f"{PG_BIGRAMS} @> %s::text[] AND {PG_DOCUMENT} ILIKE %s", [pairs, pattern]
    # The SQL is constant; the user's term travels only as parameters.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611  # nosec B611


def _document(fields: Sequence[str]) -> Concat:
    parts: list[Any] = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(F(name))
    return Concat(*parts, output_field=TextField())


def ranked_by_occurrences(
    queryset: QuerySet[Any], fields: Sequence[str], terms: Iterable[str], *, indexed: bool = True
) -> tuple[QuerySet[Any], Any]:
    rank: Any = Value(0.0)
    document = _document(fields)
    for term in terms:
        queryset = queryset.filter(_substring_match(fields, term, indexed=indexed))
        rank = CombinedExpression(rank, "+", _occurrences(document, term), FloatField())
    return queryset, rank


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 query holding every word as a phrase of its own (so none is read as syntax)."""
    return " ".join('"' + word.replace('"', "") + '"' for word in words)


def clause_queryset(
    terms: Terms, filters: Filters
) -> tuple[QuerySet[Clause], Any, QuerySet[Clause]]:
    """The matching clauses, their rank as an expression (higher is better), and the same
    matches as a test of clauses already found (which of a provision's clauses match)."""
    clauses: QuerySet[Clause] = Clause.objects.exclude(change=ChangeKind.REPEALED)
    if filters.agreement is not None:
        clauses = clauses.filter(version__agreement=filters.agreement)
    if filters.version is not None:
        clauses = clauses.filter(version=filters.version)
    if filters.in_force_on is not None:
        chosen = versions_in_force(filters.in_force_on, filters.agreement)
        clauses = clauses.filter(version__in=[v.pk for v in chosen])
    if filters.language:
        clauses = clauses.filter(language=filters.language)
    if filters.kind:
        clauses = clauses.filter(kind=filters.kind)
    rank: Any = Value(0.0)
    if terms.words:
        if on_postgresql():
            tsquery = "plainto_tsquery('english'::regconfig, %s)"
            phrase = " ".join(terms.words)
            # The SQL is constant; the user's words travel only as parameters.
            clauses = clauses.filter(
                RawSQL(f"{PG_VECTOR} @@ {tsquery}", [phrase], output_field=BooleanField())  # noqa: S611  # nosec B611
            )
            rank = RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", [phrase], output_field=FloatField())  # noqa: S611  # nosec B611
        else:
            match = fts_query(terms.words)
            clauses = clauses.filter(
                RawSQL(  # noqa: S611  # nosec B611 - constant SQL, the words as a parameter
                    FTS_MATCH_SQL,
                    [match],
                    output_field=BooleanField(),
                )
            )
            # bm25 is lower for a better match; negated, higher is better as on PostgreSQL.
            rank = RawSQL(  # noqa: S611  # nosec B611 - constant SQL, the words as a parameter
                FTS_RANK_SQL,
                [match],
                output_field=FloatField(),
            )
    for label in terms.labels:
        # Why after the words: the full-text match narrows the clauses the expression reads.
        pattern = label_pattern(label, postgresql=on_postgresql())
        clauses = clauses.filter(Q(heading__iregex=pattern) | Q(text__iregex=pattern))
    tested = clauses
    if terms.fragments:
        tested, _ = ranked_by_occurrences(clauses, CLAUSE_FIELDS, terms.fragments, indexed=False)
        clauses, occurrences = ranked_by_occurrences(clauses, CLAUSE_FIELDS, terms.fragments)
        # Why: ts_rank is at most about 1; a fragment's count must not drown it.
        rank = CombinedExpression(
            rank, "+", CombinedExpression(occurrences, "/", Value(10.0), FloatField()), FloatField()
        )
    return clauses, rank, tested
