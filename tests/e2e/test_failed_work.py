"""An administrator finds failed work, with its error, where they look: the import status page,
the admin's task failures and the outbox of given-up mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import ImportJob, ImportStatus
from reviews.models import NotificationKind, NotificationOutbox
from sta_tracker.history import save_with_history
from sta_tracker.models import TaskFailure
from tests.factories import PASSWORD, make_agreement

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ERROR = (
    "Publishing stopped on an unexpected error (DataError: value too long for type character "
    "varying(200)); nothing was published. Ask the operators to look at the log."
)


def test_failed_work_is_shown_with_its_error(page: Any, erin: Any) -> None:
    job = ImportJob(
        agreement=make_agreement(),
        original_name="agreement.txt",
        content=b"Agreement",
        size=9,
        source_format="text",
        label="official-1979",
        kind="agreement",
        signed_on=dt.date(1979, 1, 31),
        effective_from=dt.date(1979, 1, 31),
        text_status="official",
        reason="Official text received",
        status=ImportStatus.FAILED,
        error=ERROR,
        attempts=1,
        created_by=erin,
        finished_at=timezone.now(),
    )
    save_with_history(job, acting_user=erin, reason="test: a failed import")
    failure = TaskFailure.objects.create(
        task="reviews.tasks.screen_proposal",
        key="12:event:40",
        attempts=3,
        error="RuntimeError: list row 12 has no name",
        given_up_at=timezone.now(),
    )
    NotificationOutbox.objects.create(
        kind=NotificationKind.REMINDER,
        recipient=erin,
        email="erin@example.gov",
        subject="Waiting 12 days: Sediment cores",
        body="Body",
        attempts=1,
        failed_at=timezone.now(),
        error="BadHeaderError: Header values can't contain newlines",
    )
    log_in(page, "erin", PASSWORD)

    page.goto(f"/import/{job.pk}/status/")
    assert page.get_by_role("alert").inner_text() == f"Nothing was published: {ERROR}"
    screenshot(page, "failed-import-status")

    page.goto("/admin/sta_tracker/taskfailure/")
    assert "reviews.tasks.screen_proposal" in page.content()
    screenshot(page, "failed-tasks-admin")
    page.goto(f"/admin/sta_tracker/taskfailure/{failure.pk}/change/")
    assert "list row 12 has no name" in page.content()
    screenshot(page, "failed-task-admin")

    page.goto("/admin/reviews/notificationoutbox/?delivery=failed")
    assert "Waiting 12 days: Sediment cores" in page.content()
    screenshot(page, "failed-mail-admin")
