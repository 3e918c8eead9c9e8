"""The provisions of a page of results: each one's latest matching clause, its full path as a
title, its snippet, and the versions that hold it and changed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Django's escape is this one, behind a check for lazy text that a clause's text never is; it
# is called for every piece of every snippet.
from html import escape
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import JSONField, QuerySet
from django.urls import reverse
from django.utils.safestring import mark_safe

from clauses.addresses import PLAIN_SLUG, ClauseAddresses
from clauses.models import (
    DEFAULT_LANGUAGE,
    Agreement,
    ChangeKind,
    Clause,
    ClauseKind,
    Version,
)
from clauses.reading.read_models import period_text, text_notice

from .candidates import on_postgresql
from .highlighting import Patterns, fts_spans, marked, snippet_from_spans
from .results import ProvisionHit, VersionMention
from .terms import Terms, series

PATH_SEPARATOR = " › "


def provision_label(kind: str, number: str, heading: str) -> str:
    """A clause's number and heading, or its kind where it has neither: never its key."""
    label = " ".join(part for part in (number, heading) if part)
    if label:
        return label
    kinds = dict(ClauseKind.choices)
    return str(kinds.get(kind, "Provision"))


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
        said = "in " + series(titles)
    changed = [f"“{m.title}”" for m in mentions[1:] if m.changed]
    if changed:
        said += "; changed in " + series(changed)
    return said


_SLUG_MARK, _LABEL_MARK = "agreement-slug-mark", "version-label-mark"
# The changes a version's mention says it made to the provision.
_CHANGING = frozenset(
    {ChangeKind.ADDED.value, ChangeKind.AMENDED.value, ChangeKind.RENUMBERED.value}
)


class _Addresses:
    """Versions' and provisions' page addresses, reversed once per search and filled in.

    Why: a page of provisions names a hundred and more versions; reversing each address took
    a tenth of a search's time.
    """

    def __init__(self) -> None:
        self.version_pattern = reverse("clauses:version_detail", args=[_SLUG_MARK, _LABEL_MARK])
        self.clause = ClauseAddresses()
        self.known: dict[tuple[int, str], str] = {}

    def version(self, version: Version, language: str) -> str:
        where = (version.pk, language)
        if where not in self.known:
            slug, label = version.agreement.slug, version.label
            if PLAIN_SLUG.fullmatch(slug) and PLAIN_SLUG.fullmatch(label):
                url = self.version_pattern.replace(_SLUG_MARK, slug).replace(_LABEL_MARK, label)
            else:
                url = version.get_absolute_url()
            self.known[where] = _in_language(url, language)
        return self.known[where]

    def history(self, slug: str, key: str, language: str) -> str:
        return _in_language(self.clause(slug, key), language)


def _in_language(url: str, language: str) -> str:
    return f"{url}?lang={language}" if language != DEFAULT_LANGUAGE else url


# Each clause comes with three levels of parents' labels, for its path (an annex's section's
# paragraph's item); a deeper one's further parents are read one by one. Why written out and
# not built by the ORM: building and compiling the query took longer than running it; only the
# matching test (the ORM's own) and the number of agreements and keys vary.
_ROWS_SQL = (
    'SELECT c."id", c."version_id", c."key", c."language", c."change", '
    'EXISTS(SELECT 1 FROM ({matches}) AS h WHERE h."pk" = c."id"), '
    'c."kind", c."number", c."heading", c."text", '
    'p1."kind", p1."number", p1."heading", p2."kind", p2."number", p2."heading", '
    'p3."kind", p3."number", p3."heading", p3."parent_id" '
    'FROM "clauses_clause" AS c '
    'LEFT JOIN "clauses_clause" AS p1 ON p1."id" = c."parent_id" '
    'LEFT JOIN "clauses_clause" AS p2 ON p2."id" = p1."parent_id" '
    'LEFT JOIN "clauses_clause" AS p3 ON p3."id" = p2."parent_id" '
    'WHERE NOT (c."change" = %s) AND ({wanted})'
)


class _Row(NamedTuple):
    """A provision's clause in one version, as the page's second query reads it."""

    pk: int
    version_id: int
    key: str
    language: str
    change: str
    hit: bool
    kind: str
    number: str
    heading: str
    text: str
    # The labels' parts of its parents, nearest first, then the last one's parent's id.
    parents: tuple[Any, ...]

    @property
    def anchor(self) -> str:
        return self.key.replace("__", "-")

    def path(self) -> list[str]:
        """The labels from the outermost provision down to this clause."""
        chain = [provision_label(self.kind, self.number, self.heading)]
        parents = self.parents
        for at in range(0, len(parents) - 1, 3):
            kind, number, heading = parents[at : at + 3]
            if kind is None:
                return list(reversed(chain))
            chain.append(provision_label(kind, number, heading))
        parent_id = parents[-1]
        while parent_id is not None:
            kind, number, heading, parent_id = Clause.objects.values_list(
                "kind", "number", "heading", "parent_id"
            ).get(pk=parent_id)
            chain.append(provision_label(kind, number, heading))
        return list(reversed(chain))


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _clause_rows(
    keys_of: dict[int, list[str]], versions_of: dict[int, list[int]], matches: QuerySet[Clause]
) -> list[_Row]:
    """The clauses of each agreement's ``keys`` in every one of its versions, but repealed
    ones, with their parents' labels and whether they are among ``matches``.

    Why the version ids and not the agreement: with ids and keys the index finds each clause;
    by agreement PostgreSQL read every clause of the page's versions (18,000 rows for 20
    provisions, 19 ms). Why one condition per agreement: a key such as art_3 is in every
    agreement.
    """
    matching, matching_params = matches.order_by().values("pk").query.sql_with_params()
    wanted: list[str] = []
    wanted_params: list[int | str] = []
    for agreement_id, keys in keys_of.items():
        ids = versions_of[agreement_id]
        wanted.append(
            f'(c."version_id" IN ({_placeholders(len(ids))}) '
            f'AND c."key" IN ({_placeholders(len(keys))}))'
        )
        wanted_params += [*ids, *keys]
    # The SQL is constant but for the ORM's own matching test; values travel as parameters.
    sql = _ROWS_SQL.format(matches=matching, wanted=" OR ".join(wanted))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matching_params, ChangeKind.REPEALED.value, *wanted_params])
        return [_Row._make((*row[:10], row[10:])) for row in cursor.fetchall()]


# What the page says of a version and of its agreement, in the order of their concrete fields.
_VERSION_FIELDS = (
    "id",
    "agreement_id",
    "label",
    "title",
    "in_force_from",
    "in_force_until",
    "text_status",
    "date_notes",
)
_AGREEMENT_FIELDS = ("id", "slug", "short_title")
_VERSIONS_SQL = (
    'SELECT v."id", v."agreement_id", v."label", v."title", v."in_force_from", '
    'v."in_force_until", v."text_status", v."date_notes", a."slug", a."short_title" '
    'FROM "clauses_version" AS v JOIN "clauses_agreement" AS a ON a."id" = v."agreement_id" '
    'WHERE v."agreement_id" IN ({ids}) ORDER BY v."in_force_from", v."id"'
)


def _versions(agreement_ids: set[int]) -> list[Version]:
    """Every version of the agreements, in the order they came into force, with their
    agreements: only the fields the page shows are read, the others left deferred as
    ``only()`` leaves them.

    Why not the ORM's queryset: building and compiling it took most of the time of a page of
    provisions of one agreement.
    """
    notes = Version._meta.get_field("date_notes")
    agreements: dict[int, Agreement] = {}
    every = []
    with connection.cursor() as cursor:
        # The SQL is constant but for how many agreements there are; their ids are parameters.
        cursor.execute(
            _VERSIONS_SQL.format(ids=_placeholders(len(agreement_ids))), [*agreement_ids]
        )
        for *fields, slug, short_title in cursor.fetchall():
            if isinstance(notes, JSONField):
                fields[-1] = notes.from_db_value(fields[-1], notes.cached_col, connection)
            version = Version.from_db(connection.alias, _VERSION_FIELDS, fields)
            if version.agreement_id not in agreements:
                agreements[version.agreement_id] = Agreement.from_db(
                    connection.alias, _AGREEMENT_FIELDS, [version.agreement_id, slug, short_title]
                )
            version.agreement = agreements[version.agreement_id]
            every.append(version)
    return every


def provision_hits(
    groups: Sequence[tuple[int, str, float, int]],
    matches: QuerySet[Clause],
    terms: Terms,
    patterns: Patterns,
) -> tuple[ProvisionHit, ...]:
    """The hits of the page's ``groups`` (agreement id, key, best rank, newest version), in two
    queries: every version of their agreements, then their clauses in every version with their
    parents' labels (for the path) and which of them match."""
    if not groups:
        return ()
    every = _versions({a for a, _, _, _ in groups})
    by_id = {v.pk: v for v in every}
    versions_of: dict[int, list[int]] = {}
    for v in every:
        versions_of.setdefault(v.agreement_id, []).append(v.pk)
    # A version's place among its agreement's versions, which is their order in force.
    position = {v.pk: versions_of[v.agreement_id].index(v.pk) for v in every}
    keys_of: dict[int, list[str]] = {}
    for agreement_id, key, _, _ in groups:
        keys_of.setdefault(agreement_id, []).append(key)
    rows = _clause_rows(keys_of, versions_of, matches)
    # Each provision's clauses in one language, in the order of their versions; and its
    # latest matching clause: of the version in force last.
    held: dict[tuple[int, str, str], list[_Row]] = {}
    latest: dict[tuple[int, str], _Row] = {}
    for row in sorted(rows, key=lambda r: (position[r.version_id], r.pk)):
        agreement_id = by_id[row.version_id].agreement_id
        held.setdefault((agreement_id, row.key, row.language), []).append(row)
        if row.hit:
            latest[(agreement_id, row.key)] = row
    spans = (
        fts_spans([c.pk for c in latest.values()], terms.words)
        if terms.words and not on_postgresql()
        else {}
    )
    addresses = _Addresses()
    # A page's provisions are mostly of one or two versions: each one's period and notice
    # are said once.
    said: dict[int, tuple[str, str]] = {}
    hits = []
    for agreement_id, key, score, _ in groups:
        clause = latest.get((agreement_id, key))
        if clause is None:
            continue
        version = by_id[clause.version_id]
        agreement = version.agreement
        if version.pk not in said:
            said[version.pk] = (period_text(version), text_notice(version.text_status))
        period, notice = said[version.pk]
        heading_spans, text_spans = _spans_of(clause, patterns, spans.get(clause.pk))
        versions = held[(agreement_id, key, clause.language)]
        anchor = f"#{clause.anchor}"
        mentions = tuple(
            VersionMention(
                label=held_in.label,
                title=held_in.title,
                url=addresses.version(held_in, clause.language) + anchor,
                changed=r.change in _CHANGING,
                matched=bool(r.hit),
            )
            for r, held_in in ((r, by_id[r.version_id]) for r in versions)
        )
        path = clause.path()
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
                snippet_html=snippet_from_spans(clause.text, text_spans),
                url=addresses.version(version, clause.language) + anchor,
                history_url=addresses.history(agreement.slug, key, clause.language),
                rank=round(float(score or 0.0), 6),
                clause_id=clause.pk,
                language=clause.language,
                version_id=version.pk,
                version_label=version.label,
                version_title=version.title,
                in_force_from=version.in_force_from,
                in_force_until=version.in_force_until,
                period=period,
                text_status=version.text_status,
                text_notice=notice,
                versions=mentions,
                versions_text=versions_sentence(
                    mentions, [position[r.version_id] for r in versions]
                ),
            )
        )
    return tuple(hits)


def _spans_of(
    clause: _Row,
    patterns: Patterns,
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


def _title_html(clause: _Row, heading_spans: list[tuple[int, int]], plain: str) -> str:
    if not clause.heading:
        return plain
    number = escape(clause.number) + " " if clause.number else ""
    return number + marked(clause.heading, heading_spans, 0, len(clause.heading))
