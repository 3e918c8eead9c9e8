"""Researcher safety: trips recorded and briefed, flagged until they start; incidents reported,
told to the security reviewers at once, and grounding a suspension or a dispute."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError
from django.utils import timezone

from clauses.models import Version
from reviews.audit import verify_chain
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import (
    AppendOnlyError,
    Dispute,
    DisputeStep,
    GroundKind,
    Incident,
    IncidentFollowUp,
    NotificationKind,
    NotificationOutbox,
    ProjectGround,
    Proposal,
    ProposalEvent,
    TravelPlan,
)
from reviews.services import (
    IncidentInput,
    TripInput,
    incident_dispute_open,
    incident_report,
    incident_suspend,
    travel_briefing_record,
    travel_plan_record,
)
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    return proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)


def trip(**overrides: Any) -> TripInput:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "traveller": "Dr. Maya Ortiz",
        "destination": "Chengdu, Sichuan",
        "starts_on": today + dt.timedelta(days=10),
        "ends_on": today + dt.timedelta(days=20),
        "purpose": "Sampling with the partner's keepers.",
        "host_institution": "Panda base",
    }
    fields.update(overrides)
    return TripInput(**fields)


def incident(**overrides: Any) -> IncidentInput:
    fields: dict[str, Any] = {
        "kind": "device",
        "occurred_on": timezone.localdate() - dt.timedelta(days=3),
        "place": "Airport, on arrival",
        "description": "The laptop was taken for two hours.",
    }
    fields.update(overrides)
    return IncidentInput(**fields)


def written() -> dict[str, int]:
    return {
        "trips": TravelPlan.objects.count(),
        "trip history": TravelPlan.history.count(),
        "incidents": Incident.objects.count(),
        "incident history": Incident.history.count(),
        "events": ProposalEvent.objects.count(),
        "outbox": NotificationOutbox.objects.count(),
    }


# --- Trips -------------------------------------------------------------------------------------


def test_a_recorded_trip_has_history_an_event_in_the_chain_and_tells_security_reviewers(
    approved: Proposal, alice: Any, charlie: Any
) -> None:
    plan = travel_plan_record(
        proposal=approved, trip=trip(), acting_user=alice, reason="Spring trip"
    )
    assert (plan.traveller, plan.briefed, plan.recorded_by) == ("Dr. Maya Ortiz", False, alice)
    row = plan.history.get()
    assert (row.history_user, row.history_change_reason) == (alice, "Spring trip")
    event = ProposalEvent.objects.filter(proposal=approved).latest("pk")
    assert (event.action, event.from_state, event.to_state) == (
        "record_trip",
        "approved",
        "approved",
    )
    assert "Dr. Maya Ortiz" in event.reason
    assert verify_chain().intact
    mail = NotificationOutbox.objects.get(kind=NotificationKind.TRIP_RECORDED)
    assert mail.recipient == charlie
    assert "No pre-travel briefing is recorded yet" in mail.body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"traveller": "  "}, "traveller"),
        ({"destination": ""}, "destination"),
        ({"purpose": ""}, "purpose"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": None}, "ends_on"),
        ({"traveller": "Ma\x00ya"}, "traveller"),
    ],
)
def test_a_trip_with_missing_or_bad_input_is_refused_and_nothing_is_written(
    approved: Proposal, alice: Any, overrides: dict[str, Any], field: str
) -> None:
    before = written()
    with pytest.raises(InvalidInput) as refused:
        travel_plan_record(
            proposal=approved, trip=trip(**overrides), acting_user=alice, reason="Trip"
        )
    assert field in refused.value.errors
    assert written() == before


def test_a_trip_ending_before_it_starts_or_starting_in_the_past_is_refused(
    approved: Proposal, alice: Any
) -> None:
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as backwards:
        travel_plan_record(
            proposal=approved,
            trip=trip(ends_on=today + dt.timedelta(days=5)),
            acting_user=alice,
            reason="Trip",
        )
    assert backwards.value.errors["ends_on"] == ["The trip cannot end before it starts."]
    with pytest.raises(InvalidInput) as past:
        travel_plan_record(
            proposal=approved,
            trip=trip(starts_on=today - dt.timedelta(days=1)),
            acting_user=alice,
            reason="Trip",
        )
    assert "trips are recorded before travel" in past.value.errors["starts_on"][0]
    assert TravelPlan.objects.count() == 0


def test_a_trip_is_recorded_only_under_an_approved_project(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    in_review = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    before = written()
    with pytest.raises(TransitionNotAllowed):
        travel_plan_record(proposal=in_review, trip=trip(), acting_user=alice, reason="Trip")
    assert written() == before


def test_outsiders_may_not_record_trips(approved: Proposal, frank: Any, dana: Any) -> None:
    before = written()
    for person in (frank, dana):
        with pytest.raises(PermissionRefused):
            travel_plan_record(proposal=approved, trip=trip(), acting_user=person, reason="Trip")
    assert written() == before


def test_a_reviewer_may_record_a_trip_too(approved: Proposal, bob: Any) -> None:
    assert travel_plan_record(proposal=approved, trip=trip(), acting_user=bob, reason="Trip").pk


def test_a_security_reviewer_records_the_briefing_once(
    approved: Proposal, alice: Any, bob: Any, charlie: Any
) -> None:
    plan = travel_plan_record(proposal=approved, trip=trip(), acting_user=alice, reason="Trip")
    with pytest.raises(PermissionRefused):
        travel_briefing_record(
            travel_plan=plan,
            given_by="Research security office",
            given_on=timezone.localdate(),
            device_guidance_given=True,
            acting_user=bob,
            reason="Briefed",
        )
    briefed = travel_briefing_record(
        travel_plan=plan,
        given_by="Research security office",
        given_on=timezone.localdate(),
        device_guidance_given=True,
        acting_user=charlie,
        reason="Briefed in person",
    )
    assert (briefed.briefed, briefed.device_guidance_given, briefed.briefing_recorded_by) == (
        True,
        True,
        charlie,
    )
    assert briefed.history.count() == 2
    assert ProposalEvent.objects.filter(action="record_briefing").count() == 1
    with pytest.raises(TransitionNotAllowed, match="recorded once"):
        travel_briefing_record(
            travel_plan=plan,
            given_by="Someone else",
            given_on=timezone.localdate(),
            device_guidance_given=False,
            acting_user=charlie,
            reason="Again",
        )


def test_a_briefing_dated_ahead_or_given_by_nobody_is_refused(
    approved: Proposal, alice: Any, charlie: Any
) -> None:
    plan = travel_plan_record(proposal=approved, trip=trip(), acting_user=alice, reason="Trip")
    with pytest.raises(InvalidInput) as refused:
        travel_briefing_record(
            travel_plan=plan,
            given_by="",
            given_on=timezone.localdate() + dt.timedelta(days=1),
            device_guidance_given=False,
            acting_user=charlie,
            reason="Briefed",
        )
    assert set(refused.value.errors) == {"given_by", "given_on"}
    plan.refresh_from_db()
    assert not plan.briefed


# --- Flagging by date -------------------------------------------------------------------------


def test_an_unbriefed_trip_is_flagged_the_day_before_and_on_its_start_but_not_after(
    approved: Proposal, alice: Any
) -> None:
    plan = travel_plan_record(proposal=approved, trip=trip(), acting_user=alice, reason="Trip")
    start = plan.starts_on
    flagged = TravelPlan.objects.unbriefed
    assert list(flagged(start - dt.timedelta(days=1))) == [plan]
    assert list(flagged(start)) == [plan]
    assert list(flagged(start + dt.timedelta(days=1))) == []


def test_a_briefed_trip_is_not_flagged(approved: Proposal, alice: Any, charlie: Any) -> None:
    plan = travel_plan_record(proposal=approved, trip=trip(), acting_user=alice, reason="Trip")
    travel_briefing_record(
        travel_plan=plan,
        given_by="Office",
        given_on=timezone.localdate(),
        device_guidance_given=True,
        acting_user=charlie,
        reason="Briefed",
    )
    assert list(TravelPlan.objects.unbriefed(plan.starts_on - dt.timedelta(days=1))) == []


# --- Incidents --------------------------------------------------------------------------------


def test_a_reported_incident_reaches_every_security_reviewer_at_once(
    approved: Proposal, alice: Any, charlie: Any, grace: Any
) -> None:
    row = incident_report(
        proposal=approved, incident=incident(), acting_user=alice, reason="Reported on return"
    )
    mails = NotificationOutbox.objects.filter(kind=NotificationKind.INCIDENT_REPORTED)
    assert {m.recipient for m in mails} == {charlie, grace}
    assert all("The laptop was taken for two hours." in m.body for m in mails)
    assert row.history.get().history_user == alice
    event = ProposalEvent.objects.filter(proposal=approved).latest("pk")
    assert event.action == "report_incident"
    assert "Device search or seizure" in event.reason
    assert verify_chain().intact


def test_an_incident_is_never_changed_or_deleted(approved: Proposal, alice: Any) -> None:
    row = incident_report(proposal=approved, incident=incident(), acting_user=alice, reason="R")
    row.place = "Elsewhere"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert Incident.objects.get().place == "Airport, on arrival"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "kidnap"}, "kind"),
        ({"occurred_on": None}, "occurred_on"),
        ({"place": ""}, "place"),
        ({"description": " "}, "description"),
    ],
)
def test_an_incident_with_bad_input_is_refused_and_nothing_is_written(
    approved: Proposal, alice: Any, overrides: dict[str, Any], field: str
) -> None:
    before = written()
    with pytest.raises(InvalidInput) as refused:
        incident_report(
            proposal=approved, incident=incident(**overrides), acting_user=alice, reason="R"
        )
    assert field in refused.value.errors
    assert written() == before


def test_an_incident_in_the_future_or_on_another_projects_trip_is_refused(
    approved: Proposal, alice: Any, bob: Any, charlie: Any, sta: Version
) -> None:
    with pytest.raises(InvalidInput):
        incident_report(
            proposal=approved,
            incident=incident(occurred_on=timezone.localdate() + dt.timedelta(days=1)),
            acting_user=alice,
            reason="R",
        )
    other = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    elsewhere = travel_plan_record(proposal=other, trip=trip(), acting_user=alice, reason="T")
    with pytest.raises(InvalidInput) as refused:
        incident_report(
            proposal=approved,
            incident=incident(travel_plan_id=elsewhere.pk),
            acting_user=alice,
            reason="R",
        )
    assert "travel_plan" in refused.value.errors
    assert Incident.objects.count() == 0


def test_outsiders_may_not_report_and_drafts_have_no_incidents(
    approved: Proposal, alice: Any, frank: Any, dana: Any, sta: Version
) -> None:
    for person in (frank, dana):
        with pytest.raises(PermissionRefused):
            incident_report(proposal=approved, incident=incident(), acting_user=person, reason="R")
    draft = proposal_in("draft", submitter=alice, version=sta)
    with pytest.raises(TransitionNotAllowed):
        incident_report(proposal=draft, incident=incident(), acting_user=alice, reason="R")
    assert Incident.objects.count() == 0


# --- What an incident leads to ----------------------------------------------------------------


def test_a_reviewer_suspends_the_project_on_the_ground_of_an_incident(
    approved: Proposal, alice: Any, bob: Any
) -> None:
    row = incident_report(proposal=approved, incident=incident(), acting_user=alice, reason="R")
    event = incident_suspend(incident=row, acting_user=bob, reason="Safety cannot be assured")
    approved.refresh_from_db()
    assert approved.state == "suspended"
    ground = ProjectGround.objects.get(event=event)
    assert ground.kind == GroundKind.INCIDENT
    assert f"Incident {row.pk}" in ground.detail
    assert IncidentFollowUp.objects.get(incident=row).ground == ground
    assert NotificationOutbox.objects.filter(kind="suspended", recipient=alice).exists()
    assert verify_chain().intact


def test_a_security_reviewer_may_not_suspend_and_nothing_is_linked(
    approved: Proposal, alice: Any, charlie: Any
) -> None:
    row = incident_report(proposal=approved, incident=incident(), acting_user=alice, reason="R")
    with pytest.raises(PermissionRefused):
        incident_suspend(incident=row, acting_user=charlie, reason="Unsafe")
    approved.refresh_from_db()
    assert approved.state == "approved"
    assert IncidentFollowUp.objects.count() == ProjectGround.objects.count() == 0


def test_an_incident_opens_a_dispute_on_researcher_safety_citing_a_clause(
    approved: Proposal, alice: Any, bob: Any, sta: Version
) -> None:
    row = incident_report(proposal=approved, incident=incident(), acting_user=alice, reason="R")
    cited = [sta.clauses.order_by("order").first().pk]
    dispute = incident_dispute_open(
        incident=row, statement="Explain the seizure.", cited_clause_ids=cited, acting_user=bob
    )
    assert (dispute.ground, dispute.status) == ("researcher_safety", "consultation_requested")
    assert dispute.statement.startswith(f"Incident {row.pk}: device search or seizure")
    assert IncidentFollowUp.objects.get(incident=row).dispute == dispute
    with pytest.raises(InvalidInput):
        incident_dispute_open(incident=row, statement=" ", cited_clause_ids=cited, acting_user=bob)
    assert Dispute.objects.count() == 1


def test_a_failed_link_leaves_no_dispute_event_or_notice(
    approved: Proposal, alice: Any, bob: Any, sta: Version, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = incident_report(proposal=approved, incident=incident(), acting_user=alice, reason="R")
    before = written()
    steps = DisputeStep.objects.count()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the link cannot be written")

    monkeypatch.setattr(IncidentFollowUp.objects, "create", refuse)
    cited = [sta.clauses.order_by("order").first().pk]
    with pytest.raises(DatabaseError):
        incident_dispute_open(
            incident=row, statement="Explain the seizure.", cited_clause_ids=cited, acting_user=bob
        )
    assert written() == before
    assert Dispute.objects.count() == Dispute.history.count() == 0
    assert DisputeStep.objects.count() == steps
    assert IncidentFollowUp.objects.count() == 0
    approved.refresh_from_db()
    assert approved.state == "approved"
    assert verify_chain().intact
