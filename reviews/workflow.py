"""Proposal states, the actions that move them, and the one table of allowed transitions."""

from __future__ import annotations

from django.db import models


class ProposalState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SCREENING = "screening", "Screening"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    RETURNED = "returned", "Returned for changes"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"


class ProposalAction(models.TextChoices):
    SUBMIT = "submit", "Submit"
    RESUBMIT = "resubmit", "Resubmit"
    WITHDRAW = "withdraw", "Withdraw"
    SCREEN = "screen", "Screen (hits to adjudicate)"
    SCREEN_CLEAR = "screen_clear", "Screen (nothing to adjudicate)"
    ADJUDICATE = "adjudicate", "Adjudicate a screening hit"
    ADJUDICATE_LAST = "adjudicate_last", "Adjudicate the last screening hit"
    ASSESS_RISK_BENEFIT = "assess_risk_benefit", "Assess risks and benefits"
    ASSESS_SECURITY = "assess_security", "Assess national security"
    RETURN = "return", "Return for changes"
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    REJECT = "reject", "Reject"
    SUSPEND = "suspend", "Suspend"
    RESUME = "resume", "Resume"
    RESUME_WITH_CONDITIONS = "resume_with_conditions", "Resume (with conditions)"
    TERMINATE = "terminate", "Terminate"
    ACKNOWLEDGE_CONDITIONS = "acknowledge_conditions", "Acknowledge the conditions"
    MEET_CONDITION = "meet_condition", "Mark a condition met"
    WAIVE_CONDITION = "waive_condition", "Waive a condition"
    ASSIGN = "assign", "Assign an assessment"
    RECORD_TRIP = "record_trip", "Record a trip"
    RECORD_BRIEFING = "record_briefing", "Record a pre-travel briefing"
    REPORT_INCIDENT = "report_incident", "Report an incident"
    RECORD_EXCHANGE = "record_exchange", "Record a data exchange"
    CORRECT_EXCHANGE = "correct_exchange", "Correct a data exchange"
    OPEN_DISPUTE = "open_dispute", "Open a dispute (consultation requested)"
    HOLD_CONSULTATION = "hold_consultation", "Hold the consultation"
    RESOLVE_DISPUTE = "resolve_dispute", "Resolve the dispute"


S = ProposalState
A = ProposalAction

# Open proposals are still moving towards a decision; live ones were approved and may still run.
OPEN_STATES = frozenset({S.SUBMITTED, S.SCREENING, S.IN_REVIEW})
LIVE_STATES = frozenset({S.APPROVED, S.APPROVED_WITH_CONDITIONS, S.SUSPENDED})
# Screening lists change after approval, so approved projects are screened again too.
SCREENABLE_STATES = OPEN_STATES | LIVE_STATES
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})

TRANSITIONS: dict[tuple[ProposalState, ProposalAction], ProposalState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.RESUBMIT): S.SUBMITTED,
    **{(state, A.WITHDRAW): S.WITHDRAWN for state in (S.DRAFT, S.RETURNED, *OPEN_STATES)},
    # A run that leaves hits to adjudicate parks a new submission in screening; a clean run sends
    # it straight to review. Runs on proposals already past screening leave the state alone.
    (S.SUBMITTED, A.SCREEN): S.SCREENING,
    (S.SCREENING, A.SCREEN): S.SCREENING,
    **{(state, A.SCREEN): state for state in (S.IN_REVIEW, *LIVE_STATES)},
    (S.SUBMITTED, A.SCREEN_CLEAR): S.IN_REVIEW,
    (S.SCREENING, A.SCREEN_CLEAR): S.IN_REVIEW,
    **{(state, A.ADJUDICATE): state for state in (S.SCREENING, S.IN_REVIEW, *LIVE_STATES)},
    (S.SCREENING, A.ADJUDICATE_LAST): S.IN_REVIEW,
    (S.IN_REVIEW, A.ASSESS_RISK_BENEFIT): S.IN_REVIEW,
    (S.IN_REVIEW, A.ASSESS_SECURITY): S.IN_REVIEW,
    (S.SCREENING, A.RETURN): S.RETURNED,
    (S.IN_REVIEW, A.RETURN): S.RETURNED,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.APPROVE_WITH_CONDITIONS): S.APPROVED_WITH_CONDITIONS,
    (S.IN_REVIEW, A.REJECT): S.REJECTED,
    (S.APPROVED, A.SUSPEND): S.SUSPENDED,
    (S.APPROVED_WITH_CONDITIONS, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.RESUME): S.APPROVED,
    (S.SUSPENDED, A.RESUME_WITH_CONDITIONS): S.APPROVED_WITH_CONDITIONS,
    (S.APPROVED, A.TERMINATE): S.TERMINATED,
    (S.APPROVED_WITH_CONDITIONS, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
    # Conditions are followed up while the project runs, and while it is paused.
    **{
        (state, action): state
        for state in (S.APPROVED_WITH_CONDITIONS, S.SUSPENDED)
        for action in (A.ACKNOWLEDGE_CONDITIONS, A.MEET_CONDITION, A.WAIVE_CONDITION)
    },
    # Assessments are assigned ahead, while screening runs, and until they are made.
    **{(state, A.ASSIGN): state for state in OPEN_STATES},
    # Researcher safety: trips are planned and briefed while the project may go ahead;
    # incidents are reported whenever the project still runs, paused or not.
    **{
        (state, action): state
        for state in (S.APPROVED, S.APPROVED_WITH_CONDITIONS)
        for action in (A.RECORD_TRIP, A.RECORD_BRIEFING)
    },
    **{(state, A.REPORT_INCIDENT): state for state in LIVE_STATES},
    # The reciprocity ledger and disputes follow a project while it may still run. Ceasing
    # cooperation under a dispute is a suspension; ending it, a resumption or a termination.
    **{
        (state, action): state
        for state in LIVE_STATES
        for action in (
            A.RECORD_EXCHANGE,
            A.CORRECT_EXCHANGE,
            A.OPEN_DISPUTE,
            A.HOLD_CONSULTATION,
            A.RESOLVE_DISPUTE,
        )
    },
}


class DisputeStatus(models.TextChoices):
    CONSULTATION_REQUESTED = "consultation_requested", "Consultation requested"
    CONSULTATION_HELD = "consultation_held", "Consultation held"
    RESOLVED = "resolved", "Resolved"
    CEASED = "ceased", "Cooperation ceased"
    RESUMED = "resumed", "Cooperation resumed"
    TERMINATED = "terminated", "Project terminated"


class DisputeAction(models.TextChoices):
    OPEN = "open", "Open the dispute and request consultation"
    HOLD_CONSULTATION = "hold_consultation", "Record the consultation held"
    RESOLVE = "resolve", "Resolve (cooperation continues)"
    CEASE = "cease", "Cease cooperation (suspend the project)"
    RESUME = "resume", "Resume cooperation"
    TERMINATE = "terminate", "Terminate the project"


DS = DisputeStatus
DA = DisputeAction
OPEN_DISPUTE_STATUSES = frozenset({DS.CONSULTATION_REQUESTED, DS.CONSULTATION_HELD, DS.CEASED})
# Each step of the 2024 dispute-resolution mechanism, and the proposal action it is recorded as.
DISPUTE_TRANSITIONS: dict[tuple[DisputeStatus, DisputeAction], DisputeStatus] = {
    (DS.CONSULTATION_REQUESTED, DA.HOLD_CONSULTATION): DS.CONSULTATION_HELD,
    (DS.CONSULTATION_HELD, DA.RESOLVE): DS.RESOLVED,
    (DS.CONSULTATION_HELD, DA.CEASE): DS.CEASED,
    (DS.CEASED, DA.RESUME): DS.RESUMED,
    (DS.CEASED, DA.TERMINATE): DS.TERMINATED,
}
DISPUTE_PROPOSAL_ACTIONS: dict[DisputeAction, ProposalAction] = {
    DA.OPEN: A.OPEN_DISPUTE,
    DA.HOLD_CONSULTATION: A.HOLD_CONSULTATION,
    DA.RESOLVE: A.RESOLVE_DISPUTE,
    DA.CEASE: A.SUSPEND,
    DA.RESUME: A.RESUME,
    DA.TERMINATE: A.TERMINATE,
}


def next_dispute_status(status: str, action: str) -> DisputeStatus | None:
    """Where ``action`` takes a dispute in ``status``, or None when the table forbids it."""
    return DISPUTE_TRANSITIONS.get((DisputeStatus(status), DisputeAction(action)))


def dispute_actions(status: str) -> list[DisputeAction]:
    return [action for (source, action) in DISPUTE_TRANSITIONS if source == status]


def next_state(state: str, action: str) -> ProposalState | None:
    """Where ``action`` takes a proposal in ``state``, or None when the table forbids it."""
    return TRANSITIONS.get((ProposalState(state), ProposalAction(action)))


def allowed_actions(state: str) -> list[ProposalAction]:
    return [action for (source, action) in TRANSITIONS if source == state]
