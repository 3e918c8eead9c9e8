"""Who may do what with proposals.

Each ``refusal_<verb>`` returns the reason a person may not act (for messages and for the
services' second line of defence) or None; each ``can_<verb>`` also checks that the proposal's
state allows the action, for showing buttons. Object visibility is the queryset
``Proposal.objects.visible_to(user)``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef

from sta_tracker.roles import Role, has_role

from .models import (
    Decision,
    Proposal,
    ReviewStep,
    RiskBenefitAssessment,
    ScreeningHit,
    SecurityAssessment,
)
from .workflow import ProposalAction, ProposalState, next_state

User = AbstractBaseUser | AnonymousUser


def is_system_user(user: User) -> bool:
    """The inactive account that background tasks act as."""
    return (
        getattr(user, "pk", None) is not None
        and user.get_username() == settings.STA_SYSTEM_USERNAME
        and not user.is_active
    )


# Why someone without the needed role is refused, in the words the pages, the API and the access
# map (sta_tracker/access.py) all use.
NO_REVIEW_ROLE = "Your account has no role in the review of proposals."
ONLY_SUBMITTERS_HAVE_OWN = "Only submitters have proposals of their own."
ONLY_SUBMITTERS_CREATE = "Only submitters can create proposals."
ONLY_STAFF_SEE_ALL = "Only reviewers, security reviewers and administrators see every proposal."
ONLY_STAFF_SCREEN = "Only reviewers, security reviewers and administrators can run screening."
ONLY_STAFF_SEE_EVIDENCE = (
    "Screening evidence is for reviewers, security reviewers and administrators."
)
ONLY_STAFF_SEE_INTERNALS = (
    "Only reviewers, security reviewers and administrators can see screening results and "
    "assessments."
)
ONLY_QUEUE_HOLDERS = "Only reviewers and security reviewers have review queues."
ONLY_QUEUE_HOLDERS_ASSIGN = "Only reviewers and security reviewers assign assessments."
ONLY_DASHBOARD_READERS = (
    "Only reviewers, security reviewers, analysts and administrators see the dashboard."
)
ONLY_ADMINS_IMPORT_LISTS = "Only administrators can import screening lists."
ONLY_SUBMITTER_ACKNOWLEDGES = (
    "Only the submitter of a proposal can acknowledge the conditions of its approval."
)
ONLY_ADMINS_MANAGE_CET = "Only administrators can maintain the CET list and its search terms."

# The actions on someone else's proposal: the role that takes each, and how refusals name it.
REVIEW_ACTIONS: dict[str, tuple[Role, str]] = {
    "adjudicate": (Role.SECURITY_REVIEWER, "adjudicate its screening hits"),
    "assess_risk_benefit": (Role.REVIEWER, "assess its risks and benefits"),
    "assess_security": (Role.SECURITY_REVIEWER, "make its national-security assessment"),
    "return": (Role.REVIEWER, "return it for changes"),
    "decide": (Role.REVIEWER, "decide on it"),
    "suspend": (Role.REVIEWER, "suspend it"),
    "resume": (Role.REVIEWER, "resume it"),
    "terminate": (Role.REVIEWER, "terminate it"),
    "clear_flag": (Role.REVIEWER, "clear its changed-clause flags"),
    "resolve_condition": (Role.REVIEWER, "mark its conditions met or waived"),
}


def only_the_submitter(verb: str) -> str:
    """The refusal of an action on a proposal (edit, submit…) to anyone but its submitter."""
    return f"Only the submitter of a proposal can {verb} it."


def only_the_role_for(action: str) -> str:
    """The refusal of one of ``REVIEW_ACTIONS`` to someone without its role."""
    role, verb = REVIEW_ACTIONS[action]
    return f"Only a {role.label.lower()} can {verb}."


def _owns(user: User, proposal: Proposal) -> bool:
    return bool(user.is_authenticated) and proposal.submitter_id == user.pk


def _owner_refusal(user: User, proposal: Proposal, verb: str) -> str | None:
    if not has_role(user, Role.SUBMITTER) or not _owns(user, proposal):
        return only_the_submitter(verb)
    return None


def _reviewer_refusal(user: User, proposal: Proposal, action: str) -> str | None:
    role, verb = REVIEW_ACTIONS[action]
    if not has_role(user, role):
        return only_the_role_for(action)
    if _owns(user, proposal):
        return f"You submitted this proposal, so you cannot {verb}."
    return None


class Duty(Enum):
    """The parts a person can play in one proposal's review (separation of duties).

    At least three people review a proposal besides its submitter: the risk–benefit assessor,
    the security reviewer and the decider; whoever has acted in one of these parts on a
    proposal, in any round, may not act in another. Ruling on screening hits counts as part of
    the security review: the adjudicator weighs the same evidence the security assessment
    rests on, so an adjudicator may also make the security assessment, but may not write the
    risk–benefit assessment or decide, and the decider cannot have cleared a hit themselves.
    """

    SUBMIT = "submit"
    RISK_BENEFIT = "risk_benefit"
    SECURITY = "security"
    DECIDE = "decide"


# What someone already did, and who must take the other part, in the words of the refusals.
DUTY_DONE = {
    Duty.SUBMIT: "You submitted this proposal",
    Duty.RISK_BENEFIT: "You wrote the risk–benefit assessment of this proposal",
    Duty.SECURITY: "You made the national-security assessment of this proposal",
    Duty.DECIDE: "You recorded a decision on this proposal",
}
ADJUDICATED = "You ruled on screening hits of this proposal, which is part of its security review"
DUTY_WANTED = {
    Duty.RISK_BENEFIT: "another reviewer must assess its risks and benefits",
    Duty.SECURITY: "another security reviewer must make its national-security assessment",
    Duty.DECIDE: "another reviewer must decide it",
}


ADJUDICATE_WANTED = "another security reviewer must rule on its screening hits"


def separation_refusal(done: str, wanted: str) -> str:
    """The refusal of one duty to someone who already acted in another on the proposal."""
    return f"{done}; {wanted}."


def duties_done(user: User, proposal: Proposal) -> dict[Duty, str]:
    """The parts ``user`` has played in ``proposal`` in any round, each with how a refusal
    names it. One query; never cached, since a part played a moment ago must count."""
    if not user.is_authenticated:
        return {}
    mine = {"proposal": OuterRef("pk")}
    row = (
        Proposal.objects.filter(pk=proposal.pk)
        .annotate(
            rb=Exists(RiskBenefitAssessment.objects.filter(**mine, assessor=user.pk)),
            sec=Exists(SecurityAssessment.objects.filter(**mine, assessor=user.pk)),
            dec=Exists(Decision.objects.filter(**mine, decided_by=user.pk)),
            adj=Exists(
                ScreeningHit.objects.filter(run__proposal=OuterRef("pk"), adjudicated_by=user.pk)
            ),
        )
        .values("submitter_id", "rb", "sec", "dec", "adj")
        .first()
    )
    if row is None:
        return {}
    done: dict[Duty, str] = {}
    if row["submitter_id"] == user.pk:
        done[Duty.SUBMIT] = DUTY_DONE[Duty.SUBMIT]
    if row["rb"]:
        done[Duty.RISK_BENEFIT] = DUTY_DONE[Duty.RISK_BENEFIT]
    if row["sec"] or row["adj"]:
        done[Duty.SECURITY] = DUTY_DONE[Duty.SECURITY] if row["sec"] else ADJUDICATED
    if row["dec"]:
        done[Duty.DECIDE] = DUTY_DONE[Duty.DECIDE]
    return done


def _separation(
    user: User, proposal: Proposal, wanted: Duty, phrase: str | None = None
) -> str | None:
    """Why ``user`` may not take ``wanted`` on ``proposal``, having acted in another part.

    The submitter is refused earlier, by ``_reviewer_refusal``.
    """
    for duty, done in duties_done(user, proposal).items():
        if duty not in (Duty.SUBMIT, wanted):
            return separation_refusal(done, phrase or DUTY_WANTED[wanted])
    return None


def refusal_create(user: User) -> str | None:
    return None if has_role(user, Role.SUBMITTER) else ONLY_SUBMITTERS_CREATE


def refusal_edit(user: User, proposal: Proposal) -> str | None:
    return _owner_refusal(user, proposal, "edit")


def refusal_submit(user: User, proposal: Proposal) -> str | None:
    return _owner_refusal(user, proposal, "submit")


def refusal_resubmit(user: User, proposal: Proposal) -> str | None:
    return _owner_refusal(user, proposal, "resubmit")


def refusal_withdraw(user: User, proposal: Proposal) -> str | None:
    return _owner_refusal(user, proposal, "withdraw")


def refusal_screen(user: User, proposal: Proposal) -> str | None:
    if is_system_user(user) or any(
        has_role(user, role) for role in (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)
    ):
        return None
    return ONLY_STAFF_SCREEN


def refusal_adjudicate(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "adjudicate") or _separation(
        user, proposal, Duty.SECURITY, ADJUDICATE_WANTED
    )


def _round_assessors(proposal: Proposal) -> tuple[Any, Any]:
    """Who made this round's risk–benefit and national-security assessments, if anyone."""
    this_round = {"proposal": proposal, "round": proposal.round}
    risk_benefit = (
        RiskBenefitAssessment.objects.filter(**this_round).select_related("assessor").first()
    )
    security = SecurityAssessment.objects.filter(**this_round).select_related("assessor").first()
    return (
        risk_benefit.assessor if risk_benefit else None,
        security.assessor if security else None,
    )


def refusal_assess_risk_benefit(user: User, proposal: Proposal) -> str | None:
    refusal = _reviewer_refusal(user, proposal, "assess_risk_benefit")
    if refusal:
        return refusal
    made_by, _ = _round_assessors(proposal)
    if made_by is not None and made_by.pk != user.pk:
        return (
            f"This round's risk–benefit assessment was made by {made_by.get_username()}; "
            "only they can revise it."
        )
    return _separation(user, proposal, Duty.RISK_BENEFIT)


def refusal_assess_security(user: User, proposal: Proposal) -> str | None:
    refusal = _reviewer_refusal(user, proposal, "assess_security")
    if refusal:
        return refusal
    _, made_by = _round_assessors(proposal)
    if made_by is not None and made_by.pk != user.pk:
        return (
            f"This round's national-security assessment was made by {made_by.get_username()}; "
            "only they can revise it."
        )
    return _separation(user, proposal, Duty.SECURITY)


def refusal_return(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "return")


def refusal_decide(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "decide") or _separation(user, proposal, Duty.DECIDE)


def refusal_suspend(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "suspend")


def refusal_resume(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "resume")


def refusal_terminate(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "terminate")


def refusal_clear_flag(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "clear_flag")


def refusal_acknowledge_conditions(user: User, proposal: Proposal) -> str | None:
    if not has_role(user, Role.SUBMITTER) or not _owns(user, proposal):
        return ONLY_SUBMITTER_ACKNOWLEDGES
    return None


def refusal_resolve_condition(user: User, proposal: Proposal) -> str | None:
    return _reviewer_refusal(user, proposal, "resolve_condition")


def refusal_view_dashboard(user: User) -> str | None:
    roles = (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ANALYST, Role.ADMINISTRATOR)
    if any(has_role(user, role) for role in roles):
        return None
    return ONLY_DASHBOARD_READERS


def refusal_manage_screening_lists(user: User) -> str | None:
    if has_role(user, Role.ADMINISTRATOR) or is_system_user(user):
        return None
    return ONLY_ADMINS_IMPORT_LISTS


def refusal_manage_cet(user: User) -> str | None:
    if has_role(user, Role.ADMINISTRATOR) or is_system_user(user):
        return None
    return ONLY_ADMINS_MANAGE_CET


def _state_allows(proposal: Proposal, *actions: ProposalAction) -> bool:
    return any(next_state(proposal.state, action) is not None for action in actions)


def can_view(user: User, proposal: Proposal) -> bool:
    return Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()


def can_create(user: User) -> bool:
    return refusal_create(user) is None


def can_edit(user: User, proposal: Proposal) -> bool:
    editable = proposal.state in (ProposalState.DRAFT, ProposalState.RETURNED)
    return editable and refusal_edit(user, proposal) is None


def can_submit(user: User, proposal: Proposal) -> bool:
    return _state_allows(proposal, ProposalAction.SUBMIT) and refusal_submit(user, proposal) is None


def can_resubmit(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.RESUBMIT)
    return allowed and refusal_resubmit(user, proposal) is None


def can_withdraw(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.WITHDRAW)
    return allowed and refusal_withdraw(user, proposal) is None


def can_screen(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.SCREEN, ProposalAction.SCREEN_CLEAR)
    return allowed and refusal_screen(user, proposal) is None


def can_adjudicate(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.ADJUDICATE, ProposalAction.ADJUDICATE_LAST)
    return allowed and refusal_adjudicate(user, proposal) is None


def can_assess_risk_benefit(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.ASSESS_RISK_BENEFIT)
    return allowed and refusal_assess_risk_benefit(user, proposal) is None


def can_assess_security(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.ASSESS_SECURITY)
    return allowed and refusal_assess_security(user, proposal) is None


def can_return(user: User, proposal: Proposal) -> bool:
    return _state_allows(proposal, ProposalAction.RETURN) and refusal_return(user, proposal) is None


def can_decide(user: User, proposal: Proposal) -> bool:
    return proposal.state == ProposalState.IN_REVIEW and refusal_decide(user, proposal) is None


def can_suspend(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.SUSPEND)
    return allowed and refusal_suspend(user, proposal) is None


def can_resume(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.RESUME)
    return allowed and refusal_resume(user, proposal) is None


def can_terminate(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.TERMINATE)
    return allowed and refusal_terminate(user, proposal) is None


def can_clear_flag(user: User, proposal: Proposal) -> bool:
    return refusal_clear_flag(user, proposal) is None


def can_acknowledge_conditions(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.ACKNOWLEDGE_CONDITIONS)
    return allowed and refusal_acknowledge_conditions(user, proposal) is None


def can_resolve_condition(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.MEET_CONDITION)
    return allowed and refusal_resolve_condition(user, proposal) is None


def can_view_dashboard(user: User) -> bool:
    return refusal_view_dashboard(user) is None


def can_manage_screening_lists(user: User) -> bool:
    return refusal_manage_screening_lists(user) is None


def can_manage_cet(user: User) -> bool:
    return refusal_manage_cet(user) is None


def refusal_assign(user: User, proposal: Proposal, step: ReviewStep | str) -> str | None:
    """Whoever holds a step's role may assign it (to themselves: claim it), except on their
    own proposal."""
    role = ReviewStep(step).role
    if not has_role(user, role):
        return (
            f"Only a {role.label.lower()} can assign the {ReviewStep(step).label.lower()} "
            "of a proposal."
        )
    if _owns(user, proposal):
        return "You submitted this proposal, so you cannot assign its assessments."
    return None


def can_assign(user: User, proposal: Proposal, step: ReviewStep | str) -> bool:
    return _state_allows(proposal, ProposalAction.ASSIGN) and not refusal_assign(
        user, proposal, step
    )


# --- Researcher safety and the programme report -------------------------------------------

ONLY_TEAM_OR_REVIEWERS_RECORD_TRIPS = (
    "Only the project's submitter, reviewers and security reviewers record trips."
)
ONLY_TEAM_OR_REVIEWERS_REPORT_INCIDENTS = (
    "Only the project's submitter, reviewers and security reviewers report incidents."
)
ONLY_SECURITY_RECORDS_BRIEFINGS = "Only a security reviewer records pre-travel briefings."
ONLY_REPORT_READERS = (
    "Only reviewers, security reviewers, analysts and administrators read the programme report."
)


def _team_or_reviewer(user: User, proposal: Proposal) -> bool:
    if has_role(user, Role.SUBMITTER) and _owns(user, proposal):
        return True
    if _owns(user, proposal):
        return False
    return has_role(user, Role.REVIEWER) or has_role(user, Role.SECURITY_REVIEWER)


def refusal_record_trip(user: User, proposal: Proposal) -> str | None:
    return None if _team_or_reviewer(user, proposal) else ONLY_TEAM_OR_REVIEWERS_RECORD_TRIPS


def refusal_report_incident(user: User, proposal: Proposal) -> str | None:
    return None if _team_or_reviewer(user, proposal) else ONLY_TEAM_OR_REVIEWERS_REPORT_INCIDENTS


def refusal_record_briefing(user: User, proposal: Proposal) -> str | None:
    if not has_role(user, Role.SECURITY_REVIEWER):
        return ONLY_SECURITY_RECORDS_BRIEFINGS
    if _owns(user, proposal):
        return "You submitted this proposal, so you cannot record its briefings."
    return None


def can_record_trip(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.RECORD_TRIP)
    return allowed and refusal_record_trip(user, proposal) is None


def can_record_briefing(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.RECORD_BRIEFING)
    return allowed and refusal_record_briefing(user, proposal) is None


def can_report_incident(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.REPORT_INCIDENT)
    return allowed and refusal_report_incident(user, proposal) is None


def refusal_read_report(user: User) -> str | None:
    roles = (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ANALYST, Role.ADMINISTRATOR)
    return None if any(has_role(user, role) for role in roles) else ONLY_REPORT_READERS


def can_see_report_detail(user: User) -> bool:
    """Per-project rows of the report; analysts read the aggregate figures only."""
    roles = (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)
    return any(has_role(user, role) for role in roles)


# After approval (issue 16): the reciprocity ledger and disputes --------------------------------

ONLY_TEAM_AND_REVIEWERS_RECORD = (
    "Only the project's submitter, reviewers and security reviewers record data exchanges."
)
ONLY_REVIEWERS_OPEN_DISPUTES = "Only reviewers and security reviewers open disputes."
ONLY_REVIEWERS_TAKE_DISPUTE_STEPS = "Only a reviewer can take a step in a dispute."
OPENER_DOES_NOT_DECIDE = (
    "You opened this dispute; another reviewer decides whether it is resolved or cooperation "
    "ceases (separation of duties)."
)
ONLY_STAFF_SEE_CONCERNS = (
    "Only reviewers, security reviewers and administrators see the reciprocity concerns."
)


def refusal_record_exchange(user: User, proposal: Proposal) -> str | None:
    if has_role(user, Role.SUBMITTER) and _owns(user, proposal):
        return None
    if any(has_role(user, role) for role in (Role.REVIEWER, Role.SECURITY_REVIEWER)):
        return None
    return ONLY_TEAM_AND_REVIEWERS_RECORD


def can_record_exchange(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.RECORD_EXCHANGE)
    return allowed and refusal_record_exchange(user, proposal) is None


def refusal_open_dispute(user: User, proposal: Proposal) -> str | None:
    if not any(has_role(user, role) for role in (Role.REVIEWER, Role.SECURITY_REVIEWER)):
        return ONLY_REVIEWERS_OPEN_DISPUTES
    if _owns(user, proposal):
        return "You submitted this project, so you cannot open a dispute about it."
    return None


def can_open_dispute(user: User, proposal: Proposal) -> bool:
    allowed = _state_allows(proposal, ProposalAction.OPEN_DISPUTE)
    return allowed and refusal_open_dispute(user, proposal) is None


def refusal_dispute_step(
    user: User, proposal: Proposal, opened_by_id: int, action: str
) -> str | None:
    """Reviewers take the steps; the outcome (resolved or ceased) is not the opener's call."""
    if not has_role(user, Role.REVIEWER):
        return ONLY_REVIEWERS_TAKE_DISPUTE_STEPS
    if _owns(user, proposal):
        return "You submitted this project, so you cannot take a step in its dispute."
    if action in ("resolve", "cease") and user.pk == opened_by_id:
        return OPENER_DOES_NOT_DECIDE
    return None


def refusal_view_concerns(user: User) -> str | None:
    roles = (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)
    if any(has_role(user, role) for role in roles):
        return None
    return ONLY_STAFF_SEE_CONCERNS
