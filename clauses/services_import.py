"""Importing an official text as a new instrument and version, from a command or the web page.

The command imports in one step (``instrument_import``). The web page keeps the upload in an
ImportJob: ``import_job_create`` parses it for the preview and writes no version;
``import_job_publish`` publishes it, through a Celery task when the file is large; the task
calls ``import_job_run``, which is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.transactions import after_commit

from .importing.document import read_document
from .importing.errors import TextImportError
from .importing.matching import REPEALED, MatchedClause, match_clauses
from .importing.readers import FORMAT_LABELS
from .importing.structure import ParsedClause, ParsedDocument
from .models import (
    Agreement,
    ImportJob,
    ImportStatus,
    Instrument,
    InstrumentKind,
    TextStatus,
    Version,
)
from .permissions import ONLY_ADMINS_IMPORT, can_import_versions
from .services import VersionError, previous_clauses, version_publish

IMPORTABLE_STATUSES = (TextStatus.OFFICIAL, TextStatus.PARTIAL)
# A job queued or running without progress this long (longer than the task's time limit) is
# queued again by the sweep.
STALLED_AFTER = dt.timedelta(minutes=20)


def import_details_check(
    *,
    agreement: Agreement,
    label: str,
    kind: str,
    text_status: str,
    effective_from: dt.date,
    expires_on: dt.date | None,
) -> None:
    """Refuse metadata that cannot make a new instrument and version (VersionError says why)."""
    try:
        validate_slug(label)
    except ValidationError as exc:
        raise VersionError(
            f"The label {label!r} may contain only letters, digits, hyphens and underscores."
        ) from exc
    if len(label) > 50:
        raise VersionError("The label is longer than 50 characters.")
    if kind not in InstrumentKind.values:
        raise VersionError(
            f"Unknown instrument kind {kind!r}; use one of: {', '.join(InstrumentKind.values)}."
        )
    if text_status not in IMPORTABLE_STATUSES:
        raise VersionError(
            "An imported text is either official or partial (official but incomplete)."
        )
    if expires_on is not None and expires_on <= effective_from:
        raise VersionError("The expiry date must be after the date the instrument takes effect.")
    if Version.objects.filter(agreement=agreement, label=label).exists():
        raise VersionError(f"{agreement.short_title} already has a version labelled {label!r}.")
    if Instrument.objects.filter(agreement=agreement, slug=label).exists():
        raise VersionError(f"{agreement.short_title} already has an instrument labelled {label!r}.")


def instrument_import(
    *,
    agreement: Agreement,
    document: ParsedDocument,
    label: str,
    kind: str,
    signed_on: dt.date,
    effective_from: dt.date,
    acting_user: Any,
    reason: str,
    title: str = "",
    signed_at: str = "",
    expires_on: dt.date | None = None,
    text_status: str = TextStatus.OFFICIAL,
    source_name: str = "",
) -> Version:
    """Create the instrument and publish its text as a version, matched with the one before.

    A clause whose text reappears under another number keeps its key (renumbered); new text
    gets a new key. Everything is written in one transaction, or nothing is.
    """
    import_details_check(
        agreement=agreement,
        label=label,
        kind=kind,
        text_status=text_status,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    if not reason.strip():
        raise VersionError("Say why the text is imported; the reason is kept in the history.")
    title = title.strip() or document.title or f"{InstrumentKind(kind).label} of {signed_on}"
    with transaction.atomic():
        instrument = Instrument(
            agreement=agreement,
            slug=label,
            kind=kind,
            title=title[:400],
            signed_on=signed_on,
            signed_at=signed_at,
            effective_from=effective_from,
            expires_on=expires_on,
            text_status=text_status,
            source_citation=source_name,
            notes=_provenance(document, source_name),
        )
        save_with_history(instrument, acting_user=acting_user, reason=reason)
        return version_publish(
            agreement=agreement,
            instrument=instrument,
            label=label,
            title=title[:300],
            in_force_from=effective_from,
            in_force_until=expires_on,
            text_status=text_status,
            clauses=document.clauses,
            acting_user=acting_user,
            reason=reason,
        )


def _provenance(document: ParsedDocument, source_name: str) -> str:
    fmt = FORMAT_LABELS.get(document.source_format, document.source_format)
    notes = f"Imported from {source_name or 'a file'} ({fmt})." if fmt else ""
    if document.dropped:
        notes += " Left out as not treaty text: " + " / ".join(document.dropped)
    return notes.strip()


def document_preview(document: ParsedDocument) -> dict[str, Any]:
    """What the preview page shows, kept with the job: the parse as plain data."""
    return {
        "title": document.title,
        "source_format": document.source_format,
        "dropped": list(document.dropped),
        "clauses": [{**c.as_json(), "kind": c.kind} for c in document.clauses],
    }


def preview_clauses(job: ImportJob) -> list[ParsedClause]:
    return [
        ParsedClause(
            key=c["key"],
            kind=c["kind"],
            number=c["number"],
            heading=c["heading"],
            text=c["text"],
            parent=c["parent"],
        )
        for c in job.preview.get("clauses", [])
    ]


@dataclass(frozen=True)
class ImportComparison:
    """How the previewed clauses would compare with the version before, for the preview page."""

    previous: Version | None
    changes: dict[str, MatchedClause]
    repealed: list[MatchedClause]


def import_job_comparison(job: ImportJob) -> ImportComparison:
    """Match the previewed clauses with the version before, as publishing will; writes nothing."""
    previous = (
        Version.objects.filter(agreement=job.agreement, in_force_from__lte=job.effective_from)
        .order_by("-in_force_from", "-published_at")
        .first()
    )
    new = preview_clauses(job)
    try:
        matched = match_clauses(previous_clauses(previous) if previous else [], new)
    except ValueError:
        return ImportComparison(previous, {}, [])
    kept = [m for m in matched if m.change != REPEALED]
    return ImportComparison(
        previous=previous,
        changes={clause.key: m for clause, m in zip(new, kept, strict=True)},
        repealed=[m for m in matched if m.change == REPEALED],
    )


def import_job_create(
    *,
    agreement: Agreement,
    filename: str,
    content: bytes,
    label: str,
    kind: str,
    signed_on: dt.date,
    effective_from: dt.date,
    acting_user: Any,
    reason: str,
    title: str = "",
    signed_at: str = "",
    expires_on: dt.date | None = None,
    text_status: str = TextStatus.OFFICIAL,
) -> ImportJob:
    """Keep an upload for its preview. Refuses bad metadata and unreadable files; no version."""
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    if len(content) > settings.STA_IMPORT_MAX_BYTES:
        limit = settings.STA_IMPORT_MAX_BYTES / 1_000_000
        raise TextImportError(f"The file is larger than the limit of {limit:g} MB.")
    import_details_check(
        agreement=agreement,
        label=label,
        kind=kind,
        text_status=text_status,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    document = read_document(content, filename)
    job = ImportJob(
        agreement=agreement,
        original_name=filename[:255],
        content=content,
        size=len(content),
        source_format=document.source_format,
        label=label,
        kind=kind,
        title=title,
        signed_on=signed_on,
        signed_at=signed_at,
        effective_from=effective_from,
        expires_on=expires_on,
        text_status=text_status,
        reason=reason,
        preview=document_preview(document),
        created_by=acting_user,
    )
    job.save()
    return job


def import_job_publish(*, job: ImportJob, acting_user: Any) -> ImportJob:
    """Publish a previewed upload: now for a small file, through a Celery task for a large one.

    Pressing publish twice publishes once: only a job still in preview moves on.
    """
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEW:
            return locked
        locked.status = ImportStatus.QUEUED
        locked.published_by = acting_user
        locked.save(update_fields=["status", "published_by", "updated_at"])
        if locked.size > settings.STA_IMPORT_ASYNC_BYTES:
            # Why robust: a broker outage must not undo the queuing; the sweep queues it again.
            after_commit(enqueue_import_job, locked.pk)
            return locked
    return import_job_run(job_id=locked.pk)


def enqueue_import_job(job_id: int) -> None:
    from .tasks import publish_import_job

    publish_import_job.delay(job_id)


def import_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again every job left queued or running for a while; the number queued.

    The broker may have been down when the job was queued, or its worker may have died.
    Publishing a job twice publishes it once.
    """
    cutoff = (now or timezone.now()) - STALLED_AFTER
    ids = list(
        ImportJob.objects.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING], updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        enqueue_import_job(pk)
    return len(ids)


def _progress(job_id: int, percent: int) -> None:
    # Why: progress is committed at once, outside the publishing transaction, so that the
    # status page sees it while the work goes on. ImportJob keeps no history.
    ImportJob.objects.filter(pk=job_id).update(progress=percent, updated_at=timezone.now())


def import_job_run(*, job_id: int) -> ImportJob:
    """Read, parse and publish a queued job. Running it again after success changes nothing."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished or job.status == ImportStatus.PREVIEW:
            return job
        job.status, job.progress = ImportStatus.RUNNING, 10
        job.save(update_fields=["status", "progress", "updated_at"])
    try:
        document = read_document(bytes(job.content), job.original_name)
        _progress(job_id, 50)
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.is_finished:
                return job
            job.version = instrument_import(
                agreement=job.agreement,
                document=document,
                label=job.label,
                kind=job.kind,
                signed_on=job.signed_on,
                effective_from=job.effective_from,
                acting_user=job.published_by or job.created_by,
                reason=job.reason,
                title=job.title,
                signed_at=job.signed_at,
                expires_on=job.expires_on,
                text_status=job.text_status,
                source_name=job.original_name,
            )
            job.status, job.progress, job.finished_at = ImportStatus.DONE, 100, timezone.now()
            job.save()
            return job
    except (TextImportError, VersionError) as exc:
        return import_job_fail(job_id=job_id, error=str(exc))


def import_job_fail(*, job_id: int, error: str) -> ImportJob:
    """Record why a job could not be published; a published job stays published."""
    now = timezone.now()
    ImportJob.objects.exclude(status=ImportStatus.DONE).filter(pk=job_id).update(
        status=ImportStatus.FAILED, error=error, finished_at=now, updated_at=now
    )
    return ImportJob.objects.get(pk=job_id)
