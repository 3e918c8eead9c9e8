"""Researcher safety: trips recorded before travel, briefings given before them, incidents
reported and made known to the security reviewers at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from sta_tracker.text import NUL_MESSAGE, strip_bidi_controls

from .. import permissions
from ..errors import InvalidInput, TransitionNotAllowed
from ..models import (
    Dispute,
    DisputeGround,
    GroundKind,
    Incident,
    IncidentFollowUp,
    IncidentKind,
    NotificationKind,
    ProjectGround,
    Proposal,
    ProposalEvent,
    TravelPlan,
)
from ..workflow import ProposalAction
from .core import clean_reason, lock, move, require_action, staff_for
from .decisions import after_approval_move
from .disputes import open_dispute_in_transaction
from .grounds import GroundInput
from .notifications import notify


@dataclass(frozen=True)
class TripInput:
    """One trip as the project team or a reviewer states it."""

    traveller: str
    destination: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    purpose: str
    host_institution: str = ""


@dataclass(frozen=True)
class IncidentInput:
    """What happened, as the person reporting it states it."""

    kind: str
    occurred_on: dt.date | None
    place: str
    description: str
    travel_plan_id: int | None = None


def _text(value: str, field: str, problems: dict[str, list[str]], missing: str) -> str:
    if "\x00" in (value or ""):
        problems.setdefault(field, []).append(NUL_MESSAGE)
        return ""
    text = strip_bidi_controls(value or "").strip()
    if not text:
        problems.setdefault(field, []).append(missing)
    return text


@dataclass(frozen=True)
class CleanTrip:
    traveller: str
    destination: str
    starts_on: dt.date
    ends_on: dt.date
    purpose: str
    host_institution: str


def clean_trip(trip: TripInput, *, today: dt.date) -> CleanTrip:
    """The trip stripped; ``InvalidInput`` naming every problem, so nothing is written."""
    problems: dict[str, list[str]] = {}
    traveller = _text(trip.traveller, "traveller", problems, "Say who travels.")
    destination = _text(trip.destination, "destination", problems, "Say where they travel to.")
    purpose = _text(trip.purpose, "purpose", problems, "Say what the trip is for.")
    host = strip_bidi_controls(trip.host_institution or "").strip()
    if "\x00" in host:
        problems.setdefault("host_institution", []).append(NUL_MESSAGE)
    if trip.starts_on is None:
        problems.setdefault("starts_on", []).append("Give the first day of the trip.")
    elif trip.starts_on < today:
        problems.setdefault("starts_on", []).append(
            f"The trip starts on {trip.starts_on.isoformat()}, which has passed; trips are "
            "recorded before travel."
        )
    if trip.ends_on is None:
        problems.setdefault("ends_on", []).append("Give the last day of the trip.")
    elif trip.starts_on is not None and trip.ends_on < trip.starts_on:
        problems.setdefault("ends_on", []).append("The trip cannot end before it starts.")
    if problems or trip.starts_on is None or trip.ends_on is None:
        raise InvalidInput(problems)
    return CleanTrip(
        traveller=traveller,
        destination=destination,
        starts_on=trip.starts_on,
        ends_on=trip.ends_on,
        purpose=purpose,
        host_institution=host,
    )


def travel_plan_record(
    *,
    proposal: Proposal,
    trip: TripInput,
    acting_user: Any,
    reason: str,
    today: dt.date | None = None,
) -> TravelPlan:
    """Record a trip under an approved project, before it starts; the security reviewers are
    told a briefing is due."""
    reason = clean_reason(reason)
    cleaned = clean_trip(trip, today=today or timezone.localdate())
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.RECORD_TRIP,
            permissions.refusal_record_trip(acting_user, locked),
        )
        plan = TravelPlan(
            proposal=locked,
            traveller=cleaned.traveller,
            destination=cleaned.destination,
            host_institution=cleaned.host_institution,
            starts_on=cleaned.starts_on,
            ends_on=cleaned.ends_on,
            purpose=cleaned.purpose,
            recorded_by=acting_user,
        )
        save_with_history(plan, acting_user=acting_user, reason=reason)
        move(
            locked,
            ProposalAction.RECORD_TRIP,
            acting_user=acting_user,
            reason=f"Trip of {plan.traveller} to {plan.destination} from "
            f"{plan.starts_on.isoformat()}: {reason}",
        )
        notify(
            proposal=locked,
            kind=NotificationKind.TRIP_RECORDED,
            recipients=staff_for(locked, Role.SECURITY_REVIEWER),
            subject=f"Trip to brief: {plan.traveller}, {plan.starts_on.isoformat()}",
            body=(
                f"A trip was recorded under “{locked.title}”.\n\n"
                f"Who: {plan.traveller}\nWhere: {plan.destination}"
                + (f" ({plan.host_institution})" if plan.host_institution else "")
                + f"\nWhen: {plan.starts_on.isoformat()} to {plan.ends_on.isoformat()}\n"
                f"Purpose: {plan.purpose}\n\nNo pre-travel briefing is recorded yet."
            ),
            expected="give the traveller the pre-travel briefing and device guidance, and "
            f"record it before {plan.starts_on.isoformat()}",
        )
    return plan


def travel_briefing_record(
    *,
    travel_plan: TravelPlan,
    given_by: str,
    given_on: dt.date | None,
    device_guidance_given: bool,
    acting_user: Any,
    reason: str,
    today: dt.date | None = None,
) -> TravelPlan:
    """A security reviewer records the pre-travel briefing of one trip: by whom, on which day,
    and whether device guidance was given. Recorded once."""
    reason = clean_reason(reason)
    problems: dict[str, list[str]] = {}
    who = _text(given_by, "given_by", problems, "Say who gave the briefing.")
    today = today or timezone.localdate()
    if given_on is None:
        problems.setdefault("given_on", []).append("Give the day the briefing was given.")
    elif given_on > today:
        problems.setdefault("given_on", []).append(
            "A briefing is recorded once it has been given, not ahead."
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic(durable=True):
        locked = lock(travel_plan.proposal_id)
        require_action(
            locked,
            ProposalAction.RECORD_BRIEFING,
            permissions.refusal_record_briefing(acting_user, locked),
        )
        plan = TravelPlan.objects.select_for_update().get(pk=travel_plan.pk, proposal=locked)
        if plan.briefed:
            raise TransitionNotAllowed(
                f"The briefing of this trip was already recorded (given on "
                f"{plan.briefing_given_on.isoformat() if plan.briefing_given_on else ''} by "
                f"{plan.briefing_given_by}); it is recorded once."
            )
        if given_on is not None and given_on > plan.ends_on:
            raise InvalidInput.single(
                "given_on", "A pre-travel briefing is given before the trip ends."
            )
        plan.briefing_given_by = who
        plan.briefing_given_on = given_on
        plan.device_guidance_given = bool(device_guidance_given)
        plan.briefing_recorded_by = acting_user
        save_with_history(plan, acting_user=acting_user, reason=reason)
        guidance = "with" if plan.device_guidance_given else "without"
        move(
            locked,
            ProposalAction.RECORD_BRIEFING,
            acting_user=acting_user,
            reason=f"Briefing of {plan.traveller} by {who} on {given_on}, {guidance} device "
            f"guidance: {reason}",
        )
    return plan


def incident_report(
    *, proposal: Proposal, incident: IncidentInput, acting_user: Any, reason: str
) -> Incident:
    """Record what happened to a researcher; every security reviewer is told at once."""
    reason = clean_reason(reason)
    problems: dict[str, list[str]] = {}
    if incident.kind not in IncidentKind.values:
        problems["kind"] = ["Choose what kind of incident it was."]
    place = _text(incident.place, "place", problems, "Say where it happened.")
    description = _text(incident.description, "description", problems, "Say what happened.")
    occurred_on = incident.occurred_on
    if occurred_on is None:
        problems.setdefault("occurred_on", []).append("Give the day it happened.")
    elif occurred_on > timezone.localdate():
        problems.setdefault("occurred_on", []).append("An incident is reported once it happened.")
    if problems or occurred_on is None:
        raise InvalidInput(problems)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.REPORT_INCIDENT,
            permissions.refusal_report_incident(acting_user, locked),
        )
        plan = None
        if incident.travel_plan_id is not None:
            plan = TravelPlan.objects.filter(pk=incident.travel_plan_id, proposal=locked).first()
            if plan is None:
                raise InvalidInput.single("travel_plan", "Choose a trip of this project.")
        row = Incident(
            proposal=locked,
            travel_plan=plan,
            kind=incident.kind,
            occurred_on=occurred_on,
            place=place,
            description=description,
            reported_by=acting_user,
        )
        save_with_history(row, acting_user=acting_user, reason=reason)
        kind = IncidentKind(row.kind).label
        move(
            locked,
            ProposalAction.REPORT_INCIDENT,
            acting_user=acting_user,
            reason=f"{kind} on {row.occurred_on.isoformat()} at {place}: {reason}",
        )
        notify(
            proposal=locked,
            kind=NotificationKind.INCIDENT_REPORTED,
            recipients=staff_for(locked, Role.SECURITY_REVIEWER),
            subject=f"Incident: {kind.lower()}, {locked.title}",
            body=(
                f"An incident was reported under “{locked.title}”.\n\n"
                f"Kind: {kind}\nWhen: {row.occurred_on.isoformat()}\nWhere: {place}\n"
                + (f"Trip: {plan}\n" if plan else "")
                + f"Reported by: {acting_user.get_full_name() or acting_user.get_username()}\n\n"
                f"What happened:\n{description}\n"
            ),
            expected="read the report and decide whether the incident grounds a dispute or a "
            "suspension",
        )
    return row


def incident_words(incident: Incident) -> str:
    """How a ground or a dispute names the incident."""
    return (
        f"Incident {incident.pk}: {IncidentKind(incident.kind).label.lower()} on "
        f"{incident.occurred_on.isoformat()} at {incident.place}"
    )


def incident_suspend(*, incident: Incident, acting_user: Any, reason: str) -> ProposalEvent:
    """A reviewer suspends the project on the ground of the incident: the suspension's ground
    names it, and the incident records what it led to, in one transaction."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(incident.proposal_id)
        row = Incident.objects.get(pk=incident.pk, proposal=locked)
        event = after_approval_move(
            locked,
            ProposalAction.SUSPEND,
            NotificationKind.SUSPENDED,
            "suspended",
            refusal=permissions.refusal_suspend(acting_user, locked),
            acting_user=acting_user,
            reason=reason,
            ground=GroundInput(kind=GroundKind.INCIDENT, detail=incident_words(row)),
        )
        IncidentFollowUp.objects.create(
            incident=row, ground=ProjectGround.objects.get(event=event), recorded_by=acting_user
        )
    return event


def incident_dispute_open(
    *,
    incident: Incident,
    statement: str,
    cited_clause_ids: list[int],
    acting_user: Any,
) -> Dispute:
    """A reviewer opens a dispute on researcher safety grounded in the incident, through the
    dispute service (its checks, event, chain link and notices), and records the link, in one
    transaction: if the link cannot be written, neither is the dispute.
    """
    statement = clean_reason(statement, field="statement")
    with transaction.atomic(durable=True):
        dispute = open_dispute_in_transaction(
            proposal=incident.proposal,
            ground=DisputeGround.RESEARCHER_SAFETY,
            statement=f"{incident_words(incident)}.\n{statement}",
            cited_clause_ids=cited_clause_ids,
            acting_user=acting_user,
        )
        IncidentFollowUp.objects.create(dispute=dispute, incident=incident, recorded_by=acting_user)
    return dispute
