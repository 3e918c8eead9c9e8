"""Writing a tree of clauses: parents before children, one history row each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from django.db import models

from sta_tracker.history import bulk_create_with_history


class TreeItem(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


T = TypeVar("T", bound=TreeItem)
M = TypeVar("M", bound=models.Model)

# Builds one row from an item, its 1-based order in reading order, its depth and its parent's row.
RowBuilder = Callable[[T, int, int, M | None], M]


def write_tree(
    items: Sequence[T],
    model: type[M],
    build: RowBuilder[T, M],
    *,
    acting_user: Any,
    reason: str,
    parent_of: Callable[[T], str | None] = lambda item: item.parent,
) -> dict[str, M]:
    """Insert ``items`` (in reading order, parents before their children) as rows of ``model``.

    Rows are written one level at a time so that every parent has an id before its children
    refer to it. A parent key that names no earlier item is a programming error (KeyError);
    callers that tolerate orphans say so through ``parent_of``.
    """
    depth: dict[str, int] = {}
    for item in items:
        parent = parent_of(item)
        depth[item.key] = depth[parent] + 1 if parent else 0
    saved: dict[str, M] = {}
    for level in range(max(depth.values(), default=-1) + 1):
        keys: list[str] = []
        rows: list[M] = []
        for order, item in enumerate(items, start=1):
            if depth[item.key] != level:
                continue
            parent = parent_of(item)
            keys.append(item.key)
            rows.append(build(item, order, level, saved[parent] if parent else None))
        created = bulk_create_with_history(rows, model, acting_user=acting_user, reason=reason)
        saved.update(zip(keys, created, strict=True))
    return saved
