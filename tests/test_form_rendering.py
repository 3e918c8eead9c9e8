"""The widgets built in Python write what Django's widget templates write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from sta_tracker.form_rendering import WidgetRenderer

MARKUP = '<b class="x">Tom & "Jerry"</b>'

CHOICES = [
    ("", "---------"),
    (1, MARKUP),
    ("two", gettext_lazy("Two")),
    ("Group <g>", [(3, "three"), ("4", mark_safe("<i>four</i>"))]),  # nosec B308 B703
]

WIDGETS: list[tuple[str, forms.Widget, Any]] = [
    ("text", forms.TextInput(), MARKUP),
    ("text, no value", forms.TextInput(), None),
    ("text, empty", forms.TextInput(), ""),
    (
        "text, attributes",
        forms.TextInput(attrs={"required": True, "disabled": False, "data-x": MARKUP, "size": 5}),
        "v",
    ),
    ("text, a safe value", forms.TextInput(), mark_safe("<i>kept</i>")),  # nosec B308 B703
    ("text, a tuple", forms.TextInput(), (1, "<a>")),
    ("number", forms.NumberInput(), 3.5),
    ("number, a large one", forms.NumberInput(), 1234567),
    ("email", forms.EmailInput(), "a@example.org"),
    ("url", forms.URLInput(), "https://example.org/?a=1&b=2"),
    ("search", forms.SearchInput(), "parties"),
    ("password", forms.PasswordInput(), "secret"),
    ("password, shown", forms.PasswordInput(render_value=True), "secret"),
    ("hidden", forms.HiddenInput(), "/next/?a=<b>"),
    ("date", forms.DateInput(), dt.date(2024, 3, 2)),
    ("date, formatted", forms.DateInput(format="%d %B %Y"), dt.date(2024, 3, 2)),
    ("date and time", forms.DateTimeInput(), dt.datetime(2024, 3, 2, 9, 30, tzinfo=dt.UTC)),
    ("checkbox, ticked", forms.CheckboxInput(), True),
    ("checkbox, not ticked", forms.CheckboxInput(), False),
    ("textarea", forms.Textarea(), MARKUP + "\n second line "),
    ("textarea, empty", forms.Textarea(attrs={"rows": 3}), ""),
    ("select", forms.Select(choices=CHOICES), "two"),
    ("select, a number chosen", forms.Select(choices=CHOICES), 1),
    ("select, nothing chosen", forms.Select(choices=CHOICES), None),
    ("select, several", forms.SelectMultiple(choices=CHOICES), ["two", 3]),
    ("select, yes or no", forms.NullBooleanSelect(), True),
    ("radio (a template)", forms.RadioSelect(choices=CHOICES[1:3]), 1),
    ("checkboxes (a template)", forms.CheckboxSelectMultiple(choices=CHOICES[1:3]), ["two"]),
    ("date parts (a template)", forms.SelectDateWidget(years=[2024, 2025]), dt.date(2024, 3, 2)),
]


@pytest.mark.parametrize(("name", "widget", "value"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_each_widget_is_written_as_django_writes_it(name: str, widget: Any, value: Any) -> None:
    attrs = {"id": "id_field", "class": "wide"}
    expected = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs, renderer=WidgetRenderer()) == expected


def test_an_option_with_its_own_template_sends_the_select_to_the_template() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    widget = Marked(choices=[("a", "A")])
    expected = widget.render("field", "a", renderer=DjangoTemplates())
    assert widget.render("field", "a", renderer=WidgetRenderer()) == expected
