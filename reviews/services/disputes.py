"""Disputes under the 2024 dispute-resolution mechanism: opened by a reviewer from a concern,
then consultation requested, consultation held, and either resolved or cooperation ceased (the
project suspended on the dispute), and after cessation resumed or terminated.

Every step is one guarded transition: the dispute's own table (``DISPUTE_TRANSITIONS``) and the
proposal's, under the proposal's row lock, with a sealed proposal event, a history row on the
dispute, a step row and mail to the people concerned after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.roles import Role

from .. import permissions
from ..errors import InvalidInput, TransitionNotAllowed
from ..models import (
    Dispute,
    DisputeGround,
    DisputeStep,
    GroundKind,
    LedgerEntry,
    NotificationKind,
    Proposal,
    ProposalEvent,
)
from ..workflow import (
    DISPUTE_PROPOSAL_ACTIONS,
    DisputeAction,
    DisputeStatus,
    ProposalAction,
    next_dispute_status,
)
from .core import clean_reason, lock, move, require, require_action, staff_for
from .decisions import after_approval_named_move
from .grounds import GroundInput
from .notifications import notify
from .proposals import clauses_in_force

# What the people concerned are asked to do once a dispute reaches each status.
NEXT_STEP = {
    DisputeStatus.CONSULTATION_REQUESTED: "hold the consultation with the partner and record it",
    DisputeStatus.CONSULTATION_HELD: (
        "record the outcome: resolved, or cooperation ceased (the project is suspended)"
    ),
    DisputeStatus.CEASED: "resume the cooperation or terminate the project",
    DisputeStatus.RESOLVED: "nothing more; the cooperation continues",
    DisputeStatus.RESUMED: "nothing more; the cooperation continues",
    DisputeStatus.TERMINATED: "nothing more; the cooperation has ended",
}
# Grounds that rest on the ledger: the dispute cites the entries that show the failure.
LEDGER_GROUNDS = (DisputeGround.RECIPROCITY, DisputeGround.DATA_ACCESS)


def due_after(status: DisputeStatus, today: dt.date) -> dt.date | None:
    """When the step after ``status`` falls due; None once the dispute is closed."""
    days = {
        DisputeStatus.CONSULTATION_REQUESTED: settings.STA_DISPUTE_CONSULTATION_DAYS,
        DisputeStatus.CONSULTATION_HELD: settings.STA_DISPUTE_OUTCOME_DAYS,
        DisputeStatus.CEASED: settings.STA_DISPUTE_CESSATION_DAYS,
    }.get(status)
    return today + dt.timedelta(days=days) if days else None


def dispute_open(
    *,
    proposal: Proposal,
    ground: str,
    statement: str,
    cited_clause_ids: Sequence[int],
    evidence_entry_ids: Sequence[int] = (),
    acting_user: Any,
) -> Dispute:
    """A reviewer opens a dispute about a running project and requests consultation.

    It names its ground, cites the clauses of the version in force today that it relies on (at
    least one) and, for reciprocity and data access, the ledger entries that show the failure.
    One dispute at a time per project.
    """
    with transaction.atomic(durable=True):
        return open_dispute_in_transaction(
            proposal=proposal,
            ground=ground,
            statement=statement,
            cited_clause_ids=cited_clause_ids,
            evidence_entry_ids=evidence_entry_ids,
            acting_user=acting_user,
        )


def open_dispute_in_transaction(
    *,
    proposal: Proposal,
    ground: str,
    statement: str,
    cited_clause_ids: Sequence[int],
    evidence_entry_ids: Sequence[int] = (),
    acting_user: Any,
) -> Dispute:
    """``dispute_open`` inside the caller's transaction, for a service that writes more in the
    same unit (an incident's link to the dispute it opened): the caller owns the commit, so a
    later failure leaves no dispute, event, step or notice behind."""
    statement = clean_reason(statement, field="statement")
    today = timezone.localdate()
    with transaction.atomic():
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.OPEN_DISPUTE,
            permissions.refusal_open_dispute(acting_user, locked),
        )
        if Dispute.objects.open().filter(proposal=locked).exists():
            raise TransitionNotAllowed(
                "This project already has an open dispute; take its next step instead."
            )
        errors: dict[str, list[str]] = {}
        if ground not in DisputeGround.values:
            errors["ground"] = [
                "Choose the ground: reciprocity, data access, researcher safety, scope (CET or "
                "not basic research), or other."
            ]
        wanted = list(dict.fromkeys(cited_clause_ids))
        clauses = list(clauses_in_force(today).filter(pk__in=wanted))
        if not wanted:
            errors["cited_clause_ids"] = [
                "Cite the clauses of the agreement the dispute relies on."
            ]
        elif len(clauses) != len(wanted):
            errors["cited_clause_ids"] = [
                f"Cite clauses in force today ({today.isoformat()}); "
                f"{len(wanted) - len(clauses)} of the chosen clauses are not."
            ]
        evidence_ids = list(dict.fromkeys(evidence_entry_ids))
        evidence = list(LedgerEntry.objects.filter(proposal=locked, pk__in=evidence_ids))
        if len(evidence) != len(evidence_ids):
            errors["evidence_entry_ids"] = ["Choose evidence from this project's ledger."]
        elif ground in LEDGER_GROUNDS and not evidence:
            errors["evidence_entry_ids"] = [
                "A dispute over reciprocity or data access cites the ledger entries that show it."
            ]
        if errors:
            raise InvalidInput(errors)
        label = DisputeGround(ground).label.lower()
        dispute = Dispute(
            proposal=locked,
            ground=ground,
            statement=statement,
            status=DisputeStatus.CONSULTATION_REQUESTED,
            due_on=due_after(DisputeStatus.CONSULTATION_REQUESTED, today),
            opened_by=acting_user,
        )
        reason = f"Dispute opened ({label}); consultation requested.\n{statement}"
        save_with_history(dispute, acting_user=acting_user, reason=reason)
        dispute.cited_clauses.set(clauses)
        dispute.evidence_entries.set(evidence)
        citing = ", ".join(c.number or c.key for c in clauses)
        event = move(
            locked,
            ProposalAction.OPEN_DISPUTE,
            acting_user=acting_user,
            reason=f"{reason}\nClauses relied on: {citing}."
            + (
                f"\nEvidence: ledger entries {', '.join(str(e.pk) for e in evidence)}."
                if evidence
                else ""
            ),
        )
        _step(dispute, DisputeAction.OPEN, "", notes=statement, event=event, actor=acting_user)
        _notify(locked, dispute, "opened", statement, include_submitter=True)
    return dispute


def dispute_step_take(
    *, dispute: Dispute, action: str, notes: str, acting_user: Any
) -> DisputeStep:
    """Take the next step of an open dispute (``DisputeAction``), with notes.

    Holding the consultation and resolving keep the project's state; ceasing cooperation
    suspends it with the dispute as its ground; after cessation, resuming or terminating moves
    the project again on the same ground. The reviewer who opened the dispute does not decide
    its outcome.
    """
    if action not in DisputeAction.values or action == DisputeAction.OPEN:
        raise InvalidInput.single("action", "Choose the next step of the dispute.")
    step_action = DisputeAction(action)
    notes = clean_reason(notes, field="notes")
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        locked = lock(dispute.proposal_id)
        row = Dispute.objects.select_for_update().get(pk=dispute.pk, proposal=locked)
        target = next_dispute_status(row.status, step_action)
        if target is None:
            raise TransitionNotAllowed(
                f"A dispute whose status is “{row.get_status_display().lower()}” cannot be given "
                f"the step “{step_action.label.lower()}”."
            )
        require(permissions.refusal_dispute_step(acting_user, locked, row.opened_by_id, action))
        source = DisputeStatus(row.status)
        words = f"Dispute {row.pk}: {step_action.label.lower()}.\n{notes}"
        event = _project_move(locked, row, step_action, acting_user=acting_user, notes=words)
        row.status = target
        row.due_on = due_after(target, today)
        if not row.is_open:
            row.closed_at = timezone.now()
        save_with_history(row, acting_user=acting_user, reason=words)
        step = _step(row, step_action, source, notes=notes, event=event, actor=acting_user)
        _notify(
            locked,
            row,
            DisputeStatus(target).label.lower(),
            notes,
            include_submitter=step_action
            in (DisputeAction.HOLD_CONSULTATION, DisputeAction.RESOLVE),
        )
    return step


# The dispute steps that move the project, by their name in decisions.AFTER_APPROVAL_MOVES.
_AFTER_APPROVAL = {
    DisputeAction.CEASE: "suspend",
    DisputeAction.RESUME: "resume",
    DisputeAction.TERMINATE: "terminate",
}


def _project_move(
    proposal: Proposal, dispute: Dispute, action: DisputeAction, *, acting_user: Any, notes: str
) -> ProposalEvent:
    ground = GroundInput(kind=GroundKind.DISPUTE, dispute_id=dispute.pk)
    named = _AFTER_APPROVAL.get(action)
    if named is not None:
        return after_approval_named_move(
            named, proposal, acting_user=acting_user, reason=notes, ground=ground
        )
    proposal_action = DISPUTE_PROPOSAL_ACTIONS[action]
    require_action(proposal, proposal_action, None)
    return move(proposal, proposal_action, acting_user=acting_user, reason=notes)


def _step(
    dispute: Dispute,
    action: DisputeAction,
    source: str,
    *,
    notes: str,
    event: ProposalEvent,
    actor: Any,
) -> DisputeStep:
    return DisputeStep.objects.create(
        dispute=dispute,
        action=action,
        from_status=source,
        to_status=dispute.status,
        notes=notes,
        due_on=dispute.due_on,
        event=event,
        actor=actor,
    )


def _people(proposal: Proposal, *, include_submitter: bool) -> list[Any]:
    people = staff_for(proposal, Role.REVIEWER, Role.SECURITY_REVIEWER)
    if include_submitter:
        people.append(proposal.submitter)
    return people


def _notify(
    proposal: Proposal, dispute: Dispute, what: str, notes: str, *, include_submitter: bool
) -> None:
    status = DisputeStatus(dispute.status)
    due = dispute.due_on
    notify(
        proposal=proposal,
        kind=NotificationKind.DISPUTE,
        recipients=_people(proposal, include_submitter=include_submitter),
        subject=f"Dispute {what}: {proposal.title}",
        body=(
            f"The dispute over “{proposal.title}” ({dispute.get_ground_display().lower()}) is "
            f"now: {status.label.lower()}.\n\nNotes:\n{notes}\n"
            + (f"\nThe next step is due on {due.isoformat()}.\n" if due else "")
        ),
        expected=NEXT_STEP[status],
    )


def overdue_disputes_remind(*, today: dt.date, dedupe_day: str) -> int:
    """Remind the reviewers of disputes whose next step is past due, once a day each."""
    queued = 0
    overdue = (
        Dispute.objects.overdue(today)
        .select_related("proposal__submitter")
        .order_by("due_on", "pk")
    )
    for dispute in overdue:
        proposal = dispute.proposal
        status = DisputeStatus(dispute.status)
        late = (today - dispute.due_on).days if dispute.due_on else 0
        rows = notify(
            proposal=proposal,
            kind=NotificationKind.REMINDER,
            recipients=staff_for(proposal, Role.REVIEWER),
            subject=f"Dispute step overdue: {proposal.title}",
            body=(
                f"The dispute over “{proposal.title}” ({dispute.get_ground_display().lower()}) "
                f"is at “{status.label.lower()}”; its next step was due on "
                f"{dispute.due_on.isoformat() if dispute.due_on else '?'}, "
                f"{late} day{'s' if late != 1 else ''} ago.\n"
            ),
            expected=NEXT_STEP[status],
            dedupe_key=f"dispute:{dispute.pk}:{dedupe_day}",
        )
        queued += len(rows)
    return queued
