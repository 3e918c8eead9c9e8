"""Decisions on proposals, and what happens to approved projects afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from clauses.models import Clause
from sta_tracker.history import save_with_history

from .. import permissions
from ..audit import seal
from ..errors import InvalidInput, NotReady, PolicyRefused
from ..models import (
    Adjudication,
    Decision,
    DecisionOutcome,
    HitKind,
    NotificationKind,
    Proposal,
    ProposalEvent,
    RiskBenefitAssessment,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
    SecurityFinding,
)
from ..workflow import ProposalAction
from .conditions import (
    ConditionInput,
    clean_condition_items,
    condition_items_create,
    conditions_as_text,
    conditions_from_text,
)
from .core import clean_reason, lock, move, require_action
from .grounds import GroundInput, clean_ground, ground_record
from .notifications import notify
from .proposals import clauses_in_force, notify_returned

OUTCOME_ACTIONS = {
    DecisionOutcome.APPROVE: ProposalAction.APPROVE,
    DecisionOutcome.APPROVE_WITH_CONDITIONS: ProposalAction.APPROVE_WITH_CONDITIONS,
    DecisionOutcome.RETURN: ProposalAction.RETURN,
    DecisionOutcome.REJECT: ProposalAction.REJECT,
}
APPROVALS = (DecisionOutcome.APPROVE, DecisionOutcome.APPROVE_WITH_CONDITIONS)
DECIDED_NEXT = {
    DecisionOutcome.APPROVE: "nothing more for now; the project may go ahead",
    DecisionOutcome.APPROVE_WITH_CONDITIONS: (
        "meet the conditions above while the project runs; it may go ahead on them"
    ),
    DecisionOutcome.RETURN: "answer the questions by editing the proposal, then resubmit it",
    DecisionOutcome.REJECT: "nothing more; the project may not go ahead under the agreement",
}
AFTER_APPROVAL_NEXT = {
    "suspended": "pause the cooperation until the reviewers resume the project",
    "resumed": "nothing more; the cooperation may continue",
    "terminated": "end the cooperation under this project",
}


@dataclass(frozen=True)
class DecisionBasis:
    """What a decision about to be recorded rests on, once every rule is satisfied."""

    outcome: DecisionOutcome
    risk_benefit: RiskBenefitAssessment
    security: SecurityAssessment
    clauses: list[Clause]
    true_matches: list[ScreeningHit]
    # The tracked conditions of an approval with conditions, and their wording on the decision.
    conditions: tuple[ConditionInput, ...] = ()
    wording: str = ""


def decision_check(
    *,
    proposal: Proposal,
    outcome: str,
    acting_user: Any,
    reason: str,
    conditions: str = "",
    condition_items: Sequence[ConditionInput] = (),
    questions: str = "",
    cited_clause_ids: Sequence[int] = (),
) -> DecisionBasis:
    """Every rule ``decision_record`` applies, without writing: the confirmation page asks it
    first, so a refusal comes before the decider confirms. ``true_matches`` lists the matches
    that the decider must confirm by name."""
    reason = clean_reason(reason)
    decided = _outcome(outcome)
    return _basis(
        proposal,
        decided,
        acting_user=acting_user,
        conditions=conditions,
        condition_items=condition_items,
        questions=questions,
        cited_clause_ids=cited_clause_ids,
    )


def decision_record(
    *,
    proposal: Proposal,
    outcome: str,
    acting_user: Any,
    reason: str,
    conditions: str = "",
    condition_items: Sequence[ConditionInput] = (),
    questions: str = "",
    cited_clause_ids: Sequence[int] = (),
    confirmed_match_ids: Sequence[int] = (),
) -> Decision:
    """Record the decision of the current round; it can never be edited afterwards.

    Needs both assessments of the round and every screening hit adjudicated, from someone who
    neither submitted the proposal nor assessed it nor ruled on its screening hits. Approval
    cites the clauses relied on; approval with conditions states them; a return asks
    questions; an unacceptable security finding cannot be approved; a true restricted-party
    match can be approved only when the security assessment cleared it with mitigations and the
    decider confirms that match by name (``confirmed_match_ids``, the hits' ids).

    Conditions come as ``condition_items`` (text, owner, due date each), or as ``conditions``
    text, one condition a line, each owned by the submitter and without a due date. Either
    way each becomes a tracked ``ConditionItem``; the decision keeps their wording.
    """
    reason = clean_reason(reason)
    decided = _outcome(outcome)
    action = OUTCOME_ACTIONS[decided]
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        basis = _basis(
            locked,
            decided,
            acting_user=acting_user,
            conditions=conditions,
            condition_items=condition_items,
            questions=questions,
            cited_clause_ids=cited_clause_ids,
        )
        unconfirmed = [h for h in basis.true_matches if h.pk not in set(confirmed_match_ids)]
        if unconfirmed:
            raise InvalidInput.single(
                "confirmed_match_ids",
                "Confirm each true restricted-party match the approval accepts: "
                + "; ".join(match_label(h) for h in unconfirmed)
                + ".",
            )
        decision = Decision(
            proposal=locked,
            round=locked.round,
            outcome=decided,
            conditions=basis.wording,
            questions=questions.strip(),
            reason=reason,
            risk_benefit_assessment=basis.risk_benefit,
            security_assessment=basis.security,
            decided_by=acting_user,
        )
        save_with_history(decision, acting_user=acting_user, reason=reason)
        decision.cited_clauses.set(basis.clauses)
        seal(decision)
        condition_items_create(
            decision=decision, items=list(basis.conditions), acting_user=acting_user, reason=reason
        )
        if decided == DecisionOutcome.RETURN:
            locked.return_questions = decision.questions
        move(
            locked,
            action,
            acting_user=acting_user,
            reason=reason,
            changed=decided == DecisionOutcome.RETURN,
        )
        if decided == DecisionOutcome.RETURN:
            notify_returned(locked, decision.questions)
        else:
            _notify_decided(locked, decision)
    return decision


def match_label(hit: ScreeningHit) -> str:
    """How refusals and pages name a true match: who was screened and the entry matched."""
    screened = hit.screened_text or hit.summary
    return f"“{screened}” as “{hit.matched_name}”" if hit.matched_name else f"“{screened}”"


def _outcome(outcome: str) -> DecisionOutcome:
    if outcome not in DecisionOutcome.values:
        raise InvalidInput.single(
            "outcome", "Choose approve, approve with conditions, return or reject."
        )
    return DecisionOutcome(outcome)


def _basis(
    proposal: Proposal,
    decided: DecisionOutcome,
    *,
    acting_user: Any,
    conditions: str,
    condition_items: Sequence[ConditionInput],
    questions: str,
    cited_clause_ids: Sequence[int],
) -> DecisionBasis:
    action = OUTCOME_ACTIONS[decided]
    require_action(proposal, action, permissions.refusal_decide(acting_user, proposal))
    errors: dict[str, list[str]] = {}
    items: list[ConditionInput] = []
    wording = ""
    if decided == DecisionOutcome.APPROVE_WITH_CONDITIONS:
        if condition_items and conditions.strip():
            errors["conditions"] = ["Give the conditions either as items or as text, not both."]
        elif condition_items:
            items, problems = clean_condition_items(condition_items, today=timezone.localdate())
            if problems:
                errors["condition_items"] = problems
            else:
                wording = conditions_as_text(items)
        else:
            items, wording = conditions_from_text(conditions), conditions.strip()
        if not items and not errors:
            errors["conditions"] = ["State the conditions of the approval."]
    elif conditions.strip() or condition_items:
        errors["conditions"] = ["Only an approval with conditions has conditions."]
    if decided == DecisionOutcome.RETURN and not questions.strip():
        errors["questions"] = ["Say what the submitter must change or answer."]
    wanted = list(dict.fromkeys(cited_clause_ids))
    if decided in APPROVALS and not wanted:
        errors["cited_clause_ids"] = ["Cite the clauses of the agreement the approval relies on."]
    day = proposal.start_date or timezone.localdate()
    clauses = list(clauses_in_force(day).filter(pk__in=wanted))
    if len(clauses) != len(wanted):
        errors.setdefault("cited_clause_ids", []).append(
            f"Cite clauses in force on {day.isoformat()}, the project's start; "
            f"{len(wanted) - len(clauses)} of the chosen clauses are not."
        )
    if errors:
        raise InvalidInput(errors)

    this_round = {"proposal": proposal, "round": proposal.round}
    risk_benefit = RiskBenefitAssessment.objects.filter(**this_round).first()
    security = SecurityAssessment.objects.filter(**this_round).first()
    if risk_benefit is None or security is None:
        missing = [
            label
            for label, row in (
                ("the risk–benefit assessment", risk_benefit),
                ("the national-security assessment", security),
            )
            if row is None
        ]
        raise NotReady(
            "A decision needs both assessments of this round; still missing: "
            + " and ".join(missing)
            + "."
        )
    pending = ScreeningHit.objects.pending().filter(run__proposal=proposal).count()
    if pending:
        raise NotReady(f"Screening hits still await adjudication ({pending}).")
    if _new_findings_since(security):
        raise NotReady(
            "Screening has found something new since the national-security assessment; "
            "the security reviewer must assess the proposal again."
        )
    if decided in APPROVALS and security.finding == SecurityFinding.UNACCEPTABLE:
        raise PolicyRefused(
            "The national-security finding is unacceptable, so the proposal cannot be approved."
        )
    true_matches = list(true_matches_of(proposal)) if decided in APPROVALS else []
    uncleared = [h for h in true_matches if h.fingerprint not in security.cleared_matches]
    if uncleared:
        raise PolicyRefused(
            "Screening ruled "
            + "; ".join(match_label(h) for h in uncleared)
            + " a true restricted-party match, and the national-security assessment does not "
            "clear it with mitigations; the proposal cannot be approved."
        )
    if (
        decided == DecisionOutcome.APPROVE
        and security.finding == SecurityFinding.MITIGATIONS_REQUIRED
    ):
        raise PolicyRefused(
            "The national-security finding requires mitigations; approve with conditions "
            "that carry them."
        )
    return DecisionBasis(
        outcome=decided,
        risk_benefit=risk_benefit,
        security=security,
        clauses=clauses,
        true_matches=true_matches,
        conditions=tuple(items),
        wording=wording,
    )


def true_matches_of(proposal: Proposal) -> Any:
    """The current screening's hits ruled true restricted-party matches, oldest first."""
    return ScreeningHit.objects.filter(
        run__proposal=proposal,
        run__is_current=True,
        kind=HitKind.RESTRICTED_PARTY,
        adjudication=Adjudication.TRUE_MATCH,
    ).order_by("pk")


def _new_findings_since(security: SecurityAssessment) -> bool:
    """Whether the current screening run found anything the assessed run did not."""
    current = ScreeningRun.objects.filter(proposal_id=security.proposal_id, is_current=True).first()
    if current is None or current.pk == security.screening_run_id:
        return False
    assessed = ScreeningHit.objects.filter(run_id=security.screening_run_id).values("fingerprint")
    return current.hits.exclude(fingerprint__in=assessed).exists()


def _notify_decided(proposal: Proposal, decision: Decision) -> None:
    lines = [
        f"Your proposal “{proposal.title}”: {DecisionOutcome(decision.outcome).label.lower()}."
    ]
    if decision.conditions:
        lines.append(f"Conditions:\n{decision.conditions}")
    lines.append(f"Reason:\n{decision.reason}")
    notify(
        proposal=proposal,
        kind=NotificationKind.DECIDED,
        recipients=[proposal.submitter],
        subject=f"Decision: {proposal.title}",
        body="\n\n".join(lines),
        expected=DECIDED_NEXT[DecisionOutcome(decision.outcome)],
    )


def after_approval_move(
    proposal: Proposal,
    action: ProposalAction,
    kind: NotificationKind,
    verb: str,
    *,
    refusal: str | None,
    acting_user: Any,
    reason: str,
    ground: GroundInput | None,
) -> ProposalEvent:
    """Suspend, resume or terminate the locked ``proposal`` on a named ground, inside the
    caller's transaction: the event's reason starts with the ground, which is recorded with it."""
    require_action(proposal, action, refusal)
    named = clean_ground(proposal, ground)
    worded = f"{named.words}\n{reason}"
    event = move(proposal, action, acting_user=acting_user, reason=worded)
    ground_record(event=event, ground=named, acting_user=acting_user)
    notify(
        proposal=proposal,
        kind=kind,
        recipients=[proposal.submitter],
        subject=f"{verb.capitalize()}: {proposal.title}",
        body=f"Your project “{proposal.title}” was {verb}.\n\n{named.words}\n\nReason:\n{reason}",
        expected=AFTER_APPROVAL_NEXT[verb],
    )
    return event


def resume_action(proposal: Proposal) -> ProposalAction:
    """Resuming returns to the kind of approval the project had."""
    latest = Decision.objects.filter(proposal=proposal).order_by("-round").first()
    conditional = latest is not None and latest.outcome == DecisionOutcome.APPROVE_WITH_CONDITIONS
    return ProposalAction.RESUME_WITH_CONDITIONS if conditional else ProposalAction.RESUME


# Why one table: the proposal pages and the dispute steps (cease, resume, terminate) make the
# same three moves; each row is the action (resume depends on the approval had), the
# notification, the verb the submitter reads and the permission refusal.
AFTER_APPROVAL_MOVES: dict[str, tuple[Any, NotificationKind, str, Any]] = {
    "suspend": (
        lambda proposal: ProposalAction.SUSPEND,
        NotificationKind.SUSPENDED,
        "suspended",
        permissions.refusal_suspend,
    ),
    "resume": (resume_action, NotificationKind.RESUMED, "resumed", permissions.refusal_resume),
    "terminate": (
        lambda proposal: ProposalAction.TERMINATE,
        NotificationKind.TERMINATED,
        "terminated",
        permissions.refusal_terminate,
    ),
}


def after_approval_named_move(
    name: str, proposal: Proposal, *, acting_user: Any, reason: str, ground: GroundInput | None
) -> ProposalEvent:
    """Make the move ``name`` of AFTER_APPROVAL_MOVES on the locked ``proposal``."""
    action_of, kind, verb, refusal_of = AFTER_APPROVAL_MOVES[name]
    return after_approval_move(
        proposal,
        action_of(proposal),
        kind,
        verb,
        refusal=refusal_of(acting_user, proposal),
        acting_user=acting_user,
        reason=reason,
        ground=ground,
    )


def _locked_move(
    name: str, proposal: Proposal, acting_user: Any, reason: str, ground: GroundInput | None
) -> ProposalEvent:
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        return after_approval_named_move(
            name, locked, acting_user=acting_user, reason=reason, ground=ground
        )


def proposal_suspend(
    *, proposal: Proposal, acting_user: Any, reason: str, ground: GroundInput | None
) -> ProposalEvent:
    """Pause an approved project on a named ground (a dispute, an incident, a changed clause,
    or another reason spelt out), for instance when the partner does not reciprocate."""
    return _locked_move("suspend", proposal, acting_user, reason, ground)


def proposal_resume(
    *, proposal: Proposal, acting_user: Any, reason: str, ground: GroundInput | None
) -> ProposalEvent:
    """Lift a suspension on a named ground; the project returns to approved, with its
    conditions if it had any."""
    return _locked_move("resume", proposal, acting_user, reason, ground)


def proposal_terminate(
    *, proposal: Proposal, acting_user: Any, reason: str, ground: GroundInput | None
) -> ProposalEvent:
    """End an approved or suspended project for good, on a named ground."""
    return _locked_move("terminate", proposal, acting_user, reason, ground)
