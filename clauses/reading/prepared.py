"""Querysets turned into SQL once per process, then run with each request's values.

Building a queryset's SQL (its joins, columns, ordering) cost as much CPU as running the query
and reading the rows on the reading pages, and the text is the same on every request: only the
values change. A ``PreparedQuery`` compiles its queryset the first time it runs, with example
values standing for the request's, and afterwards only executes that SQL and builds the model
instances as Django would (the same columns, converters, ``select_related`` objects and
annotations). What it keeps derives from the code alone, never from rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

# Why these: Django's own instance builders for select_related rows (the stubs leave them out).
from django.db.models.query import (  # type: ignore[attr-defined]
    RelatedPopulator,
    get_related_populators,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    # Each parameter of ``sql``: the name of the value it takes (and its place in a tuple), or
    # a constant of the queryset.
    params: tuple[tuple[str | None, int | None, Any], ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    model: type[Model]
    fields: tuple[int, int]
    init_list: tuple[str, ...]
    related: tuple[RelatedPopulator, ...]
    annotations: tuple[tuple[str, int], ...]


class PreparedQuery(Generic[M]):
    """``build(**values)`` as SQL compiled once; calling it runs the SQL with new ``values``.

    ``examples`` are values of the right type that ``build`` turns into parameters unchanged
    and that no other parameter of the query equals; each must appear in the SQL. An example
    that is a tuple stands for as many parameters (``pk__in``): each call gives a tuple of the
    same length. Values given on a call are passed to the database as they are (plain strings,
    numbers and dates).
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **examples: Any) -> None:
        self._build = build
        self._examples = examples
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __call__(self, **values: Any) -> list[M]:
        compiled = self._compiled or self._compile()
        if values.keys() != self._examples.keys():
            raise TypeError(f"expected the values {sorted(self._examples)}")
        for name, example in self._examples.items():
            if isinstance(example, tuple) and len(values[name]) != len(example):
                raise ValueError(f"{name} takes {len(example)} values")
        params = [
            constant if name is None else values[name] if item is None else values[name][item]
            for name, item, constant in compiled.params
        ]
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return [self._instance(compiled, row, connection) for row in rows]

    def _instance(self, compiled: _Compiled, fetched: Sequence[Any], connection: Any) -> M:
        row = list(fetched)
        for position, functions, expression in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        start, end = compiled.fields
        obj: M = compiled.model.from_db(compiled.alias, compiled.init_list, row[start:end])  # type: ignore[assignment]
        for populator in compiled.related:
            populator.populate(row, obj)
        for name, position in compiled.annotations:
            setattr(obj, name, row[position])
        return obj

    def _compile(self) -> _Compiled:
        with self._lock:
            if self._compiled is None:
                self._compiled = _compile(self._build(**self._examples), self._examples)
            return self._compiled


def _compile(queryset: QuerySet[Any], examples: dict[str, Any]) -> _Compiled:
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    sql, raw_params = compiler.as_sql()
    # Where each example's values stand: a single value by its name, a tuple's by their places.
    places: dict[tuple[str, int | None], Any] = {}
    for name, example in examples.items():
        if isinstance(example, tuple):
            places.update(((name, n), item) for n, item in enumerate(example))
        else:
            places[(name, None)] = example
    params: list[tuple[str | None, int | None, Any]] = []
    for value in raw_params:
        found = [place for place, example in places.items() if _same(example, value)]
        if len(found) > 1:
            raise ValueError(f"the examples {found} are equal; give each its own value")
        params.append((*found[0], None) if found else (None, None, value))
    unused = examples.keys() - {name for name, _, _ in params}
    if unused:
        raise ValueError(f"the examples {sorted(unused)} are not parameters of the query")
    select, klass_info = compiler.select, compiler.klass_info
    if klass_info is None:
        raise ValueError("a prepared query reads model rows")
    converters = compiler.get_converters([column for column, _, _ in select])
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Compiled(
        alias=alias,
        sql=sql,
        params=tuple(params),
        converters=tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in converters.items()
        ),
        model=klass_info["model"],
        fields=(start, end),
        init_list=tuple(column[0].target.attname for column in select[start:end]),
        related=tuple(get_related_populators(klass_info, select, alias)),
        annotations=tuple(compiler.annotation_col_map.items()),
    )


def _same(example: Any, value: Any) -> bool:
    return type(example) is type(value) and example == value
