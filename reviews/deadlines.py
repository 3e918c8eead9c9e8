"""When each step of a proposal's review is due: the moment it could first be done plus the
step's service level (the ``STA_SLA_*_DAYS`` settings)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.utils import dateformat, timezone

from .models import Proposal, ReviewStep
from .workflow import ProposalState


class Stage(StrEnum):
    SCREENING = "screening"
    RISK_BENEFIT = ReviewStep.RISK_BENEFIT.value
    SECURITY = ReviewStep.SECURITY.value
    DECISION = "decision"


def service_days(stage: Stage | str) -> int:
    """The days the service level gives ``stage``."""
    return {
        Stage.SCREENING: settings.STA_SLA_SCREENING_DAYS,
        Stage.RISK_BENEFIT: settings.STA_SLA_RISK_BENEFIT_DAYS,
        Stage.SECURITY: settings.STA_SLA_SECURITY_DAYS,
        Stage.DECISION: settings.STA_SLA_DECISION_DAYS,
    }[Stage(stage)]


def due_after(since: dt.datetime, stage: Stage | str) -> dt.datetime:
    return since + dt.timedelta(days=service_days(stage))


def screening_due(proposal: Proposal) -> dt.datetime | None:
    """Screening and its adjudication are due from submission (or from the run that found hits)."""
    if proposal.state not in (ProposalState.SUBMITTED, ProposalState.SCREENING):
        return None
    return due_after(proposal.state_changed_at, Stage.SCREENING)


def assessment_due(proposal: Proposal, step: ReviewStep | str) -> dt.datetime | None:
    """Each assessment is due from the moment the proposal entered review; None before."""
    if proposal.state != ProposalState.IN_REVIEW:
        return None
    return due_after(proposal.state_changed_at, Stage(ReviewStep(step).value))


def day(moment: dt.datetime) -> str:
    """The local calendar day of ``moment``, as the pages and the mail write it."""
    return dateformat.format(timezone.localtime(moment), "j F Y")
