"""The reading pages' prepared queries give what the ORM gives, on the STA's own rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from clauses.models import AgreementEvent, Clause, EventKind, Instrument, Version, system_user
from clauses.reading.read_models import TEXT_CLAUSE_COLUMNS, TextClause
from clauses.reading.views import AGREEMENT_VERSIONS, agreement_and_versions
from sta_tracker.history import save_with_history
from sta_tracker.prepared import PreparedQuery

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db

VERSIONS = AGREEMENT_VERSIONS


def test_the_instances_are_the_ones_the_orm_loads_with_their_relations() -> None:
    sta = build_sta()
    expected = list(
        Version.objects.filter(agreement=sta)
        .select_related("agreement", "instrument")
        .order_by("in_force_from", "label")
    )
    with CaptureQueriesContext(connection) as queries:
        found = VERSIONS(slug=sta.slug)
        for version in found:
            assert version.agreement == sta
            assert version.instrument.title
    assert len(queries) == 1
    assert found == expected
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.__dict__.keys() - {"_state"} == theirs.__dict__.keys() - {"_state"}
        assert mine.instrument.sources == theirs.instrument.sources
        assert mine.instrument.signatories == theirs.instrument.signatories
        assert not mine._state.adding
        assert mine._state.db == "default"


def test_each_call_runs_with_its_own_values() -> None:
    sta = build_sta()
    other = build_sta(slug="other", short_title="Other")
    assert {v.agreement_id for v in VERSIONS(slug=other.slug)} == {other.pk}
    assert {v.agreement_id for v in VERSIONS(slug=sta.slug)} == {sta.pk}
    assert VERSIONS(slug="no-such-agreement") == []


def test_json_columns_are_decoded_as_the_orm_decodes_them() -> None:
    sta = build_sta()
    instrument = Instrument.objects.filter(agreement=sta).first()
    assert instrument is not None
    instrument.sources = [{"citation": "Treaty series", "provisions": ["art_1"]}]
    save_with_history(instrument, acting_user=system_user(), reason="test data")
    query = PreparedQuery(lambda pk: Instrument.objects.filter(pk=pk))
    assert query(pk=instrument.pk)[0].sources == instrument.sources


def test_an_empty_relation_comes_as_none() -> None:
    sta = build_sta()
    clause = Clause.objects.filter(version__agreement=sta, changed_by=None).first()
    assert clause is not None
    query = PreparedQuery(lambda pk: Clause.objects.filter(pk=pk).select_related("changed_by"))
    assert query(pk=clause.pk)[0].changed_by is None


def test_values_rows_are_the_values_list_rows() -> None:
    sta = build_sta()
    version = Version.objects.filter(agreement=sta).exclude(previous=None).last()
    assert version is not None
    query = PreparedQuery(
        lambda a, b: (
            Clause.objects.filter(version_id__in=[a, b])
            .order_by("version_id", "order")
            .values_list(*TEXT_CLAUSE_COLUMNS)
        )
    )
    expected = list(
        Clause.objects.filter(version_id__in=[version.pk, version.previous_id])
        .order_by("version_id", "order")
        .values_list(*TEXT_CLAUSE_COLUMNS)
    )
    assert expected
    assert query(a=version.pk, b=version.previous_id) == expected
    assert query(a=version.pk, b=version.pk) == [r for r in expected if r[9] == version.pk]


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


def test_relations_two_steps_away_and_annotations_come_with_the_rows() -> None:
    build_sta()
    prepared = PreparedQuery(clauses_of)
    for key in ("art_1", "art_2", "nothing"):
        found = prepared(slug="sta", key=key)
        assert [fields(c) for c in found] == [fields(c) for c in clauses_of("sta", key)]
    assert len(prepared(slug="sta", key="art_1")) > 1


def test_the_queryset_is_built_once_and_its_constants_kept(django_assert_num_queries: Any) -> None:
    build_sta()
    built: list[str] = []

    def first_version_clauses(key: str) -> QuerySet[Clause]:
        built.append(key)
        return Clause.objects.filter(key=key, version__label="1979")

    prepared = PreparedQuery(first_version_clauses)
    with django_assert_num_queries(2):
        found = prepared(key="art_1")
        assert prepared(key="no-such-key") == []
    assert [c.version.label for c in found] == ["1979"]
    assert len(built) == 1


def test_a_value_the_query_does_not_take_as_a_parameter_is_refused() -> None:
    query = PreparedQuery(lambda slug: AgreementEvent.objects.filter(kind=EventKind.LAPSE))
    with pytest.raises(ValueError, match="not passed to the database as parameters"):
        query(slug="x")


def test_the_agreement_page_loads_one_agreement_object_for_its_versions() -> None:
    sta = build_sta()
    agreement, versions = agreement_and_versions(sta.slug)
    assert agreement == sta
    assert versions
    assert all(v.agreement is agreement for v in versions)


def test_a_text_clause_reads_as_the_model_does() -> None:
    sta = build_sta()
    for clause in Clause.objects.filter(version__agreement=sta):
        row = TextClause(*(getattr(clause, name) for name in TEXT_CLAUSE_COLUMNS))
        assert row.label == clause.label
        assert row.anchor == clause.anchor
        assert row.get_change_display() == clause.get_change_display()
    unknown = TextClause(1, "art_1", "article", "", "", "", None, 0, 0, 1, "en", "odd", None, "")
    assert unknown.get_change_display() == "odd"
    assert unknown.label == "Article 1"
    nested = TextClause(2, "annex_1__sec_2", "section", "", "", "", 1, 1, 1, 1, "en", "", None, "")
    assert nested.anchor == "annex_1-sec_2"
