"""The provisions of a page of results: each one's latest matching clause, its full path as a
title, its snippet, and the versions that hold it and changed it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from clauses.models import DEFAULT_LANGUAGE, ChangeKind, Clause, ClauseKind, Version
from clauses.reading.read_models import period_text, text_notice

from .candidates import on_postgresql
from .highlighting import Patterns, fts_spans, marked, snippet_from_spans
from .results import ProvisionHit, VersionMention
from .terms import Terms, series

PATH_SEPARATOR = " › "


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
        said = "in " + series(titles)
    changed = [f"“{m.title}”" for m in mentions[1:] if m.changed]
    if changed:
        said += "; changed in " + series(changed)
    return said


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


def provision_hits(
    groups: Sequence[tuple[int, str, float, int]],
    matches: QuerySet[Clause],
    terms: Terms,
    patterns: Patterns,
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
    spans = fts_spans(list(shown), terms.words) if terms.words and not on_postgresql() else {}
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
                snippet_html=snippet_from_spans(clause.text, text_spans),
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


def _title_html(clause: Clause, heading_spans: list[tuple[int, int]], plain: str) -> str:
    if not clause.heading:
        return plain
    number = escape(clause.number) + " " if clause.number else ""
    return number + marked(clause.heading, heading_spans, 0, len(clause.heading))
