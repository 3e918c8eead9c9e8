"""The search page: one box over the provisions of every agreement, and the proposals one may
see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clauses.models import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    Agreement,
    ClauseKind,
    Version,
    language_name,
)
from clauses.permissions import can_view_agreements

from .page_html import filters_html, provisions_html
from .query import MAX_QUERY_LENGTH, SearchQueryError, search

PAGE_SIZE = 20
MAX_PAGE = 1000


class _ListedChoices(ModelChoiceIterator):
    """The agreements offered, read as one list.

    Why: Django reads a select's choices through a server-side cursor, on PostgreSQL three
    statements (declare, fetch, close) for a handful of agreements.
    """

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue | str, str]]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        for agreement in self.queryset.all():
            yield self.choice(agreement)


class _AgreementField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = _ListedChoices


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False)
    agreement = _AgreementField(
        queryset=Agreement.objects.order_by("short_title"),
        to_field_name="slug",
        required=False,
        empty_label="Every agreement",
    )
    # Why a label, not a list of every version: the page stays the same size however many
    # versions the corpus holds; the chosen agreement's labels are offered as suggestions.
    version = forms.CharField(
        label="Version",
        max_length=100,
        required=False,
        help_text="The version's label, e.g. 1979; choose its agreement first.",
    )
    in_force_on = forms.DateField(
        label="In force on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Write the date as YYYY-MM-DD, for example 2024-10-01."},
    )
    language = forms.ChoiceField(label="Language", required=False)
    kind = forms.ChoiceField(
        label="Kind of clause",
        required=False,
        choices=[("", "Every kind"), *ClauseKind.choices],
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Why every recorded language, not only those held: asking for one with no text gets
        # a plain answer saying so, rather than a refused form.
        codes = [DEFAULT_LANGUAGE, *sorted(c for c in LANGUAGE_NAMES if c != DEFAULT_LANGUAGE)]
        language = self.fields["language"]
        if isinstance(language, forms.ChoiceField):
            language.choices = [("", "Every language")] + [
                (code, language_name(code)) for code in codes
            ]

    def clean_q(self) -> str:
        value = str(self.cleaned_data.get("q") or "")
        if "\x00" in value:
            raise forms.ValidationError("The search holds a NUL character; type the words again.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement, label = data.get("agreement"), (data.get("version") or "").strip()
        data["version"] = None
        if not label or "agreement" in self.errors:
            return data
        if agreement is None:
            self.add_error("version", "Choose the agreement of that version first.")
            return data
        version = Version.objects.filter(agreement=agreement, label=label).first()
        if version is None:
            self.add_error("version", f"{agreement.short_title} has no version “{label}”.")
        data["version"] = version
        return data

    def version_labels(self) -> list[str]:
        """The labels of the chosen agreement's versions, offered as the version box's list."""
        slug = self.data.get("agreement") if self.is_bound else None
        if not slug:
            return []
        return list(
            Version.objects.filter(agreement__slug=slug)
            .order_by("in_force_from", "label")
            .values_list("label", flat=True)
        )


def search_page(request: HttpRequest) -> HttpResponse:
    if not can_view_agreements(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "nav": "search", "results": None}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        page = data["page"] or 1
        try:
            results = search(
                correct=request.GET.get("correct") != "0",
                query=data["q"],
                user=request.user,
                agreement=data["agreement"],
                version=data["version"],
                in_force_on=data["in_force_on"],
                language=data["language"] or "",
                kind=data["kind"] or "",
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
            )
        except SearchQueryError as error:
            form.add_error("q", str(error))
            status = 400
        else:
            last_page = max(1, -(-results.total // PAGE_SIZE))
            context.update(
                results=results,
                page=page,
                first_shown=(page - 1) * PAGE_SIZE + 1,
                last_shown=(page - 1) * PAGE_SIZE + len(results.provisions),
                previous_query=_page_query(request, page - 1) if page > 1 else "",
                next_query=_page_query(request, page + 1) if page < last_page else "",
                suggestion_query=_query_with(request, results.suggestion),
                original_query=_query_with(request, results.corrected, correct="0"),
            )
    elif form.is_bound and form.errors:
        status = 400
    context["filters_html"] = filters_html(form, form.version_labels())
    if context["results"] is not None:
        context["provisions_html"] = provisions_html(context["results"].provisions)
    return render(request, "search/search.html", context, status=status)


def _query_with(request: HttpRequest, q: str, **more: str) -> str:
    if not q:
        return ""
    params = request.GET.copy()
    params["q"] = q
    params.pop("page", None)
    for name, value in more.items():
        params[name] = value
    return params.urlencode()


def _page_query(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return params.urlencode()
