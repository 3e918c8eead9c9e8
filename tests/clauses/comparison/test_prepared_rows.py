"""The comparison's prepared queries give the rows their querysets give."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max

from clauses.comparison.cache import CLAUSE_VALUES, LATEST_HISTORY, ROW_FIELDS
from clauses.models import Clause

from .compare_data import build_pair, versions

pytestmark = pytest.mark.django_db


def test_the_clauses_read_are_the_querysets_rows() -> None:
    older, newer = versions(build_pair())
    for ids in ((older.pk,), (older.pk, newer.pk), (newer.pk, older.pk, newer.pk)):
        for language in ("en", "zh"):
            expected = list(
                Clause.objects.filter(version_id__in=ids, language=language)
                .order_by("version_id", "order")
                .values_list(*ROW_FIELDS)
            )
            assert CLAUSE_VALUES(ids=ids, language=language) == expected
    assert CLAUSE_VALUES(ids=(older.pk,), language="en"), "the pair has English clauses"


def test_the_history_read_is_the_querysets_rows() -> None:
    older, newer = versions(build_pair())
    ids = (newer.pk, older.pk)
    rows = LATEST_HISTORY(ids=ids)
    assert sorted(rows) == sorted(
        Clause.history.filter(version_id__in=ids)
        .values_list("version_id")
        .annotate(last_id=Max("history_id"), last_at=Max("history_date"))
        .order_by()
    )
    assert {version_id for version_id, _, _ in rows} == {older.pk, newer.pk}


def test_a_read_costs_one_query(django_assert_num_queries: Any) -> None:
    older, newer = versions(build_pair())
    CLAUSE_VALUES(ids=(older.pk, newer.pk), language="en")
    with django_assert_num_queries(1):
        CLAUSE_VALUES(ids=(older.pk, newer.pk), language="en")
