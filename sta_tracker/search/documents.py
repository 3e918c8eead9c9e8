"""The provisions of instruments' own texts (a protocol, an exchange of letters) holding every
term of the query."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from clauses.models import Agreement

from .highlighting import Patterns, highlight, snippet
from .results import DocumentHit
from .terms import Terms

# Why written out and not built by the ORM: building and compiling the query, its three joins
# and every column of four models, took longer than running it (often for no match at all).
_DOCUMENTS_SQL = (
    'SELECT dc."key", dc."number", dc."heading", dc."text", i."title", i."slug", a."slug", '
    'a."short_title" FROM "clauses_documentclause" AS dc '
    'JOIN "clauses_instrumentdocument" AS d ON d."id" = dc."document_id" '
    'JOIN "clauses_instrument" AS i ON i."id" = d."instrument_id" '
    'JOIN "clauses_agreement" AS a ON a."id" = i."agreement_id" '
    "WHERE {conditions} "
    'ORDER BY i."signed_on" DESC, dc."document_id" ASC, dc."order" ASC LIMIT %s'
)


_HEADING, _TEXT = 'dc."heading"', 'dc."text"'


def _contains(column: str) -> str:
    """``column`` holds a parameter's text, in any case: SQL as the ORM's ``icontains`` writes
    it on this database."""
    cast = connection.ops.lookup_cast("icontains", "TextField") % column
    return f"{cast} {connection.operators['icontains'] % '%s'}"


def _pattern(term: str) -> str:
    """The parameter of ``_contains`` for ``term``: its wildcards taken literally."""
    return f"%{connection.ops.prep_for_like_query(term)}%"


def document_hits(
    terms: Terms, patterns: Patterns, *, agreement: Agreement | None, limit: int
) -> tuple[tuple[DocumentHit, ...], bool]:
    """Provisions of instruments' own texts holding every term as typed, in one query.

    Why substrings on every database: these texts are few and short, and no index serves them.
    """
    conditions: list[str] = []
    params: list[int | str] = []
    if agreement is not None:
        conditions.append('i."agreement_id" = %s')
        params.append(agreement.pk)
    either = f"({_contains(_HEADING)} OR {_contains(_TEXT)})"
    for term in terms.all:
        conditions.append(either)
        params += [_pattern(term), _pattern(term)]
    # The SQL is constant but for how many terms there are; they travel as parameters.
    sql = _DOCUMENTS_SQL.format(conditions=" AND ".join(conditions) or "1 = 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit + 1])
        found = cursor.fetchall()
    hits = []
    for key, number, heading, text, title, slug, agreement_slug, agreement_title in found[:limit]:
        hits.append(
            DocumentHit(
                instrument_title=title,
                agreement_title=agreement_title,
                number=number,
                heading_html=highlight(heading, patterns),
                snippet_html=snippet(text, patterns),
                url=reverse("clauses:instrument_detail", args=[agreement_slug, slug])
                + f"#{key.replace('__', '-')}",
            )
        )
    return tuple(hits), len(found) > limit
