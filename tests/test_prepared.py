"""A prepared query answers as its queryset does, compiles once, and keeps no rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from clauses.models import Version
from sta_tracker.prepared import PreparedQuery, PreparedScalars, Statement, captured_sql, stand_ins
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db


def _with_roles(pk: int) -> QuerySet[Any]:
    return get_user_model().objects.filter(pk=pk).annotate(role=F("groups__name")).order_by("role")


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def versions() -> list[Version]:
    sta = make_agreement()
    return [
        make_version(sta, label, [article(1, f"Text of {label}.")], in_force_from=day)
        for label, day in (
            ("1979", dt.date(1979, 1, 31)),
            ("1984", dt.date(1984, 5, 1)),
            ("2024", dt.date(2024, 12, 13)),
        )
    ]


def _versions_from(slug: str, day: dt.date) -> QuerySet[Version]:
    return (
        Version.objects.filter(agreement__slug=slug, in_force_from__gte=day)
        .select_related("agreement", "instrument")
        .annotate(clause_count=Count("clauses"))
        .order_by("in_force_from")
    )


def test_model_rows_come_as_the_queryset_gives_them_with_converters_and_annotations() -> None:
    person = make_user("pat", Role.ANALYST, Role.REVIEWER)
    person.last_login = timezone.now().replace(microsecond=123456)
    person.save()
    found = PreparedQuery(_with_roles)(pk=person.pk)
    expected = list(_with_roles(person.pk))
    assert [_fields(u) for u in found] == [_fields(u) for u in expected]
    assert [u.role for u in found] == ["analyst", "reviewer"]
    # Why: the database's converters ran (SQLite hands back text for a date and time).
    assert isinstance(found[0].last_login, dt.datetime)
    assert found[0].last_login == person.last_login
    assert found[0]._state.adding is False


def test_related_objects_texts_and_days_are_parameters(
    versions: list[Version], django_assert_num_queries: Any
) -> None:
    prepared = PreparedQuery(_versions_from)
    with django_assert_num_queries(1):
        found = prepared(slug="sta", day=dt.date(1984, 1, 1))
        assert [v.label for v in found] == ["1984", "2024"]
        assert [v.agreement.slug for v in found] == ["sta", "sta"]
        assert [v.instrument.slug for v in found] == ["1984-instrument", "2024-instrument"]
        assert [v.clause_count for v in found] == [1, 1]
    assert [_fields(v) for v in found] == [
        _fields(v) for v in _versions_from("sta", dt.date(1984, 1, 1))
    ]
    assert [v.label for v in prepared(slug="sta", day=dt.date(1900, 1, 1))] == [
        "1979",
        "1984",
        "2024",
    ]
    assert prepared(slug="other", day=dt.date(1900, 1, 1)) == []


def test_values_rows_and_a_slice_taken_in_the_database(versions: list[Version]) -> None:
    prepared = PreparedQuery(
        lambda slug: (
            Version.objects.filter(agreement__slug=slug)
            .order_by("in_force_from")
            .values_list("label", "in_force_from")
        )
    )
    assert prepared(slug="sta") == [
        ("1979", dt.date(1979, 1, 31)),
        ("1984", dt.date(1984, 5, 1)),
        ("2024", dt.date(2024, 12, 13)),
    ]
    assert prepared(slug="sta", limit=1, offset=1) == [("1984", dt.date(1984, 5, 1))]
    assert prepared(slug="sta", offset=2) == [("2024", dt.date(2024, 12, 13))]
    assert prepared(slug="sta", limit=0) == []


def test_a_tuple_of_ids_is_a_parameter_per_id_compiled_once_per_length(
    versions: list[Version], django_assert_num_queries: Any
) -> None:
    prepared = PreparedQuery(
        lambda ids, slug: (
            Version.objects.filter(pk__in=ids, agreement__slug=slug)
            .order_by("in_force_from")
            .values_list("label", flat=True)
        )
    )
    first, second, third = (v.pk for v in versions)
    assert prepared(ids=(first, third), slug="sta") == ["1979", "2024"]
    assert prepared(ids=(third, second), slug="sta") == ["1984", "2024"]
    assert prepared(ids=(second,), slug="sta") == ["1984"]
    assert prepared(ids=(first, second, third), slug="other") == []
    with django_assert_num_queries(0):
        assert prepared(ids=(), slug="sta") == []


def test_only_the_first_call_compiles_and_every_call_asks_the_database(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    person = make_user("pat", Role.ANALYST)
    prepared = PreparedQuery(_with_roles)
    prepared(pk=person.pk)
    compiled: list[SQLCompiler] = []
    original = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        compiled.append(self)
        return original(self, *args, **kwargs)

    person.groups.add(Group.objects.get_or_create(name=Role.REVIEWER.value)[0])
    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with django_assert_num_queries(1):
        assert [u.role for u in prepared(pk=person.pk)] == ["analyst", "reviewer"]
    assert compiled == []


def test_prefetched_relations_load_as_the_queryset_loads_them() -> None:
    make_user("pat", Role.ANALYST)
    group = Group.objects.get(name=Role.ANALYST.value)
    prepared = PreparedQuery(lambda pk: Group.objects.filter(pk=pk).prefetch_related("user_set"))
    (found,) = prepared(pk=group.pk)
    assert [u.username for u in found.user_set.all()] == ["pat"]


def test_a_query_django_knows_is_empty_asks_nothing(django_assert_num_queries: Any) -> None:
    prepared = PreparedQuery(lambda pk: Permission.objects.filter(pk=pk, codename__in=[]))
    with django_assert_num_queries(0):
        assert prepared(pk=1) == []


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda pk: Permission.objects.all(), r"parameters: \['pk'\]"),
        (lambda slug: Version.objects.filter(label__contains=slug), r"parameters: \['slug'\]"),
        (lambda pk: Permission.objects.filter(pk__gte=pk)[:3], "sliced when called"),
    ],
)
def test_a_query_it_cannot_run_faithfully_is_refused_when_first_built(
    build: Any, message: str
) -> None:
    values: dict[str, Any] = {"slug": "sta"} if "slug" in message else {"pk": 1}
    with pytest.raises(ValueError, match=message):
        PreparedQuery(build)(**values)


@pytest.mark.parametrize(
    "value", [True, 1.5, None, dt.datetime(2024, 1, 1, tzinfo=dt.UTC), [1, 2], ("a",)]
)
def test_a_value_that_is_not_an_id_a_text_or_a_day_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match="ids, tuples of ids, texts and days"):
        PreparedQuery(_with_roles)(pk=value)


def test_stand_ins_are_of_each_kind_and_all_different() -> None:
    made = stand_ins({"a": 5, "b": 6, "day": dt.date(2024, 1, 1), "ids": (1, 2), "t": "x"})
    assert {type(v) for v in made.values()} == {int, dt.date, str, tuple}
    assert len(made["ids"]) == 2  # type: ignore[arg-type]
    ids = [made["a"], made["b"], *made["ids"]]  # type: ignore[misc]
    assert len(set(ids)) == 4


def test_several_counts_come_from_one_statement(
    versions: list[Version], django_assert_num_queries: Any
) -> None:
    counts = PreparedScalars(
        lambda slug, day: [
            Version.objects.filter(agreement__slug=slug).count,
            Version.objects.filter(agreement__slug=slug, in_force_from__gte=day).count,
            Version.objects.filter(in_force_from__lt=day).count,
        ]
    )
    with django_assert_num_queries(1):
        assert counts(slug="sta", day=dt.date(1984, 1, 1)) == (3, 2, 1)
    with django_assert_num_queries(1):
        assert counts(slug="sta", day=dt.date(2030, 1, 1)) == (3, 0, 3)
    assert counts(slug="none", day=dt.date(2030, 1, 1)) == (0, 0, 3)


def test_stand_ins_are_of_the_values_kinds_and_all_different() -> None:
    today = dt.date(2025, 3, 1)
    kept = stand_ins({"user": 7, "other": 7, "today": today, "since": today})
    assert isinstance(kept["user"], int)
    assert isinstance(kept["today"], dt.date)
    assert len(set(kept.values())) == 4
    assert not set(kept.values()) & {7, today}
    for value in (1.5, True, dt.datetime(2025, 3, 1, tzinfo=dt.UTC)):
        with pytest.raises(TypeError):
            stand_ins({"value": value})


def test_a_statement_puts_the_values_where_their_stand_ins_were() -> None:
    kept = stand_ins({"user": 5, "today": dt.date(2025, 1, 2)})
    # Why adapted: a compiled query holds the day as the database takes it (text on SQLite).
    held = [kept["user"], "fixed", connection.ops.adapt_datefield_value(kept["today"])]
    statement = Statement.of("SELECT %s, %s, %s", held, kept, connection)
    values = {"user": 9, "today": dt.date(2025, 1, 3)}
    assert statement.bound(values, connection) == [
        9,
        "fixed",
        connection.ops.adapt_datefield_value(dt.date(2025, 1, 3)),
    ]


def test_a_value_that_is_no_parameter_is_refused() -> None:
    kept = stand_ins({"user": 5})
    with pytest.raises(ValueError, match="user"):
        Statement.of("SELECT 1", [], kept, connection)


def test_a_query_is_captured_without_being_sent(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        sql, params = captured_sql(
            lambda: get_user_model().objects.filter(pk=41).count(), "default"
        ) or ("", [])
        nothing = captured_sql(lambda: get_user_model().objects.none().count(), "default")
    assert "COUNT" in sql
    assert list(params) == [41]
    assert nothing is None
