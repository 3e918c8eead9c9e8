"""My drafts: upload a draft, see it redlined against a version of the record, share, delete."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..importing.errors import TextImportError
from ..importing.limits import over_size
from ..importing.readers import FORMAT_LABELS
from ..importing.services import import_limits
from ..permissions import ONLY_DESK_USERS, can_manage_draft, can_use_desk
from ..reading.views import agreement_and_versions
from .display import compare_rows, summary_counts, unofficial_notice, version_facts
from .draft_compare import draft_compared, draft_texts
from .draft_services import (
    ONLY_THE_OWNER,
    compare_draft_create,
    compare_draft_delete,
    compare_draft_share,
)
from .drafts import CompareDraft
from .forms import DraftShareForm, DraftUploadForm
from .print_requests import export_or_refusal, print_request
from .views import BadOptions, CompareOptions


def _require_desk(request: HttpRequest) -> None:
    if not can_use_desk(request.user):
        raise PermissionDenied(ONLY_DESK_USERS)


def _visible(request: HttpRequest, pk: int) -> CompareDraft:
    draft = (
        CompareDraft.objects.visible_to(request.user)
        .select_related("owner", "agreement")
        .filter(pk=pk)
        .first()
    )
    if draft is None:
        raise Http404("No such draft.")
    return draft


@require_http_methods(["GET", "POST"])
def draft_list(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    initial = {"agreement": request.GET.get("agreement", "")}
    form = DraftUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            limits = import_limits()
            if upload.size > limits.max_bytes:
                # Why before reading: an oversized upload is never held in memory whole.
                raise over_size("The file is", upload.size, limits.max_bytes, "max_bytes")
            draft = compare_draft_create(
                agreement=form.cleaned_data["agreement"],
                filename=upload.name,
                content=upload.read(),
                title=form.cleaned_data["title"],
                acting_user=request.user,
            )
        except TextImportError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(draft.get_absolute_url())
    drafts = CompareDraft.objects.visible_to(request.user).select_related("owner", "agreement")
    mine = [d for d in drafts if d.owner_id == request.user.pk]
    shared = [d for d in drafts if d.owner_id != request.user.pk]
    return render(
        request,
        "clauses/comparison/draft_list.html",
        {
            "form": form,
            "mine": mine,
            "shared": shared,
            "nav": "agreements",
            "keep_days": settings.STA_DRAFT_KEEP_DAYS,
        },
        status=400 if form.errors else 200,
    )


def draft_compare(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    draft = _visible(request, pk)
    agreement, versions = agreement_and_versions(draft.agreement.slug)
    chosen_label = request.GET.get("against", "").strip()[:100]
    try:
        export = print_request(request.GET)
    except BadOptions as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    result = draft_compared(draft, versions, chosen_label)
    if result is None:
        raise Http404("No such version.")
    url = draft.get_absolute_url()
    query = f"?{urlencode({'against': chosen_label})}" if chosen_label else ""
    api_url = reverse("api-draft-diff", args=[draft.pk]) + query
    if export.format == "json":
        return redirect(api_url)
    if export.format and result.diff is not None:
        return export_or_refusal(
            request,
            export,
            texts=draft_texts(agreement, draft, result),
            diff=result.diff,
            page_url=request.build_absolute_uri(url + query),
            back=url + query,
        )
    version = result.version
    context: dict[str, Any] = {
        "draft": draft,
        "agreement": agreement,
        "nav": "agreements",
        "versions": versions,
        "version": version,
        "in_force": result.in_force,
        "today": result.today,
        "can_manage": can_manage_draft(request.user, draft.owner_id),
        "options": CompareOptions(),
        "format_label": FORMAT_LABELS.get(draft.source_format, draft.source_format),
    }
    if version is not None and result.diff is not None:
        diff = result.diff
        context.update(
            older=version_facts(
                version, reverse("clauses:version_detail", args=[agreement.slug, version.label])
            ),
            newer={"version": {"label": "Draft", "title": draft.title}},
            rows=compare_rows(diff),
            stats=diff.stats,
            counts=summary_counts(diff.stats),
            change_count=len(diff.changes),
            notice=unofficial_notice([version]),
            export_form={
                "action": url,
                "keep": [("against", chosen_label)] if chosen_label else [],
                "api": api_url,
            },
        )
    if context["can_manage"]:
        context["share_form"] = DraftShareForm(
            owner_id=draft.owner_id,
            initial={"everyone": draft.shared_with_all, "people": list(draft.shared_with.all())},
        )
    return render(request, "clauses/comparison/draft_compare.html", context)


@require_POST
def draft_share(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    draft = _visible(request, pk)
    if not can_manage_draft(request.user, draft.owner_id):
        # Why not 404: the draft was shared with them, so they know it exists.
        raise PermissionDenied(ONLY_THE_OWNER)
    form = DraftShareForm(request.POST, owner_id=draft.owner_id)
    if not form.is_valid():
        messages.error(request, "Choose people from the list to share the draft with.")
        return redirect(draft.get_absolute_url())
    compare_draft_share(
        draft=draft,
        acting_user=request.user,
        user_ids=[p.pk for p in form.cleaned_data["people"]],
        everyone=form.cleaned_data["everyone"],
    )
    messages.success(request, "Sharing saved.")
    return redirect(draft.get_absolute_url())


@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    draft = _visible(request, pk)
    if not can_manage_draft(request.user, draft.owner_id):
        # Why not 404: the draft was shared with them, so they know it exists.
        raise PermissionDenied(ONLY_THE_OWNER)
    title = draft.title
    compare_draft_delete(draft=draft, acting_user=request.user)
    messages.success(request, f"Draft “{title}” deleted.")
    return redirect("clauses:draft_list")
