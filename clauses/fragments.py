"""Rendered HTML of a version's text and of a comparison's rows, kept in Django's cache.

Rendering a long text clause by clause is most of what the version, on-date and compare pages
cost, so each fragment is rendered once and kept under a key naming everything it is made
from: the text token of each version shown (``comparison.cache.text_tokens``, which moves on
with every write to a clause, so an editorial correction is seen at once), and the other facts
the fragment prints (titles, labels, statuses, the page's address, the options asked for),
hashed. A key that is never asked for again expires on its own; nothing is deleted, so the
scheme holds across processes and cache backends, as the diff cache does.

``STA_FRAGMENT_CACHE = False`` renders every fragment in the page template as before; the tests
compare the two renders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.utils.safestring import SafeString

from .models import Version

CACHE_PREFIX = "sta:fragment:1"
CACHE_SECONDS = 60 * 60 * 24 * 30


def fragments_on() -> bool:
    return bool(getattr(settings, "STA_FRAGMENT_CACHE", True))


def fragment_key(kind: str, *parts: object) -> str:
    """A cache key for a fragment of ``kind`` rendered from ``parts`` (compared by ``repr``)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{CACHE_PREFIX}:{kind}:{digest}"


def versions_shown(versions: Iterable[Version]) -> tuple[object, ...]:
    """What a fragment may print of the agreement's versions and the instruments that made them.

    A clause's ``changed_by`` is the instrument that made one of these versions, so its title,
    kind and sources are covered too.
    """
    return tuple(
        (
            v.pk,
            v.label,
            v.title,
            v.in_force_from,
            v.text_status,
            v.instrument_id,
            v.instrument.title,
            v.instrument.kind,
            repr(v.instrument.sources),
        )
        for v in versions
    )


def fragment_get(key: str) -> dict[str, object] | None:
    if not fragments_on():
        return None
    found = cache.get(key)
    return found if isinstance(found, dict) else None


def fragment_set(key: str, html: str, **extra: object) -> SafeString:
    """Keep ``html`` (rendered from trusted templates) with ``extra`` facts the page needs."""
    if fragments_on():
        cache.set(key, {"html": str(html), **extra}, CACHE_SECONDS)
    return SafeString(html)  # nosec B703 - rendered, escaped, by the project's templates


def rows_shown(rows: Iterable[Model]) -> tuple[object, ...]:
    """Every stored field of ``rows`` (and of the rows they were fetched with), for a key.

    A fragment keyed by this follows its rows' content itself: any write that changes what the
    rows hold changes the key, whatever wrote it.
    """
    return tuple(_row_fields(row) for row in rows)


def _row_fields(row: Model) -> tuple[object, ...]:
    fields: list[object] = [type(row).__name__]
    fields.extend(repr(getattr(row, f.attname)) for f in row._meta.concrete_fields)
    # Why: a related row fetched with select_related (a clause's instrument) is printed too.
    for name, related in sorted(row._state.fields_cache.items()):
        fields.append((name, _row_fields(related) if isinstance(related, Model) else None))
    return tuple(fields)
