"""The review queue's prepared queries, one per shape.

Building and compiling the queue's querysets (their subqueries for progress, deadlines and
who may play which part) costs more than running them. Their SQL depends only on the code,
on the settings that shape it and on which tab, roles and sort are asked for (the query's
"shape"); what differs from one request to the next (the person, today) are parameters. So
each shape has its prepared query (``sta_tracker/prepared.py``): built once with stand-in
values, then run with each request's values. Nothing read from the database is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from sta_tracker.prepared import PreparedQuery, PreparedScalars, Value
from sta_tracker.roles import Role, has_role

# A row as its queryset gives it: a model instance, or a tuple or value of ``values_list``.
R = TypeVar("R")
# Why ``Any``: a builder is given stand-ins of the kinds of the values it was asked for.
Build = Callable[[Mapping[str, Any]], QuerySet[Any, R]]

# Why a bound: shapes differ by tab, roles, sort and the settings that shape the SQL, a few
# dozen at most; the bound only keeps a mistake from growing without end.
MOST_SHAPES = 256


def roles_of(user: Any) -> tuple[str, ...]:
    """What of a person shapes the queue's SQL: their roles (and whether they are a superuser,
    who holds the administrator's role without its group)."""
    held = tuple(role.value for role in Role if has_role(user, role))
    return (*held, "superuser") if getattr(user, "is_superuser", False) else held


def stand_in_user(user: Any, pk: Any) -> Any:
    """An unsaved person with ``user``'s roles and the id ``pk`` (none for a query that does
    not name the person), to build a query with."""
    stand_in = get_user_model()(pk=pk, is_active=True, is_superuser=user.is_superuser)
    # Why: ``has_role`` reads the roles from here before asking the database for them.
    stand_in._sta_roles = {role.value for role in Role if has_role(user, role)}  # type: ignore[attr-defined]
    return stand_in


def _remembered(shapes: dict[Hashable, Any], shape: Hashable, make: Callable[[], Any]) -> Any:
    if shape not in shapes:
        if len(shapes) >= MOST_SHAPES:
            shapes.clear()
        shapes[shape] = make()
    return shapes[shape]


_SCALARS: dict[Hashable, PreparedScalars] = {}


def scalars(
    shape: Hashable,
    values: Mapping[str, Value],
    build: Callable[[Mapping[str, Any]], Sequence[Callable[[], object]]],
    *,
    using: str,
) -> tuple[Any, ...]:
    """The answers of several single-value queries (counts, say) in one statement.

    ``build`` gives, for stand-in values, the calls that would each send one such query.
    ``shape`` must name everything that changes their SQL apart from ``values``.
    """
    prepared: PreparedScalars = _remembered(
        _SCALARS, shape, lambda: PreparedScalars(lambda **stand_in: build(stand_in))
    )
    return prepared(using=using, **values)


_ROWS: dict[Hashable, PreparedQuery[Any]] = {}


def rows(
    shape: Hashable,
    values: Mapping[str, Value],
    build: Build[R],
    *,
    using: str,
    limit: int | None,
    offset: int = 0,
) -> list[R]:
    """The rows ``build`` would give for ``values``, ``limit`` of them (or all) from
    ``offset``, with the queryset's related rows and prefetches as it would load them.

    ``build`` gives the (unsliced) queryset for stand-in values; ``shape`` must name
    everything that changes its SQL apart from ``values``.
    """
    prepared: PreparedQuery[Any] = _remembered(
        _ROWS, shape, lambda: PreparedQuery(lambda **stand_in: build(stand_in))
    )
    return prepared(using=using, limit=limit, offset=offset, **values)


@dataclass(frozen=True)
class CountedRows(Generic[R]):
    """Rows to page through whose number is known: what ``Paginator`` asks of a list."""

    fetch: Callable[[int, int], list[R]]
    total: int

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, part: slice) -> list[R]:
        start, stop, _ = part.indices(self.total)
        return self.fetch(stop - start, start)

    def __iter__(self) -> Iterator[R]:
        return iter(self[:])
