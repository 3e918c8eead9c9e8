"""Background work of the review workflow: ids in, one service call, safe to run twice."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import Task

from clauses.models import Version, system_user
from sta_tracker.background import DATABASE_HICCUPS, reliable_task

from . import services
from .audit import verify_chain
from .errors import ReviewError
from .models import Proposal, ScreeningList

logger = logging.getLogger(__name__)


def screening_key(proposal_id: int, request_key: str = "", reason: str = "") -> str:
    """A screening request is the proposal and its request key; the reason is only words."""
    return f"{proposal_id}:{request_key}"


@reliable_task(
    bind=True,
    work_key=screening_key,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def screen_proposal(
    self: Task[Any, Any], proposal_id: int, request_key: str = "", reason: str = "Screening"
) -> int | None:
    """Screen one proposal; the id of the run, or None when there was nothing to screen.

    Without a ``request_key`` the message's own id names the request, so a message delivered
    again (its worker was lost, say) screens once.
    """
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return None
    if not request_key and self.request.id:
        request_key = f"task:{self.request.id}"
    try:
        run = services.screening_run(
            proposal=proposal, acting_user=system_user(), reason=reason, request_key=request_key
        )
    except ReviewError as exc:
        # Why: the proposal moved on (withdrawn, say) before the task ran; retrying cannot help.
        logger.info("Screening of proposal %s skipped: %s", proposal_id, exc)
        return None
    return run.pk


@reliable_task(
    retry_for=(smtplib.SMTPException, OSError, *DATABASE_HICCUPS),
    retry_backoff_max=3600,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@reliable_task(
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def rescreen_after_list_import(list_id: int) -> int:
    """Queue a screening of every open or approved proposal against a new list."""
    screening_list = ScreeningList.objects.filter(pk=list_id).first()
    if screening_list is None:
        return 0
    return services.proposals_rescreen(
        reason=f"Screening list imported: {screening_list}", request_key=f"list:{list_id}"
    )


@reliable_task(
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def send_review_reminders() -> int:
    return services.reminders_send()


@reliable_task(
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def deliver_pending_notifications() -> int:
    return services.notifications_sweep()


@reliable_task(
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def flag_proposals_for_version(version_id: int) -> int:
    """Flag the proposals relying on clauses a newly published version changes."""
    version = Version.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    flags = services.proposals_flag_for_version(
        version=version,
        acting_user=system_user(),
        reason=f"Version {version.label} published: cited clauses changed",
    )
    return len(flags)


@reliable_task(
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def sweep_stalled_screenings() -> int:
    """Queue screening again for submitted proposals the workers never screened."""
    return services.screenings_sweep()


@reliable_task(max_retries=3, soft_time_limit=600, time_limit=660)
def check_audit_chain() -> bool:
    """Recompute the audit chain daily; log its head, or the first broken link as an error."""
    report = verify_chain()
    if report.intact:
        logger.info(
            "Audit chain intact: %s links; head link %s, %s",
            report.links,
            report.head_seq,
            report.head_hash,
        )
    else:
        logger.error(
            "Audit chain broken (%s problems). First: %s", len(report.breaks), report.breaks[0]
        )
    return report.intact
