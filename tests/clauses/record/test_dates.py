"""Saying a recorded date: to the day, the month or the year, and whether it is assumed."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from clauses.models import Instrument
from clauses.record.dates import date_note_errors, dated, fact_date, is_assumed
from tests.factories import make_agreement

DAY = dt.date(2024, 3, 7)
ONLY = "signed_on: give precision and/or assumed, nothing else."
SAY = "signed_on: assumed must say what the date stands for."


@pytest.mark.parametrize(
    ("note", "plain", "after_a_verb"),
    [
        (None, "7 March 2024", "on 7 March 2024"),
        ({"precision": "day"}, "7 March 2024", "on 7 March 2024"),
        ({"precision": "month"}, "March 2024", "in March 2024"),
        ({"precision": "year"}, "2024", "in 2024"),
        ({"precision": "on_or_before"}, "by 7 March 2024", "by 7 March 2024"),
        (
            {"assumed": "the announcement date"},
            "7 March 2024 (assumed: the announcement date)",
            "on 7 March 2024 (assumed: the announcement date)",
        ),
        (
            {"precision": "month", "assumed": "the month of the report"},
            "March 2024 (assumed: the month of the report)",
            "in March 2024 (assumed: the month of the report)",
        ),
    ],
)
def test_a_date_is_said_with_its_precision_and_assumption(
    note: dict[str, str] | None, plain: str, after_a_verb: str
) -> None:
    assert fact_date(DAY, note) == plain
    assert fact_date(DAY, note, on=True) == after_a_verb


def test_a_missing_date_says_it_was_not_found() -> None:
    assert fact_date(None) == "date not found"
    assert fact_date(None, missing="—") == "—"


def test_a_record_s_date_is_said_from_its_own_notes() -> None:
    record = SimpleNamespace(
        signed_on=DAY,
        effective_from=dt.date(2024, 2, 27),
        date_notes={"signed_on": {"assumed": "the announcement date"}},
    )
    assert dated(record, "signed_on", on=True) == (
        "on 7 March 2024 (assumed: the announcement date)"
    )
    assert dated(record, "effective_from") == "27 February 2024"
    assert (is_assumed(record, "signed_on"), is_assumed(record, "effective_from")) == (True, False)


def test_the_template_filter_says_the_same() -> None:
    record = SimpleNamespace(
        starts_on=dt.date(1978, 7, 1), date_notes={"starts_on": {"precision": "month"}}
    )
    rendered = Template('{% load record_facts %}{{ r|dated:"starts_on" }}').render(
        Context({"r": record})
    )
    assert rendered == "July 1978"


@pytest.mark.parametrize(
    ("notes", "errors"),
    [
        ({}, []),
        ({"signed_on": {"precision": "month", "assumed": "x"}}, []),
        ([], ["Date notes must be a table of date fields."]),
        ({"sign_on": {"precision": "day"}},
         ["'sign_on' is not a date of this record (effective_from, signed_on)."]),
        ({"signed_on": {}}, [ONLY]),
        ({"signed_on": {"exact": True}}, [ONLY]),
        ({"signed_on": {"precision": "week"}},
         ["signed_on: precision must be one of day, month, year, on_or_before."]),
        ({"signed_on": {"assumed": "  "}}, [SAY]),
        ({"signed_on": {"assumed": 1}}, [SAY]),
    ],
)  # fmt: skip
def test_bad_date_notes_are_named(notes: object, errors: list[str]) -> None:
    assert date_note_errors(notes, ("signed_on", "effective_from")) == errors


@pytest.mark.django_db
def test_a_record_with_bad_date_notes_is_refused_by_its_model() -> None:
    instrument = Instrument(
        agreement=make_agreement(),
        slug="x",
        kind="extension",
        title="X",
        signed_on=DAY,
        text_status="none",
        date_notes={"signed": {"assumed": "the announcement date"}},
    )
    with pytest.raises(ValidationError) as caught:
        instrument.full_clean()
    assert caught.value.message_dict == {
        "date_notes": [
            "'signed' is not a date of this record (effective_from, expires_on, signed_on)."
        ]
    }
