"""Researcher-safety pages of a project: its trips and their briefings, its incidents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, services
from .forms_safety import (
    BriefingForm,
    IncidentDisputeForm,
    IncidentForm,
    IncidentSuspendForm,
    TripForm,
)
from .models import Dispute, Incident, Proposal, TravelPlan
from .pages import guard, is_review_staff, submit_form, visible_proposal
from .workflow import ProposalAction


def _nav(request: HttpRequest) -> str:
    return "proposals" if is_review_staff(request.user) else "my_proposals"


@require_GET
def safety(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's trips (briefed or not) and its incidents, with what this person may do."""
    proposal = visible_proposal(request, pk)
    user = request.user
    today = timezone.localdate()
    trips = list(proposal.travel_plans.select_related("briefing_recorded_by").order_by("starts_on"))
    flagged = {trip.pk for trip in trips if not trip.briefed and trip.starts_on >= today}
    incidents = list(proposal.incidents.select_related("reported_by", "travel_plan"))
    context = {
        "proposal": proposal,
        "trips": trips,
        "flagged": flagged,
        "incidents": incidents,
        "today": today,
        "can_record_trip": permissions.can_record_trip(user, proposal),
        "can_record_briefing": permissions.can_record_briefing(user, proposal),
        "can_report_incident": permissions.can_report_incident(user, proposal),
        "nav": _nav(request),
    }
    return render(request, "reviews/safety/project.html", context)


@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = TripForm(request.POST or None)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.travel_plan_record(
                proposal=proposal,
                trip=form.trip(),
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Trip recorded. The security reviewers are asked to brief it.",
            then=lambda _: redirect("reviews:safety", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.RECORD_TRIP,),
            permissions.refusal_record_trip(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {"proposal": proposal, "form": form, "nav": _nav(request)}
    return render(request, "reviews/safety/trip_form.html", context, status=status)


def _trip(proposal: Proposal, trip_pk: int) -> TravelPlan:
    return get_object_or_404(TravelPlan.objects.filter(proposal=proposal), pk=trip_pk)


@require_http_methods(["GET", "POST"])
def trip_briefing(request: HttpRequest, pk: int, trip_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    trip = _trip(proposal, trip_pk)
    form = BriefingForm(
        request.POST or None, initial={"given_on": timezone.localdate().isoformat()}
    )
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.travel_briefing_record(
                travel_plan=trip,
                given_by=form.cleaned_data["given_by"],
                given_on=form.cleaned_data["given_on"],
                device_guidance_given=form.cleaned_data["device_guidance_given"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Briefing recorded; the trip leaves the queue.",
            then=lambda _: redirect("reviews:safety", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.RECORD_BRIEFING,),
            permissions.refusal_record_briefing(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {"proposal": proposal, "trip": trip, "form": form, "nav": _nav(request)}
    return render(request, "reviews/safety/briefing_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    trips = list(proposal.travel_plans.order_by("starts_on"))
    form = IncidentForm(request.POST or None, trips=trips)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.incident_report(
                proposal=proposal,
                incident=form.incident(),
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Incident reported; the security reviewers are told.",
            then=lambda incident: redirect("reviews:incident_detail", proposal.pk, incident.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.REPORT_INCIDENT,),
            permissions.refusal_report_incident(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {"proposal": proposal, "form": form, "nav": _nav(request)}
    return render(request, "reviews/safety/incident_form.html", context, status=status)


def _incident(proposal: Proposal, incident_pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.filter(proposal=proposal).select_related("reported_by", "travel_plan"),
        pk=incident_pk,
    )


def _clauses_today() -> list[Any]:
    return list(
        services.clauses_in_force(timezone.localdate())
        .select_related("version__agreement")
        .order_by("version__agreement__short_title", "version", "order")
    )


def _incident_page(
    request: HttpRequest,
    proposal: Proposal,
    incident: Incident,
    *,
    suspend_form: IncidentSuspendForm | None = None,
    dispute_form: IncidentDisputeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_suspend = permissions.can_suspend(user, proposal)
    can_dispute = permissions.can_open_dispute(user, proposal) and not (
        Dispute.objects.open().filter(proposal=proposal).exists()
    )
    follow_ups = list(
        incident.follow_ups.select_related("dispute", "ground__event", "recorded_by").order_by(
            "recorded_at"
        )
    )
    context: dict[str, Any] = {
        "proposal": proposal,
        "incident": incident,
        "follow_ups": follow_ups,
        "can_suspend": can_suspend,
        "can_dispute": can_dispute,
        "suspend_form": suspend_form or (IncidentSuspendForm() if can_suspend else None),
        "dispute_form": dispute_form
        or (IncidentDisputeForm(clauses=_clauses_today()) if can_dispute else None),
        "nav": _nav(request),
    }
    return render(request, "reviews/safety/incident_detail.html", context, status=status)


@require_GET
def incident_detail(request: HttpRequest, pk: int, incident_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    return _incident_page(request, proposal, _incident(proposal, incident_pk))


@require_POST
def incident_suspend(request: HttpRequest, pk: int, incident_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    incident = _incident(proposal, incident_pk)
    form = IncidentSuspendForm(request.POST)
    answer = submit_form(
        request,
        form,
        lambda: services.incident_suspend(
            incident=incident, acting_user=request.user, reason=form.cleaned_data["reason"]
        ),
        proposal=proposal,
        done="The project is suspended on the ground of this incident.",
        then=lambda _: redirect("reviews:incident_detail", proposal.pk, incident.pk),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return _incident_page(request, proposal, incident, suspend_form=form, status=answer)


@require_POST
def incident_dispute(request: HttpRequest, pk: int, incident_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    incident = _incident(proposal, incident_pk)
    form = IncidentDisputeForm(request.POST, clauses=_clauses_today())
    answer = submit_form(
        request,
        form,
        lambda: services.incident_dispute_open(
            incident=incident,
            statement=form.cleaned_data["statement"],
            cited_clause_ids=list(form.cleaned_data["cited_clause_ids"]),
            acting_user=request.user,
        ),
        proposal=proposal,
        done="Dispute opened on this incident; consultation requested.",
        then=lambda _: redirect("reviews:incident_detail", proposal.pk, incident.pk),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return _incident_page(request, proposal, incident, dispute_form=form, status=answer)
