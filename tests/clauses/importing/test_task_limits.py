"""The import task's CPU-time and memory limits end in a failure saying which limit was passed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from clauses import tasks
from clauses.importing.services import import_job_create, import_job_publish
from clauses.models import ImportJob, ImportStatus, Version
from sta_tracker.roles import Role
from tests.factories import make_agreement, make_user

TEXT = "Agreement\n\nArticle 1\nThe Parties cooperate.\n\nArticle 2\nEach bears its costs.\n"


def queued_job(erin: Any, settings: Any) -> ImportJob:
    settings.STA_IMPORT_ASYNC_BYTES = 10
    settings.CELERY_TASK_ALWAYS_EAGER = False
    job = import_job_create(
        agreement=make_agreement(),
        filename="agreement.txt",
        content=TEXT.encode(),
        label="official-1979",
        kind="agreement",
        signed_on=dt.date(1979, 1, 31),
        effective_from=dt.date(1979, 1, 31),
        acting_user=erin,
        reason="Official text received",
        text_status="official",
    )
    return import_job_publish(job=job, acting_user=make_user("grace", Role.ADMINISTRATOR))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (
            SoftTimeLimitExceeded,
            "Reading and publishing the file took longer than the 900 s limit of the import "
            "task; nothing was published.",
        ),
        (
            MemoryError,
            "Reading the file needed more memory than a worker may use (STA_WORKER_MEMORY_MB); "
            "nothing was published.",
        ),
    ],
)
def test_a_task_stopped_by_a_limit_fails_the_job_saying_which(
    erin: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, raised: type, message: str
) -> None:
    job = queued_job(erin, settings)
    assert job.status == ImportStatus.QUEUED

    def run_out(**_: Any) -> None:
        raise raised()

    monkeypatch.setattr(tasks, "import_job_run", run_out)
    assert tasks.publish_import_job.run(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.FAILED, message)
    assert job.finished_at is not None
    assert job.history.latest().history_change_reason == f"Failed: {message}"
    assert Version.objects.count() == 0


def test_the_time_limits_are_set_on_the_task() -> None:
    assert tasks.publish_import_job.soft_time_limit == tasks.PUBLISH_SECONDS
    assert tasks.publish_import_job.time_limit > tasks.PUBLISH_SECONDS


def test_the_worker_memory_limit_turns_a_runaway_allocation_into_memory_error() -> None:
    script = (
        "from sta_tracker.background import limit_process_memory\n"
        "limit_process_memory(300)\n"
        "try:\n"
        "    b = bytearray(600 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
        "small = bytearray(10 * 1024 * 1024)\n"
        "print('small ok')\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.split() == ["refused", "small", "ok"], result.stderr
