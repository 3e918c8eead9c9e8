"""Demo researcher-safety records on the approved demo projects, on their days: a trip months
ago, briefed before it started; an incident on another project some weeks later; and a trip
recorded this week, weeks ahead, with no briefing yet (so it shows in the security reviewers'
queue). Made through the services; what is already there is not made again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from . import services
from .demo_timeline import Story, days_ago
from .models import Proposal
from .workflow import ProposalState

SAFETY_TRIP_PROJECT = "Giant panda gut microbiome"
SAFETY_INCIDENT_PROJECT = "Seismic hazard of the Longmen Shan fault"
UNBRIEFED_TRAVELLER = "Dr. Maya Ortiz (field microbiologist)"
BRIEFED_TRAVELLER = "Sam Lee (graduate student)"
INCIDENT_PLACE = "Chengdu Shuangliu International Airport, on arrival"
# Days ago: the briefed trip recorded, briefed, started; the incident; the unbriefed trip.
BRIEFED_RECORDED, BRIEFED_GIVEN, BRIEFED_STARTS = 100, 88, 80
INCIDENT_OCCURRED, INCIDENT_REPORTED = 75, 73
UNBRIEFED_RECORDED, UNBRIEFED_STARTS_IN = 3, 20


def _trip_project(people: Any) -> Proposal | None:
    return Proposal.objects.filter(
        submitter=people.submitter, title=SAFETY_TRIP_PROJECT, state=ProposalState.APPROVED
    ).first()


def _recorded(project: Proposal, traveller: str) -> bool:
    return project.travel_plans.filter(traveller=traveller).exists()


def safety_story(*, people: Any, today: dt.date, log: Callable[[str], None]) -> Story:
    """The trips and the incident, each step on its day before ``today``."""

    def day(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    yield days_ago(BRIEFED_RECORDED, today=today)
    project = _trip_project(people)
    plan = None
    if project is not None and not _recorded(project, BRIEFED_TRAVELLER):
        plan = services.travel_plan_record(
            proposal=project,
            trip=services.TripInput(
                traveller=BRIEFED_TRAVELLER,
                destination="Ya'an, Sichuan",
                host_institution="Bifengxia panda base",
                starts_on=day(BRIEFED_STARTS),
                ends_on=day(BRIEFED_STARTS - 7),
                purpose="Sequencing workshop with the partner's laboratory.",
            ),
            acting_user=people.submitter,
            reason="Workshop visit planned",
        )
    yield days_ago(BRIEFED_GIVEN, today=today)
    if plan is not None:
        services.travel_briefing_record(
            travel_plan=plan,
            given_by="Agency research security office",
            given_on=timezone.localdate(),
            device_guidance_given=True,
            acting_user=people.security,
            reason="Briefed in person; a loaner laptop issued",
        )
        log(f"trip       briefed                  {SAFETY_TRIP_PROJECT}")
    yield days_ago(INCIDENT_REPORTED, today=today)
    incident_project = Proposal.objects.filter(
        submitter=people.submitter, title=SAFETY_INCIDENT_PROJECT
    ).first()
    if incident_project is not None and not incident_project.incidents.exists():
        services.incident_report(
            proposal=incident_project,
            incident=services.IncidentInput(
                kind="device",
                occurred_on=day(INCIDENT_OCCURRED),
                place=INCIDENT_PLACE,
                description=(
                    "Border officers took the team's laptop for about two hours and asked for "
                    "its password, which was not given. The laptop was a clean loaner; no "
                    "project data was on it."
                ),
            ),
            acting_user=people.submitter,
            reason="Reported on return",
        )
        log(f"incident   device search            {SAFETY_INCIDENT_PROJECT}")
    yield days_ago(UNBRIEFED_RECORDED, today=today)
    project = _trip_project(people)
    if project is not None and not _recorded(project, UNBRIEFED_TRAVELLER):
        starts = today + dt.timedelta(days=UNBRIEFED_STARTS_IN)
        services.travel_plan_record(
            proposal=project,
            trip=services.TripInput(
                traveller=UNBRIEFED_TRAVELLER,
                destination="Chengdu, Sichuan",
                host_institution="Chengdu Research Base of Giant Panda Breeding",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=14),
                purpose="Collect faecal samples with the keepers for the spring series.",
            ),
            acting_user=people.submitter,
            reason="Spring sampling trip planned",
        )
        log(f"trip       no briefing yet          {SAFETY_TRIP_PROJECT}")
