"""The statements the search writes out itself read what the ORM's querysets read."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Agreement, DocumentClause, Version, system_user
from clauses.reading.read_models import period_text
from clauses.record.reference import sta_load
from sta_tracker.search.documents import _contains, _pattern
from sta_tracker.search.provisions import _versions

pytestmark = pytest.mark.django_db

SHOWN = ("pk", "agreement_id", "label", "title", "in_force_from", "in_force_until", "text_status")


@pytest.mark.parametrize("term", ["glaciology", "50%", "a_b", "back\\slash", "冰川"])
def test_a_term_of_an_instruments_text_is_tested_as_icontains_tests_it(term: str) -> None:
    sql, params = DocumentClause.objects.filter(text__icontains=term).query.sql_with_params()
    assert _contains('"clauses_documentclause"."text"') in sql
    assert list(params) == [_pattern(term)]


def test_the_versions_are_read_in_force_order_with_their_agreement_and_date_notes(
    db: Any, django_assert_num_queries: Any
) -> None:
    sta_load(acting_user=system_user(), reason="Reference data")
    agreement = Agreement.objects.get(slug="sta")
    expected = list(Version.objects.filter(agreement=agreement).order_by("in_force_from", "pk"))
    with django_assert_num_queries(1):
        read = _versions({agreement.pk})
        assert [(v.agreement.slug, v.agreement.short_title) for v in read] == [
            (agreement.slug, agreement.short_title)
        ] * len(expected)
        assert [[getattr(v, name) for name in SHOWN] for v in read] == [
            [getattr(v, name) for name in SHOWN] for v in expected
        ]
        assert [v.date_notes for v in read] == [v.date_notes for v in expected]
        assert any(v.date_notes for v in read)
        assert [period_text(v) for v in read] == [period_text(v) for v in expected]
    # What the page does not show is read when asked for, as a deferred field is.
    assert read[0].get_deferred_fields() == {
        "instrument_id",
        "previous_id",
        "notes",
        "published_at",
    }
    assert [v.notes for v in read] == [v.notes for v in expected]
