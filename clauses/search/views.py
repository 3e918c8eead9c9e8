"""The search page: one box over the clause text of every version, and the proposals you may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Agreement, Version
from ..permissions import can_view_agreements
from .query import MAX_QUERY_LENGTH, SearchQueryError, search

PAGE_SIZE = 20
MAX_PAGE = 1000


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.agreement.short_title}: {obj.title}"


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False)
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.order_by("short_title"),
        to_field_name="slug",
        required=False,
        empty_label="Every agreement",
    )
    version = VersionChoiceField(
        queryset=Version.objects.select_related("agreement").order_by(
            "agreement__short_title", "in_force_from", "label"
        ),
        required=False,
        empty_label="Every version",
    )
    in_force_on = forms.DateField(
        label="In force on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Write the date as YYYY-MM-DD, for example 2024-10-01."},
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement, version = data.get("agreement"), data.get("version")
        if agreement and version and version.agreement_id != agreement.pk:
            self.add_error("version", "That version belongs to another agreement.")
        return data


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
                query=data["q"],
                user=request.user,
                agreement=data["agreement"],
                version=data["version"],
                in_force_on=data["in_force_on"],
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
                last_shown=(page - 1) * PAGE_SIZE + len(results.clauses),
                previous_query=_page_query(request, page - 1) if page > 1 else "",
                next_query=_page_query(request, page + 1) if page < last_page else "",
            )
    elif form.is_bound and form.errors:
        status = 400
    return render(request, "clauses/search/search.html", context, status=status)


def _page_query(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return params.urlencode()
