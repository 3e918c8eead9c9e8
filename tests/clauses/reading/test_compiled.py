"""Queries compiled once give what the ORM gives, for every call's values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clauses.models import AgreementEvent, Clause, EventKind, Instrument, Version, system_user
from clauses.reading.compiled import CompiledQuery
from clauses.reading.read_models import TEXT_CLAUSE_COLUMNS, TextClause
from clauses.reading.views import AGREEMENT_VERSIONS, agreement_and_versions
from sta_tracker.history import save_with_history

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
        found = VERSIONS.objects(sta.slug)
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
    assert {v.agreement_id for v in VERSIONS.objects(other.slug)} == {other.pk}
    assert {v.agreement_id for v in VERSIONS.objects(sta.slug)} == {sta.pk}
    assert VERSIONS.objects("no-such-agreement") == []


def test_json_columns_are_decoded_as_the_orm_decodes_them() -> None:
    sta = build_sta()
    instrument = Instrument.objects.filter(agreement=sta).first()
    assert instrument is not None
    instrument.sources = [{"citation": "Treaty series", "provisions": ["art_1"]}]
    save_with_history(instrument, acting_user=system_user(), reason="test data")
    query = CompiledQuery(lambda pk: Instrument.objects.filter(pk=pk), -1)
    assert query.objects(instrument.pk)[0].sources == instrument.sources


def test_an_empty_relation_comes_as_none() -> None:
    sta = build_sta()
    clause = Clause.objects.filter(version__agreement=sta, changed_by=None).first()
    assert clause is not None
    query = CompiledQuery(lambda pk: Clause.objects.filter(pk=pk).select_related("changed_by"), -1)
    assert query.objects(clause.pk)[0].changed_by is None


def test_values_rows_are_the_values_list_rows() -> None:
    sta = build_sta()
    version = Version.objects.filter(agreement=sta).exclude(previous=None).last()
    assert version is not None
    query = CompiledQuery(
        lambda a, b: (
            Clause.objects.filter(version_id__in=[a, b])
            .order_by("version_id", "order")
            .values_list(*TEXT_CLAUSE_COLUMNS)
        ),
        -1,
        -2,
    )
    expected = list(
        Clause.objects.filter(version_id__in=[version.pk, version.previous_id])
        .order_by("version_id", "order")
        .values_list(*TEXT_CLAUSE_COLUMNS)
    )
    assert expected
    assert query.rows(version.pk, version.previous_id) == expected
    assert query.rows(version.pk, version.pk) == [r for r in expected if r[9] == version.pk]


def test_a_stand_in_the_query_does_not_hold_once_is_refused() -> None:
    query = CompiledQuery(
        lambda pk: AgreementEvent.objects.filter(kind=EventKind.LAPSE), "not-a-parameter"
    )
    with pytest.raises(ValueError, match="must be one parameter"):
        query.rows("x")


def test_relations_further_than_one_step_are_refused() -> None:
    query = CompiledQuery(
        lambda pk: Clause.objects.filter(pk=pk).select_related("version__agreement"), -1
    )
    with pytest.raises(ValueError, match="one step away"):
        query.objects(1)


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
