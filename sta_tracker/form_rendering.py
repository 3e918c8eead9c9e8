"""Form widgets rendered in Python, character for character as Django's widget templates.

Every filter form and search form renders its inputs and selects through Django's widget
templates, one template (and one more per option of a select) per widget, and on the lighter
pages that is most of the page's time. The widgets the site uses are built here from the same
context Django passes its templates; any other widget template is rendered as Django renders
it. tests/test_form_rendering.py compares the two widget by widget, and
tests/reviews/test_pages_rendered_alike.py the pages with forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.safestring import SafeData, SafeString, mark_safe

from .template_values import shown

WIDGETS = "django/forms/widgets/"


def _as_string(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe string safe."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return shown(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308  # nosec B308 B703


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{_as_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    written = f' value="{_as_string(value)}"' if value != None else ""  # noqa: E711 - the template's test
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"{written}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{shown(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    groups: Iterable[tuple[Any, list[dict[str, Any]], int]] = widget["optgroups"]
    parts = [f'<select name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in options:
            if option["template_name"] != WIDGETS + "select_option.html":
                return None
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    text = shown(value) if value else ""
    name = shown(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>\n'


# Django's templates for these are all one include of input.html.
INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
BUILDERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in INPUTS},
    WIDGETS + "input.html": _input,
    WIDGETS + "select.html": _select,
    WIDGETS + "select_option.html": _option,
    WIDGETS + "textarea.html": _textarea,
}


class WidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the common widgets built without a template."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> SafeString | str:
        build = BUILDERS.get(template_name)
        widget = context.get("widget") if build is not None else None
        if build is not None and isinstance(widget, Mapping):
            html = build(widget)
            if html is not None:
                return html.strip()
        rendered: str = super().render(template_name, context, request)
        return rendered
