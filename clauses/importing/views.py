"""The import page for administrators: upload, preview, confirm and publish, or discard."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import ImportJob, ImportMode, ImportStatus, TextStatus, language_name
from ..names import key_name, places_by_key
from ..permissions import ONLY_ADMINS_IMPORT, can_import_versions, publish_import_refusal
from ..record.versions import VersionError
from .by_hand import import_job_effect_apply, import_job_effect_remove, import_job_pairs_save
from .errors import TextImportError
from .forms import (
    ImportDiscardForm,
    ImportPublishForm,
    ImportUploadForm,
    ManualEffectForm,
    ManualEffectRemoveForm,
)
from .hand_context import by_hand_context, language_context
from .language_jobs import language_job_create
from .limits import over_size
from .readers import FORMAT_LABELS
from .review import Consequences, ImportRefused
from .services import (
    hand_editors,
    import_job_create,
    import_job_discard,
    import_job_publish,
    import_job_review,
    import_limits,
    preview_clauses,
)

_PREVIEW_WORDS = 12
_RECENT = 10


def _authorise(request: HttpRequest) -> None:
    if not can_import_versions(request.user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)


def _job(pk: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related(
            "agreement", "version", "instrument", "created_by", "published_by"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _authorise(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        try:
            limits = import_limits()
            if upload.size > limits.max_bytes:
                # Why before reading: an oversized upload is never held in memory whole.
                raise over_size("The file is", upload.size, limits.max_bytes, "max_bytes")
            if data["mode"] == ImportMode.LANGUAGE:
                job = language_job_create(
                    agreement=data["agreement"],
                    target_version=data["target_version"],
                    filename=upload.name,
                    content=upload.read(),
                    language=data["language"].strip(),
                    text_status=data["text_status"],
                    acting_user=request.user,
                    reason=data["reason"],
                )
                return _after_upload(job)
            job = import_job_create(
                agreement=data["agreement"],
                filename=upload.name,
                content=upload.read(),
                mode=data["mode"],
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
            return _after_upload(job)
    # Why the title alone: a preview holds every clause of the file.
    jobs = (
        ImportJob.objects.select_related("agreement", "version", "created_by")
        .defer("content", "preview")
        .annotate(preview_title=KT("preview__title"))
    )
    context = {
        "form": form,
        "queue": list(jobs.filter(status=ImportStatus.PREVIEW).order_by("created_at")),
        "recent": list(jobs.exclude(status=ImportStatus.PREVIEW)[:_RECENT]),
        "nav": "import",
    }
    return render(request, "clauses/importing/upload.html", context)


def _after_upload(job: ImportJob) -> HttpResponse:
    """A large upload is being read by the worker: its page waits for the preview."""
    if job.status == ImportStatus.PARSING:
        # Why again: with no broker (the demo) the task has already run, after the commit.
        job.refresh_from_db(fields=["status"])
    if job.status in (ImportStatus.PARSING, ImportStatus.FAILED):
        return redirect("clauses:import_status", job.pk)
    return redirect("clauses:import_preview", job.pk)


def _review_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    """What the preview and the confirmation pages both say: the numbers and who may publish."""
    review = import_job_review(job)
    return {
        "job": job,
        "review": review,
        "accounting": review.accounting,
        "consequences": review.consequences,
        "language": review.language,
        "publish_refusal": publish_import_refusal(
            request.user, job.created_by_id, hand_editors(job)
        ),
        "four_eyes": settings.STA_IMPORT_FOUR_EYES,
        "format_label": FORMAT_LABELS.get(job.source_format, job.source_format),
        "is_partial": job.text_status == TextStatus.PARTIAL,
        "is_async": job.size > settings.STA_IMPORT_ASYNC_BYTES,
        "nav": "import",
    }


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    job = _job(pk)
    if job.status != ImportStatus.PREVIEW:
        return redirect("clauses:import_status", job.pk)
    return _render_preview(request, job)


def _render_preview(
    request: HttpRequest,
    job: ImportJob,
    *,
    hand_error: tuple[str, str] | None = None,
    posted: dict[str, str] | None = None,
) -> HttpResponse:
    """The preview; ``hand_error`` (instruction or "pairs", message) re-shows a refused form."""
    context = _review_context(request, job)
    places = places_by_key(preview_clauses(job))
    context["rows"] = [
        {**clause, "place": places[clause["key"]], "first_words": _first_words(clause["text"])}
        for clause in job.preview.get("clauses", [])
    ]
    context["changed_rows"] = _changed_rows(context["consequences"])
    context["dropped"] = job.preview.get("dropped", [])
    # Why: only a new version of the whole text or of some clauses takes the further texts.
    takes_other_texts = job.mode in (ImportMode.CONSOLIDATED, ImportMode.PARTIAL)
    context["other_texts"] = job.preview.get("other_texts", []) if takes_other_texts else []
    context["discard_form"] = ImportDiscardForm()
    status = 400 if hand_error else 200
    if job.mode == ImportMode.LANGUAGE:
        context.update(language_context(job, context["language"], hand_error))
        return render(request, "clauses/importing/preview_language.html", context, status=status)
    if job.mode == ImportMode.AMENDING:
        context.update(by_hand_context(job, context["consequences"], hand_error, posted or {}))
    return render(request, "clauses/importing/preview.html", context, status=status)


def _changed_rows(consequences: Consequences | None) -> list[dict[str, Any]]:
    """The clauses publishing would not carry over unchanged, each named by its place."""
    if consequences is None or consequences.plan is None:
        return []
    places = places_by_key(consequences.plan.clauses)
    return [
        {"clause": clause, "place": places.get(clause.key) or key_name(clause.key)}
        for clause in consequences.changed_clauses
    ]


@require_http_methods(["GET", "POST"])
def import_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: the numbers again, and what the publisher must acknowledge."""
    _authorise(request)
    job = _job(pk)
    if job.status != ImportStatus.PREVIEW:
        return redirect("clauses:import_status", job.pk)
    context = _review_context(request, job)
    form = ImportPublishForm(
        request.POST if request.method == "POST" else None,
        accounting=context["accounting"],
        consequences=context["consequences"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_job_publish(
                job=job,
                acting_user=request.user,
                confirm_repeals=form.cleaned_data["confirm_repeals"],
                accept_lost_words=form.cleaned_data["accept_lost_words"],
                period_reason=form.cleaned_data["period_reason"],
            )
        except ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("clauses:import_status", job.pk)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "clauses/importing/publish.html", context, status=status)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    job = _job(pk)
    form = ImportDiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the import is discarded; the reason is kept.")
        return redirect("clauses:import_preview", job.pk)
    try:
        import_job_discard(job=job, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The import of {job.original_name} was discarded.")
    return redirect("clauses:import_status", job.pk)


@require_POST
def import_effect_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply an unparsed instruction by hand; a refusal re-shows the preview with the reason."""
    _authorise(request)
    job = _job(pk)
    form = ManualEffectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The instruction applied by hand could not be read: try again.")
        return redirect("clauses:import_preview", job.pk)
    data = form.cleaned_data
    try:
        import_job_effect_apply(
            job=job,
            acting_user=request.user,
            instruction=data["instruction"],
            affected_key=data["affected_key"],
            kind=data["kind"],
            new_text=data["new_text"],
            new_number=data["new_number"],
        )
    except ImportRefused as exc:
        job.refresh_from_db()
        if job.status != ImportStatus.PREVIEW:
            messages.error(request, str(exc))
            return redirect("clauses:import_status", job.pk)
        posted = {k: str(v) for k, v in data.items()}
        return _render_preview(
            request, job, hand_error=(data["instruction"], str(exc)), posted=posted
        )
    messages.success(request, "Applied by hand; the preview below includes it.")
    return redirect("clauses:import_preview", job.pk)


@require_POST
def import_effect_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    job = _job(pk)
    form = ManualEffectRemoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ImportRefused("No such instruction applied by hand: nothing was removed.")
        import_job_effect_remove(
            job=job, acting_user=request.user, index=form.cleaned_data["index"]
        )
    except ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Removed; the instruction is listed as not applied again.")
    return redirect("clauses:import_preview", job.pk)


@require_POST
def import_pairs(request: HttpRequest, pk: int) -> HttpResponse:
    """Pair a language text's clauses by hand: ``pair-<new key>`` = a version's key, or empty."""
    _authorise(request)
    job = _job(pk)
    prefix = "pair-"
    pairs = {
        name[len(prefix) :]: (request.POST.get(name, "").strip() or None)
        for name in request.POST
        if name.startswith(prefix)
    }
    try:
        import_job_pairs_save(job=job, acting_user=request.user, pairs=pairs)
    except ImportRefused as exc:
        job.refresh_from_db()
        if job.status != ImportStatus.PREVIEW:
            messages.error(request, str(exc))
            return redirect("clauses:import_status", job.pk)
        return _render_preview(request, job, hand_error=("pairs", str(exc)))
    messages.success(request, "Pairing saved; the alignment below includes it.")
    return redirect("clauses:import_preview", job.pk)


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    _authorise(request)
    # Why deferred: the page refreshes every two seconds and never shows the file itself.
    job = get_object_or_404(
        ImportJob.objects.select_related(
            "agreement", "version", "instrument", "created_by", "published_by"
        ).defer("content", "preview"),
        pk=pk,
    )
    refresh = job.status in (ImportStatus.PARSING, ImportStatus.QUEUED, ImportStatus.RUNNING)
    context: dict[str, Any] = {
        "job": job,
        "refresh": refresh,
        "parsing": job.status == ImportStatus.PARSING,
        # Why the format: it is known once the file is read; a job failed before has none.
        "never_read": job.status == ImportStatus.FAILED and not job.source_format,
        "language_name": language_name(job.language),
        "nav": "import",
    }
    return render(request, "clauses/importing/status.html", context)


def _first_words(text: str) -> str:
    words = text.split()
    if len(words) > _PREVIEW_WORDS:
        return " ".join(words[:_PREVIEW_WORDS]) + " …"
    if len(text) > 60 and len(words) < 4:
        # Why: Chinese runs without spaces; count characters instead of words.
        return text[:40] + " …"
    return text
