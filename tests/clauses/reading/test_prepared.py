"""A prepared query reads what its queryset reads, building the SQL once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, QuerySet

from clauses.models import Clause, Version
from clauses.reading.prepared import PreparedQuery

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db


def clauses_of(slug: str, key: str) -> QuerySet[Clause]:
    return (
        Clause.objects.filter(version__agreement__slug=slug, key=key)
        .select_related("version__instrument", "parent")
        .annotate(parts=Count("children"))
        .order_by("version__in_force_from", "order")
    )


def fields(clause: Clause) -> tuple[Any, ...]:
    return (
        tuple(getattr(clause, f.attname) for f in Clause._meta.concrete_fields),
        clause.version.label,
        clause.version.instrument.title,
        clause.parent.key if clause.parent else None,
        clause.parts,  # type: ignore[attr-defined]
    )


def test_it_reads_the_rows_related_rows_and_annotations_of_its_queryset() -> None:
    build_sta()
    prepared = PreparedQuery(clauses_of, slug="example-slug", key="example-key")
    for key in ("art_1", "art_2", "nothing"):
        found = prepared(slug="sta", key=key)
        assert [fields(c) for c in found] == [fields(c) for c in clauses_of("sta", key)]
    assert len(prepared(slug="sta", key="art_1")) > 1


def test_it_builds_its_queryset_once(django_assert_num_queries: Any) -> None:
    build_sta()
    built: list[str] = []

    def versions_of(slug: str) -> QuerySet[Version]:
        built.append(slug)
        return Version.objects.filter(agreement__slug=slug)

    prepared = PreparedQuery(versions_of, slug="example-slug")
    with django_assert_num_queries(2):
        assert prepared(slug="sta")
        assert prepared(slug="other") == []
    assert built == ["example-slug"]


def test_it_keeps_the_constants_of_its_queryset() -> None:
    build_sta()
    prepared = PreparedQuery(
        lambda key: Clause.objects.filter(key=key, version__label="1979"), key="example-key"
    )
    assert [c.version.label for c in prepared(key="art_1")] == ["1979"]


def test_an_example_that_is_not_a_parameter_is_refused() -> None:
    prepared = PreparedQuery(lambda slug: Version.objects.all(), slug="example-slug")
    with pytest.raises(ValueError, match="not parameters"):
        prepared(slug="sta")


def test_two_examples_of_the_same_value_are_refused() -> None:
    prepared = PreparedQuery(
        lambda a, b: Version.objects.filter(label=a, title=b), a="example", b="example"
    )
    with pytest.raises(ValueError, match="are equal"):
        prepared(a="x", b="y")


def test_values_other_than_the_examples_are_refused() -> None:
    prepared = PreparedQuery(lambda slug: Version.objects.filter(label=slug), slug="example")
    with pytest.raises(TypeError, match="expected the values"):
        prepared(label="1979")


def test_a_tuple_stands_for_as_many_parameters() -> None:
    build_sta()
    prepared = PreparedQuery(
        lambda labels: Version.objects.filter(label__in=labels).order_by("label"),
        labels=("example-1", "example-2"),
    )
    assert [v.label for v in prepared(labels=("2024", "1979"))] == ["1979", "2024"]
    assert [v.label for v in prepared(labels=("1979", "1979"))] == ["1979"]
    with pytest.raises(ValueError, match="takes 2 values"):
        prepared(labels=("1979",))
