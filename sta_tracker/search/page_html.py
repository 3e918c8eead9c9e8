"""The search page's filters and its list of provisions, drawn in Python.

These two loops printed a dozen values per field and per provision through the template
engine, most of a first render of the page; these functions print the same bytes (the page's
template as it was is kept under tests/reference_templates/search/, and
tests/search/test_page_html.py compares the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from sta_tracker.template_values import shown

from .results import ProvisionHit

# The fields the page writes itself, before and after the others.
_WRITTEN_APART = ("q", "page")


def _joined(values: Iterable[Any], separator: str) -> str:
    """``{{ values|join:separator }}`` in an autoescaped template."""
    return str(conditional_escape(separator)).join(str(conditional_escape(v)) for v in values)


def _version_box(field: forms.BoundField, labels: Sequence[str], max_length: int | None) -> str:
    """The version's text box, the chosen agreement's labels as its list, and its help."""
    listed = ' list="version-labels"' if labels else ""
    described = " version-error" if field.errors else ""
    invalid = ' aria-invalid="true"' if field.errors else ""
    datalist = (
        '<datalist id="version-labels">'
        + "".join(f'<option value="{shown(label)}">' for label in labels)
        + "</datalist>"
        if labels
        else ""
    )
    versions = f" Its versions: {_joined(labels, ', ')}." if labels else ""
    return (
        "\n    \n"
        f'    <input type="text" name="version" id="{shown(field.id_for_label)}" '
        f'value="{shown(field.value() or "")}" maxlength="{shown(max_length)}"{listed} '
        f'aria-describedby="version-help{described}"{invalid}>\n'
        f"    {datalist}\n"
        f'    <p class="muted" id="version-help">{shown(field.help_text)}{versions}</p>\n'
        "    \n    "
    )


def filters_html(form: forms.Form, version_labels: Sequence[str]) -> SafeString:
    """Each field of the search form but the query and the page: its label, its widget (the
    version a text box offering ``version_labels``) and its errors."""
    drawn = []
    for field in form:
        if field.name in _WRITTEN_APART:
            continue
        if field.name == "version":
            box = form.fields["version"]
            length = box.max_length if isinstance(box, forms.CharField) else None
            widget = _version_box(field, version_labels, length)
        else:
            widget = f"\n    {field}\n    "
        errors = (
            f'<p class="error" id="{shown(field.name)}-error">{_joined(field.errors, " ")}</p>'
            if field.errors
            else ""
        )
        drawn.append(
            '\n  <div class="field">\n'
            f'    <label for="{shown(field.id_for_label)}">{shown(field.label)}</label>\n'
            f"    {widget}\n"
            f"    {errors}\n"
            "  </div>\n  "
        )
    return SafeString("".join(drawn))  # nosec B703 - every value in it is escaped


def provisions_html(hits: Sequence[ProvisionHit]) -> SafeString:
    """The items of the list of provisions found: each one's title linking to its latest
    matching text, where it is held, its history's link and its snippet."""
    drawn = []
    for hit in hits:
        language = (
            f' · <span class="hit-language">{shown(hit.language_label)} text</span>'
            if hit.language != "en"
            else ""
        )
        snippet = (
            f'<p><span class="muted">{shown(hit.version_title)}:</span> {hit.snippet_html}</p>'
            if hit.snippet_html
            else ""
        )
        drawn.append(
            "\n    <li>\n"
            f'      <a href="{shown(hit.url)}"><strong>{hit.title_html}</strong></a>\n'
            f'      <p class="where">{shown(hit.agreement_title)} · Text '
            f"{shown(hit.versions_text)}{language} · "
            f'<a href="{shown(hit.history_url)}">History of this provision</a></p>\n'
            f"      {snippet}\n"
            "    </li>\n    "
        )
    return SafeString("".join(drawn))  # nosec B703 - every value in it is escaped
