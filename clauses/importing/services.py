"""Importing an official text as a new instrument and version, from a command or the web page.

The command imports in one step (``instrument_import``). The web page keeps the upload in an
ImportJob: ``import_job_create`` parses it for the preview and writes no version (a large
upload is parsed by a Celery task instead, ``preview_jobs``); ``import_job_publish`` checks
what the publisher acknowledged and publishes it, through a Celery task when the file is
large; the task calls ``import_job_run``, which is safe to run twice. ``import_job_discard``
sets a preview aside with a reason. A finished job keeps no file.
Every change to a job is recorded in its history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone

from sta_tracker.background import DATABASE_HICCUPS
from sta_tracker.history import save_with_history
from sta_tracker.transactions import after_commit

from ..models import (
    DEFAULT_LANGUAGE,
    Agreement,
    ImportJob,
    ImportMode,
    ImportStatus,
    Instrument,
    InstrumentKind,
    TextStatus,
    Version,
)
from ..permissions import ONLY_ADMINS_IMPORT, can_import_versions, publish_import_refusal
from ..record.effects import InstrumentDocument
from ..record.languages import (
    LanguageTextError,
    language_preview,
    other_texts_add,
    other_texts_summary,
    version_text_add,
)
from ..record.services import import_plan_publish
from ..record.versions import VersionError
from .amending import SUBSTITUTION
from .document import read_document
from .errors import TextImportError
from .limits import ImportLimits, over_size, setting_name
from .modes import ManualEffect
from .readers import FORMAT_LABELS
from .review import (
    Accounting,
    ImportRefused,
    ImportReview,
    import_plan,
    import_review,
    mode_for,
    publish_checks,
    word_accounting,
)
from .structure import ParsedClause, ParsedDocument

IMPORTABLE_STATUSES = (
    TextStatus.OFFICIAL,
    TextStatus.PARTIAL,
    TextStatus.UNOFFICIAL,
    TextStatus.ILLUSTRATIVE,
)
NO_TEXT_STATUS = (
    "Say what the text is: official, partial official, unofficial translation or illustrative."
)
logger = logging.getLogger(__name__)
NO_REASON = "Say why the text is imported; the reason is kept in the history."
# A job queued or running without progress this long (longer than the task's time limit) is
# queued again by the sweep.
STALLED_AFTER = dt.timedelta(minutes=20)
NEVER_FINISHED = (
    "Publishing started {} times and never finished (the worker may have run out of time or "
    "memory); nothing was published. Try a smaller file, or ask the operators to look at "
    "the worker's log."
)


def unexpected_failure(exc: BaseException) -> str:
    """What the import page says of an error nobody foresaw: its kind and first line."""
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return (
        f"Publishing stopped on an unexpected error ({type(exc).__name__}: {first_line}); "
        "nothing was published. Ask the operators to look at the log."
    )


def import_limits() -> ImportLimits:
    """The readers' limits as the settings give them (each field's setting: ``setting_name``)."""
    return ImportLimits(
        **{f.name: int(getattr(settings, setting_name(f.name))) for f in fields(ImportLimits)}
    )


def read_file(path: Path) -> ParsedDocument:
    """The parse of a file on disk, for the commands; its size is checked before it is read."""
    limits = import_limits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise over_size("The file is", size, limits.max_bytes, "max_bytes")
    return read_document(path.read_bytes(), path.name, limits)


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
    if not text_status:
        raise VersionError(NO_TEXT_STATUS)
    if text_status not in IMPORTABLE_STATUSES:
        raise VersionError(
            f"Unknown text status {text_status!r}; use one of: {', '.join(IMPORTABLE_STATUSES)}."
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
    text_status: str,
    mode: str = ImportMode.CONSOLIDATED,
    title: str = "",
    signed_at: str = "",
    expires_on: dt.date | None = None,
    source_name: str = "",
    period_reason: str = "",
    manual: Sequence[ManualEffect] = (),
) -> Version | InstrumentDocument:
    """Create the instrument and publish its text in ``mode`` (a version, or its document).

    The plan is made again inside the transaction, against the record as it is now, so what
    is written is what the preview described. Everything is written, or nothing is; every
    other instrument's recorded dates and term are left as they were. ``manual`` holds the
    unparsed instructions of an amending instrument that a person applied by hand;
    ``period_reason`` says why an earlier version stops being in force, for its history.
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
        raise VersionError(NO_REASON)
    title = title.strip() or document.title or f"{InstrumentKind(kind).label} of {signed_on}"
    with transaction.atomic():
        facts = recorded_facts(agreement)
        plan, previous = import_plan(
            agreement=agreement,
            mode=mode,
            document=document,
            effective_from=effective_from,
            manual=manual,
        )
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
        published = import_plan_publish(
            agreement=agreement,
            instrument=instrument,
            plan=plan,
            document=document,
            label=label,
            title=title[:300],
            in_force_from=effective_from,
            in_force_until=expires_on,
            text_status=text_status,
            acting_user=acting_user,
            reason=reason,
            previous=previous,
            source_name=source_name,
            period_reason=period_reason,
        )
        if isinstance(published, Version):
            version_text_note(
                version=published, document=document, acting_user=acting_user, reason=reason
            )
        if isinstance(published, Version) and mode in (ImportMode.CONSOLIDATED, ImportMode.PARTIAL):
            other_texts_add(
                version=published,
                document=document,
                text_status=text_status,
                acting_user=acting_user,
                source_name=source_name,
            )
        if recorded_facts(agreement, exclude=instrument.pk) != facts:
            # Why: an instrument's dates and term are facts of record from its sources; a later
            # text may end a version's period, never rewrite what an instrument says of itself.
            raise VersionError(
                "Publishing would change another instrument's recorded dates or term; "
                "nothing was published."
            )
    return published


def recorded_facts(
    agreement: Agreement, *, exclude: int | None = None
) -> dict[int, tuple[Any, ...]]:
    """Each instrument's recorded dates and term: publishing must leave other instruments' alone."""
    rows = Instrument.objects.filter(agreement=agreement)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    fields = ("signed_on", "effective_from", "expires_on", "term")
    return {pk: tuple(rest) for pk, *rest in rows.values_list("pk", *fields)}


def version_text_note(
    *, version: Version, document: ParsedDocument, acting_user: Any, reason: str
) -> None:
    """Say on the version's text what the reader warned of (a text cut off mid-sentence)."""
    if not document.warnings:
        return
    text = version.texts.order_by("pk").first()
    if text is None:
        return
    text.notes = "\n".join(document.warnings)
    save_with_history(text, acting_user=acting_user, reason=reason)


def _provenance(document: ParsedDocument, source_name: str) -> str:
    fmt = FORMAT_LABELS.get(document.source_format, document.source_format)
    notes = f"Imported from {source_name or 'a file'} ({fmt})." if fmt else ""
    if document.dropped:
        notes += " Left out as not treaty text: " + " / ".join(document.dropped)
    return notes.strip()


def document_preview(document: ParsedDocument) -> dict[str, Any]:
    """What the preview page shows, kept with the job: the parse and its word accounting."""
    return {
        "title": document.title,
        "source_format": document.source_format,
        "language": document.language,
        "dropped": list(document.dropped),
        "front_matter": list(document.front_matter),
        "warnings": list(document.warnings),
        "clauses": [
            {**c.as_json(), "kind": c.kind, "notes": list(c.notes)} for c in document.clauses
        ],
        "accounting": word_accounting(document).as_json(),
        "other_texts": other_texts_summary(document),
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
            notes=tuple(c.get("notes", ())),
        )
        for c in job.preview.get("clauses", [])
    ]


def job_document(job: ImportJob) -> ParsedDocument:
    """The parse kept with the job, as the plans read it (its clauses)."""
    return ParsedDocument(
        title=job.preview.get("title", ""),
        clauses=tuple(preview_clauses(job)),
        source_format=job.source_format,
        warnings=tuple(job.preview.get("warnings", ())),
        language=job.preview.get("language", ""),
    )


def manual_effects(job: ImportJob) -> list[ManualEffect]:
    """The instructions a person applied by hand on the job's preview, in the order applied."""
    return [
        ManualEffect(
            instruction=m["instruction"],
            affected_key=m["affected_key"],
            new_text=m.get("new_text", ""),
            new_heading=m.get("new_heading", ""),
            kind=m.get("kind", SUBSTITUTION),
            new_number=m.get("new_number", ""),
            by=m.get("by", ""),
        )
        for m in job.manual_effects
    ]


def pairs_of(job: ImportJob) -> dict[str, str | None]:
    """A language job's pairs made by hand, as the alignment takes them (new key → key)."""
    return {new_key: entry["key"] for new_key, entry in job.language_pairs.items()}


def hand_editors(job: ImportJob) -> set[int]:
    """Who changed the job's preview by hand (applied an instruction, paired a clause)."""
    entries = [*job.manual_effects, *job.language_pairs.values()]
    return {entry["by_id"] for entry in entries if entry.get("by_id") is not None}


def import_job_review(job: ImportJob) -> ImportReview:
    """The job's accounting (counted at upload) and its consequences as the record is now."""
    accounting = Accounting.from_json(job.preview.get("accounting", {}))
    if job.mode == ImportMode.LANGUAGE:
        return _language_review(job, accounting)
    review = import_review(
        agreement=job.agreement,
        mode=job.mode,
        document=job_document(job),
        effective_from=job.effective_from,
        manual=manual_effects(job),
    )
    return replace(review, accounting=accounting)


def _language_review(job: ImportJob, accounting: Accounting) -> ImportReview:
    """A language text's alignment with the version, as paired so far; nothing in force moves."""
    document = job_document(job)
    version = job.target_version
    if version is None:
        return ImportReview(accounting, None, document.warnings, problem="No version chosen.")
    try:
        preview = language_preview(version, document, language=job.language, pairs=pairs_of(job))
    except LanguageTextError as exc:
        return ImportReview(accounting, None, document.warnings, problem=str(exc))
    problem = ""
    if job.language in preview.held:
        problem = (
            f"Version {version.label} already has a text in {preview.language_name} "
            f"({job.language}); correct its clauses instead of adding it again."
        )
    return ImportReview(accounting, None, document.warnings, problem=problem, language=preview)


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
    text_status: str,
    mode: str = "",
    title: str = "",
    signed_at: str = "",
    expires_on: dt.date | None = None,
) -> ImportJob:
    """Keep an upload for its preview. Refuses bad metadata and unreadable files; no version."""
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    limits = import_limits()
    if len(content) > limits.max_bytes:
        raise over_size("The file is", len(content), limits.max_bytes, "max_bytes")
    if not reason.strip():
        raise VersionError(NO_REASON)
    import_details_check(
        agreement=agreement,
        label=label,
        kind=kind,
        text_status=text_status,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    job = ImportJob(
        agreement=agreement,
        original_name=filename[:255],
        content=content,
        size=len(content),
        mode=mode_for(agreement, mode),
        language=DEFAULT_LANGUAGE,
        label=label,
        kind=kind,
        title=title,
        signed_on=signed_on,
        signed_at=signed_at,
        effective_from=effective_from,
        expires_on=expires_on,
        text_status=text_status,
        reason=reason,
        created_by=acting_user,
    )
    return import_job_keep(job, acting_user=acting_user, reason=reason)


def import_job_keep(job: ImportJob, *, acting_user: Any, reason: str) -> ImportJob:
    """Save a new upload: parsed now for its preview, or left to the worker when it is large.

    A large upload is kept "parsing" and its reading queued after the commit (the preview page
    then waits for it); a small one is read now and refused, with nothing kept, when it cannot
    be used.
    """
    if job.size > settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES:
        job.status = ImportStatus.PARSING
        save_with_history(
            job, acting_user=acting_user, reason=f"Uploaded, to be read in the background: {reason}"
        )
        # Why robust: a broker outage must not undo the upload; the sweep queues it again.
        after_commit(enqueue_parse_job, job.pk)
        return job
    preview_fill(job, preview_document(job))
    save_with_history(job, acting_user=acting_user, reason=f"Uploaded for preview: {reason}")
    return job


def preview_document(job: ImportJob) -> ParsedDocument:
    """Read the job's file and check that its mode can use it (TextImportError, VersionError,
    LanguageTextError say why not)."""
    document = read_document(bytes(job.content), job.original_name, import_limits())
    if job.mode == ImportMode.LANGUAGE:
        if not document.clauses:
            raise TextImportError("No clauses were found in the text.")
        assert job.target_version is not None  # noqa: S101 - a language job is made with one
        # Why at upload: an alignment that cannot be made is refused before anything is kept.
        language_preview(job.target_version, document, language=job.language)
        return document
    # Why at upload: a text the mode cannot use (an instruction naming a clause that does not
    # exist, a partial text matching no clause) is refused before anything is kept.
    import_plan(
        agreement=job.agreement,
        mode=job.mode,
        document=document,
        effective_from=job.effective_from,
    )
    return document


def preview_fill(job: ImportJob, document: ParsedDocument) -> None:
    """Keep the parse on the job for its preview (not saved here)."""
    job.source_format = document.source_format
    if job.mode != ImportMode.LANGUAGE:
        job.language = document.language or DEFAULT_LANGUAGE
    job.preview = document_preview(document)


def import_job_publish(
    *,
    job: ImportJob,
    acting_user: Any,
    confirm_repeals: bool = False,
    accept_lost_words: bool = False,
    period_reason: str = "",
) -> ImportJob:
    """Publish a previewed upload: now for a small file, through a Celery task for a large one.

    Refused (ImportRefused, nothing written) for a second uploader with four eyes on, a job no
    longer in preview, duplicated words, and anything the preview said that the publisher did
    not acknowledge. Pressing publish twice publishes once.
    """
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return locked
        if locked.status != ImportStatus.PREVIEW:
            raise ImportRefused(
                f"This import is {locked.get_status_display().lower()}: "
                "only an import ready to publish can be published."
            )
        refusal = publish_import_refusal(acting_user, locked.created_by_id, hand_editors(locked))
        if refusal:
            raise ImportRefused(refusal)
        publish_checks(
            import_job_review(locked),
            confirm_repeals=confirm_repeals,
            accept_lost_words=accept_lost_words,
            period_reason=period_reason,
        )
        locked.status = ImportStatus.QUEUED
        locked.published_by = acting_user
        locked.period_reason = period_reason.strip()[:300]
        locked.lost_words_accepted = accept_lost_words
        save_with_history(locked, acting_user=acting_user, reason="Confirmed for publication")
        if locked.size > settings.STA_IMPORT_ASYNC_BYTES:
            # Why robust: a broker outage must not undo the queuing; the sweep queues it again.
            after_commit(enqueue_import_job, locked.pk)
            return locked
    return import_job_run(job_id=locked.pk)


def import_job_discard(*, job: ImportJob, acting_user: Any, reason: str) -> ImportJob:
    """Set a preview aside without publishing it; the job stays, discarded, with the reason."""
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    reason = reason.strip()
    if not reason:
        raise ImportRefused("Say why the import is discarded; the reason is kept in its history.")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ImportRefused(
                f"This import is {locked.get_status_display().lower()}: "
                "only an import ready to publish can be discarded."
            )
        locked.status, locked.discard_reason = ImportStatus.DISCARDED, reason[:300]
        locked.finished_at, locked.content = timezone.now(), b""
        save_with_history(locked, acting_user=acting_user, reason=f"Discarded: {reason}")
    return locked


def enqueue_import_job(job_id: int) -> None:
    from ..tasks import publish_import_job

    publish_import_job.delay(job_id)


def enqueue_parse_job(job_id: int) -> None:
    from ..tasks import parse_import_job

    parse_import_job.delay(job_id)


def import_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again every job left parsing, queued or running for a while; the number queued.

    The broker may have been down when the job was queued, or its worker may have died.
    Publishing a job twice publishes it once; reading a file twice keeps one preview.
    """
    cutoff = (now or timezone.now()) - STALLED_AFTER
    rows = ImportJob.objects.filter(
        status__in=[ImportStatus.PARSING, ImportStatus.QUEUED, ImportStatus.RUNNING],
        updated_at__lt=cutoff,
    ).values_list("pk", "status")
    count = 0
    for pk, status in rows:
        (enqueue_parse_job if status == ImportStatus.PARSING else enqueue_import_job)(pk)
        count += 1
    return count


def _move(job_id: int, reason: str, **fields: Any) -> ImportJob:
    # Why: progress is committed at once, outside the publishing transaction, so that the
    # status page sees it while the work goes on.
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        for name, value in fields.items():
            setattr(job, name, value)
        save_with_history(job, acting_user=job.published_by or job.created_by, reason=reason)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Read, parse and publish a queued job. Running it again after success changes nothing."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished or job.status in (ImportStatus.PREVIEW, ImportStatus.PARSING):
            return job
        if job.attempts >= settings.STA_TASK_MAX_ATTEMPTS:
            return import_job_fail(job_id=job_id, error=NEVER_FINISHED.format(job.attempts))
        _move(
            job_id,
            "Publishing",
            status=ImportStatus.RUNNING,
            progress=10,
            attempts=job.attempts + 1,
        )
    try:
        document = read_document(bytes(job.content), job.original_name, import_limits())
        _move(job_id, "Publishing: text read", progress=50)
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.is_finished:
                return job
            if job.mode == ImportMode.LANGUAGE:
                return _language_job_write(job, document)
            published = instrument_import(
                agreement=job.agreement,
                mode=job.mode,
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
                period_reason=job.period_reason,
                manual=manual_effects(job),
            )
            if isinstance(published, Version):
                job.version, job.instrument = published, published.instrument
            else:
                job.instrument = published.instrument
            job.status, job.progress, job.finished_at = ImportStatus.DONE, 100, timezone.now()
            job.content = b""
            save_with_history(job, acting_user=job.published_by, reason="Published")
            return job
    except (TextImportError, VersionError) as exc:
        return import_job_fail(job_id=job_id, error=str(exc))
    except Exception as exc:
        # Why: a passing database error, a time limit or the memory cap is the task's to retry
        # or report; any other failure would fail again on every run, so the job fails now.
        if isinstance(exc, (*DATABASE_HICCUPS, SoftTimeLimitExceeded, MemoryError)):
            raise
        logger.exception("Import job %s failed unexpectedly", job_id)
        return import_job_fail(job_id=job_id, error=unexpected_failure(exc))


def _language_job_write(job: ImportJob, document: ParsedDocument) -> ImportJob:
    """Add the job's text to its version: no period, no other clause, no flag changes."""
    assert job.target_version is not None  # noqa: S101 - a language job is made with one
    version_text_add(
        version=job.target_version,
        document=document,
        language=job.language,
        text_status=job.text_status,
        acting_user=job.published_by or job.created_by,
        reason=job.reason,
        pairs=pairs_of(job),
        source_name=job.original_name,
        notes="\n".join(document.warnings),
    )
    job.version = job.target_version
    job.status, job.progress, job.finished_at = ImportStatus.DONE, 100, timezone.now()
    job.content = b""
    save_with_history(job, acting_user=job.published_by, reason="Published")
    return job


def import_job_fail(*, job_id: int, error: str) -> ImportJob:
    """Record why a job could not be read or published; a published job stays published.

    Like every finished job, a failed one keeps no file: nothing can be done with it but to
    upload again.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ImportStatus.DONE, ImportStatus.DISCARDED):
            return job
        job.status, job.error, job.finished_at = ImportStatus.FAILED, error, timezone.now()
        job.content = b""
        save_with_history(
            job, acting_user=job.published_by or job.created_by, reason=f"Failed: {error}"[:300]
        )
    return job
