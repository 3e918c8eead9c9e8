"""Search over the provisions of every agreement, instruments' own texts, and the proposals a
person may see.

A provision is one clause key of one agreement, through all its versions: a search finds each
provision once, shows its latest matching text and says which versions hold it and where it
changed. Words in Latin script are stemmed and ranked on both databases: PostgreSQL's English
full-text search (a stored vector, GIN-indexed: see the ``clause_search_vector`` migration), and
SQLite's FTS5 with the Porter stemmer, ranked by bm25 (``0016_search_provisions``). Chinese,
Japanese or Korean runs are matched as typed, which an index of character pairs serves on
PostgreSQL. A search finding nothing offers the nearest words of the index's own vocabulary
(trigram similarity on PostgreSQL, the FTS5 vocabulary on SQLite) and shows what the nearest
finds.

A word found in very many clauses costs most in counting and ranking every match. On
PostgreSQL the count is therefore exact up to ``EXACT_COUNT_LIMIT`` matches and beyond that the
planner's estimate (said so on the page and in the API); for a word in at least ``COMMON_SHARE``
of all clauses, ranking then runs over the ``RANKED_CANDIDATES`` most recently added matches
rather than over all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import CombinedExpression, Expression, RawSQL
from django.db.models.functions import Cast, Concat, Length, Lower, Replace
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clauses.models import (
    DEFAULT_LANGUAGE,
    Agreement,
    ChangeKind,
    Clause,
    ClauseKind,
    DocumentClause,
    Version,
    language_name,
)
from clauses.reading.read_models import period_text, text_notice
from reviews.models import Proposal

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
PATH_SEPARATOR = " › "
# How alike a held word must be to the typed one to be offered instead: trigram similarity on
# PostgreSQL (pg_trgm's own threshold, 0.3, offers "are" for "art"), difflib's ratio on SQLite.
MIN_SIMILARITY = 0.45
MIN_RATIO = 0.75
# How long a nearest word found is kept (the key also changes when the vocabulary grows).
NEAREST_CACHE_SECONDS = 3600

# Han ideographs, kana and hangul: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Why: the indexes (migrations ``clause_search_index`` and ``clause_search_vector``) are on
# exactly these expressions; a query spelled differently would not use them.
PG_DOCUMENT = '("clauses_clause"."heading" || \' \' || "clauses_clause"."text")'
# A column kept by a trigger on PostgreSQL only; it is not a field of the model.
PG_VECTOR = '"clauses_clause"."search_vector"'
PG_BIGRAMS = f"sta_cjk_bigrams({PG_DOCUMENT})"
# SQLite's FTS5 tables (migration ``0016_search_provisions``).
FTS = "clauses_clause_fts"
_MARK_START, _MARK_END = "\x02", "\x03"
FTS_MATCH_SQL = (
    '"clauses_clause"."id" IN '
    "(SELECT rowid FROM clauses_clause_fts WHERE clauses_clause_fts MATCH %s)"
)
FTS_HIGHLIGHT_SQL = (
    "SELECT rowid, highlight(clauses_clause_fts, 0, %s, %s), "
    "highlight(clauses_clause_fts, 1, %s, %s) FROM clauses_clause_fts "
    "WHERE clauses_clause_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"
)
FTS_RANK_SQL = (
    "(SELECT -bm25(clauses_clause_fts) FROM clauses_clause_fts "
    'WHERE clauses_clause_fts MATCH %s AND clauses_clause_fts.rowid = "clauses_clause"."id")'
)

CLAUSE_FIELDS = ("heading", "text")
FULL_TEXT = "full-text"
METHOD_NOTE = (
    "Words match in any form (cooperate finds cooperation); Chinese text matches the "
    "characters as typed."
)


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says how to fix it."""


@dataclass(frozen=True)
class Terms:
    """A query split into Latin-script ``words`` (stemmed full text), ``fragments`` (runs of
    Chinese, Japanese or Korean characters, matched as typed) and ``labels``: a word and the
    single letter or digit after it ("annex c", "article 5"), found as written, the word in
    any form. ``ignored`` are the single characters left out."""

    words: tuple[str, ...]
    fragments: tuple[str, ...]
    labels: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.words + self.fragments + self.labels


# Words that name a part of a text: a lower-case letter after one of them is a label ("item b");
# after any other word a lone lower-case letter is noise ("a", or a tag's "b"), while a capital
# or a digit is still taken as typed ("Type B", "Phase 2").
PART_WORDS = frozenset(
    {
        "annex", "appendix", "art", "article", "attachment", "chapter", "clause", "exhibit",
        "item", "letter", "para", "paragraph", "part", "point", "schedule", "sec", "section",
        "subparagraph", "title",
    }
)  # fmt: skip
ONE_LETTER_HELP = (
    "A single letter or digit is searched for only after the word it labels, as in “Annex C” "
    "or “Article 5”."
)


def query_terms(query: str) -> Terms:
    """The terms of ``query``, at most ``MAX_TERMS``, duplicates dropped.

    A single Latin letter or digit is no word to look for on its own ("a" would find every
    clause), but after a word it is a label users type to find a provision ("Annex C",
    "Article 5", "item b"): it is then searched for with that word, as written. Any other is
    left out, and ``ignored`` names it so the page can say so.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    if "\x00" in query:
        raise SearchQueryError("The search holds a NUL character; type the words again.")
    seen: set[str] = set()
    words: list[str] = []
    fragments: list[str] = []
    labels: list[str] = []
    ignored: list[str] = []
    previous = ""
    for token in _WORD.findall(query):
        for part in _split_scripts(token):
            folded = part.lower()
            is_cjk = bool(_CJK_RUN.fullmatch(part))
            if not is_cjk and len(part) < 2:
                label = f"{previous} {folded}"
                if previous and (part.isdigit() or part.isupper() or previous in PART_WORDS):
                    if label not in seen:
                        seen.add(label)
                        labels.append(label)
                elif part not in ignored:
                    ignored.append(part)
                previous = ""
                continue
            previous = "" if is_cjk else folded
            if folded in seen:
                continue
            seen.add(folded)
            (fragments if is_cjk else words).append(folded)
    if len(words) + len(fragments) + len(labels) > MAX_TERMS:
        raise SearchQueryError(f"Search for at most {MAX_TERMS} words at once.")
    if not words and not fragments:
        raise SearchQueryError(
            "Type a word of at least two letters, or Chinese characters, to search for. "
            + ONE_LETTER_HELP
        )
    return Terms(tuple(words), tuple(fragments), tuple(labels), tuple(ignored))


def ignored_message(terms: Terms) -> str:
    """What the search left out of the query and why, or "" when nothing was."""
    if not terms.ignored:
        return ""
    left = _series([f"“{part}”" for part in terms.ignored])
    return f"{left} {'was' if len(terms.ignored) == 1 else 'were'} left out. {ONE_LETTER_HELP}"


def label_pattern(label: str, *, postgresql: bool) -> str:
    """A regular expression for ``label`` ("annex c") as written: its word in any form, then
    its letter or digit standing alone. PostgreSQL's word boundaries are ``\\m`` and ``\\M``."""
    word, _, mark = label.rpartition(" ")
    start, end = (r"\m", r"\M") if postgresql else (r"\b", r"\b")
    return rf"{start}{re.escape(word)}\w*\s+{re.escape(mark)}{end}"


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


def script_language(fragments: Sequence[str]) -> str:
    """The language a run of characters is written in, as far as its script says: kana is
    Japanese, hangul Korean, Han ideographs alone Chinese; "" for none."""
    text = "".join(fragments)
    if not text:
        return ""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class VersionMention:
    """A version holding the provision: its title, page and whether it changed the text."""

    label: str
    title: str
    url: str
    changed: bool
    matched: bool


@dataclass(frozen=True)
class ProvisionHit:
    """One provision (an agreement's clause key through its versions) and its latest match."""

    agreement_slug: str
    agreement_title: str
    key: str
    kind: str
    title: str
    title_html: SafeString
    number: str
    heading: str
    snippet_html: SafeString
    url: str
    history_url: str
    rank: float
    clause_id: int
    language: str
    version_id: int
    version_label: str
    version_title: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    period: str
    text_status: str
    text_notice: str
    versions: tuple[VersionMention, ...]
    versions_text: str

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
    # Provisions found (among the ranked candidates when ``ranked_among`` is set).
    total: int
    provisions: tuple[ProvisionHit, ...]
    # Clauses found, in every version; the planner's estimate, rounded, when ``total_estimated``.
    clause_total: int
    proposal_total: int
    proposals: tuple[ProposalHit, ...]
    documents: tuple[DocumentHit, ...] = ()
    more_documents: bool = False
    total_estimated: bool = False
    ranked_among: int = 0
    # The notices of the texts shown (illustrative, partial...), once each.
    notices: tuple[str, ...] = ()
    # What nothing was found for, when the results are those of ``corrected``.
    corrected: str = ""
    suggestion: str = ""
    # A plain sentence when the language asked for (or written in) has no text to search.
    language_message: str = ""
    # Single letters or digits left out of the query, and the sentence saying so.
    ignored: tuple[str, ...] = ()
    ignored_message: str = ""


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


def _substring_match(fields: Sequence[str], term: str) -> Any:
    if fields == CLAUSE_FIELDS and on_postgresql():
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


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 query holding every word as a phrase of its own (so none is read as syntax)."""
    return " ".join('"' + word.replace('"', "") + '"' for word in words)


def _clause_queryset(terms: Terms, filters: Filters) -> tuple[QuerySet[Clause], Any]:
    """The matching clauses, and their rank as an expression (higher is better)."""
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
    if terms.fragments:
        clauses, occurrences = _ranked_by_occurrences(clauses, CLAUSE_FIELDS, terms.fragments)
        # Why: ts_rank is at most about 1; a fragment's count must not drown it.
        rank = CombinedExpression(
            rank, "+", CombinedExpression(occurrences, "/", Value(10.0), FloatField()), FloatField()
        )
    return clauses, rank


@dataclass(frozen=True)
class _Patterns:
    regex: re.Pattern[str] | None

    @classmethod
    def build(
        cls, prefixes: Iterable[str], fragments: Iterable[str], labels: Iterable[str] = ()
    ) -> _Patterns:
        alternatives = [label_pattern(label, postgresql=False) for label in labels]
        alternatives += [rf"\b{re.escape(p)}\w*" for p in prefixes]
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
    return _snippet(text, patterns.spans(text))


def _snippet(text: str, spans: list[tuple[int, int]]) -> SafeString:
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


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text FTS5's ``highlight()`` marked, without the markers, and the spans they enclosed."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = -1
    for piece in re.split(f"([{_MARK_START}{_MARK_END}])", marked):
        if piece == _MARK_START:
            start = length
        elif piece == _MARK_END:
            if start >= 0:
                spans.append((start, length))
            start = -1
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans


def _fts_spans(
    ids: Sequence[int], words: Sequence[str]
) -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The spans of the words FTS5 matched in the heading and text of each clause of ``ids``:
    the stemmer's own forms, in one query."""
    if not ids or not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            FTS_HIGHLIGHT_SQL,
            [_MARK_START, _MARK_END, _MARK_START, _MARK_END, fts_query(words), json.dumps(ids)],
        )
        found: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for rowid, heading, text in cursor.fetchall():
            found[rowid] = (_unmark(heading or "")[1], _unmark(text or "")[1])
        return found


def provision_label(clause: Any) -> str:
    """A clause's number and heading, or its kind where it has neither: never its key."""
    label = " ".join(part for part in (clause.number, clause.heading) if part)
    if label:
        return label
    kinds = dict(ClauseKind.choices)
    return str(kinds.get(clause.kind, "Provision"))


def provision_path(clause: Any) -> list[str]:
    """The labels from the outermost provision down to ``clause`` (parents loaded with it)."""
    chain = []
    node = clause
    while node is not None:
        chain.append(provision_label(node))
        node = node.parent if node.parent_id is not None else None
    return list(reversed(chain))


def versions_sentence(mentions: Sequence[VersionMention], positions: Sequence[int]) -> str:
    """``from “1979 Agreement” to “As extended in 2011”; changed in “As extended and amended in
    2018”``: the versions holding the provision, by title, and those that changed its text.
    ``positions`` are the mentioned versions' places among all the agreement's versions."""
    if not mentions:
        return ""
    titles = [f"“{m.title}”" for m in mentions]
    if len(mentions) == 1:
        said = f"only in {titles[0]}"
    elif list(positions) == list(range(positions[0], positions[0] + len(positions))):
        said = f"from {titles[0]} to {titles[-1]}"
    else:
        said = "in " + _series(titles)
    changed = [f"“{m.title}”" for m in mentions[1:] if m.changed]
    if changed:
        said += "; changed in " + _series(changed)
    return said


def _series(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK, _LABEL_MARK = "agreement-slug-mark", "version-label-mark"


class _VersionUrls:
    """Versions' page addresses, reversed once per search and filled in per version.

    Why: a page of provisions names a hundred and more versions; reversing each address took
    a tenth of a search's time.
    """

    def __init__(self) -> None:
        self.pattern = reverse("clauses:version_detail", args=[_SLUG_MARK, _LABEL_MARK])
        self.known: dict[tuple[int, str], str] = {}

    def __call__(self, version: Version, language: str) -> str:
        where = (version.pk, language)
        if where not in self.known:
            slug, label = version.agreement.slug, version.label
            if _SLUG.fullmatch(slug) and _SLUG.fullmatch(label):
                url = self.pattern.replace(_SLUG_MARK, slug).replace(_LABEL_MARK, label)
            else:
                url = version.get_absolute_url()
            self.known[where] = f"{url}?lang={language}" if language != DEFAULT_LANGUAGE else url
        return self.known[where]


def _provision_hits(
    groups: Sequence[tuple[int, str, float, int]],
    matches: QuerySet[Clause],
    terms: Terms,
    patterns: _Patterns,
) -> tuple[ProvisionHit, ...]:
    """The hits of the page's ``groups`` (agreement id, key, best rank, newest version), in two
    queries: every version of their agreements, then their clauses in every version with their
    parents (for the path) and which of them match."""
    if not groups:
        return ()
    agreement_ids = {a for a, _, _, _ in groups}
    every = list(
        Version.objects.filter(agreement_id__in=agreement_ids)
        .select_related("agreement")
        .order_by("in_force_from", "pk")
    )
    by_id = {v.pk: v for v in every}
    versions_of: dict[int, list[int]] = {}
    for v in every:
        versions_of.setdefault(v.agreement_id, []).append(v.pk)
    position = {v.pk: versions_of[v.agreement_id].index(v.pk) for v in every}
    # Why the version ids and not the agreement: with ids and a key the unique index of
    # (version, language, key) finds each clause; by agreement PostgreSQL read every clause of
    # the page's versions (18,000 rows for 20 provisions, 19 ms). Why one condition per
    # provision: a key such as art_3 is in every agreement.
    wanted = Q()
    for agreement_id, key, _, _ in groups:
        wanted |= Q(version_id__in=versions_of[agreement_id], key=key)
    rows = list(
        Clause.objects.filter(wanted)
        .exclude(change=ChangeKind.REPEALED)
        .order_by()
        .select_related("parent__parent__parent")
        .annotate(hit=Exists(matches.filter(pk=OuterRef("pk"))))
    )
    for row in rows:
        # Why: the versions are loaded once, not joined to each of their clauses.
        row.version = by_id[row.version_id]
    order = {row.pk: (row.version.in_force_from, row.version_id) for row in rows}
    # The latest matching clause of each provision: of the version in force last.
    latest: dict[tuple[int, str], Clause] = {}
    for row in rows:
        if not row.hit:
            continue
        where = (row.version.agreement_id, row.key)
        best = latest.get(where)
        if best is None or order[row.pk] > order[best.pk]:
            latest[where] = row
    shown = {clause.pk: clause for clause in latest.values()}
    spans = _fts_spans(list(shown), terms.words) if terms.words and not on_postgresql() else {}
    url_of = _VersionUrls()
    hits = []
    for agreement_id, key, score, _ in groups:
        clause = latest.get((agreement_id, key))
        if clause is None:
            continue
        version = clause.version
        agreement = version.agreement
        heading_spans, text_spans = _spans_of(clause, patterns, spans.get(clause.pk))
        held = sorted(
            (
                r
                for r in rows
                if r.key == key
                and r.language == clause.language
                and r.version.agreement_id == agreement_id
            ),
            key=lambda r: order[r.pk],
        )
        mentions = tuple(
            VersionMention(
                label=r.version.label,
                title=r.version.title,
                url=url_of(r.version, clause.language) + f"#{clause.anchor}",
                changed=r.change in (ChangeKind.ADDED, ChangeKind.AMENDED, ChangeKind.RENUMBERED),
                matched=bool(r.hit),
            )
            for r in held
        )
        path = provision_path(clause)
        title_html = mark_safe(  # noqa: S308  # nosec B308 B703 - every piece is escaped
            PATH_SEPARATOR.join(
                [escape(p) for p in path[:-1]]
                + [_title_html(clause, heading_spans, escape(path[-1]))]
            )
        )
        hits.append(
            ProvisionHit(
                agreement_slug=agreement.slug,
                agreement_title=agreement.short_title,
                key=key,
                kind=clause.kind,
                title=PATH_SEPARATOR.join(path),
                title_html=title_html,
                number=clause.number,
                heading=clause.heading,
                snippet_html=_snippet(clause.text, text_spans),
                url=url_of(version, clause.language) + f"#{clause.anchor}",
                history_url=reverse("clauses:clause_detail", args=[agreement.slug, key])
                + (f"?lang={clause.language}" if clause.language != DEFAULT_LANGUAGE else ""),
                rank=round(float(score or 0.0), 6),
                clause_id=clause.pk,
                language=clause.language,
                version_id=version.pk,
                version_label=version.label,
                version_title=version.title,
                in_force_from=version.in_force_from,
                in_force_until=version.in_force_until,
                period=period_text(version),
                text_status=version.text_status,
                text_notice=text_notice(version.text_status),
                versions=mentions,
                versions_text=versions_sentence(mentions, [position[r.version_id] for r in held]),
            )
        )
    return tuple(hits)


def _spans_of(
    clause: Clause,
    patterns: _Patterns,
    fts: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the matches are in the heading and the text: FTS5's own spans on SQLite, with the
    fragments matched as typed; the stems' forms on PostgreSQL."""
    heading = patterns.spans(clause.heading)
    text = patterns.spans(clause.text)
    if fts is not None:
        heading = _merged([*heading, *fts[0]])
        text = _merged([*text, *fts[1]])
    return heading, text


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` in order, overlapping ones joined, so no character is marked twice."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _title_html(clause: Clause, heading_spans: list[tuple[int, int]], plain: str) -> str:
    if not clause.heading:
        return plain
    number = escape(clause.number) + " " if clause.number else ""
    return number + _marked(clause.heading, heading_spans, 0, len(clause.heading))


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
    matched, rank = _ranked_by_occurrences(proposals, PROPOSAL_FIELDS, terms.all)
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
    clauses, rank = _clause_queryset(terms, filters)
    look = _first_look(clauses, rank, terms.words if postgresql else ())
    if postgresql and terms.words and not look.lexemes:
        if not terms.fragments:
            raise SearchQueryError(
                "Words as common as “" + " ".join(terms.words) + "” are not searched for; "
                "add a less common word."
            )
        # Rare: every word is one English does not index, so the fragments alone are looked for.
        terms = Terms((), terms.fragments, (), terms.ignored)
        clauses, rank = _clause_queryset(terms, filters)
        look = _first_look(clauses, rank, ())
    # Why the words themselves on SQLite: FTS5 marks the clauses' forms itself; proposals and
    # instruments' texts are matched as typed, so their words start with the terms.
    patterns = _Patterns.build(
        look.lexemes if postgresql else terms.words, terms.fragments, terms.labels
    )
    clause_total, estimated, ranked_among = look.found, False, 0
    groups = look.groups
    if groups is None:
        clause_total, estimated, share = _many(clauses, look)
        candidates = clauses
        if share >= COMMON_SHARE:
            # Why: ranking every match of a common word sorts them all; the newest are found by
            # walking the primary key backwards through a window expected to hold twice as
            # many as needed, which stops early. The ids are fetched first: as a subquery, the
            # planner joined it to every match.
            window = math.ceil(2 * RANKED_CANDIDATES / share)
            latest = clauses.filter(pk__gt=look.newest - window).order_by("-pk")
            ids = list(latest.values_list("pk", flat=True)[:RANKED_CANDIDATES])
            candidates = clauses.filter(pk__in=ids)
            ranked_among = len(ids)
        groups = _ordered(
            candidates.values_list("version__agreement_id", "key")
            .annotate(best=Max(rank), newest=Max("version_id"))
            .values_list("version__agreement_id", "key", "best", "newest")
        )
    page = groups[offset : offset + limit]
    hits = _provision_hits(page, clauses, terms, patterns)
    proposal_total = 0
    proposals: tuple[ProposalHit, ...] = ()
    if proposal_limit > 0:
        proposal_total, proposals = _proposal_hits(
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
        documents, more_documents = _document_hits(
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
        clause_total=clause_total,
        proposal_total=proposal_total,
        proposals=proposals,
        documents=documents,
        more_documents=more_documents,
        total_estimated=estimated,
        ranked_among=ranked_among,
        notices=notices,
        language_message=_language_message(terms, filters, found=bool(groups)),
        ignored=terms.ignored,
        ignored_message=ignored_message(terms),
    )


def _ordered(groups: Iterable[Sequence[Any]]) -> list[tuple[int, str, float, int]]:
    """Provisions (agreement id, key, best rank, newest version id) best first; ties go to the
    provision in the latest version, then by key."""
    rows = [(int(a), str(k), float(best or 0.0), int(newest)) for a, k, best, newest in groups]
    rows.sort(key=lambda g: (-g[2], -g[3], g[1]))
    return rows


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


@dataclass(frozen=True)
class _FirstLook:
    """What the first query of a search learns: how many clauses match, up to one more than
    ``EXACT_COUNT_LIMIT``; the provisions they are when that is all of them (else None); the
    stems of the words, the table's estimated size and its newest id (PostgreSQL)."""

    found: int
    groups: list[tuple[int, str, float, int]] | None
    lexemes: tuple[str, ...] = ()
    table_rows: float = 0.0
    newest: int = 0


def _first_look(clauses: QuerySet[Clause], rank: Any, words: Sequence[str]) -> _FirstLook:
    """One query: the first ``EXACT_COUNT_LIMIT`` + 1 matches, counted and, when they are all
    the matches, grouped into provisions; on PostgreSQL with the stems of ``words`` and the
    figures ``_many`` needs.

    Why one: a search of a word found in fewer clauses than the limit (most words) then costs
    this query, the page's versions and clauses and the instruments' texts, and nothing else.
    Why the versions are joined only to the matches found: inside the limit, PostgreSQL read
    every version for each match of a Chinese word (its estimate of one match made that look
    cheap), 41 ms instead of 15.
    """
    candidates = (
        clauses.order_by()
        .annotate(score=rank)
        .values_list("key", "score", "version_id")[: EXACT_COUNT_LIMIT + 1]
    )
    postgresql = on_postgresql()
    try:
        inner, inner_params = candidates.query.sql_with_params()
    except EmptyResultSet:
        # A filter no clause can pass (no version in force on the day asked for).
        return _FirstLook(0, [], _lexemes(words) if postgresql else ())
    extra, extra_params = "", []
    if postgresql:
        extra = (
            ", (SELECT array(SELECT lexeme FROM unnest(to_tsvector('english'::regconfig, %s))))"
            ", (SELECT reltuples FROM pg_class WHERE oid = 'clauses_clause'::regclass)"
            ", (SELECT max(id) FROM clauses_clause)"
        )
        extra_params = [" ".join(words)]
    # The SQL is the ORM's own and constant text; the user's words travel as parameters.
    sql = (  # nosec B608
        f"WITH m(key, score, version_id) AS ({inner}) "  # noqa: S608  # nosec B608
        f"SELECT t.*, g.agreement_id, g.key, g.best, g.newest "
        f"FROM (SELECT (SELECT count(*) FROM m){extra}) AS t "
        "LEFT JOIN (SELECT v.agreement_id, m.key, max(m.score) AS best, "
        "max(m.version_id) AS newest FROM m JOIN clauses_version AS v ON v.id = m.version_id "
        "GROUP BY v.agreement_id, m.key) AS g ON (SELECT count(*) FROM m) <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *extra_params, EXACT_COUNT_LIMIT])
        rows = cursor.fetchall()
    head = rows[0]
    found = int(head[0])
    lexemes: tuple[str, ...] = ()
    table_rows, newest = 0.0, 0
    if postgresql:
        lexemes = tuple(head[1] or ()) if words else ()
        table_rows, newest = float(head[2] or 0.0), int(head[3] or 0)
    if found > EXACT_COUNT_LIMIT:
        return _FirstLook(found, None, lexemes, table_rows, newest)
    groups = _ordered(row[-4:] for row in rows if row[-4] is not None)
    return _FirstLook(found, groups, lexemes, table_rows, newest)


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


def _many(clauses: QuerySet[Clause], look: _FirstLook) -> tuple[int, bool, float]:
    """For more matches than ``EXACT_COUNT_LIMIT``: their number, whether it is an estimate,
    and the estimated share of all clauses they are (0 when the count is exact).

    On PostgreSQL the count is the planner's estimate for the query (from the index's
    statistics), to three figures; SQLite has none, so there it is counted.
    """
    # Why: a table never analysed has no row count (-1); its estimates are not to be trusted.
    if look.table_rows <= 0:
        return clauses.count(), False, 0.0
    estimate = _estimated_rows(clauses.order_by().values("pk"))
    figures = max(len(str(estimate)) - 3, 0)
    share = min(estimate / look.table_rows, 1.0)
    return max(round(estimate, -figures), look.found), True, share


def _estimated_rows(queryset: QuerySet[Any]) -> int:
    plan: Any = queryset.explain(format="json")
    if isinstance(plan, str):
        plan = json.loads(plan) if plan.strip() else [{"Plan": {"Plan Rows": 0}}]
    return int(plan[0]["Plan"]["Plan Rows"])


__all__ = [
    "EXACT_COUNT_LIMIT",
    "FULL_TEXT",
    "RANKED_CANDIDATES",
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
