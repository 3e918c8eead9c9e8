"""Assigning a proposal's assessments to people, one by one or many from the queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.roles import has_role

from .. import permissions
from ..deadlines import assessment_due, service_days
from ..errors import InvalidInput, ReviewError, TransitionNotAllowed
from ..models import (
    Assignment,
    NotificationKind,
    Proposal,
    ReviewStep,
    RiskBenefitAssessment,
    SecurityAssessment,
)
from ..workflow import ProposalAction
from .core import clean_reason, lock, move, require_action
from .notifications import ASSESSMENT_WORDS, notify

Assessment = type[RiskBenefitAssessment] | type[SecurityAssessment]
MADE_BY: dict[ReviewStep, Assessment] = {
    ReviewStep.RISK_BENEFIT: RiskBenefitAssessment,
    ReviewStep.SECURITY: SecurityAssessment,
}


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _clean_step(step: str) -> ReviewStep:
    if step not in ReviewStep.values:
        raise InvalidInput.single("step", "Choose the risk–benefit or the security assessment.")
    return ReviewStep(step)


def assignee_problem(proposal: Proposal, step: ReviewStep, assignee: Any) -> str | None:
    """Why ``assignee`` may not be given ``step`` of ``proposal``, or None."""
    name = _name(assignee)
    if not assignee.is_active or not has_role(assignee, step.role):
        return (
            f"{name} is not a {step.role.label.lower()}; only a {step.role.label.lower()} can "
            f"be assigned {ASSESSMENT_WORDS[step]}."
        )
    if assignee.pk == proposal.submitter_id:
        return f"{name} submitted this proposal; assign someone else."
    other = ReviewStep.SECURITY if step == ReviewStep.RISK_BENEFIT else ReviewStep.RISK_BENEFIT
    this_round = {"proposal": proposal, "round": proposal.round}
    if MADE_BY[other].objects.filter(**this_round, assessor=assignee.pk).exists():
        return (
            f"{name} made {ASSESSMENT_WORDS[other]} of this round; {ASSESSMENT_WORDS[step]} "
            "needs a different person."
        )
    if Assignment.objects.filter(proposal=proposal, step=other, assignee=assignee.pk).exists():
        return (
            f"{name} is assigned {ASSESSMENT_WORDS[other]} of this proposal; "
            f"{ASSESSMENT_WORDS[step]} needs a different person."
        )
    return None


def assignment_set(
    *, proposal: Proposal, step: str, assignee: Any, acting_user: Any, reason: str
) -> Assignment:
    """Give ``step`` of an open proposal to ``assignee``; assigning yourself is claiming it.

    The acting person and the assignee both hold the step's role; a reassignment names the
    person it replaces. The assignment's history and a sealed ``assign`` event record who did
    it and why, and the assignee (unless they claimed it) is told what is due by when.
    """
    chosen = _clean_step(step)
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked, ProposalAction.ASSIGN, permissions.refusal_assign(acting_user, locked, chosen)
        )
        if MADE_BY[chosen].objects.filter(proposal=locked, round=locked.round).exists():
            raise TransitionNotAllowed(
                f"{ASSESSMENT_WORDS[chosen].capitalize()} of this round is already made; "
                "there is nothing left to assign."
            )
        problem = assignee_problem(locked, chosen, assignee)
        if problem:
            raise InvalidInput.single("assignee", problem)
        row = Assignment.objects.select_for_update().filter(proposal=locked, step=chosen).first()
        if row is not None and row.assignee_id == assignee.pk:
            raise InvalidInput.single(
                "assignee", f"{_name(assignee)} is already assigned {ASSESSMENT_WORDS[chosen]}."
            )
        replaced = f" (was {_name(row.assignee)})" if row is not None else ""
        if row is None:
            row = Assignment(proposal=locked, step=chosen)
        row.assignee = assignee
        row.assigned_by = acting_user
        row.reason = reason
        row.assigned_at = timezone.now()
        save_with_history(row, acting_user=acting_user, reason=reason)
        verb = "claimed by" if assignee.pk == acting_user.pk else "assigned to"
        move(
            locked,
            ProposalAction.ASSIGN,
            acting_user=acting_user,
            reason=f"{chosen.label} {verb} {_name(assignee)}{replaced}: {reason}",
        )
        if assignee.pk != acting_user.pk:
            _notify_assigned(locked, chosen, assignee, acting_user, reason)
    return row


def _notify_assigned(
    proposal: Proposal, step: ReviewStep, assignee: Any, acting_user: Any, reason: str
) -> None:
    due = assessment_due(proposal, step)
    when = (
        ""
        if due is not None
        else f" It can be made once screening is done, within {service_days(step)} days."
    )
    notify(
        proposal=proposal,
        kind=NotificationKind.ASSIGNED,
        recipients=[assignee],
        subject=f"Assigned to you: {step.label.lower()} of {proposal.title}",
        body=(
            f"{_name(acting_user)} assigned you {ASSESSMENT_WORDS[step]} of the proposal "
            f"“{proposal.title}”.{when}\n\nReason:\n{reason}"
        ),
        expected="make " + ASSESSMENT_WORDS[step],
        due=due,
    )


@dataclass(frozen=True)
class BatchResult:
    """What a batch assignment came to: the proposals assigned and why the others were not."""

    assigned: list[Proposal]
    refused: list[tuple[Proposal, str]]


def assignments_batch(
    *, proposals: Iterable[Proposal], step: str, assignee: Any, acting_user: Any, reason: str
) -> BatchResult:
    """Assign ``step`` of each proposal to ``assignee``, each in its own transaction: a refusal
    of one leaves that proposal untouched and the others assigned."""
    chosen = _clean_step(step)
    reason = clean_reason(reason)
    assigned: list[Proposal] = []
    refused: list[tuple[Proposal, str]] = []
    for proposal in proposals:
        try:
            assignment_set(
                proposal=proposal,
                step=chosen,
                assignee=assignee,
                acting_user=acting_user,
                reason=reason,
            )
        except ReviewError as exc:
            refused.append((proposal, str(exc)))
        else:
            assigned.append(proposal)
    return BatchResult(assigned=assigned, refused=refused)
