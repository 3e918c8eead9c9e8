from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews import tasks
from reviews.models import NotificationOutbox, Proposal, ScreeningRun
from reviews.services import proposal_return, proposal_withdraw, screening_list_import
from tests.reviews.factories import LISTED, csl_csv, proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Any:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def test_the_screening_task_screens_once_per_request(people: Any) -> None:
    proposal = proposal_in("submitted", **people)
    run_id = tasks.screen_proposal(proposal.pk, request_key="event:7", reason="On submission")
    assert (
        tasks.screen_proposal(proposal.pk, request_key="event:7", reason="On submission") == run_id
    )
    assert ScreeningRun.objects.get().pk == run_id
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"


def test_the_screening_task_skips_a_proposal_withdrawn_meanwhile(people: Any, alice: Any) -> None:
    proposal = proposal_in("submitted", **people)
    proposal_withdraw(proposal=proposal, acting_user=alice, reason="Stop")
    assert tasks.screen_proposal(proposal.pk, request_key="event:1") is None
    assert not ScreeningRun.objects.exists()


def test_the_screening_task_skips_a_missing_proposal(db: Any) -> None:
    assert tasks.screen_proposal(424242) is None


def test_the_delivery_task_sends_once(people: Any, bob: Any, mailoutbox: list[Any]) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="?", acting_user=bob, reason="R")
    row = NotificationOutbox.objects.get(kind="returned")
    assert tasks.deliver_notification(row.pk) is True
    assert tasks.deliver_notification(row.pk) is False
    assert len(mailoutbox) == 1


def test_a_new_list_rescreens_open_and_approved_proposals_only(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = proposal_in("draft", **people)
    in_review = proposal_in("in_review", **people)
    approved = proposal_in("approved", **people)
    rejected = proposal_in("rejected", **people)
    before = {p.pk: p.screening_runs.count() for p in (draft, in_review, approved, rejected)}
    with django_capture_on_commit_callbacks(execute=True):
        new_list = screening_list_import(
            file_name="csl-2.csv",
            data=csl_csv(*LISTED),
            acting_user=system_user(),
            reason="Monthly list",
        )
    after = {p.pk: p.screening_runs.count() for p in (draft, in_review, approved, rejected)}
    assert {pk: after[pk] - before[pk] for pk in after} == {
        draft.pk: 0,
        in_review.pk: 1,
        approved.pk: 1,
        rejected.pk: 0,
    }
    rerun = approved.screening_runs.get(is_current=True)
    assert (rerun.request_key, rerun.screening_list) == (f"list:{new_list.pk}", new_list)


def test_the_rescreen_task_ignores_an_unknown_list(db: Any) -> None:
    assert tasks.rescreen_after_list_import(424242) == 0


def test_tasks_acknowledge_late_and_declare_limits() -> None:
    for task in (
        tasks.screen_proposal,
        tasks.deliver_notification,
        tasks.rescreen_after_list_import,
        tasks.send_review_reminders,
        tasks.deliver_pending_notifications,
    ):
        assert task.acks_late is True
        assert task.time_limit
        assert task.soft_time_limit
        assert task.max_retries


def test_the_beat_schedule_sends_reminders_daily(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["review-reminders"]
    assert (entry["task"], entry["schedule"]) == ("reviews.tasks.send_review_reminders", 86400)
    assert tasks.send_review_reminders.name == entry["task"]
