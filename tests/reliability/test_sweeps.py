"""Work whose message was lost (the broker was down at commit, or the worker died) is queued
again by the periodic sweeps, and a failure to queue never undoes the committed change."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from clauses.importing.services import import_job_create, import_job_publish, import_jobs_sweep
from clauses.models import ImportJob, ImportStatus, Version
from reviews.models import Proposal, ScreeningRun
from reviews.services import proposal_submit, screenings_sweep
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from sta_tracker.transactions import after_commit
from tests.factories import make_agreement, make_user
from tests.reviews.factories import load_lists, make_sta, proposal_in

LATER = dt.timedelta(minutes=30)

TEXT = "Agreement\n\n" + "\n\n".join(
    f"Article {n}\nThe Parties shall cooperate in field number {n}." for n in range(1, 6)
)


@pytest.mark.django_db(transaction=True)
def test_a_failure_to_queue_is_logged_by_name_and_the_change_stands(
    caplog: pytest.LogCaptureFixture, alice: Any
) -> None:
    def queue_screening(proposal_id: int) -> None:
        raise ConnectionError("broker unreachable")

    make_sta()
    proposal = proposal_in("draft", submitter=alice)
    with transaction.atomic():
        proposal.title = "Renamed"
        save_with_history(proposal, acting_user=alice, reason="Clearer title")
        after_commit(queue_screening, proposal.pk)
    assert Proposal.objects.get(pk=proposal.pk).title == "Renamed"
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "queue_screening" in record.getMessage()


@pytest.mark.django_db
def test_a_submitted_proposal_never_screened_is_screened_by_the_sweep(alice: Any) -> None:
    sta = make_sta()
    load_lists()
    draft = proposal_in("draft", submitter=alice, version=sta)
    # In a test transaction nothing runs after commit: as if the broker had lost the message.
    proposal_submit(proposal=draft, acting_user=alice, reason="Ready")
    assert Proposal.objects.get(pk=draft.pk).state == "submitted"
    assert not ScreeningRun.objects.exists()

    assert screenings_sweep() == 0  # submitted just now: not stalled yet
    assert screenings_sweep(now=timezone.now() + LATER) == 1
    screened = Proposal.objects.get(pk=draft.pk)
    assert screened.state in ("in_review", "screening")
    run = ScreeningRun.objects.get()
    assert run.request_key.startswith("event:")
    assert run.started_by.username == "sta-system"
    # Screened now, so a second sweep finds nothing to do.
    assert screenings_sweep(now=timezone.now() + LATER) == 0
    assert ScreeningRun.objects.count() == 1


@pytest.mark.django_db
def test_an_upload_queued_while_the_broker_was_down_is_published_by_the_sweep(
    erin: Any, settings: Any
) -> None:
    settings.STA_IMPORT_ASYNC_BYTES = 10
    agreement = make_agreement()
    job = import_job_create(
        agreement=agreement,
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
    grace = make_user("grace", Role.ADMINISTRATOR)
    assert import_job_publish(job=job, acting_user=grace).status == ImportStatus.QUEUED

    assert import_jobs_sweep() == 0
    assert import_jobs_sweep(now=timezone.now() + LATER) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert Version.objects.filter(agreement=agreement, label="official-1979").count() == 1
    assert import_jobs_sweep(now=timezone.now() + LATER) == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
