"""Reading a large upload for its preview in the worker, not in the web request.

``import_job_keep`` leaves an upload above ``STA_IMPORT_PARSE_INLINE_MAX_BYTES`` "parsing"
and queues ``parse_import_job``, which calls ``import_job_parse``: the same reading and the
same checks as a small upload gets at once (``preview_document``), then the job is ready to
preview, or failed with the reason. Safe to run twice; bounded in attempts like publishing.
"""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from sta_tracker.background import DATABASE_HICCUPS
from sta_tracker.history import save_with_history

from ..models import ImportJob, ImportStatus
from ..record.languages import LanguageTextError
from ..record.versions import VersionError
from .errors import TextImportError
from .services import import_job_fail, preview_document, preview_fill

logger = logging.getLogger(__name__)

UNREADABLE = "The file could not be read for its preview: {}"
NEVER_READ = (
    "Reading the file started {} times and never finished (the worker may have run out of time "
    "or memory); nothing was kept. Try a smaller file, or ask the operators to look at the "
    "worker's log."
)


def import_job_parse(*, job_id: int) -> ImportJob:
    """Read a parsing job's file for its preview; a job no longer parsing is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportStatus.PARSING:
            return job
        if job.attempts >= settings.STA_TASK_MAX_ATTEMPTS:
            return import_job_fail(job_id=job_id, error=NEVER_READ.format(job.attempts))
        job.attempts += 1
        save_with_history(job, acting_user=job.created_by, reason="Reading the file")
    # Why outside the lock: reading takes long; the row is only locked to keep the result.
    try:
        document = preview_document(job)
    except (TextImportError, VersionError, LanguageTextError) as exc:
        return import_job_fail(job_id=job_id, error=UNREADABLE.format(exc))
    except Exception as exc:
        # Why: a passing database error, a time limit or the memory cap is the task's to retry
        # or report; any other failure would fail again on every run, so the job fails now.
        if isinstance(exc, (*DATABASE_HICCUPS, SoftTimeLimitExceeded, MemoryError)):
            raise
        logger.exception("Reading import job %s failed unexpectedly", job_id)
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        return import_job_fail(
            job_id=job_id,
            error=(
                f"Reading the file stopped on an unexpected error ({type(exc).__name__}: "
                f"{first_line}); nothing was kept. Ask the operators to look at the log."
            ),
        )
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job_id)
        if locked.status != ImportStatus.PARSING:
            return locked
        preview_fill(locked, document)
        # Why from zero: publishing counts its own runs against the same bound.
        locked.status, locked.attempts = ImportStatus.PREVIEW, 0
        save_with_history(
            locked, acting_user=locked.created_by, reason=f"Read for preview: {locked.reason}"
        )
    return locked
