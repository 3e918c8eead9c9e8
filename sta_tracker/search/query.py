"""Search over the provisions of every agreement, instruments' own texts, and the proposals a
person may see: ``search`` and what it returns.

A provision is one clause key of one agreement, through all its versions: a search finds each
provision once, shows its latest matching text and says which versions hold it and where it
changed. Words in Latin script are stemmed and ranked on both databases (PostgreSQL's English
full text, SQLite's FTS5); Chinese, Japanese or Korean runs are matched as typed. A search
finding nothing offers the nearest words of the index's own vocabulary and shows what the
nearest finds.

The work is done by the modules beside this one, in the order a search runs:
``terms`` (the query's words), ``candidates`` (the matching clauses, per database),
``ranking`` (counting them, grouping them into provisions, best first), ``provisions``,
``proposals`` and ``documents`` (the hits of a page), ``highlighting`` (the marked matches),
``suggestions`` ("did you mean") and ``results`` (the dataclasses returned). The limits on
counting and ranking (``EXACT_COUNT_LIMIT``, ``RANKED_CANDIDATES``, ``COMMON_SHARE``) are read
in ``ranking``, and are not names of this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from clauses.models import DEFAULT_LANGUAGE, Agreement, Clause, ClauseKind, Version, language_name

from .candidates import Filters, clause_queryset, on_postgresql, versions_in_force
from .documents import document_hits
from .highlighting import Patterns, highlight, snippet
from .proposals import proposal_hits
from .provisions import provision_hits
from .ranking import first_look, ranked_provisions
from .results import DocumentHit, ProposalHit, ProvisionHit, SearchResults, VersionMention
from .suggestions import suggest
from .terms import (
    MAX_QUERY_LENGTH,
    SearchQueryError,
    Terms,
    ignored_message,
    query_terms,
    script_language,
)

FULL_TEXT = "full-text"
METHOD_NOTE = (
    "Words match in any form (cooperate finds cooperation); Chinese text matches the "
    "characters as typed."
)


def search(
    *,
    query: str,
    user: AbstractBaseUser | AnonymousUser,
    agreement: Agreement | None = None,
    version: Version | None = None,
    in_force_on: dt.date | None = None,
    language: str = "",
    kind: str = "",
    limit: int = 20,
    offset: int = 0,
    proposal_limit: int = 10,
    document_limit: int = 10,
    correct: bool = True,
) -> SearchResults:
    """Provisions matching every term of ``query``, best first, and the matching proposals
    ``user`` may see. Raises ``SearchQueryError`` for a query that cannot be searched.

    Finding no provision, the search looks for the nearest words the index holds; if they find
    something, those are the results, with ``corrected`` naming what was typed.
    """
    if kind and kind not in ClauseKind.values:
        raise SearchQueryError(f"“{kind}” is not a kind of clause.")
    filters = Filters(agreement, version, in_force_on, language, kind)
    terms = query_terms(query)
    results = _search(query, terms, user, filters, limit, offset, proposal_limit, document_limit)
    if results.total or not terms.words or not correct:
        return results
    nearer = suggest(terms.words)
    if not nearer:
        return results
    suggestion = " ".join([*nearer, *terms.fragments])
    try:
        found = _search(
            suggestion,
            query_terms(suggestion),
            user,
            filters,
            limit,
            offset,
            proposal_limit,
            document_limit,
        )
    except SearchQueryError:
        # The nearest word is one too common to search for: no suggestion then.
        return results
    if not found.total:
        return results
    return replace(found, corrected=query, suggestion=suggestion)


def _search(
    query: str,
    terms: Terms,
    user: AbstractBaseUser | AnonymousUser,
    filters: Filters,
    limit: int,
    offset: int,
    proposal_limit: int,
    document_limit: int,
) -> SearchResults:
    postgresql = on_postgresql()
    clauses, rank, tested = clause_queryset(terms, filters)
    look = first_look(clauses, rank, terms.words if postgresql else ())
    if postgresql and terms.words and not look.lexemes:
        if not terms.fragments:
            raise SearchQueryError(
                "Words as common as “" + " ".join(terms.words) + "” are not searched for; "
                "add a less common word."
            )
        # Rare: every word is one English does not index, so the fragments alone are looked for.
        terms = Terms((), terms.fragments, (), terms.ignored)
        clauses, rank, tested = clause_queryset(terms, filters)
        look = first_look(clauses, rank, ())
    # Why the words themselves on SQLite: FTS5 marks the clauses' forms itself; proposals and
    # instruments' texts are matched as typed, so their words start with the terms.
    patterns = Patterns.build(
        look.lexemes if postgresql else terms.words, terms.fragments, terms.labels
    )
    ranking = ranked_provisions(clauses, rank, look)
    groups = ranking.groups
    page = groups[offset : offset + limit]
    hits = provision_hits(page, tested, terms, patterns)
    proposal_total = 0
    proposals: tuple[ProposalHit, ...] = ()
    if proposal_limit > 0:
        proposal_total, proposals = proposal_hits(
            user, terms, patterns, filters, limit=proposal_limit
        )
    documents: tuple[DocumentHit, ...] = ()
    more_documents = False
    # Why: an instrument's own text belongs to no version, so a search within a version, a kind
    # or among the texts in force on a day leaves it out.
    if (
        document_limit > 0
        and filters.version is None
        and filters.in_force_on is None
        and not filters.kind
        and filters.language in ("", DEFAULT_LANGUAGE)
    ):
        documents, more_documents = document_hits(
            terms, patterns, agreement=filters.agreement, limit=document_limit
        )
    notices = tuple(dict.fromkeys(h.text_notice for h in hits if h.text_notice))
    return SearchResults(
        query=query,
        terms=terms.all,
        method=FULL_TEXT,
        method_note=METHOD_NOTE,
        total=len(groups),
        provisions=hits,
        clause_total=ranking.clause_total,
        proposal_total=proposal_total,
        proposals=proposals,
        documents=documents,
        more_documents=more_documents,
        total_estimated=ranking.estimated,
        ranked_among=ranking.ranked_among,
        notices=notices,
        language_message=_language_message(terms, filters, found=bool(groups)),
        ignored=terms.ignored,
        ignored_message=ignored_message(terms),
    )


def _language_message(terms: Terms, filters: Filters, *, found: bool) -> str:
    """A plain sentence when the language asked for, or the one the query is written in, has
    no text within the filters; "" otherwise (one query, only when it can matter)."""
    asked = filters.language or (script_language(terms.fragments) if not found else "")
    if not asked or asked == DEFAULT_LANGUAGE:
        return ""
    held = Clause.objects.filter(language=asked)
    if filters.agreement is not None:
        held = held.filter(version__agreement=filters.agreement)
    if filters.version is not None:
        held = held.filter(version=filters.version)
    if held.exists():
        return ""
    where = ""
    if filters.version is not None:
        where = f" of the {filters.version.title}"
    elif filters.agreement is not None:
        where = f" of {filters.agreement.short_title}"
    name = language_name(asked)
    if filters.language:
        return f"No {name} text{where} is held, so there is nothing to search in {name}."
    return (
        f"No {name} text{where} is held: words in {name} are found only in {name} texts. "
        "Search in English instead."
    )


__all__ = [
    "FULL_TEXT",
    "MAX_QUERY_LENGTH",
    "DocumentHit",
    "ProposalHit",
    "ProvisionHit",
    "SearchQueryError",
    "SearchResults",
    "VersionMention",
    "highlight",
    "query_terms",
    "search",
    "snippet",
    "suggest",
    "versions_in_force",
]
