"""The provisions of instruments' own texts (a protocol, an exchange of letters) holding every
term of the query."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from clauses.models import Agreement, DocumentClause

from .highlighting import Patterns, highlight, snippet
from .results import DocumentHit
from .terms import Terms


def document_hits(
    terms: Terms, patterns: Patterns, *, agreement: Agreement | None, limit: int
) -> tuple[tuple[DocumentHit, ...], bool]:
    """Provisions of instruments' own texts holding every term as typed, in one query.

    Why substrings on every database: these texts are few and short, and no index serves them.
    """
    rows = DocumentClause.objects.select_related("document__instrument__agreement")
    if agreement is not None:
        rows = rows.filter(document__instrument__agreement=agreement)
    for term in terms.all:
        rows = rows.filter(Q(heading__icontains=term) | Q(text__icontains=term))
    found = list(
        rows.order_by("-document__instrument__signed_on", "document_id", "order")[: limit + 1]
    )
    hits = []
    for row in found[:limit]:
        instrument = row.document.instrument
        hits.append(
            DocumentHit(
                instrument_title=instrument.title,
                agreement_title=instrument.agreement.short_title,
                number=row.number,
                heading_html=highlight(row.heading, patterns),
                snippet_html=snippet(row.text, patterns),
                url=reverse(
                    "clauses:instrument_detail", args=[instrument.agreement.slug, instrument.slug]
                )
                + f"#{row.anchor}",
            )
        )
    return tuple(hits), len(found) > limit
