"""The import page for administrators: upload, preview of the detected clauses, publish."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .forms_import import ImportUploadForm
from .importing.errors import TextImportError
from .importing.readers import FORMAT_LABELS
from .models import ImportJob, ImportStatus, TextStatus
from .permissions import ONLY_ADMINS_IMPORT, can_import_versions
from .services import VersionError
from .services_import import (
    import_job_comparison,
    import_job_create,
    import_job_publish,
)

_PREVIEW_WORDS = 12


def _authorise(request: HttpRequest) -> None:
    if not can_import_versions(request.user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)


def _job(pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("agreement", "version"), pk=pk)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        try:
            if upload.size > settings.STA_IMPORT_MAX_BYTES:
                limit = settings.STA_IMPORT_MAX_BYTES / 1_000_000
                raise TextImportError(f"The file is larger than the limit of {limit:g} MB.")
            job = import_job_create(
                agreement=data["agreement"],
                filename=upload.name,
                content=upload.read(),
                label=data["label"],
                kind=data["kind"],
                title=data["title"],
                signed_on=data["signed_on"],
                signed_at=data["signed_at"],
                effective_from=data["effective_from"],
                expires_on=data["expires_on"],
                text_status=data["text_status"],
                acting_user=request.user,
                reason=data["reason"],
            )
        except TextImportError as exc:
            form.add_error("file", str(exc))
        except VersionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("clauses:import_preview", job.pk)
    recent = ImportJob.objects.select_related("agreement", "version").defer("content", "preview")
    context = {"form": form, "recent": recent[:10], "nav": "import"}
    return render(request, "clauses/import_upload.html", context)


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    job = _job(pk)
    if request.method == "POST":
        import_job_publish(job=job, acting_user=request.user)
        return redirect("clauses:import_status", job.pk)
    if job.status != ImportStatus.PREVIEW:
        return redirect("clauses:import_status", job.pk)
    comparison = import_job_comparison(job)
    rows = [
        {
            **clause,
            "first_words": _first_words(clause["text"]),
            "change": comparison.changes.get(clause["key"]),
        }
        for clause in job.preview.get("clauses", [])
    ]
    context = {
        "job": job,
        "rows": rows,
        "previous": comparison.previous,
        "repealed": comparison.repealed,
        "dropped": job.preview.get("dropped", []),
        "format_label": FORMAT_LABELS.get(job.source_format, job.source_format),
        "is_partial": job.text_status == TextStatus.PARTIAL,
        "is_async": job.size > settings.STA_IMPORT_ASYNC_BYTES,
        "nav": "import",
    }
    return render(request, "clauses/import_preview.html", context)


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    job = _job(pk)
    context: dict[str, Any] = {"job": job, "refresh": not job.is_finished, "nav": "import"}
    return render(request, "clauses/import_status.html", context)


def _first_words(text: str) -> str:
    words = text.split()
    if len(words) > _PREVIEW_WORDS:
        return " ".join(words[:_PREVIEW_WORDS]) + " …"
    if len(text) > 60 and len(words) < 4:
        # Why: Chinese runs without spaces; count characters instead of words.
        return text[:40] + " …"
    return text
