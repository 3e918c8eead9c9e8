"""Pages for administrators: the screening list and the CET list editions with their terms; and
the dashboard everyone on the review side (analysts included, in aggregate) can read."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sta_tracker.roles import Role, has_role

from . import permissions, services
from .dashboard import Linker, dashboard_build
from .forms import CetEditionForm, CetTermsForm, ReasonForm, ScreeningListUploadForm
from .models import CetCategory, CetEdition, CetTerm, ScreeningList
from .pages import call_service, is_review_staff, paginate, refused
from .views_after import dashboard_reciprocity


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    refusal = permissions.refusal_view_dashboard(request.user)
    if refusal:
        return refused(request, refusal, status=403)
    # Why: analysts read aggregates only; which proposals are late is the reviewers' business.
    detailed = is_review_staff(request.user)
    user = request.user
    # Why: the filtered lists are the queue's work list, which only queue holders have.
    holds_queue = has_role(user, Role.REVIEWER) or has_role(user, Role.SECURITY_REVIEWER)
    board = dashboard_build(link=work_list_linker() if holds_queue else None)
    context: dict[str, Any] = {
        "board": board,
        "detailed": detailed,
        "overdue_page": paginate(request, board.late) if detailed else None,
        "nav": "dashboard",
        **dashboard_reciprocity(),
    }
    return render(request, "reviews/dashboard.html", context)


def work_list_linker() -> Linker:
    """Links to the queue's work list filtered by the parameters given."""
    # Why reversed once: the board links every bar and row, dozens of them.
    address = reverse("reviews:queue_tab", args=["work"]) + "?"
    return lambda params: address + urlencode(params)


def _refuse_lists(request: HttpRequest) -> HttpResponse | None:
    refusal = permissions.refusal_manage_screening_lists(request.user)
    return refused(request, refusal, status=403) if refusal else None


@require_http_methods(["GET", "POST"])
def screening_lists(request: HttpRequest) -> HttpResponse:
    refusal = _refuse_lists(request)
    if refusal is not None:
        return refusal
    form = ScreeningListUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = call_service(
                request,
                form,
                lambda: services.screening_list_import(
                    file_name=upload.name,
                    data=upload.read(),
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if outcome.response is not None:
                return outcome.response
            if outcome.ok:
                imported: ScreeningList = outcome.result
                messages.success(
                    request,
                    f"Imported {imported.entry_count} entries from {imported.file_name}. Open and "
                    "approved proposals are being screened against the new list.",
                )
                return redirect("reviews:screening_lists")
            status = outcome.status
    lists = ScreeningList.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    context = {"form": form, "page": paginate(request, lists), "nav": "screening_data"}
    return render(request, "reviews/screening_lists.html", context, status=status)


def _refuse_cet(request: HttpRequest) -> HttpResponse | None:
    refusal = permissions.refusal_manage_cet(request.user)
    return refused(request, refusal, status=403) if refusal else None


@require_http_methods(["GET", "POST"])
def cet_editions(request: HttpRequest) -> HttpResponse:
    refusal = _refuse_cet(request)
    if refusal is not None:
        return refusal
    form = CetEditionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                text = data["file"].read().decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", "The file is not UTF-8 text.")
            else:
                outcome = call_service(
                    request,
                    form,
                    lambda: services.cet_edition_load(
                        name=data["name"],
                        text=text,
                        put_in_force=data["put_in_force"],
                        acting_user=request.user,
                        reason=data["reason"],
                    ),
                )
                if outcome.response is not None:
                    return outcome.response
                if outcome.ok:
                    edition: CetEdition = outcome.result
                    messages.success(request, f"Loaded the CET list edition {edition.name}.")
                    return redirect("reviews:cet_edition", edition.pk)
                status = outcome.status
    editions = CetEdition.objects.annotate(
        category_count=Count("categories", distinct=True),
        term_count=Count("categories__terms", distinct=True),
    ).order_by("-loaded_at", "-pk")
    context = {"form": form, "page": paginate(request, editions), "nav": "screening_data"}
    return render(request, "reviews/cet_editions.html", context, status=status)


@require_GET
def cet_edition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _refuse_cet(request)
    if refusal is not None:
        return refusal
    edition = get_object_or_404(CetEdition, pk=pk)
    categories = CetCategory.objects.filter(edition=edition).prefetch_related(
        Prefetch("terms", queryset=CetTerm.objects.order_by("term"))
    )
    context = {
        "edition": edition,
        "categories": list(categories.order_by("order")),
        "force_form": ReasonForm(initial={"reason": f"Screen against the {edition.name} edition"}),
        "nav": "screening_data",
    }
    return render(request, "reviews/cet_edition.html", context)


@require_POST
def cet_edition_put_in_force(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _refuse_cet(request)
    if refusal is not None:
        return refusal
    edition = get_object_or_404(CetEdition, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            request,
            form,
            lambda: services.cet_edition_put_in_force(
                edition=edition, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.response is not None:
            return outcome.response
        if outcome.ok:
            messages.success(request, f"The {edition.name} edition is now in force.")
            return redirect("reviews:cet_edition", edition.pk)
    messages.error(request, "Give a reason for changing the edition in force.")
    return redirect("reviews:cet_edition", edition.pk)


@require_http_methods(["GET", "POST"])
def cet_category(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _refuse_cet(request)
    if refusal is not None:
        return refusal
    category = get_object_or_404(CetCategory.objects.select_related("edition"), pk=pk)
    current = "\n".join(category.terms.order_by("term").values_list("term", flat=True))
    form = CetTermsForm(request.POST or None, initial={"terms": current})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = call_service(
                request,
                form,
                lambda: services.cet_terms_set(
                    category=category,
                    terms=form.term_list(),
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if outcome.response is not None:
                return outcome.response
            if outcome.ok:
                count = len(outcome.result)
                messages.success(
                    request,
                    f"“{category.name}” now has {count} search term{'s' if count != 1 else ''}.",
                )
                return redirect("reviews:cet_edition", category.edition_id)
            status = outcome.status
    history = (
        CetTerm.history.filter(category_id=category.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:50]
    )
    context = {"category": category, "form": form, "history": history, "nav": "screening_data"}
    return render(request, "reviews/cet_category.html", context, status=status)
