"""Version comparisons, computed once per pair of texts and kept in Django's cache.

A cached diff is found by the two version ids and a token for each version's text: the newest
history row of its clauses. Every write to a clause (an editorial correction through
``clause_correct``, a correction by ``load_sta``, a clause added or deleted) writes a history row,
so the token moves on and every cached diff that includes the version is computed afresh. Old
entries are never asked for again and expire on their own; nothing has to be deleted, so the
scheme holds across processes and cache backends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Max

from sta_tracker.prepared import PreparedQuery

from ..diffing import VersionDiff, clause_texts_from_rows, diff_versions
from ..models import DEFAULT_LANGUAGE, Clause, Version

CACHE_PREFIX = "sta:version-diff:1"
CACHE_SECONDS = 60 * 60 * 24 * 30
CLAUSE_FIELDS = ("id", "version_id", "key", "kind", "number", "heading", "text", "parent_id")


class ClauseValues(NamedTuple):
    """A clause row as the differ reads it: ``CLAUSE_FIELDS`` (the id as ``pk``), its place and
    whether it was repealed."""

    pk: int
    version_id: int
    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent_id: int | None
    order: int
    change: str


ROW_FIELDS = ClauseValues._fields

# Why prepared: building these querysets cost more than running them; their SQL depends only
# on the code, the database and how many versions are asked for.
LATEST_HISTORY = PreparedQuery(
    # Each version's newest clause history row, in any language: its id and its date.
    lambda ids: (
        Clause.history.filter(version_id__in=ids)
        .values_list("version_id")
        .annotate(last_id=Max("history_id"), last_at=Max("history_date"))
        .order_by()
    )
)
CLAUSE_VALUES = PreparedQuery(
    lambda ids, language: (
        Clause.objects.filter(version_id__in=ids, language=language)
        .order_by("version_id", "order")
        .values_list(*ROW_FIELDS)
    )
)


def _ids(versions: Sequence[Version]) -> tuple[int, ...]:
    return tuple(sorted({v.pk for v in versions}))


def text_tokens(versions: Sequence[Version]) -> dict[int, str]:
    """A token per version that changes whenever any of its clauses is written (one query)."""
    latest = {
        version_id: (last_id, last_at)
        for version_id, last_id, last_at in LATEST_HISTORY(ids=_ids(versions))
    }
    tokens: dict[int, str] = {}
    for version in versions:
        row = latest.get(version.pk)
        # Why: the publication time tells apart two versions that reuse an id, which SQLite does
        # after a rollback; the history id and date then follow every write to a clause.
        tokens[version.pk] = ":".join(
            [
                version.published_at.isoformat() if version.published_at else "-",
                str(row[0]) if row else "0",
                row[1].isoformat() if row else "-",
            ]
        )
    return tokens


def cache_key(
    *,
    older: Version,
    newer: Version,
    ignore_whitespace_and_punctuation: bool,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    tokens = text_tokens([older, newer])
    mode = "ignore" if ignore_whitespace_and_punctuation else "exact"
    return (
        f"{CACHE_PREFIX}:{older.pk}@{tokens[older.pk]}:{newer.pk}@{tokens[newer.pk]}:{mode}"
        f":{language}"
    ).replace(" ", "_")


def _compute(older: Version, newer: Version, ignore: bool, language: str) -> VersionDiff:
    # Why: a comparison works within one language; two texts of one provision are not a change.
    # Why rows of values: the differ reads ten fields, and building a model instance for each
    # clause cost a third of loading them.
    rows = [
        ClauseValues._make(row)
        for row in CLAUSE_VALUES(ids=_ids([older, newer]), language=language)
    ]
    old = clause_texts_from_rows(r for r in rows if r.version_id == older.pk)
    new = clause_texts_from_rows(r for r in rows if r.version_id == newer.pk)
    return diff_versions(old, new, ignore_whitespace_and_punctuation=ignore)


def version_diff(
    *,
    older: Version,
    newer: Version,
    ignore_whitespace_and_punctuation: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> VersionDiff:
    """The clause-by-clause diff of ``older`` against ``newer`` in ``language``, from the cache
    when it can be.

    Costs one query on a cache hit and two on a miss, whatever the size of the versions.
    """
    return version_diff_keyed(
        older=older,
        newer=newer,
        ignore_whitespace_and_punctuation=ignore_whitespace_and_punctuation,
        language=language,
    )[1]


def version_diff_keyed(
    *,
    older: Version,
    newer: Version,
    ignore_whitespace_and_punctuation: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[str, VersionDiff]:
    """``version_diff`` with its cache key, which names the texts it was computed from."""
    key = cache_key(
        older=older,
        newer=newer,
        ignore_whitespace_and_punctuation=ignore_whitespace_and_punctuation,
        language=language,
    )
    found = cache.get(key)
    if isinstance(found, VersionDiff):
        return key, found
    diff = _compute(older, newer, ignore_whitespace_and_punctuation, language)
    cache.set(key, diff, CACHE_SECONDS)
    return key, diff


def version_diff_precompute(*, version_id: int) -> bool:
    """Fill the cache with the diff of a version against the one before it.

    Returns whether there was a previous version to compare with; safe to run twice.
    """
    version = Version.objects.select_related("previous").filter(pk=version_id).first()
    if version is None or version.previous is None:
        return False
    version_diff(older=version.previous, newer=version)
    return True
