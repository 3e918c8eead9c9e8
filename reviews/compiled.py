"""Queries the review queue runs on every request, compiled to SQL once per shape.

Building and compiling the queue's querysets (their subqueries for progress, deadlines and
who may play which part) costs more than running them. Their SQL depends only on the code,
on the settings that shape it and on which tab, roles and sort are asked for (the query's
"shape"); what differs from one request to the next (the person, today) are parameters. So
each shape's queryset is built once with stand-in values and compiled, and every later request
runs that SQL with its own values in the stand-ins' places. Nothing read from the database is
kept: only SQL text, its constant parameters and how its columns make rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

from sta_tracker.roles import Role, has_role

# A row as its queryset gives it: a model instance, or a tuple or value of ``values_list``.
R = TypeVar("R")
Value = int | dt.date
# Why ``Any``: a builder is given stand-ins of the kinds of the values it was asked for.
Build = Callable[[Mapping[str, Any]], QuerySet[Any, R]]

# Why these: no id is negative and no day of the tracker lies in the eleventh century, so a
# parameter equal to a stand-in is the value it stands for (ids stay inside 32 bits, where
# Django compares them as given).
_FIRST_ID = -1_987_650_001
_FIRST_DAY = dt.date(1001, 1, 1)
# Why a bound: shapes differ by tab, roles, sort and the settings that shape the SQL, a few
# dozen at most; the bound only keeps a mistake from growing without end.
MOST_SHAPES = 256


def stand_ins(values: Mapping[str, Value]) -> dict[str, Value]:
    """A stand-in of the same kind for each value, none equal to another."""
    kept: dict[str, Value] = {}
    for n, (name, value) in enumerate(sorted(values.items())):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            kept[name] = _FIRST_DAY + dt.timedelta(days=n)
        elif isinstance(value, int) and not isinstance(value, bool):
            kept[name] = _FIRST_ID - n
        else:
            raise TypeError(f"{name}: only ids and days are passed as parameters, not {value!r}")
    return kept


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


def _adapted(value: Value, connection: BaseDatabaseWrapper) -> Any:
    """A value as Django hands it to the database driver."""
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class Statement:
    """SQL with its parameters, and which of them take a request's values."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]

    @classmethod
    def of(
        cls,
        sql: str,
        params: Sequence[Any],
        stand_in: Mapping[str, Value],
        connection: BaseDatabaseWrapper,
    ) -> Statement:
        names = {_adapted(v, connection): name for name, v in stand_in.items()}
        slots = tuple(
            (position, names[param])
            for position, param in enumerate(params)
            if type(param) in (int, dt.date, str) and param in names
        )
        missing = set(stand_in) - {name for _, name in slots}
        if missing:
            # Why: a value that is not a parameter decided the SQL itself; it belongs in the
            # shape, or the SQL kept would answer for the stand-in.
            raise ValueError(f"not passed to the database as parameters: {sorted(missing)}")
        return cls(sql, tuple(params), slots)

    def bound(self, values: Mapping[str, Value], connection: BaseDatabaseWrapper) -> list[Any]:
        params = list(self.params)
        for position, name in self.slots:
            params[position] = _adapted(values[name], connection)
        return params


class _Captured(Exception):
    def __init__(self, sql: str, params: Sequence[Any]) -> None:
        super().__init__(sql)
        self.sql, self.params = sql, params


def _capture(execute: Any, sql: str, params: Sequence[Any], many: bool, context: Any) -> Any:
    raise _Captured(sql, params)


def captured_sql(run: Callable[[], object], using: str) -> tuple[str, Sequence[Any]] | None:
    """The SQL and parameters of the first query ``run`` sends, which is not sent; None when
    it sends none (Django knew the answer without asking, as for an empty queryset)."""
    connection = connections[using]
    logging = connection.force_debug_cursor
    # Why: tests count the queries sent to the database, and this one is not.
    connection.force_debug_cursor = False
    try:
        with connection.execute_wrapper(_capture):
            run()
    except _Captured as query:
        return query.sql, query.params
    finally:
        connection.force_debug_cursor = logging
    return None


def _remembered(shapes: dict[Hashable, Any], shape: Hashable, make: Callable[[], Any]) -> Any:
    if shape not in shapes:
        if len(shapes) >= MOST_SHAPES:
            shapes.clear()
        shapes[shape] = make()
    return shapes[shape]


_SCALARS: dict[Hashable, Statement] = {}


def scalars(
    shape: Hashable,
    values: Mapping[str, Value],
    build: Callable[[Mapping[str, Any]], Sequence[Callable[[], object]]],
    *,
    using: str,
) -> tuple[Any, ...]:
    """The answers of several single-value queries (counts, say) in one statement.

    ``build`` gives, for stand-in values, the calls that would each send one such query; they
    are not sent but become the columns of one ``SELECT``. ``shape`` must name everything
    that changes their SQL apart from ``values``.
    """
    connection = connections[using]

    def compile_once() -> Statement:
        stand_in = stand_ins(values)
        columns: list[str] = []
        params: list[Any] = []
        for run in build(stand_in):
            query = captured_sql(run, using)
            if query is None:
                raise EmptyResultSet("every query of a combined statement must be sent")
            columns.append(f"({query[0]})")
            params.extend(query[1])
        return Statement.of(f"SELECT {', '.join(columns)}", params, stand_in, connection)

    statement = _remembered(_SCALARS, (using, connection.vendor, shape), compile_once)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.bound(values, connection))
        return tuple(cursor.fetchone())


@dataclass(frozen=True)
class _Rows(Generic[R]):
    """A queryset built with stand-ins, its SQL, and how its columns make model rows."""

    template: QuerySet[Any, R]
    statement: Statement | None
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


class _KeptQuery(Query):
    """A compiled query run once as it is, with one request's parameters."""

    kept: _Rows[Any]
    sql: str
    params: list[Any]

    def get_compiler(
        self,
        using: str | None = None,
        connection: BaseDatabaseWrapper | None = None,
        elide_empty: bool = True,
    ) -> SQLCompiler:
        return _KeptCompiler(self, connection or connections[using or "default"], using)

    def clone(self) -> Query:
        # Why: its SQL is fixed; filtering, counting or slicing it again would run that SQL
        # for another question.
        raise TypeError("A compiled queue query runs as it is; build a queryset to change it.")


class _KeptCompiler(SQLCompiler):
    query: _KeptQuery

    def __init__(
        self, query: _KeptQuery, connection: BaseDatabaseWrapper, using: str | None
    ) -> None:
        super().__init__(query, connection, using)
        kept = query.kept
        self.select, self.klass_info = kept.select, kept.klass_info
        self.annotation_col_map, self.col_count = kept.annotation_col_map, kept.col_count
        self.has_extra_select = kept.has_extra_select

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> Any:
        return self.query.sql, self.query.params


_ROWS: dict[Hashable, _Rows[Any]] = {}


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

    def compile_once() -> _Rows[R]:
        stand_in = stand_ins(values)
        template = build(stand_in).using(using)
        connection = connections[using]
        compiler = template.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            statement = None
        else:
            statement = Statement.of(sql, params, stand_in, connection)
        return _Rows(
            template,
            statement,
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
            compiler.col_count,
            compiler.has_extra_select,
        )

    kept: _Rows[R] = _remembered(_ROWS, (using, connections[using].vendor, shape), compile_once)
    if kept.statement is None or (limit is not None and limit <= 0):
        return []
    connection = connections[using]
    run = kept.template.all()
    query = cast(_KeptQuery, run.query.chain(_KeptQuery))
    query.kept = kept
    query.sql, query.params = kept.statement.sql, kept.statement.bound(values, connection)
    if limit is not None:
        query.sql += " LIMIT %s OFFSET %s"
        query.params += [limit, offset]
    # Why kept: setting a query of values would make its rows dictionaries, as ``values()``
    # gives them, whatever ``values_list`` asked for.
    iterable = run._iterable_class
    run.query = query
    run._iterable_class = iterable
    return list(run)


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
