"""A query whose SQL is built once per database connection and then run with other values.

Every signed-in request looks up the same few rows by key (the person and their roles). For
such a lookup Django spends more CPU building the queryset and compiling its SQL than the
database spends answering it. A ``PreparedQuery`` builds the queryset once, with a stand-in
value, keeps the compiled SQL, and on each call runs that SQL with the real value in the
stand-in's place, turning the rows into model objects as the queryset would have (the same
converters, the same ``from_db``, the same annotations). Only the SQL text is kept, never a
row: every call asks the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Why this number: a key no table holds (negative), in range of every integer column, which
# must appear exactly once among the compiled parameters: its place there is the value's.
STAND_IN = -2_104_729_361


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slot: int
    compiler: SQLCompiler
    fields: list[str]
    start: int
    end: int
    annotations: dict[str, int]


class PreparedQuery(Generic[M]):
    """``build(value)`` returns a queryset of one model, filtered by the integer ``value``.

    The queryset may annotate but not follow relations into other objects (no
    ``select_related``, no ``prefetch_related``, no ``defer``): those are refused when the query
    is first built, as is a stand-in that does not appear exactly once in the parameters.
    """

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        self._build = build
        self._model: type[M] | None = None
        # Why by alias: every connection to one database (one per thread) runs the same SQL.
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, value: int) -> list[M]:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"A prepared query takes an integer, not {value!r}.")
        if self._model is None:
            self._model = self._build(STAND_IN).model
        db = router.db_for_read(self._model)
        compiled = self._compiled.get(db)
        if compiled is None:
            compiled = self._compiled[db] = _compile(self._build(STAND_IN).using(db))
        params = list(compiled.params)
        params[compiled.slot] = value
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        objects = []
        for row in compiled.compiler.results_iter([fetched]):
            obj = self._model.from_db(db, compiled.fields, row[compiled.start : compiled.end])
            for name, column in compiled.annotations.items():
                setattr(obj, name, row[column])
            objects.append(obj)
        return objects


def _compile(queryset: QuerySet[M]) -> _Compiled:
    if queryset.query.select_related or queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise ValueError("A prepared query loads one model: no select_related or prefetch.")
    if queryset.query.deferred_loading != (frozenset(), True):
        raise ValueError("A prepared query loads every field: no defer or only.")
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots = [n for n, param in enumerate(params) if param == STAND_IN]
    if len(slots) != 1:
        raise ValueError(f"The value must appear once in the query's parameters, not {len(slots)}.")
    select_fields = compiler.klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        slot=slots[0],
        compiler=compiler,
        fields=[column[0].target.attname for column in compiler.select[start:end]],
        start=start,
        end=end,
        annotations=dict(compiler.annotation_col_map or {}),
    )
