"""The text rule of sta_tracker/text.py: NUL refused, bidi controls stripped, one-line subjects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError

from clauses.record.versions import clause_correct
from sta_tracker.text import (
    BIDI_CONTROLS,
    PlainTextForm,
    clean_text,
    refuse_nul,
    single_line,
    strip_bidi_controls,
)
from tests.factories import article, make_agreement, make_version


def test_every_explicit_bidi_control_is_stripped_and_the_marks_stay() -> None:
    assert len(BIDI_CONTROLS) == 9
    assert strip_bidi_controls("a" + "".join(sorted(BIDI_CONTROLS)) + "b") == "ab"
    assert strip_bidi_controls("\u05d0\u200f\u200e\u061c") == "\u05d0\u200f\u200e\u061c"


def test_nul_is_refused_with_a_message_saying_so() -> None:
    with pytest.raises(ValidationError, match="NUL character"):
        refuse_nul("a\x00b")
    with pytest.raises(ValidationError):
        clean_text("a\x00b")
    assert clean_text("Art\u202eicle") == "Article"


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("Decision:\r\nBcc: x@example.com", 300, "Decision: Bcc: x@example.com"),
        ("Tab\there\x0cform\x1bfeed", 300, "Tab here form feed"),
        ("Line\u2028separator\u0085next", 300, "Line separator next"),
        ("  spaced   out  ", 300, "spaced out"),
        ("abcdefghij", 5, "abcd…"),
        ("ab cdefghij", 4, "ab…"),
    ],
)
def test_single_line_gives_one_clean_line_within_the_limit(
    value: str, limit: int, expected: str
) -> None:
    assert single_line(value, limit) == expected
    assert len(single_line(value, limit)) <= limit


class TitleForm(PlainTextForm, forms.Form):
    title = forms.CharField()
    count = forms.IntegerField()


def test_a_plain_text_form_strips_bidi_controls_and_refuses_nul() -> None:
    form = TitleForm({"title": "Report\u202etxt.exe", "count": "2"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "Reporttxt.exe", "count": 2}
    refused = TitleForm({"title": "Report\x00", "count": "2"})
    assert not refused.is_valid()
    assert "title" in refused.errors


@pytest.mark.django_db
def test_an_editorial_correction_loses_its_bidi_controls(erin: Any) -> None:
    version = make_version(
        make_agreement(), "1979", [article(1, "Text.")], in_force_from=dt.date(1979, 1, 31)
    )
    corrected = clause_correct(
        clause=version.clauses.get(),
        heading="Sco\u202epe",
        text="Cooperation\u2067 is mutual.",
        acting_user=erin,
        reason="Typo",
    )
    assert (corrected.heading, corrected.text) == ("Scope", "Cooperation is mutual.")
