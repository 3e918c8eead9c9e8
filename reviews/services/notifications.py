"""Mail about proposals: queued in the outbox with the change, delivered after commit."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sta_tracker.roles import Role
from sta_tracker.text import single_line
from sta_tracker.transactions import after_commit

from ..deadlines import Stage, assessment_due, day, due_after, screening_due
from ..models import (
    Assignment,
    NotificationKind,
    NotificationOutbox,
    Proposal,
    ReviewStep,
    RiskBenefitAssessment,
    SecurityAssessment,
)
from ..workflow import ProposalState
from .core import staff_for

logger = logging.getLogger(__name__)

# Unsent rows older than this are picked up by the periodic sweep: the broker may have been
# down when the change committed.
SWEEP_AFTER = dt.timedelta(minutes=5)
SUBJECT_LIMIT = 300
# Why: a bad header or address fails the same way every time; trying again only repeats it.
PERMANENT_MAIL_ERRORS: tuple[type[Exception], ...] = (BadHeaderError, ValueError, UnicodeError)


def notify(
    *,
    proposal: Proposal | None,
    kind: NotificationKind,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    expected: str,
    due: dt.datetime | None = None,
    dedupe_key: str = "",
) -> list[NotificationOutbox]:
    """Queue one message per recipient in the caller's transaction; send after it commits.

    Every message ends saying what the recipient is ``expected`` to do (and by when, given a
    ``due`` moment) and with the address of the proposal. With a ``dedupe_key``, a recipient
    who already has a message with that key gets no other.
    """
    body = body.rstrip() + "\n\n" + closing(proposal, expected=expected, due=due)
    rows: list[NotificationOutbox] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.email:
            continue
        seen.add(user.pk)
        fields = {
            "proposal": proposal,
            "kind": kind,
            "email": user.email,
            "subject": single_line(subject, SUBJECT_LIMIT),
            "body": body,
        }
        if dedupe_key:
            row, created = NotificationOutbox.objects.get_or_create(
                recipient=user, dedupe_key=dedupe_key, defaults=fields
            )
            if not created:
                continue
        else:
            row = NotificationOutbox.objects.create(recipient=user, **fields)
        rows.append(row)
    for row in rows:
        # Why: robust, so a broker outage cannot undo a committed review step; the periodic
        # sweep sends what could not be queued.
        after_commit(_enqueue_delivery, row.pk)
    return rows


def proposal_link(proposal: Proposal) -> str:
    """The proposal's page as an absolute address, for mail read away from the site."""
    return settings.STA_SITE_URL + reverse("reviews:proposal_detail", args=[proposal.pk])


def closing(proposal: Proposal | None, *, expected: str, due: dt.datetime | None) -> str:
    """The end of every message: the expected action, its due date, the link."""
    lines = [f"What you are asked to do: {expected}" + (f", by {day(due)}." if due else ".")]
    if proposal is not None:
        lines.append(f"Open the proposal: {proposal_link(proposal)}")
    return "\n".join(lines) + "\n"


def _enqueue_delivery(notification_id: int) -> None:
    from ..tasks import deliver_notification

    deliver_notification.delay(notification_id)


def notification_deliver(*, notification_id: int) -> bool:
    """Send one queued message unless it was already sent or given up; True when sent now.

    A failure is counted on the row with its error. A permanent one (a header Django refuses,
    an address the server rejects for good) gives the message up at once; any other is raised,
    so the task retries, until ``STA_MAIL_MAX_ATTEMPTS`` attempts give it up. A message given
    up is listed, with its error, in the admin's outbox, and no sweep queues it again.
    """
    failure: Exception | None = None
    with transaction.atomic(durable=True):
        row = NotificationOutbox.objects.select_for_update().filter(pk=notification_id).first()
        if row is None or row.sent_at is not None or row.failed_at is not None:
            return False
        row.attempts += 1
        # Why: the row stays locked while mailing, so a duplicate delivery waits and then
        # finds it sent or given up.
        try:
            EmailMessage(
                subject=single_line(row.subject, SUBJECT_LIMIT),
                body=row.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[row.email],
            ).send()
        except Exception as exc:
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            if _permanent(exc) or row.attempts >= settings.STA_MAIL_MAX_ATTEMPTS:
                row.failed_at = timezone.now()
                logger.error(
                    "Mail %s to %s given up after %s attempts: %s",
                    row.pk,
                    row.email,
                    row.attempts,
                    row.error,
                )
            else:
                failure = exc
        else:
            row.sent_at, row.error = timezone.now(), ""
        row.save(update_fields=["sent_at", "attempts", "failed_at", "error"])
    if failure is not None:
        raise failure
    return row.sent_at is not None


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, PERMANENT_MAIL_ERRORS):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    # Why 5xx only: a 4xx reply (mailbox busy, greylisting) asks the sender to come back.
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def notifications_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue delivery of every message left unsent for a while; the number queued."""
    cutoff = (now or timezone.now()) - SWEEP_AFTER
    ids = list(
        NotificationOutbox.objects.pending()
        .filter(created_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        _enqueue_delivery(pk)
    return len(ids)


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the people a proposal waits on, once a day, when it has waited too long.

    A proposal waits when it has been submitted, in screening or in review for more than
    ``STA_REVIEW_REMINDER_DAYS`` days, when conditions of its approval are past due, or when the
    next step of a dispute about it is past due. Returns
    the number of messages queued.
    """
    today = today or timezone.localdate()
    days = settings.STA_REVIEW_REMINDER_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    waiting = Proposal.objects.filter(
        state__in=[ProposalState.SUBMITTED, ProposalState.SCREENING, ProposalState.IN_REVIEW],
        state_changed_at__lt=cutoff,
    ).order_by("state_changed_at", "pk")
    queued = 0
    with transaction.atomic(durable=True):
        for proposal in waiting:
            waited = (timezone.now() - proposal.state_changed_at).days
            for wait in _waiting_on(proposal):
                rows = notify(
                    proposal=proposal,
                    kind=NotificationKind.REMINDER,
                    recipients=wait.recipients,
                    subject=f"Waiting {waited} days: {proposal.title}",
                    body=(
                        f"The proposal “{proposal.title}” has been "
                        f"{proposal.state_label.lower()} for {waited} days, past the {days}-day "
                        f"service level.\n\n{wait.what}\n"
                    ),
                    expected=wait.expected,
                    due=wait.due,
                    dedupe_key=f"reminder:{proposal.pk}:{today.isoformat()}",
                )
                queued += len(rows)
        queued += _overdue_conditions(today)
        queued += _overdue_disputes(today)
    return queued


def _overdue_conditions(today: dt.date) -> int:
    from .conditions import overdue_conditions_remind

    return overdue_conditions_remind(today=today, dedupe_day=today.isoformat())


def _overdue_disputes(today: dt.date) -> int:
    from .disputes import overdue_disputes_remind

    return overdue_disputes_remind(today=today, dedupe_day=today.isoformat())


@dataclass(frozen=True)
class Wait:
    """One thing a proposal waits on, from whom, and by when."""

    what: str
    recipients: list[Any]
    expected: str
    due: dt.datetime | None


def step_people(proposal: Proposal, step: ReviewStep) -> list[Any]:
    """The person assigned ``step``, or everyone who could take it while nobody is."""
    assignment = (
        Assignment.objects.filter(proposal=proposal, step=step).select_related("assignee").first()
    )
    if assignment is not None and assignment.assignee.is_active:
        return [assignment.assignee]
    return staff_for(proposal, step.role)


ASSESSMENT_WORDS = {
    ReviewStep.RISK_BENEFIT: "the risk–benefit assessment",
    ReviewStep.SECURITY: "the national-security assessment",
}


def _waiting_on(proposal: Proposal) -> list[Wait]:
    if proposal.state == ProposalState.SUBMITTED:
        return [
            Wait(
                "Screening has not run.",
                staff_for(proposal, Role.ADMINISTRATOR),
                "run the screening",
                screening_due(proposal),
            )
        ]
    if proposal.state == ProposalState.SCREENING:
        return [
            Wait(
                "Screening hits await adjudication.",
                staff_for(proposal, Role.SECURITY_REVIEWER),
                "adjudicate the screening hits",
                screening_due(proposal),
            )
        ]
    this_round = {"proposal": proposal, "round": proposal.round}
    made = {
        ReviewStep.RISK_BENEFIT: RiskBenefitAssessment.objects.filter(**this_round)
        .order_by("-assessed_at")
        .values_list("assessed_at", flat=True)
        .first(),
        ReviewStep.SECURITY: SecurityAssessment.objects.filter(**this_round)
        .order_by("-assessed_at")
        .values_list("assessed_at", flat=True)
        .first(),
    }
    missing = [step for step, moment in made.items() if moment is None]
    if not missing:
        later = max(moment for moment in made.values() if moment is not None)
        return [
            Wait(
                "Both assessments are in; a decision is due.",
                staff_for(proposal, Role.REVIEWER),
                "decide on the proposal",
                due_after(later, Stage.DECISION),
            )
        ]
    still = "Still missing: " + " and ".join(ASSESSMENT_WORDS[step] for step in missing) + "."
    return [
        Wait(
            still,
            step_people(proposal, step),
            "make " + ASSESSMENT_WORDS[step],
            assessment_due(proposal, step),
        )
        for step in missing
    ]


def notification_retry(*, notification_id: int) -> bool:
    """Give a message given up a fresh set of attempts and queue it; False if not given up."""
    with transaction.atomic(durable=True):
        row = NotificationOutbox.objects.select_for_update().filter(pk=notification_id).first()
        if row is None or row.sent_at is not None or row.failed_at is None:
            return False
        row.failed_at, row.attempts = None, 0
        row.save(update_fields=["failed_at", "attempts"])
        after_commit(_enqueue_delivery, row.pk)
    return True
