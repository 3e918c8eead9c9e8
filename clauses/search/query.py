"""Search over the clause text of every version, instruments' own texts, and the proposals a
person may see.

On PostgreSQL, words in Latin script go through English full-text search (stemmed, GIN-indexed:
see the ``clause_search_vector`` migration) and Chinese, Japanese or Korean text through
substring matching that an index of character pairs serves. SQLite has neither, so there every
term is matched as a case-insensitive substring and results are ranked by how often the terms
occur. Both return the same structures, and say which method answered.

A word found in very many clauses costs most in counting and ranking every match. On
PostgreSQL the count is therefore exact up to ``EXACT_COUNT_LIMIT`` matches and beyond that the
planner's estimate (said so on the page and in the API); for a word in at least ``COMMON_SHARE``
of all clauses, ranking then runs over the ``RANKED_CANDIDATES`` most recently added matches
rather than over all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Max, Q, QuerySet, TextField, Value
from django.db.models.expressions import CombinedExpression, Expression, RawSQL
from django.db.models.functions import Cast, Concat, Length, Lower, Replace
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews.models import Proposal

from ..models import DEFAULT_LANGUAGE, Agreement, Clause, DocumentClause, Version, language_name
from ..reading.read_models import period_text, text_notice

MAX_QUERY_LENGTH = 200
# Past this many matches, counting them all is what costs: the count becomes an estimate.
EXACT_COUNT_LIMIT = 1000
# ... and the matches ranked are this many, the most recently added ones.
RANKED_CANDIDATES = 1000
# Only a word in this share of all clauses or more: a rarer one's matches are few enough to count
# and rank in full, and too scattered to find by walking back through the newest clauses.
COMMON_SHARE = 0.05
MAX_TERMS = 8
SNIPPET_BEFORE = 80
SNIPPET_AFTER = 180

# Han ideographs, kana and hangul: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Why: the indexes (migrations ``clause_search_index`` and ``clause_search_vector``) are on
# exactly these expressions; a query spelled differently would not use them.
PG_DOCUMENT = '("clauses_clause"."heading" || \' \' || "clauses_clause"."text")'
# A column kept by a trigger on PostgreSQL only; it is not a field of the model.
PG_VECTOR = '"clauses_clause"."search_vector"'
PG_BIGRAMS = f"sta_cjk_bigrams({PG_DOCUMENT})"

CLAUSE_FIELDS = ("heading", "text")
FULL_TEXT = "full-text"
SUBSTRING = "substring"
METHOD_NOTES = {
    FULL_TEXT: (
        "English words match in any form (cooperate finds cooperation); Chinese text matches "
        "the characters as typed."
    ),
    SUBSTRING: (
        "This database has no full-text search: each word is found as typed, anywhere in the "
        "text (cooperat finds cooperation, but cooperate does not)."
    ),
}


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says how to fix it."""


@dataclass(frozen=True)
class Terms:
    """A query split into what each method matches.

    ``words`` are Latin-script words (full-text on PostgreSQL); ``fragments`` are runs of
    Chinese, Japanese or Korean characters, and on SQLite every term, matched as substrings.
    """

    words: tuple[str, ...]
    fragments: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.words + self.fragments


def query_terms(query: str, *, full_text: bool) -> Terms:
    """The terms of ``query``, at most ``MAX_TERMS``, duplicates and one-letter words dropped."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    seen: set[str] = set()
    words: list[str] = []
    fragments: list[str] = []
    for token in _WORD.findall(query):
        for part in _split_scripts(token):
            folded = part.lower()
            if folded in seen:
                continue
            is_cjk = bool(_CJK_RUN.fullmatch(part))
            # Why: a single Latin letter or digit matches nearly every clause as a substring.
            if not is_cjk and len(part) < 2:
                continue
            seen.add(folded)
            (fragments if is_cjk or not full_text else words).append(folded)
    if len(words) + len(fragments) > MAX_TERMS:
        raise SearchQueryError(f"Search for at most {MAX_TERMS} words at once.")
    if not words and not fragments:
        raise SearchQueryError(
            "Type a word of at least two letters, or Chinese characters, to search for."
        )
    return Terms(tuple(words), tuple(fragments))


def _split_scripts(token: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for run in _CJK_RUN.finditer(token):
        if run.start() > last:
            parts.append(token[last : run.start()])
        parts.append(run.group())
        last = run.end()
    if last < len(token):
        parts.append(token[last:])
    return parts


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class ClauseHit:
    clause_id: int
    agreement_slug: str
    agreement_title: str
    version_id: int
    version_label: str
    version_title: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    key: str
    anchor: str
    number: str
    heading: str
    heading_html: SafeString
    snippet_html: SafeString
    url: str
    rank: float
    text_status: str
    text_notice: str
    period: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def language_label(self) -> str:
        return language_name(self.language)


@dataclass(frozen=True)
class ProposalHit:
    proposal_id: int
    title: str
    title_html: SafeString
    state: str
    state_label: str
    snippet_html: SafeString
    url: str
    rank: float


@dataclass(frozen=True)
class DocumentHit:
    """A provision of an instrument's own text (a protocol, an exchange of letters)."""

    instrument_title: str
    agreement_title: str
    number: str
    heading_html: SafeString
    snippet_html: SafeString
    url: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    method: str
    method_note: str
    total: int
    clauses: tuple[ClauseHit, ...]
    proposal_total: int
    proposals: tuple[ProposalHit, ...]
    documents: tuple[DocumentHit, ...] = ()
    more_documents: bool = False
    # ``total`` is the planner's estimate, rounded, when set; the results were then ranked
    # among the ``ranked_among`` most recently added matches (0: among all of them).
    total_estimated: bool = False
    ranked_among: int = 0


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


def _substring_match(fields: Sequence[str], term: str) -> Any:
    if fields == CLAUSE_FIELDS and uses_full_text():
        return _pg_fragment_match(term)
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": term})
    return match


def _pg_fragment_match(term: str) -> Any:
    """A run of Chinese (or Japanese, Korean) characters anywhere in a clause, on PostgreSQL.

    Every character pair of the run must be in the clause (which the bigram index answers), and
    then the run itself, as a substring.
    """
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    pairs = [term[i : i + 2] for i in range(len(term) - 1)]
    sql: str
    params: list[Any]
    if not pairs:
        # A single character: no pair to look up, so every clause is read.
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


def _ranked_by_occurrences(
    queryset: QuerySet[Any], fields: Sequence[str], terms: Iterable[str]
) -> tuple[QuerySet[Any], Any]:
    rank: Any = Value(0.0)
    document = _document(fields)
    for term in terms:
        queryset = queryset.filter(_substring_match(fields, term))
        rank = CombinedExpression(rank, "+", _occurrences(document, term), FloatField())
    return queryset, rank


def _clause_queryset(
    terms: Terms,
    *,
    agreement: Agreement | None,
    version: Version | None,
    in_force_on: dt.date | None,
) -> QuerySet[Clause]:
    clauses: QuerySet[Clause] = Clause.objects.exclude(change="repealed")
    if agreement is not None:
        clauses = clauses.filter(version__agreement=agreement)
    if version is not None:
        clauses = clauses.filter(version=version)
    if in_force_on is not None:
        clauses = clauses.filter(version__in=[v.pk for v in versions_in_force(in_force_on)])
    rank: Any = Value(0.0)
    if terms.words:
        tsquery = "plainto_tsquery('english'::regconfig, %s)"
        phrase = " ".join(terms.words)
        # The SQL is constant; the user's words travel only as parameters.
        matches = RawSQL(f"{PG_VECTOR} @@ {tsquery}", [phrase], output_field=BooleanField())  # noqa: S611  # nosec B611
        clauses = clauses.filter(matches)
        rank = RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", [phrase], output_field=FloatField())  # noqa: S611  # nosec B611
    if terms.fragments:
        clauses, occurrences = _ranked_by_occurrences(clauses, CLAUSE_FIELDS, terms.fragments)
        # Why: ts_rank is at most about 1; a fragment's count must not drown it.
        rank = CombinedExpression(
            rank, "+", CombinedExpression(occurrences, "/", Value(10.0), FloatField()), FloatField()
        )
    # Why: ties go to the most recently published version, by its id, so that sorting a common
    # word's many matches needs no join.
    return clauses.annotate(rank=rank).order_by("-rank", "-version_id", "order", "pk")


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


@dataclass(frozen=True)
class _Patterns:
    regex: re.Pattern[str] | None

    @classmethod
    def build(cls, prefixes: Iterable[str], fragments: Iterable[str]) -> _Patterns:
        alternatives = [rf"\b{re.escape(p)}\w*" for p in prefixes]
        alternatives += [re.escape(f) for f in fragments]
        if not alternatives:
            return cls(None)
        # Why: longest first, so "cooperation" is marked whole rather than as "cooper".
        alternatives.sort(key=len, reverse=True)
        return cls(re.compile("|".join(alternatives), re.IGNORECASE))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.regex is None:
            return []
        return [(m.start(), m.end()) for m in self.regex.finditer(text) if m.end() > m.start()]


def highlight(text: str, patterns: _Patterns) -> SafeString:
    """``text`` escaped for HTML with every match wrapped in ``<mark>``."""
    return _marked(text, patterns.spans(text), 0, len(text))


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
    out: list[str] = []
    at = start
    for begin, finish in spans:
        if finish <= start or begin >= end:
            continue
        begin, finish = max(begin, start), min(finish, end)
        out.append(escape(text[at:begin]))
        out.append(f"<mark>{escape(text[begin:finish])}</mark>")
        at = finish
    out.append(escape(text[at:end]))
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every piece above is escaped


def snippet(text: str, patterns: _Patterns) -> SafeString:
    """The part of ``text`` around its first match, escaped, with the matches marked."""
    spans = patterns.spans(text)
    if not spans:
        cut = _word_end(text, SNIPPET_BEFORE + SNIPPET_AFTER)
        return mark_safe(escape(text[:cut]) + ("…" if cut < len(text) else ""))  # noqa: S308  # nosec B308 B703 - escaped
    first = spans[0][0]
    start = _word_start(text, max(0, first - SNIPPET_BEFORE))
    end = _word_end(text, first + SNIPPET_AFTER)
    body = _marked(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308  # nosec B308 B703 - body is escaped by _marked


def _word_start(text: str, at: int) -> int:
    if at <= 0:
        return 0
    space = text.rfind(" ", max(0, at - 20), at)
    return space + 1 if space >= 0 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.find(" ", at, at + 20)
    return space if space >= 0 else at


def _clause_hit(clause: Any, patterns: _Patterns) -> ClauseHit:
    version = clause.version
    agreement = version.agreement
    return ClauseHit(
        clause_id=clause.pk,
        agreement_slug=agreement.slug,
        agreement_title=agreement.short_title,
        version_id=version.pk,
        version_label=version.label,
        version_title=version.title,
        in_force_from=version.in_force_from,
        in_force_until=version.in_force_until,
        key=clause.key,
        anchor=clause.anchor,
        number=clause.number,
        heading=clause.heading,
        heading_html=highlight(clause.heading, patterns),
        snippet_html=snippet(clause.text, patterns),
        url=f"{version.get_absolute_url()}?lang={clause.language}#{clause.anchor}"
        if clause.language != DEFAULT_LANGUAGE
        else f"{version.get_absolute_url()}#{clause.anchor}",
        language=clause.language,
        rank=round(float(clause.rank), 6),
        text_status=version.text_status,
        text_notice=text_notice(version.text_status),
        period=period_text(version),
    )


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


def _proposal_hits(
    user: AbstractBaseUser | AnonymousUser,
    terms: Terms,
    patterns: _Patterns,
    *,
    agreement: Agreement | None,
    version: Version | None,
    limit: int,
) -> tuple[int, tuple[ProposalHit, ...]]:
    """Proposals ``user`` may see whose text holds every term, matched as substrings.

    Why substrings on every database: proposals are few, and their text is short.
    """
    proposals = Proposal.objects.visible_to(user)
    if agreement is not None:
        proposals = proposals.filter(cited_clauses__version__agreement=agreement)
    if version is not None:
        proposals = proposals.filter(cited_clauses__version=version)
    if agreement is not None or version is not None:
        proposals = proposals.distinct()
    matched, rank = _ranked_by_occurrences(proposals, PROPOSAL_FIELDS, terms.all)
    matched = matched.annotate(rank=rank).order_by("-rank", "-updated_at", "-pk")
    total = matched.count()
    hits = []
    for proposal in matched.select_related("scientific_field", "us_agency")[:limit]:
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


def _document_hits(
    terms: Terms, patterns: _Patterns, *, agreement: Agreement | None, limit: int
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


def search(
    *,
    query: str,
    user: AbstractBaseUser | AnonymousUser,
    agreement: Agreement | None = None,
    version: Version | None = None,
    in_force_on: dt.date | None = None,
    limit: int = 20,
    offset: int = 0,
    proposal_limit: int = 10,
    document_limit: int = 10,
) -> SearchResults:
    """Clauses matching every term of ``query``, best first, and the matching proposals
    ``user`` may see. Raises ``SearchQueryError`` for a query that cannot be searched."""
    full_text = uses_full_text()
    terms = query_terms(query, full_text=full_text)
    lexemes = _lexemes(terms.words) if full_text else ()
    if terms.words and not lexemes:
        if not terms.fragments:
            raise SearchQueryError(
                "Words as common as “" + " ".join(terms.words) + "” are not searched for; "
                "add a less common word."
            )
        terms = Terms((), terms.fragments)
    if full_text:
        patterns = _Patterns.build(lexemes, terms.fragments)
    else:
        patterns = _Patterns.build((), terms.all)
    clauses = _clause_queryset(terms, agreement=agreement, version=version, in_force_on=in_force_on)
    total, estimated, share = _count(clauses, bounded=full_text and bool(terms.words))
    ranked_among = 0
    if share >= COMMON_SHARE:
        # Why: ranking every match of a common word sorts them all; the newest are found by
        # walking the primary key backwards through a window expected to hold twice as many as
        # needed, which stops early. The ids are fetched first: as a subquery, the planner
        # joined it to every match.
        newest = Clause.objects.aggregate(newest=Max("pk"))["newest"] or 0
        window = math.ceil(2 * RANKED_CANDIDATES / share)
        latest = clauses.filter(pk__gt=newest - window).order_by("-pk")
        ids = list(latest.values_list("pk", flat=True)[:RANKED_CANDIDATES])
        clauses = clauses.filter(pk__in=ids)
        ranked_among = len(ids)
    page = list(clauses[offset : offset + limit]) if total else []
    # Why: versions of the page in one more query, rather than joined to every match before sorting.
    versions = Version.objects.select_related("agreement").in_bulk({c.version_id for c in page})
    for clause in page:
        clause.version = versions[clause.version_id]
    proposal_total = 0
    proposals: tuple[ProposalHit, ...] = ()
    if proposal_limit > 0:
        proposal_total, proposals = _proposal_hits(
            user, terms, patterns, agreement=agreement, version=version, limit=proposal_limit
        )
    documents: tuple[DocumentHit, ...] = ()
    more_documents = False
    # Why: an instrument's own text belongs to no version, so a search within a version or
    # among the texts in force on a day leaves it out.
    if document_limit > 0 and version is None and in_force_on is None:
        documents, more_documents = _document_hits(
            terms, patterns, agreement=agreement, limit=document_limit
        )
    method = FULL_TEXT if full_text else SUBSTRING
    return SearchResults(
        query=query,
        terms=terms.all,
        method=method,
        method_note=METHOD_NOTES[method],
        total=total,
        clauses=tuple(_clause_hit(clause, patterns) for clause in page),
        proposal_total=proposal_total,
        proposals=proposals,
        documents=documents,
        more_documents=more_documents,
        total_estimated=estimated,
        ranked_among=ranked_among,
    )


def _count(clauses: QuerySet[Clause], *, bounded: bool) -> tuple[int, bool, float]:
    """The number of matches, whether it is an estimate, and the estimated share of all clauses
    the matches are (0 when the count is exact).

    Bounded, the matches are counted only up to ``EXACT_COUNT_LIMIT``; past that the count is
    PostgreSQL's estimate for the query (from the index's statistics), to three figures.
    """
    if not bounded:
        return clauses.count(), False, 0.0
    unordered = clauses.order_by().values("pk")
    found = unordered[: EXACT_COUNT_LIMIT + 1].count()
    if found <= EXACT_COUNT_LIMIT:
        return found, False, 0.0
    estimate = _estimated_rows(unordered)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'clauses_clause'::regclass")
        rows = float(cursor.fetchone()[0])
    # Why: a table never analysed has no row count (-1); its estimates are not to be trusted.
    if rows <= 0:
        return clauses.count(), False, 0.0
    figures = max(len(str(estimate)) - 3, 0)
    return max(round(estimate, -figures), found), True, min(estimate / rows, 1.0)


def _estimated_rows(queryset: QuerySet[Any]) -> int:
    plan: Any = queryset.explain(format="json")
    if isinstance(plan, str):
        plan = json.loads(plan) if plan.strip() else [{"Plan": {"Plan Rows": 0}}]
    return int(plan[0]["Plan"]["Plan Rows"])


__all__ = [
    "EXACT_COUNT_LIMIT",
    "FULL_TEXT",
    "RANKED_CANDIDATES",
    "SUBSTRING",
    "ClauseHit",
    "DocumentHit",
    "ProposalHit",
    "SearchQueryError",
    "SearchResults",
    "highlight",
    "query_terms",
    "search",
    "snippet",
    "versions_in_force",
]
