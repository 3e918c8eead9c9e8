from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from clauses.models import Version, system_user
from reviews.models import NotificationOutbox, Proposal
from reviews.services import (
    notification_deliver,
    notifications_sweep,
    proposal_return,
    reminders_send,
    risk_benefit_assess,
)
from sta_tracker.history import save_with_history
from tests.reviews.factories import assess, proposal_in, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, erin: Any, sta: Version, lists: Any) -> Any:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def _waited(proposal: Proposal, days: int) -> Proposal:
    proposal.state_changed_at = timezone.now() - dt.timedelta(days=days)
    save_with_history(proposal, acting_user=system_user(), reason="test: time has passed")
    return proposal


def _recipients() -> list[str]:
    return sorted(
        NotificationOutbox.objects.filter(kind="reminder").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_queued_message_is_mailed_once_and_marked_sent(
    people: Any, bob: Any, mailoutbox: list[Any]
) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="R")
    row = NotificationOutbox.objects.get(kind="returned")
    assert notification_deliver(notification_id=row.pk) is True
    assert notification_deliver(notification_id=row.pk) is False
    (mail,) = mailoutbox
    assert (mail.to, mail.subject) == (
        ["alice@example.gov"],
        f"Returned for changes: {proposal.title}",
    )
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 1


def test_messages_go_out_only_after_the_change_commits(
    people: Any, bob: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="R")
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["alice@example.gov"]]


def test_a_failed_send_leaves_the_message_unsent_for_a_retry(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="?", acting_user=bob, reason="R")
    row = NotificationOutbox.objects.get(kind="returned")
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException),
        pytest.raises(smtplib.SMTPException),
    ):
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.failed_at) == (None, 1, None)
    assert row.error == "SMTPException: "


def test_an_unknown_message_is_not_delivered() -> None:
    assert notification_deliver(notification_id=987654) is False


def test_the_sweep_delivers_messages_left_unsent(
    people: Any, bob: Any, mailoutbox: list[Any]
) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="?", acting_user=bob, reason="R")
    unsent = NotificationOutbox.objects.unsent().count()
    assert unsent == 3  # entered review (bob, charlie) and returned (alice)
    assert notifications_sweep() == 0
    later = timezone.now() + dt.timedelta(minutes=6)
    assert notifications_sweep(now=later) == unsent
    assert sorted(m.to[0] for m in mailoutbox) == [
        "alice@example.gov",
        "bob@example.gov",
        "charlie@example.gov",
    ]
    assert notifications_sweep(now=later) == 0


@pytest.mark.parametrize(
    ("state", "expected"),
    [("submitted", ["erin"]), ("screening", ["charlie"]), ("in_review", ["bob", "charlie"])],
)
def test_reminders_go_to_the_people_a_waiting_proposal_waits_on(
    state: str, expected: list[str], people: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    _waited(proposal_in(state, **people), 11)
    assert reminders_send(today=dt.date(2026, 1, 5)) == len(expected)
    assert _recipients() == expected
    body = NotificationOutbox.objects.filter(kind="reminder").first().body
    assert "for 11 days, past the 10-day service level" in body


def test_once_assessed_only_the_missing_assessor_is_reminded(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    proposal = proposal_in("in_review", **people)
    risk_benefit_assess(
        proposal=proposal,
        scores=scores(),
        recommendation="approve",
        summary="Fine.",
        acting_user=bob,
        reason="Assessed",
    )
    _waited(Proposal.objects.get(pk=proposal.pk), 12)
    reminders_send(today=dt.date(2026, 1, 5))
    assert _recipients() == ["charlie"]


def test_with_both_assessments_the_reviewers_are_told_a_decision_is_due(
    people: Any, bob: Any, charlie: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    _waited(proposal, 12)
    reminders_send(today=dt.date(2026, 1, 5))
    assert _recipients() == ["bob"]
    assert "a decision is due" in NotificationOutbox.objects.get(kind="reminder").body


def test_proposals_within_the_service_level_are_not_reminded(people: Any, settings: Any) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    _waited(proposal_in("in_review", **people), 9)
    assert reminders_send(today=dt.date(2026, 1, 5)) == 0


def test_a_reminder_goes_out_once_a_day(people: Any, settings: Any) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    _waited(proposal_in("screening", **people), 11)
    assert reminders_send(today=dt.date(2026, 1, 5)) == 1
    assert reminders_send(today=dt.date(2026, 1, 5)) == 0
    assert reminders_send(today=dt.date(2026, 1, 6)) == 1


def test_decided_proposals_are_never_reminded(people: Any, settings: Any) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    _waited(proposal_in("approved", **people), 40)
    assert reminders_send(today=dt.date(2026, 1, 5)) == 0
