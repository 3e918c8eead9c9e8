"""Conditions of an approval as tracked items: recorded with the decision, acknowledged by the
submitter, marked met or waived by a reviewer, and chased when overdue."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.roles import Role

from .. import permissions
from ..errors import InvalidInput, TransitionNotAllowed
from ..models import (
    ConditionItem,
    ConditionOwner,
    ConditionQuerySet,
    ConditionStatus,
    Decision,
    NotificationKind,
    Proposal,
)
from ..workflow import ProposalAction
from .core import clean_reason, lock, move, require_action, staff_for
from .notifications import notify

# A bullet or a number opening a line of conditions written as text ("- ", "2. ", "3) ").
_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|\(?\d{1,3}[.)])\s+")
RESOLUTIONS = {
    ConditionStatus.MET: ProposalAction.MEET_CONDITION,
    ConditionStatus.WAIVED: ProposalAction.WAIVE_CONDITION,
}


@dataclass(frozen=True)
class ConditionInput:
    """One condition as the decider states it."""

    text: str
    owner: str = ConditionOwner.SUBMITTER
    due_on: dt.date | None = None


def conditions_from_text(text: str) -> list[ConditionInput]:
    """Conditions written as text, one a line: each line an item owned by the submitter, with no
    due date (the text gives none). List marks at the start of a line are dropped."""
    items = []
    for line in (text or "").splitlines():
        cleaned = _LIST_MARK.sub("", line).strip()
        if cleaned:
            items.append(ConditionInput(text=cleaned))
    return items


def clean_condition_items(
    items: Sequence[ConditionInput], *, today: dt.date
) -> tuple[list[ConditionInput], list[str]]:
    """The items stripped, and what is wrong with them (one message per problem)."""
    cleaned: list[ConditionInput] = []
    problems: list[str] = []
    for number, item in enumerate(items, start=1):
        text = (item.text or "").strip()
        if not text:
            problems.append(f"Condition {number}: say what the condition is.")
        if item.owner not in ConditionOwner.values:
            problems.append(f"Condition {number}: say who fulfils it, the submitter or the agency.")
        if item.due_on is None:
            problems.append(f"Condition {number}: give the date it is due.")
        elif item.due_on < today:
            problems.append(
                f"Condition {number}: the due date {item.due_on.isoformat()} has already passed."
            )
        cleaned.append(ConditionInput(text=text, owner=item.owner, due_on=item.due_on))
    return cleaned, problems


def conditions_as_text(items: Sequence[ConditionInput]) -> str:
    """The decision's own wording of its conditions, sealed with it in the audit chain."""
    lines = []
    for number, item in enumerate(items, start=1):
        owner = ConditionOwner(item.owner).label.lower()
        due = f", due {item.due_on.isoformat()}" if item.due_on else ""
        lines.append(f"{number}. {item.text} ({owner}{due})")
    return "\n".join(lines)


def condition_items_create(
    *, decision: Decision, items: Sequence[ConditionInput], acting_user: Any, reason: str
) -> list[ConditionItem]:
    """Write the decision's conditions as items, numbered from 1, each with its history row."""
    rows = []
    for number, item in enumerate(items, start=1):
        row = ConditionItem(
            proposal_id=decision.proposal_id,
            decision=decision,
            number=number,
            text=item.text,
            owner=item.owner,
            due_on=item.due_on,
        )
        save_with_history(row, acting_user=acting_user, reason=reason)
        rows.append(row)
    return rows


def open_conditions(proposal: Proposal | int) -> ConditionQuerySet:
    """The proposal's conditions still open, soonest due first (those without a date last)."""
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return (
        ConditionItem.objects.filter(proposal_id=pk)
        .open()
        .select_related("decision")
        .order_by("due_on", "number")
    )


def conditions_acknowledge(
    *, proposal: Proposal, acting_user: Any, reason: str
) -> list[ConditionItem]:
    """The submitter has read the conditions of the approval and accepts them; recorded once,
    with who and when, on every condition."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.ACKNOWLEDGE_CONDITIONS,
            permissions.refusal_acknowledge_conditions(acting_user, locked),
        )
        items = list(
            ConditionItem.objects.select_for_update()
            .filter(proposal=locked)
            .order_by("decision", "number")
        )
        if not items:
            raise TransitionNotAllowed("This proposal has no conditions to acknowledge.")
        done = next((item for item in items if item.acknowledged_at is not None), None)
        if done is not None:
            when = timezone.localtime(done.acknowledged_at).strftime("%-d %B %Y")
            raise TransitionNotAllowed(
                f"The conditions were already acknowledged on {when}; they are acknowledged once."
            )
        now = timezone.now()
        for item in items:
            item.acknowledged_by = acting_user
            item.acknowledged_at = now
            save_with_history(item, acting_user=acting_user, reason=reason)
        move(locked, ProposalAction.ACKNOWLEDGE_CONDITIONS, acting_user=acting_user, reason=reason)
    return items


def condition_resolve(
    *,
    condition: ConditionItem,
    status: str,
    acting_user: Any,
    reason: str,
    evidence: str = "",
) -> ConditionItem:
    """A reviewer rules one open condition met or waived, saying why and noting the evidence.

    The proposal's audit trail gets one event naming the condition; the submitter is told.
    """
    if status not in (ConditionStatus.MET, ConditionStatus.WAIVED):
        raise InvalidInput.single("status", "Choose whether the condition is met or waived.")
    ruling = ConditionStatus(status)
    reason = clean_reason(reason)
    action = RESOLUTIONS[ruling]
    with transaction.atomic(durable=True):
        locked = lock(condition.proposal_id)
        require_action(locked, action, permissions.refusal_resolve_condition(acting_user, locked))
        row = ConditionItem.objects.select_for_update().get(pk=condition.pk, proposal=locked)
        if not row.is_open:
            by = row.resolved_by.get_username() if row.resolved_by else "someone"
            raise TransitionNotAllowed(
                f"Condition {row.number} was already marked {row.get_status_display().lower()} "
                f"by {by}; a ruling on a condition is not changed."
            )
        row.status = ruling
        row.resolved_by = acting_user
        row.resolved_at = timezone.now()
        row.resolution_reason = reason
        row.evidence = (evidence or "").strip()
        save_with_history(row, acting_user=acting_user, reason=reason)
        move(locked, action, acting_user=acting_user, reason=f"Condition {row.number}: {reason}")
        notify(
            proposal=locked,
            kind=NotificationKind.CONDITION_RESOLVED,
            recipients=[locked.submitter],
            subject=f"Condition {row.number} {ruling.label.lower()}: {locked.title}",
            body=(
                f"Condition {row.number} of the approval of “{locked.title}” was marked "
                f"{ruling.label.lower()}.\n\nThe condition:\n{row.text}\n\nReason:\n{reason}\n"
                + (f"\nEvidence:\n{row.evidence}\n" if row.evidence else "")
            ),
            expected="fulfil the conditions still open by their due dates (this one needs "
            "nothing more)",
        )
    return row


def overdue_conditions_remind(*, today: dt.date, dedupe_day: str) -> int:
    """Tell the reviewers (and the submitter, for conditions they own) about conditions past
    their due date, once a day per proposal. The number of messages queued."""
    overdue = list(
        ConditionItem.objects.overdue(today)
        .select_related("proposal__submitter")
        .order_by("proposal_id", "due_on", "number")
    )
    by_proposal: dict[int, list[ConditionItem]] = {}
    for item in overdue:
        by_proposal.setdefault(item.proposal_id, []).append(item)
    queued = 0
    for items in by_proposal.values():
        proposal = items[0].proposal
        recipients = staff_for(proposal, Role.REVIEWER)
        if any(item.owner == ConditionOwner.SUBMITTER for item in items):
            recipients.append(proposal.submitter)
        lines = []
        for item in items:
            due = item.due_on or today
            late = (today - due).days
            lines.append(
                f"Condition {item.number}: {item.text}\n"
                f"  Fulfilled by {item.get_owner_display().lower()}; due "
                f"{due.isoformat()}, {late} day{'s' if late != 1 else ''} overdue."
            )
        rows = notify(
            proposal=proposal,
            kind=NotificationKind.REMINDER,
            recipients=recipients,
            subject=f"Conditions overdue: {proposal.title}",
            body=(
                f"{len(items)} condition{'s' if len(items) != 1 else ''} of the approval of "
                f"“{proposal.title}” {'are' if len(items) != 1 else 'is'} past due and still "
                "open:\n\n" + "\n\n".join(lines) + "\n\nThe submitter fulfils their conditions; "
                "a reviewer marks each met or waived, with a reason, on the proposal's page.\n"
            ),
            expected="fulfil the overdue conditions you own (submitter), or mark each met or "
            "waived with a reason (reviewers)",
            dedupe_key=f"conditions:{proposal.pk}:{dedupe_day}",
        )
        queued += len(rows)
    return queued
