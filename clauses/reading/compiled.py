"""Queries the reading pages run on every request, their SQL compiled once per process.

Compiling a query (choosing its columns, joins and order, quoting every name) cost more than
running it on PostgreSQL and reading its rows: a third of a millisecond for the clauses of a
version, three quarters for the versions of an agreement with their instruments. The SQL text
depends on the code only; each call runs it with that request's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class _Part:
    """The model one stretch of a row's columns makes, and where it hangs on the main one."""

    model: type[Model]
    start: int
    stop: int
    names: tuple[str, ...]
    setter: Callable[[Model, Model | None], None] | None

    def build(self, row: Sequence[Any], using: str) -> Any:
        values = row[self.start : self.stop]
        # Why: a relation that may be empty joins a row of nulls, which is no instance.
        if values[self.names.index(self.model._meta.pk.attname)] is None:
            return None
        return self.model.from_db(using, self.names, values)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    parts: tuple[_Part, ...]


def _part(info: dict[str, Any], select: Sequence[Any], setter: Any) -> _Part:
    fields = info["select_fields"]
    start, stop = min(fields), max(fields) + 1
    if list(fields) != list(range(start, stop)):
        raise ValueError("A model's columns must be side by side in the row.")
    names = tuple(select[n][0].target.attname for n in fields)
    return _Part(info["model"], start, stop, names, setter)


def _parts(klass_info: dict[str, Any] | None, select: Sequence[Any]) -> tuple[_Part, ...]:
    if klass_info is None:
        return ()
    related = []
    for info in klass_info.get("related_klass_infos", ()):
        if info["reverse"] or info.get("related_klass_infos"):
            raise ValueError("Only forward relations one step away can come with the rows.")
        related.append(_part(info, select, info["local_setter"]))
    return (_part(klass_info, select, None), *related)


class CompiledQuery:
    """A query built by ``build`` from stand-in values, compiled on first use, then run as SQL.

    ``markers`` are the stand-ins: values of the right type that the query's parameters hold
    exactly once each, where each call's values go. Columns are converted from the database
    as the ORM converts them (JSON decoded, for instance).
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *markers: Any) -> None:
        self._build = build
        self._markers = markers
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        found = self._compiled.get(alias)
        if found is not None:
            return found
        compiler = self._build(*self._markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = []
        for marker in self._markers:
            at = [n for n, value in enumerate(params) if value == marker]
            if len(at) != 1:
                raise ValueError(f"The stand-in {marker!r} must be one parameter of the query.")
            slots.append(at[0])
        converters = compiler.get_converters([expression for expression, *_ in compiler.select])
        found = _Compiled(
            sql,
            tuple(params),
            tuple(slots),
            tuple((n, tuple(fns), expression) for n, (fns, expression) in converters.items()),
            _parts(compiler.klass_info, compiler.select),
        )
        self._compiled[alias] = found
        return found

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        """The query's rows for ``values`` (one for each stand-in, in their order)."""
        compiled = self._compile(using)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted = []
        for row in rows:
            cells = list(row)
            for n, functions, expression in compiled.converters:
                for function in functions:
                    cells[n] = function(cells[n], expression, connection)
            converted.append(tuple(cells))
        return converted

    def objects(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        """The query's model instances for ``values``, with what it selected with them."""
        main, *related = self._compile(using).parts
        found = []
        for row in self.rows(*values, using=using):
            instance = main.build(row, using)
            for part in related:
                assert part.setter is not None  # noqa: S101 - every related part has one
                part.setter(instance, part.build(row, using))
            found.append(instance)
        return found
