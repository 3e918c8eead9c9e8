"""A prepared query answers as its queryset does, compiles once, and keeps no rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from sta_tracker.prepared import PreparedQuery
from sta_tracker.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _with_roles(pk: int) -> QuerySet[Any]:
    return get_user_model().objects.filter(pk=pk).annotate(role=F("groups__name")).order_by("role")


def _fields(user: Any) -> dict[str, Any]:
    return {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields}


def test_it_answers_as_the_queryset_does_fields_converters_and_annotations() -> None:
    person = make_user("pat", Role.ANALYST, Role.REVIEWER, first_name="Pat")
    person.last_login = timezone.now().replace(microsecond=123456)
    person.save()
    prepared = PreparedQuery(_with_roles)
    expected = list(_with_roles(person.pk))
    found = prepared(person.pk)
    assert [_fields(u) for u in found] == [_fields(u) for u in expected]
    assert [u.role for u in found] == [u.role for u in expected] == ["analyst", "reviewer"]
    # Why: the database's converters ran (SQLite hands back text for a date and time).
    assert isinstance(found[0].last_login, dt.datetime)
    assert found[0].last_login == person.last_login
    assert found[0]._state.adding is False
    assert found[0]._state.db == "default"


def test_each_call_asks_the_database_and_only_the_first_compiles(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    person = make_user("pat", Role.ANALYST)
    prepared = PreparedQuery(_with_roles)
    prepared(person.pk)
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        compiled.append(self)
        return original(self, *args, **kwargs)

    person.groups.add(Group.objects.get_or_create(name=Role.REVIEWER.value)[0])
    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with django_assert_num_queries(1):
        assert [u.role for u in prepared(person.pk)] == ["analyst", "reviewer"]
    assert compiled == []


def test_another_value_finds_another_row_and_a_missing_one_finds_none() -> None:
    pat = make_user("pat", Role.ANALYST)
    sam = make_user("sam")
    prepared = PreparedQuery(_with_roles)
    assert [u.username for u in prepared(pat.pk)] == ["pat"]
    assert [(u.username, u.role) for u in prepared(sam.pk)] == [("sam", None)]
    assert prepared(sam.pk + 1000) == []


@pytest.mark.parametrize("value", ["1", 1.0, True, None])
def test_a_value_that_is_not_an_integer_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match="integer"):
        PreparedQuery(_with_roles)(value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda pk: get_user_model().objects.all(), "once in the query's parameters, not 0"),
        (lambda pk: _with_roles(pk) | _with_roles(pk), "not 2"),
        (lambda pk: Group.objects.filter(pk=pk).prefetch_related("user_set"), "one model"),
        (lambda pk: get_user_model().objects.filter(pk=pk).defer("email"), "every field"),
        (lambda pk: get_user_model().objects.filter(pk=pk).select_related(), "one model"),
    ],
)
def test_a_query_it_cannot_run_faithfully_is_refused_when_first_built(
    build: Any, message: str
) -> None:
    person = make_user("pat")
    with pytest.raises(ValueError, match=message):
        PreparedQuery(build)(person.pk)
