"""Background work on agreements: ids in, one service call, safe to run twice."""

from __future__ import annotations

from celery.exceptions import SoftTimeLimitExceeded

from sta_tracker.background import reliable_task

from .importing.preview_jobs import import_job_parse
from .importing.services import import_job_fail, import_job_run, import_jobs_sweep

# Time bound of reading one upload for its preview, and of reading and publishing it
# (docs/security.md).
PUBLISH_SECONDS = 900


@reliable_task(
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=PUBLISH_SECONDS,
    time_limit=PUBLISH_SECONDS + 60,
)
def publish_import_job(job_id: int) -> str:
    """Publish an uploaded official text; returns the job's final status."""
    try:
        return str(import_job_run(job_id=job_id).status)
    except SoftTimeLimitExceeded:
        error = (
            f"Reading and publishing the file took longer than the {PUBLISH_SECONDS} s limit "
            "of the import task; nothing was published."
        )
    except MemoryError:
        error = (
            "Reading the file needed more memory than a worker may use (STA_WORKER_MEMORY_MB); "
            "nothing was published."
        )
    return str(import_job_fail(job_id=job_id, error=error).status)


@reliable_task(
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=PUBLISH_SECONDS,
    time_limit=PUBLISH_SECONDS + 60,
)
def parse_import_job(job_id: int) -> str:
    """Read a large upload for its preview; returns the job's status (preview, or failed)."""
    try:
        return str(import_job_parse(job_id=job_id).status)
    except SoftTimeLimitExceeded:
        error = (
            f"Reading the file took longer than the {PUBLISH_SECONDS} s limit of the import "
            "task; nothing was kept. Split the file (the treaty text, its annexes) and upload "
            "each part."
        )
    except MemoryError:
        error = (
            "Reading the file needed more memory than a worker may use (STA_WORKER_MEMORY_MB); "
            "nothing was kept."
        )
    return str(import_job_fail(job_id=job_id, error=error).status)


@reliable_task(
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def precompute_version_diff(version_id: int) -> bool:
    """Cache a newly published version's diff with the version before it."""
    from .comparison.cache import version_diff_precompute

    return version_diff_precompute(version_id=version_id)


@reliable_task(
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def sweep_stalled_imports() -> int:
    """Queue again the uploads whose publishing never started or never finished."""
    return import_jobs_sweep()


@reliable_task(
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def delete_expired_compare_drafts() -> int:
    """Delete the drafts kept for comparison past STA_DRAFT_KEEP_DAYS."""
    from .comparison.draft_services import compare_drafts_expire

    return compare_drafts_expire()
