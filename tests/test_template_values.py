"""A value written by ``template_values.shown`` reads as ``{{ value }}`` writes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from sta_tracker.template_values import shown

VALUES = [
    '<b class="x">Tom & "Jerry" \'s</b>',
    "plain",
    "",
    mark_safe("<em>kept</em>"),
    gettext_lazy("Draft"),
    0,
    0.0,
    -0.0,
    3,
    2.5,
    12345.678,
    None,
    dt.date(2026, 6, 15),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_is_written_as_the_template_writes_it(value: Any) -> None:
    template = engines["django"].from_string("{{ value }}")
    assert shown(value) == template.render({"value": value})
