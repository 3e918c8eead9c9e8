"""Mail that cannot go out is given up, with its error, instead of being retried forever."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any
from unittest import mock

import pytest
from django.core.mail import BadHeaderError
from django.test import Client
from django.utils import timezone

from reviews.models import NotificationKind, NotificationOutbox, Proposal
from reviews.services import notification_deliver, notifications_sweep, proposal_return
from reviews.services.notifications import notify
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMessage.send"
LATER = dt.timedelta(minutes=6)


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, erin: Any, sta: Any, lists: Any) -> Any:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def returned_mail(proposal: Proposal, bob: Any) -> NotificationOutbox:
    proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="R")
    return NotificationOutbox.objects.get(kind="returned")


def test_a_title_with_line_breaks_is_mailed_under_a_one_line_subject(
    people: Any, bob: Any, mailoutbox: list[Any]
) -> None:
    proposal = proposal_in(
        "in_review", title="Sediment cores\r\nBcc: mallory@example.com\u202e", **people
    )
    row = returned_mail(proposal, bob)
    assert row.subject == "Returned for changes: Sediment cores Bcc: mallory@example.com"
    assert notification_deliver(notification_id=row.pk) is True
    (mail,) = mailoutbox
    assert mail.subject == row.subject
    assert mail.to == ["alice@example.gov"]
    assert mail.message()["Bcc"] is None


def test_a_subject_already_queued_with_a_line_break_is_sent_on_one_line(
    people: Any, alice: Any, mailoutbox: list[Any]
) -> None:
    [row] = notify(
        proposal=None,
        kind=NotificationKind.REMINDER,
        recipients=[alice],
        subject="x",
        body="Body",
        expected="nothing",
    )
    # A row written before subjects were cleaned.
    NotificationOutbox.objects.filter(pk=row.pk).update(subject="Waiting\nBcc: x@example.com")
    assert notification_deliver(notification_id=row.pk) is True
    assert mailoutbox[0].subject == "Waiting Bcc: x@example.com"


def test_a_long_subject_is_cut_to_the_column_with_an_ellipsis(alice: Any) -> None:
    [row] = notify(
        proposal=None,
        kind=NotificationKind.REMINDER,
        recipients=[alice],
        subject="Waiting: " + "cores " * 100,
        body="Body",
        expected="nothing",
    )
    assert len(row.subject) == 300
    assert row.subject == ("Waiting: " + "cores " * 100)[:299] + "…"


def test_a_header_django_refuses_gives_the_message_up_at_once(
    people: Any, bob: Any, mailoutbox: list[Any]
) -> None:
    row = returned_mail(proposal_in("in_review", **people), bob)
    with mock.patch(SEND, side_effect=BadHeaderError("Header values can't contain newlines")):
        assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.sent_at is None
    assert row.failed_at is not None
    assert row.attempts == 1
    assert row.error == "BadHeaderError: Header values can't contain newlines"
    assert NotificationOutbox.objects.failed().get() == row
    # Given up: neither another delivery nor the sweep tries it again.
    with mock.patch(SEND) as send:
        assert notification_deliver(notification_id=row.pk) is False
    send.assert_not_called()
    assert notifications_sweep(now=timezone.now() + LATER) == 2  # the two others only
    assert sorted(m.to[0] for m in mailoutbox) == ["bob@example.gov", "charlie@example.gov"]
    row.refresh_from_db()
    assert row.sent_at is None


def test_an_address_the_server_refuses_for_good_is_given_up_at_once(people: Any, bob: Any) -> None:
    row = returned_mail(proposal_in("in_review", **people), bob)
    refused = smtplib.SMTPRecipientsRefused({"alice@example.gov": (550, b"No such user")})
    with mock.patch(SEND, side_effect=refused):
        assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.failed_at is not None
    assert "No such user" in row.error


def test_a_passing_failure_is_retried_until_the_attempts_run_out(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_MAIL_MAX_ATTEMPTS = 3
    row = returned_mail(proposal_in("in_review", **people), bob)
    busy = smtplib.SMTPResponseException(421, b"Try again later")
    with mock.patch(SEND, side_effect=busy):
        for attempt in (1, 2):
            with pytest.raises(smtplib.SMTPResponseException):
                notification_deliver(notification_id=row.pk)
            row.refresh_from_db()
            assert (row.attempts, row.failed_at, row.sent_at) == (attempt, None, None)
            assert row.error == "SMTPResponseException: (421, b'Try again later')"
        assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.attempts == 3
    assert row.failed_at is not None


def test_the_task_stops_retrying_a_message_given_up(people: Any, bob: Any) -> None:
    from reviews.tasks import deliver_notification

    row = returned_mail(proposal_in("in_review", **people), bob)
    with mock.patch(SEND, side_effect=BadHeaderError("newline")) as send:
        assert deliver_notification.apply(args=[row.pk]).get() is False
    assert send.call_count == 1
    row.refresh_from_db()
    assert row.failed_at is not None


def test_a_message_sent_after_a_failure_keeps_no_error(
    people: Any, bob: Any, mailoutbox: list[Any]
) -> None:
    row = returned_mail(proposal_in("in_review", **people), bob)
    with (
        mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("gone")),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        notification_deliver(notification_id=row.pk)
    assert notification_deliver(notification_id=row.pk) is True
    row.refresh_from_db()
    assert (row.attempts, row.error, row.failed_at) == (2, "", None)
    assert len(mailoutbox) == 1


def test_administrators_see_given_up_mail_and_send_it_again(
    people: Any, bob: Any, erin: Any, alice: Any, mailoutbox: list[Any]
) -> None:
    row = returned_mail(proposal_in("in_review", **people), bob)
    with mock.patch(SEND, side_effect=BadHeaderError("Header values can't contain newlines")):
        notification_deliver(notification_id=row.pk)
    admin = Client()
    admin.force_login(erin)
    listing = admin.get("/admin/reviews/notificationoutbox/?delivery=failed")
    assert listing.status_code == 200
    assert f"Returned for changes: {row.proposal.title}" in listing.content.decode()
    detail = admin.get(f"/admin/reviews/notificationoutbox/{row.pk}/change/").content.decode()
    assert "BadHeaderError: Header values can&#x27;t contain newlines" in detail
    response = admin.post(
        "/admin/reviews/notificationoutbox/",
        {"action": "deliver_again", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.failed_at, row.attempts) == (None, 0)
    # In a test transaction nothing runs after commit; the sweep would send it.
    assert notification_deliver(notification_id=row.pk) is True
    assert [m.to for m in mailoutbox] == [["alice@example.gov"]]
    submitter = Client()
    submitter.force_login(alice)
    assert submitter.get("/admin/reviews/notificationoutbox/").status_code == 302
