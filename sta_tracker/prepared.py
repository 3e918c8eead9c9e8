"""Queries whose SQL is built once per database and then run with each request's values.

The pages run the same few querysets on every request (the signed-in person and their roles,
a version's clauses, a queue tab's counts); only the values differ (an id, a day, a slug). For
such a query Django spends more CPU building the queryset and compiling its SQL than the
database spends answering it. A prepared query builds its queryset once with stand-in values,
keeps the compiled SQL and notes which parameters the stand-ins became; each call runs that SQL
with the call's values in those places, and Django's own iterables turn the rows into what the
queryset would have given (model instances with their ``select_related`` objects,
annotations and prefetches, or values rows, all through the same converters).

Only SQL text, constant parameters and the shape of the columns are kept, never a row: every
call asks the database. A value that decides the SQL itself rather than a parameter (a role, a
sort order, a list's length) is refused when the query is first built; such choices belong in
which prepared query is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

M = TypeVar("M", bound=Model)
Scalar = int | str | dt.date
# Why tuples of ids: an ``__in`` lookup's list; its SQL is compiled once per length.
Value = Scalar | tuple[int, ...]

# Why these: no id is negative and no day of the tracker lies in the eleventh century, and no
# slug or label holds a control character, so a parameter equal to a stand-in is the value it
# stands for. Ids stay inside 32 bits, where Django passes them on as given.
_FIRST_ID = -1_987_650_001
_FIRST_DAY = dt.date(1001, 1, 1)
_TEXT = "\x1fstand-in {}\x1f"


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def stand_ins(values: Mapping[str, Value]) -> dict[str, Value]:
    """A stand-in of the same kind (and length) for each value, none equal to another."""
    made: dict[str, Value] = {}
    ids = 0
    for n, (name, value) in enumerate(sorted(values.items())):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            made[name] = _FIRST_DAY + dt.timedelta(days=n)
        elif _is_id(value):
            made[name], ids = _FIRST_ID - ids, ids + 1
        elif isinstance(value, str):
            made[name] = _TEXT.format(n)
        elif isinstance(value, tuple) and all(_is_id(item) for item in value):
            made[name] = tuple(range(_FIRST_ID - ids, _FIRST_ID - ids - len(value), -1))
            ids += len(value)
        else:
            raise TypeError(
                f"{name}: ids, tuples of ids, texts and days are passed as parameters, "
                f"not {value!r}"
            )
    return made


def _kinds(values: Mapping[str, Value]) -> tuple[tuple[str, str, int], ...]:
    return tuple(
        sorted(
            (name, type(value).__name__, len(value) if isinstance(value, tuple) else -1)
            for name, value in values.items()
        )
    )


def _adapted(value: Scalar, connection: BaseDatabaseWrapper) -> Any:
    """A value as Django hands it to the database driver."""
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class Statement:
    """SQL with its parameters, and which of them take a call's values.

    A slot is a parameter's position, the value's name, and for a tuple the item's place.
    """

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, int | None], ...]

    @classmethod
    def of(
        cls,
        sql: str,
        params: Sequence[Any],
        stand_in: Mapping[str, Value],
        connection: BaseDatabaseWrapper,
    ) -> Statement:
        names: dict[Any, tuple[str, int | None]] = {}
        for name, value in stand_in.items():
            if isinstance(value, tuple):
                names.update({item: (name, n) for n, item in enumerate(value)})
            else:
                names[_adapted(value, connection)] = (name, None)
        slots = tuple(
            (position, *names[param])
            for position, param in enumerate(params)
            if type(param) in (int, str, dt.date) and param in names
        )
        found = {(name, item) for _, name, item in slots}
        if found != set(names.values()):
            # Why: a value that is not a parameter decided the SQL itself (or was changed on its
            # way, as a pattern is); the SQL kept would answer for the stand-in.
            missing = {name for name, item in set(names.values()) - found}
            raise ValueError(f"not passed to the database as parameters: {sorted(missing)}")
        return cls(sql, tuple(params), slots)

    def bound(self, values: Mapping[str, Value], connection: BaseDatabaseWrapper) -> list[Any]:
        params = list(self.params)
        for position, name, item in self.slots:
            value = values[name]
            params[position] = (
                value[item]
                if isinstance(value, tuple) and item is not None
                else _adapted(cast(Scalar, value), connection)
            )
        return params


class _Captured(Exception):
    def __init__(self, sql: str, params: Sequence[Any]) -> None:
        super().__init__(sql)
        self.sql, self.params = sql, params


def _capture(execute: Any, sql: str, params: Sequence[Any], many: bool, context: Any) -> Any:
    raise _Captured(sql, params)


def captured_sql(run: Callable[[], object], using: str) -> tuple[str, Sequence[Any]] | None:
    """The SQL and parameters of the first query ``run`` sends, which is not sent; ``None``
    when it sends none (Django knew the answer without asking, as for an empty queryset)."""
    connection = connections[using]
    log = connection.queries_log
    last = log[-1] if log else None
    try:
        with connection.execute_wrapper(_capture):
            run()
    except _Captured as query:
        # Why: a logging cursor notes a statement even when it fails; this one was not sent.
        if log and log[-1] is not last:
            log.pop()
        return query.sql, query.params
    return None


@dataclass(frozen=True)
class _Kept:
    """A queryset built with stand-ins, its SQL, and how its columns make rows."""

    template: QuerySet[Any, Any]
    statement: Statement | None
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


class _KeptQuery(Query):
    """A compiled query run as it is, with one call's parameters."""

    kept: _Kept
    sql: str
    params: list[Any]

    def get_compiler(
        self,
        using: str | None = None,
        connection: BaseDatabaseWrapper | None = None,
        elide_empty: bool = True,
    ) -> SQLCompiler:
        return _KeptCompiler(self, connection or connections[using or DEFAULT_DB_ALIAS], using)

    def clone(self) -> Query:
        # Why: its SQL is fixed; filtering, counting or slicing it again would run that SQL
        # for another question.
        raise TypeError("A prepared query runs as it is; build a queryset to change it.")


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


class PreparedQuery(Generic[M]):
    """``build(**values)``, a queryset, compiled once per database and kinds of values.

    Calling it gives the list the queryset would give for those values; ``limit`` and
    ``offset`` take a slice of it in the database.
    """

    def __init__(self, build: Callable[..., QuerySet[M, Any]]) -> None:
        self._build = build
        self._kept: dict[tuple[Any, ...], _Kept] = {}

    def __call__(
        self,
        *,
        using: str = DEFAULT_DB_ALIAS,
        limit: int | None = None,
        offset: int = 0,
        **values: Value,
    ) -> list[Any]:
        connection = connections[using]
        key = (using, connection.vendor, _kinds(values))
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = self._compile(using, connection, values)
        if kept.statement is None or (limit is not None and limit <= 0):
            return []
        params = kept.statement.bound(values, connection)
        sql = kept.statement.sql
        if limit is not None or offset:
            high = None if limit is None else offset + limit
            sql = f"{sql} {connection.ops.limit_offset_sql(offset, high)}"
        run = kept.template.all()
        query = cast(_KeptQuery, run.query.chain(_KeptQuery))
        query.kept, query.sql, query.params = kept, sql, params
        # Why keep the iterable: setting a query that selects values makes the queryset give
        # dictionaries, as ``values()`` does, even where ``values_list()`` was asked for.
        iterable = run._iterable_class
        run.query = query
        run._iterable_class = iterable
        return list(run)

    def _compile(
        self, using: str, connection: BaseDatabaseWrapper, values: Mapping[str, Value]
    ) -> _Kept:
        stand_in = stand_ins(values)
        template = self._build(**stand_in).using(using)
        if template.query.is_sliced:
            raise ValueError("A prepared query is sliced when called, not when built.")
        compiler = template.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            statement = None
        else:
            statement = Statement.of(sql, params, stand_in, connection)
        return _Kept(
            template,
            statement,
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
            compiler.col_count,
            compiler.has_extra_select,
        )


class PreparedScalars:
    """Several single-value queries (counts, say) as the columns of one statement.

    ``build(**values)`` gives the calls that would each send one such query; when first
    prepared they are not sent but become the columns of one ``SELECT``, compiled once per
    database and kinds of values. Calling it gives each query's answer, in order.
    """

    def __init__(self, build: Callable[..., Sequence[Callable[[], object]]]) -> None:
        self._build = build
        self._kept: dict[tuple[Any, ...], Statement] = {}

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: Value) -> tuple[Any, ...]:
        connection = connections[using]
        key = (using, connection.vendor, _kinds(values))
        statement = self._kept.get(key)
        if statement is None:
            statement = self._kept[key] = self._compile(using, connection, values)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, statement.bound(values, connection))
            return tuple(cursor.fetchone())

    def _compile(
        self, using: str, connection: BaseDatabaseWrapper, values: Mapping[str, Value]
    ) -> Statement:
        stand_in = stand_ins(values)
        columns: list[str] = []
        params: list[Any] = []
        for run in self._build(**stand_in):
            query = captured_sql(run, using)
            if query is None:
                raise EmptyResultSet("every query of a combined statement must be sent")
            columns.append(f"({query[0]})")
            params.extend(query[1])
        return Statement.of(f"SELECT {', '.join(columns)}", params, stand_in, connection)
