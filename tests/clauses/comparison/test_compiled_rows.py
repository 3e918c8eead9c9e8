"""The comparison's queries, compiled once, give the rows their querysets give."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from clauses.comparison.cache import (
    _clause_values,
    _compiled_sql,
    _latest_history,
    compiled_rows,
)
from clauses.models import Clause

from .compare_data import build_pair, versions

pytestmark = pytest.mark.django_db


def test_the_clauses_read_are_the_querysets_rows() -> None:
    older, newer = versions(build_pair())
    for ids in ([older.pk], [older.pk, newer.pk], [newer.pk, older.pk, newer.pk]):
        for language in ("en", "zh"):
            expected = list(_clause_values(sorted(set(ids)), language))
            assert compiled_rows(_clause_values, ids, language) == expected
    assert compiled_rows(_clause_values, [older.pk], "en"), "the pair has English clauses"


def test_the_history_read_is_the_querysets_rows() -> None:
    older, newer = versions(build_pair())
    ids = [newer.pk, older.pk]
    rows = compiled_rows(_latest_history, ids, "en")
    assert rows == list(_latest_history(sorted(ids), "en"))
    assert {version_id for version_id, _, _ in rows} == {older.pk, newer.pk}


def test_a_read_costs_one_query(django_assert_num_queries: Any) -> None:
    older, newer = versions(build_pair())
    compiled_rows(_clause_values, [older.pk, newer.pk], "en")
    with django_assert_num_queries(1):
        compiled_rows(_clause_values, [older.pk, newer.pk], "en")


def _numbered(ids: list[int], language: str) -> QuerySet[Any, tuple[Any, ...]]:
    return Clause.objects.filter(version_id__in=ids, language=language, number="1").values_list(
        "key"
    )


def test_a_query_with_a_value_of_its_own_is_left_to_the_orm() -> None:
    older, _ = versions(build_pair())
    assert _compiled_sql(_numbered, 1) is None
    assert compiled_rows(_numbered, [older.pk], "en") == list(_numbered([older.pk], "en"))
