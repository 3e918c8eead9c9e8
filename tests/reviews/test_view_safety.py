"""The researcher-safety pages: the project's trips and incidents, the forms, the security
reviewers' queue of trips without a briefing, each per role, with bounded queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from clauses.models import Version
from reviews.models import Incident, NotificationOutbox, Proposal, TravelPlan
from reviews.services import IncidentInput, TripInput, incident_report, travel_plan_record
from tests.reviews.factories import proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    return proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)


def record_trip(proposal: Proposal, user: Any, *, days: int = 10, **kw: Any) -> TravelPlan:
    today = kw.pop("today", None) or timezone.localdate()
    return travel_plan_record(
        proposal=proposal,
        trip=TripInput(
            traveller=kw.pop("traveller", "Dr. Maya Ortiz"),
            destination="Chengdu",
            starts_on=today + dt.timedelta(days=days),
            ends_on=today + dt.timedelta(days=days + 5),
            purpose="Sampling",
        ),
        acting_user=user,
        reason="Trip",
        today=today,
    )


def trip_form(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "traveller": "Sam Lee",
        "destination": "Ya'an, Sichuan",
        "host_institution": "Panda base",
        "starts_on": (today + dt.timedelta(days=3)).isoformat(),
        "ends_on": (today + dt.timedelta(days=8)).isoformat(),
        "purpose": "Workshop",
        "reason": "Trip planned",
    }
    data.update(overrides)
    return data


def test_the_team_records_a_trip_on_the_page(approved: Proposal, alice: Any) -> None:
    client = as_user(alice)
    url = reverse("reviews:trip_create", args=[approved.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, trip_form())
    assert response.status_code == 302
    assert TravelPlan.objects.get().traveller == "Sam Lee"
    page = client.get(reverse("reviews:safety", args=[approved.pk]))
    assert "Sam Lee" in text(page)
    assert "Not given yet" in text(page)


def test_a_trip_ending_before_it_starts_is_shown_on_the_form(
    approved: Proposal, alice: Any
) -> None:
    today = timezone.localdate()
    response = as_user(alice).post(
        reverse("reviews:trip_create", args=[approved.pk]),
        trip_form(ends_on=(today + dt.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert "The trip cannot end before it starts." in text(response)
    assert TravelPlan.objects.count() == 0


def test_analysts_and_other_submitters_cannot_reach_the_safety_pages(
    approved: Proposal, dana: Any, frank: Any
) -> None:
    safety = reverse("reviews:safety", args=[approved.pk])
    new_trip = reverse("reviews:trip_create", args=[approved.pk])
    # Analysts see no proposal at all: the project is a 404 to them, as to other submitters.
    assert as_user(dana).get(safety).status_code == 404
    assert as_user(frank).get(safety).status_code == 404
    assert as_user(frank).post(new_trip, trip_form()).status_code == 404
    assert TravelPlan.objects.count() == 0


def test_the_trip_form_refuses_a_project_not_approved(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    in_review = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    response = as_user(alice).get(reverse("reviews:trip_create", args=[in_review.pk]))
    assert response.status_code == 409


def test_only_a_security_reviewer_records_a_briefing_on_the_page(
    approved: Proposal, alice: Any, bob: Any, charlie: Any
) -> None:
    plan = record_trip(approved, alice)
    url = reverse("reviews:trip_briefing", args=[approved.pk, plan.pk])
    assert as_user(bob).get(url).status_code == 403
    data = {
        "given_by": "Research security office",
        "given_on": timezone.localdate().isoformat(),
        "device_guidance_given": "on",
        "reason": "Briefed",
    }
    assert as_user(bob).post(url, data).status_code == 403
    assert as_user(charlie).post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.briefing_given_by, plan.device_guidance_given) == (
        "Research security office",
        True,
    )


def test_the_queue_lists_trips_without_a_briefing_until_their_first_day(
    approved: Proposal, alice: Any, charlie: Any, bob: Any
) -> None:
    today = timezone.localdate()
    record_trip(approved, alice, days=1, traveller="Tomorrow")
    record_trip(approved, alice, days=0, traveller="Today")
    # Recorded ten days ago, for a trip that began yesterday: no longer flagged.
    record_trip(approved, alice, days=9, traveller="Yesterday", today=today - dt.timedelta(days=10))
    client = as_user(charlie)
    page = client.get(reverse("reviews:queue_tab", args=["trips"]))
    body = text(page)
    assert "Trips without a briefing 2" in body
    assert "Tomorrow" in body
    assert "Today" in body
    assert "Yesterday" not in body
    # The trips tab is the security reviewers'.
    assert as_user(bob).get(reverse("reviews:queue_tab", args=["trips"])).status_code == 404


def test_an_incident_reported_on_the_page_reaches_the_security_reviewers(
    approved: Proposal, alice: Any, charlie: Any
) -> None:
    plan = record_trip(approved, alice)
    url = reverse("reviews:incident_create", args=[approved.pk])
    assert as_user(alice).get(url).status_code == 200
    response = as_user(alice).post(
        url,
        {
            "kind": "detention",
            "occurred_on": timezone.localdate().isoformat(),
            "place": "Police station",
            "travel_plan": str(plan.pk),
            "description": "Questioned for three hours about the project.",
            "reason": "Reported at once",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reviews:incident_detail", args=[approved.pk, incident.pk]
    )
    assert incident.travel_plan == plan
    mail = NotificationOutbox.objects.get(kind="incident_reported")
    assert mail.recipient == charlie
    detail = as_user(charlie).get(response["Location"])
    assert "Questioned for three hours" in text(detail)


def test_an_incident_with_no_account_is_refused_on_the_form(approved: Proposal, alice: Any) -> None:
    response = as_user(alice).post(
        reverse("reviews:incident_create", args=[approved.pk]),
        {"kind": "other", "occurred_on": "", "place": "", "description": "", "reason": "R"},
    )
    assert response.status_code == 400
    assert "Say what happened." in text(response)
    assert Incident.objects.count() == 0


def test_a_reviewer_suspends_on_an_incident_from_its_page_and_a_security_reviewer_cannot(
    approved: Proposal, alice: Any, bob: Any, charlie: Any
) -> None:
    incident = incident_report(
        proposal=approved,
        incident=IncidentInput(
            kind="harassment",
            occurred_on=timezone.localdate(),
            place="Hotel",
            description="Followed.",
        ),
        acting_user=alice,
        reason="R",
    )
    url = reverse("reviews:incident_suspend", args=[approved.pk, incident.pk])
    assert as_user(charlie).post(url, {"reason": "Unsafe"}).status_code == 403
    assert as_user(bob).post(url, {"reason": "Unsafe"}).status_code == 302
    approved.refresh_from_db()
    assert approved.state == "suspended"
    page = as_user(bob).get(reverse("reviews:incident_detail", args=[approved.pk, incident.pk]))
    assert "The suspension of the project" in text(page)


def test_the_safety_pages_and_the_trip_queue_have_bounded_queries(
    approved: Proposal,
    alice: Any,
    charlie: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(6):
        record_trip(approved, alice, days=n + 1, traveller=f"Traveller {n}")
        incident_report(
            proposal=approved,
            incident=IncidentInput(
                kind="other", occurred_on=timezone.localdate(), place="Lab", description=f"{n}"
            ),
            acting_user=alice,
            reason="R",
        )
    incident = Incident.objects.first()
    assert incident is not None
    for user, url in (
        (alice, reverse("reviews:safety", args=[approved.pk])),
        (charlie, reverse("reviews:safety", args=[approved.pk])),
        (charlie, reverse("reviews:queue_tab", args=["trips"])),
        (charlie, reverse("reviews:incident_detail", args=[approved.pk, incident.pk])),
    ):
        client = as_user(user)
        client.get(reverse("reviews:home"))
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
