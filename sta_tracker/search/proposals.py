"""The proposals a reader may see whose text holds every term of the query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import NoReverseMatch, reverse

from reviews.models import Proposal

from .candidates import Filters, ranked_by_occurrences
from .highlighting import Patterns, highlight, snippet
from .results import ProposalHit
from .terms import Terms

PROPOSAL_FIELDS = (
    "title",
    "summary",
    "scientific_field__name",
    "principal_investigator",
    "us_agency__name",
    "data_description",
)


def _proposal_text(proposal: Any, path: str) -> str:
    """The text at ``path`` (``us_agency__name`` follows the agency), or "" where none."""
    value = proposal
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def _proposal_url(pk: int) -> str:
    """The proposal's page, or its API address while the review pages are not there."""
    for name in ("reviews:proposal_detail", "api-proposal-detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


def proposal_hits(
    user: AbstractBaseUser | AnonymousUser,
    terms: Terms,
    patterns: Patterns,
    filters: Filters,
    *,
    limit: int,
) -> tuple[int, tuple[ProposalHit, ...]]:
    """Proposals ``user`` may see whose text holds every term, matched as substrings.

    Why substrings on every database: proposals are few, and their text is short.
    """
    proposals = Proposal.objects.visible_to(user)
    # Why: a reader who may see no proposal costs no query (and no building of one).
    if proposals.query.is_empty():
        return 0, ()
    if filters.agreement is not None:
        proposals = proposals.filter(cited_clauses__version__agreement=filters.agreement)
    if filters.version is not None:
        proposals = proposals.filter(cited_clauses__version=filters.version)
    if filters.agreement is not None or filters.version is not None:
        proposals = proposals.distinct()
    matched, rank = ranked_by_occurrences(proposals, PROPOSAL_FIELDS, terms.all)
    matched = matched.annotate(rank=rank).order_by("-rank", "-updated_at", "-pk")
    # Why one more than shown: counting is then needed only when there are more.
    found = list(matched.select_related("scientific_field", "us_agency")[: limit + 1])
    total = len(found) if len(found) <= limit else matched.count()
    hits = []
    for proposal in found[:limit]:
        body = next(
            (
                _proposal_text(proposal, f)
                for f in PROPOSAL_FIELDS[1:]
                if patterns.spans(_proposal_text(proposal, f))
            ),
            proposal.summary,
        )
        hits.append(
            ProposalHit(
                proposal_id=proposal.pk,
                title=proposal.title,
                title_html=highlight(proposal.title, patterns),
                state=proposal.state,
                state_label=proposal.state_label,
                snippet_html=snippet(body, patterns),
                url=_proposal_url(proposal.pk),
                rank=round(float(proposal.rank), 6),
            )
        )
    return total, tuple(hits)
