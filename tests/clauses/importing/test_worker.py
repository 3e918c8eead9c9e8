"""A real Celery worker publishes a large upload (PostgreSQL and a broker; CI has both)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from clauses.importing.services import import_job_create, import_job_publish
from clauses.models import ImportJob, ImportStatus, Version
from sta_tracker.roles import Role
from tests.factories import make_agreement, make_user

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TEXT = "Agreement\n\n" + "\n\n".join(
    f"Article {n}\nThe Parties shall cooperate in field number {n} on the basis of equality."
    for n in range(1, 41)
)


def wait_for(job: ImportJob, seconds: float = 60) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish job {job.pk}; status {job.status}")


def test_a_worker_publishes_a_large_upload_once(
    celery_worker_process: Any, erin: Any, settings: Any
) -> None:
    settings.STA_IMPORT_ASYNC_BYTES = 100
    sta = make_agreement()
    job = import_job_create(
        agreement=sta,
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
    queued = import_job_publish(job=job, acting_user=make_user("grace", Role.ADMINISTRATOR))
    assert queued.status == ImportStatus.QUEUED

    done = wait_for(job)

    assert done.status == ImportStatus.DONE, done.error
    assert done.progress == 100
    version = Version.objects.get(agreement=sta, label="official-1979")
    assert version.clauses.filter(kind="article").count() == 40


def test_a_worker_reads_a_large_real_upload_for_its_preview(
    celery_worker_process: Any, client: Any, erin: Any, real_corpus_dir: Path
) -> None:
    from tests.clauses.importing.test_view import upload

    source = real_corpus_dir / "akn/indigo__swahili_in_tz-constitution-1977.xml"
    content = source.read_bytes()
    client.force_login(erin)
    response = client.post("/import/", upload(name=source.name, content=content))
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/{job.pk}/status/"
    assert "Parsing your file…" in client.get(response["Location"]).content.decode()

    deadline = time.monotonic() + 120
    while job.status == ImportStatus.PARSING and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()

    assert job.status == ImportStatus.PREVIEW, job.error
    assert (job.source_format, job.attempts, bytes(job.content)) == ("akn", 0, content)
    assert len(job.preview["clauses"]) > 1000
    page = client.get(f"/import/{job.pk}/")
    assert page.status_code == 200
    numbers = [c["number"] for c in job.preview["clauses"] if c["number"]]
    assert numbers[-1] in page.content.decode()
