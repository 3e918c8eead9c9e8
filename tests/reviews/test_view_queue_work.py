"""The queue's work list: assignees, due dates and age, filters, sorting, batch assignment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from clauses.models import Version
from reviews.models import (
    Agency,
    Assignment,
    NotificationOutbox,
    Proposal,
    ProposalEvent,
    ScientificField,
)
from reviews.services import InstitutionInput, assignment_set
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import listed, proposal_in, risk_benefit_done

from .view_helpers import as_user, text, waited

pytestmark = pytest.mark.django_db

WORK = "/reviews/queue/work/"


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def titles(response: Any) -> list[str]:
    """The proposals the list shows, in order."""
    body = response.content.decode()
    table = re.search(r'<table class="proposals queue-table">(.*?)</table>', body, re.S)
    if table is None:
        return []
    return re.findall(r'<a href="/reviews/proposals/\d+/">([^<]+)</a>', table.group(1))


def row_of(response: Any, title: str) -> str:
    body = response.content.decode()
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?>" + re.escape(title) + r"<.*?</tr>", body, re.S)
    assert match is not None, title
    return match.group(0)


def partners(city: str) -> tuple[InstitutionInput, ...]:
    return (
        InstitutionInput(name="Institute of Geographic Sciences and Natural Resources", city=city),
    )


def test_the_work_list_shows_assignees_due_dates_age_and_what_is_overdue(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_SLA_RISK_BENEFIT_DAYS = 10
    settings.STA_SLA_SECURITY_DAYS = 10
    settings.STA_SLA_SCREENING_DAYS = 3
    late = proposal_in("in_review", title="Late one", **people)
    assignment_set(proposal=late, step="risk_benefit", assignee=bob, acting_user=bob, reason="Me")
    late = waited(late, 12)
    proposal_in("screening", title="Fresh one", **people)
    response = as_user(bob).get(WORK)
    assert response.status_code == 200
    late_row = row_of(response, "Late one")
    assert 'class="overdue"' in late_row
    assert "bob" in late_row
    assert "12 days" in late_row
    due = timezone.localtime(late.state_changed_at + dt.timedelta(days=10)).strftime("%-d %b %Y")
    assert due in late_row
    fresh_row = row_of(response, "Fresh one")
    assert 'class="overdue"' not in fresh_row
    assert fresh_row.count("Unassigned") == 2
    assert "0 days" in fresh_row


def test_the_work_list_shows_open_proposals_unless_a_state_is_chosen(people: Any, bob: Any) -> None:
    proposal_in("in_review", title="Reviewing", **people)
    proposal_in("submitted", title="Just in", **people)
    proposal_in("approved", title="Approved long ago", **people)
    proposal_in("draft", title="Still a draft", **people)
    client = as_user(bob)
    assert sorted(titles(client.get(WORK))) == ["Just in", "Reviewing"]
    assert titles(client.get(WORK, {"state": "approved"})) == ["Approved long ago"]
    assert sorted(titles(client.get(WORK, {"state": "any"}))) == [
        "Approved long ago",
        "Just in",
        "Reviewing",
        "Still a draft",
    ]


def test_filters_by_agency_field_partner_city_and_assignee(people: Any, bob: Any) -> None:
    proposal_in(
        "in_review",
        title="NSF glaciers",
        us_agency="National Science Foundation",
        scientific_field="Glaciology",
        institutions=partners("Lanzhou"),
        **people,
    )
    usgs = proposal_in(
        "in_review",
        title="USGS sediments",
        us_agency="U.S. Geological Survey",
        scientific_field="Geology",
        institutions=partners("Beijing"),
        **people,
    )
    proposal_in(
        "in_review",
        title="NSF rivers",
        us_agency="National Science Foundation",
        scientific_field="Geology",
        institutions=partners("Beijing"),
        **people,
    )
    assignment_set(proposal=usgs, step="risk_benefit", assignee=bob, acting_user=bob, reason="Me")
    nsf_id = Agency.objects.get(name="National Science Foundation").pk
    geology_id = ScientificField.objects.get(name="Geology").pk
    client = as_user(bob)
    nsf = {"agency": nsf_id}
    assert sorted(titles(client.get(WORK, nsf))) == ["NSF glaciers", "NSF rivers"]
    assert titles(client.get(WORK, {**nsf, "field": geology_id})) == ["NSF rivers"]
    assert sorted(titles(client.get(WORK, {"city": "Beijing"}))) == ["NSF rivers", "USGS sediments"]
    assert titles(client.get(WORK, {"assignee": "me"})) == ["USGS sediments"]
    assert sorted(titles(client.get(WORK, {"assignee": "none"}))) == ["NSF glaciers", "NSF rivers"]
    page = client.get(WORK).content.decode()
    usgs_id = Agency.objects.get(name="U.S. Geological Survey").pk
    assert f'<option value="{usgs_id}">U.S. Geological Survey</option>' in page
    assert f'<option value="{geology_id}">Geology</option>' in page
    assert '<option value="Lanzhou">' in page


def test_the_filters_offer_only_the_entries_some_proposal_names(people: Any, bob: Any) -> None:
    proposal_in("in_review", title="NASA one", us_agency="NASA", **people)
    listed(us_agency="Bureau of Unused Things")
    unused = Agency.objects.get(name="Bureau of Unused Things")
    page = as_user(bob).get(WORK).content.decode()
    assert ">NASA</option>" in page
    assert unused.name not in page
    response = as_user(bob).get(WORK, {"agency": unused.pk})
    assert response.status_code == 200
    assert f"Choose a U.S. agency from the list; “{unused.pk}” is not on it." in text(response)


@pytest.mark.parametrize("value", ["999999", "abc", "12abc", "-1", "1.5", "²", "9" * 30])
def test_an_unknown_or_malformed_id_is_reported_and_the_other_filters_still_apply(
    value: str, people: Any, bob: Any
) -> None:
    proposal_in("in_review", title="Geology one", scientific_field="Geology", **people)
    proposal_in("in_review", title="Glaciology one", scientific_field="Glaciology", **people)
    geology_id = ScientificField.objects.get(name="Geology").pk
    response = as_user(bob).get(WORK, {"agency": value, "field": geology_id})
    assert response.status_code == 200
    assert f"Choose a U.S. agency from the list; “{value}” is not on it." in text(response)
    assert titles(response) == ["Geology one"]


def test_an_unknown_field_id_is_reported_in_the_fields_words(people: Any, bob: Any) -> None:
    proposal_in("in_review", title="Geology one", scientific_field="Geology", **people)
    response = as_user(bob).get(WORK, {"field": "999999"})
    assert response.status_code == 200
    assert "Choose a scientific field from the list; “999999” is not on it." in text(response)
    assert titles(response) == ["Geology one"]


def test_a_link_written_with_names_before_ids_leads_to_the_same_filters_by_id(
    people: Any, bob: Any
) -> None:
    proposal_in(
        "in_review",
        title="NSF one",
        us_agency="National Science Foundation",
        scientific_field="Glaciology",
        **people,
    )
    proposal_in(
        "in_review", title="NASA one", us_agency="NASA", scientific_field="Geology", **people
    )
    nsf_id = Agency.objects.get(name="National Science Foundation").pk
    geology_id = ScientificField.objects.get(name="Geology").pk
    client = as_user(bob)
    response = client.get(WORK, {"agency": "National Science Foundation", "sort": "title"})
    assert response.status_code == 302
    assert response["Location"] == f"{WORK}?agency={nsf_id}&sort=title"
    page = client.get(response["Location"])
    assert titles(page) == ["NSF one"]
    assert f'<option value="{nsf_id}" selected>' in page.content.decode()
    response = client.get(WORK, {"field": "Geology"})
    assert response["Location"] == f"{WORK}?field={geology_id}"
    # A name on no list is not translated: the form says so.
    response = client.get(WORK, {"agency": "Ministry of Magic"})
    assert response.status_code == 200
    assert "Choose a U.S. agency from the list; “Ministry of Magic” is not on it." in text(response)
    assert sorted(titles(response)) == ["NASA one", "NSF one"]


def test_the_work_list_sorts_by_due_date_waiting_time_or_title(
    people: Any, bob: Any, charlie: Any, settings: Any
) -> None:
    settings.STA_SLA_SCREENING_DAYS = 3
    settings.STA_SLA_RISK_BENEFIT_DAYS = 10
    settings.STA_SLA_SECURITY_DAYS = 20
    settings.STA_SLA_DECISION_DAYS = 5
    # Entered review 6 days ago: the risk–benefit assessment is due in 4 days.
    waited(proposal_in("in_review", title="C reviewing", **people), 6)
    # Submitted 2 days ago: screening is due tomorrow.
    waited(proposal_in("submitted", title="B submitted", **people), 2)
    # Entered review 8 days ago, risk–benefit made: security is due in 12 days.
    half = waited(proposal_in("in_review", title="A half done", **people), 8)
    risk_benefit_done(half, bob)
    client = as_user(bob)
    assert titles(client.get(WORK, {"sort": "due"})) == [
        "B submitted",
        "C reviewing",
        "A half done",
    ]
    assert titles(client.get(WORK, {"sort": "waiting"})) == [
        "A half done",
        "C reviewing",
        "B submitted",
    ]
    assert titles(client.get(WORK, {"sort": "title"})) == [
        "A half done",
        "B submitted",
        "C reviewing",
    ]


def test_the_overdue_filter_keeps_what_is_past_its_due_date(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_SLA_RISK_BENEFIT_DAYS = 10
    settings.STA_SLA_SECURITY_DAYS = 10
    waited(proposal_in("in_review", title="Past due", **people), 11)
    waited(proposal_in("in_review", title="In time", **people), 9)
    assert titles(as_user(bob).get(WORK, {"overdue": "on"})) == ["Past due"]


def test_a_decision_due_counts_from_the_later_assessment(
    people: Any, bob: Any, charlie: Any, settings: Any
) -> None:
    from tests.reviews.factories import assess

    settings.STA_SLA_DECISION_DAYS = 5
    proposal = waited(proposal_in("in_review", title="Assessed", **people), 30)
    assess(proposal, bob, charlie)
    row = row_of(as_user(bob).get(WORK), "Assessed")
    assert 'class="overdue"' not in row
    assert "0 days" in row


def test_the_work_list_costs_a_bounded_number_of_queries_with_fifty_proposals(
    people: Any, bob: Any, charlie: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        reviewing = proposal_in("in_review", title=f"Review {n:02}", **people)
        assignment_set(
            proposal=reviewing, step="risk_benefit", assignee=bob, acting_user=bob, reason="Me"
        )
        proposal_in("submitted", title=f"Submitted {n:02}", **people)
    client = as_user(bob)
    client.get(WORK)  # the first request of a session renews it (a write)
    for query in ({}, {"sort": "due", "city": "", "overdue": "on"}, {"state": "any"}):
        with django_assert_max_num_queries(11):
            response = client.get(WORK, query | {"page": "2"})
        assert response.status_code == 200
    assert len(titles(client.get(WORK, {"page": "2"}))) == 25


def test_a_queue_holder_assigns_ticked_proposals_in_one_go(
    people: Any, bob: Any, charlie: Any
) -> None:
    ivan = make_user("ivan", Role.REVIEWER)
    first = proposal_in("in_review", title="First", **people)
    second = proposal_in("screening", title="Second", **people)
    proposal_in("in_review", title="Not ticked", **people)
    response = as_user(bob).post(
        "/reviews/queue/assign/",
        {
            "proposals": [first.pk, second.pk],
            "step": "risk_benefit",
            "assignee": ivan.pk,
            "reason": "Ivan's area",
            "next": WORK + "?sort=title",
        },
        follow=True,
    )
    assert response.redirect_chain == [(WORK + "?sort=title", 302)]
    assert "The risk–benefit assessment of 2 proposals assigned to ivan." in text(response)
    assert sorted(Assignment.objects.values_list("proposal__title", "assignee__username")) == [
        ("First", "ivan"),
        ("Second", "ivan"),
    ]
    assert NotificationOutbox.objects.filter(kind="assigned", recipient=ivan).count() == 2
    assert all("ivan" in row_of(response, t) for t in ("First", "Second"))


def test_a_batch_reports_each_refused_proposal_and_writes_nothing_for_it(
    people: Any, bob: Any, sta: Version
) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    fine = proposal_in("in_review", title="Fine", **people)
    own = proposal_in("in_review", title="Heidi's own", **{**people, "submitter": heidi})
    events_before = ProposalEvent.objects.filter(proposal=own).count()
    response = as_user(bob).post(
        "/reviews/queue/assign/",
        {
            "proposals": [fine.pk, own.pk],
            "step": "risk_benefit",
            "assignee": heidi.pk,
            "reason": "Heidi",
        },
        follow=True,
    )
    page = text(response)
    assert "The risk–benefit assessment of 1 proposal assigned to heidi." in page
    assert (
        "Not assigned: “Heidi's own”. heidi submitted this proposal; assign someone else." in page
    )
    assert list(Assignment.objects.values_list("proposal__title", flat=True)) == ["Fine"]
    assert ProposalEvent.objects.filter(proposal=own).count() == events_before
    assert response.redirect_chain == [(WORK, 302)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": "risk_benefit", "reason": "Go"}, "Tick the proposals to assign."),
        ({"step": "risk_benefit", "proposals": "PICK"}, "Give a reason"),
        ({"step": "decision", "proposals": "PICK", "reason": "Go"}, "Select a valid choice."),
    ],
)
def test_a_batch_with_bad_input_says_so_and_assigns_nothing(
    data: dict[str, Any], message: str, people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    data = {**data, "assignee": bob.pk}
    if data.get("proposals") == "PICK":
        data["proposals"] = [proposal.pk]
    response = as_user(bob).post("/reviews/queue/assign/", data, follow=True)
    assert "Nothing was assigned" in text(response)
    assert message in text(response)
    assert not Assignment.objects.exists()


def test_a_batch_needs_the_csrf_token(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(
        "/reviews/queue/assign/",
        {"proposals": [proposal.pk], "step": "risk_benefit", "assignee": bob.pk, "reason": "Me"},
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "dana", "erin"])
def test_people_without_a_queue_cannot_batch_assign(
    persona: str, people: Any, bob: Any, request: pytest.FixtureRequest
) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(request.getfixturevalue(persona)).post(
        "/reviews/queue/assign/",
        {"proposals": [proposal.pk], "step": "risk_benefit", "assignee": bob.pk, "reason": "Go"},
    )
    assert response.status_code == 403
    assert "Only reviewers and security reviewers assign assessments." in text(response)
    assert not Assignment.objects.exists()


def test_an_outside_next_address_is_not_followed(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    response = as_user(bob).post(
        "/reviews/queue/assign/",
        {
            "proposals": [proposal.pk],
            "step": "risk_benefit",
            "assignee": bob.pk,
            "reason": "Me",
            "next": "https://evil.example.com/",
        },
    )
    assert response["Location"] == WORK
    assert Assignment.objects.get().proposal == proposal


def test_the_assessment_tab_also_offers_batch_assignment(people: Any, charlie: Any) -> None:
    proposal_in("in_review", title="For security", **people)
    body = as_user(charlie).get("/reviews/queue/assessments/").content.decode()
    assert 'action="/reviews/queue/assign/"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "For security" in body


def test_the_decision_tab_has_no_batch_assignment(people: Any, bob: Any, charlie: Any) -> None:
    from tests.reviews.factories import assess

    assess(proposal_in("in_review", **people), bob, charlie)
    body = as_user(bob).get("/reviews/queue/decisions/").content.decode()
    assert 'action="/reviews/queue/assign/"' not in body
    assert Proposal.objects.count() == 1


def test_the_queue_states_the_service_levels_it_counts_from(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_SLA_SCREENING_DAYS = 2
    settings.STA_SLA_RISK_BENEFIT_DAYS = 8
    settings.STA_SLA_SECURITY_DAYS = 12
    settings.STA_SLA_DECISION_DAYS = 4
    page = text(as_user(bob).get(WORK))
    assert (
        "Due dates follow the service levels: screening 2 days from submission, the risk–benefit "
        "assessment 8 and the national-security assessment 12 days from entering review, the "
        "decision 4 days from the later assessment."
    ) in page
