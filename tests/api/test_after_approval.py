"""The after-approval record in the proposal API: disputes and the grounds of each suspension,
resumption and termination, in structured form, to those who may see the project."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews import services
from reviews.models import Dispute, Proposal
from reviews.services import GroundInput
from reviews.services.safety import IncidentInput, incident_report, incident_suspend
from tests.reviews.after_factories import open_dispute
from tests.reviews.factories import OTHER_GROUND, flag_cited_clause, proposal_in

from .conftest import as_user

pytestmark = pytest.mark.django_db

# The detail's queries whatever the number of disputes, steps, clauses and grounds: the
# session and user, the proposal and one query per prefetched relation.
MAX_DETAIL_QUERIES = 16


@pytest.fixture
def project(alice: Any, bob: Any, charlie: Any, judy: Any, sta: Version, lists: Any) -> Proposal:
    return proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)


def step(dispute: Dispute, action: str, user: Any) -> None:
    services.dispute_step_take(
        dispute=dispute, action=action, notes=f"Notes: {action}", acting_user=user
    )


def detail(user: Any, proposal: Proposal) -> dict[str, Any]:
    response = as_user(user).get(f"/api/proposals/{proposal.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_detail_carries_an_open_dispute_with_its_clauses_evidence_and_due_date(
    project: Proposal, alice: Any, bob: Any, settings: Any
) -> None:
    settings.STA_DISPUTE_CONSULTATION_DAYS = 21
    dispute = open_dispute(project, bob)
    entry = dispute.evidence_entries.get()
    clause = dispute.cited_clauses.get()
    body = detail(alice, project)
    assert body["grounds"] == []
    [row] = body["disputes"]
    due = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    assert {k: row[k] for k in ("id", "ground", "ground_label", "status", "status_label")} == {
        "id": dispute.pk,
        "ground": "reciprocity",
        "ground_label": "Reciprocity",
        "status": "consultation_requested",
        "status_label": "Consultation requested",
    }
    assert (row["is_open"], row["due_on"], row["overdue"], row["outcome"]) == (
        True,
        due,
        False,
        None,
    )
    assert row["next_steps"] == ["hold_consultation"]
    assert row["opened_by"] == "bob"
    assert row["statement"] == dispute.statement
    assert row["cited_clauses"] == [
        {
            "id": clause.pk,
            "agreement": "sta",
            "version": "2024",
            "key": "art_3",
            "number": "Article 3",
            "heading": "",
            "url": f"{clause.version.get_absolute_url()}#{clause.anchor}",
            "label": "Article 3",
        }
    ]
    assert row["evidence_entries"] == [
        {
            "id": entry.pk,
            "label": "Request to the partner: dataset",
            "status": "refused",
            "url": f"/reviews/proposals/{project.pk}/ledger/{entry.pk}/",
        }
    ]
    assert row["incident"] is None
    assert [(s["action"], s["from_status"], s["to_status"], s["actor"]) for s in row["steps"]] == [
        ("open", "", "consultation_requested", "bob")
    ]
    assert row["url"] == f"/reviews/proposals/{project.pk}/disputes/{dispute.pk}/"


def test_a_dispute_ending_in_cessation_and_termination_names_itself_as_the_ground(
    project: Proposal, bob: Any, judy: Any
) -> None:
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    step(dispute, "cease", judy)
    body = detail(bob, project)
    assert body["state"] == "suspended"
    assert (body["disputes"][0]["status"], body["disputes"][0]["outcome"]) == ("ceased", None)
    assert body["disputes"][0]["next_steps"] == ["resume", "terminate"]
    [ground] = body["grounds"]
    assert {k: v for k, v in ground.items() if k not in ("recorded_at", "detail")} == {
        "action": "suspend",
        "action_label": "Suspend",
        "round": project.round,
        "kind": "dispute",
        "kind_label": "A dispute",
        "dispute": dispute.pk,
        "incident": None,
        "clause_flag": None,
        "recorded_by": "judy",
    }
    suspension = [e for e in body["events"] if e["action"] == "suspend"]
    assert [e["ground"]["dispute"] for e in suspension] == [dispute.pk]

    step(dispute, "terminate", judy)
    body = detail(bob, project)
    assert body["state"] == "terminated"
    row = body["disputes"][0]
    assert (row["status"], row["outcome"], row["is_open"], row["due_on"]) == (
        "terminated",
        "terminated",
        False,
        None,
    )
    assert row["closed_at"] is not None
    assert [s["action"] for s in row["steps"]] == [
        "open",
        "hold_consultation",
        "cease",
        "terminate",
    ]
    assert [(g["action"], g["kind"], g["dispute"]) for g in body["grounds"]] == [
        ("suspend", "dispute", dispute.pk),
        ("terminate", "dispute", dispute.pk),
    ]


def test_grounds_name_an_incident_a_changed_clause_or_another_reason(
    project: Proposal, alice: Any, bob: Any, sta: Version
) -> None:
    services.proposal_suspend(
        proposal=project, acting_user=bob, reason="Pause", ground=OTHER_GROUND
    )
    flag = flag_cited_clause(project, sta)
    services.proposal_resume(
        proposal=project,
        acting_user=bob,
        reason="Clause amended in our favour",
        ground=GroundInput(kind="changed_clause", clause_flag_id=flag.pk),
    )
    incident = incident_report(
        proposal=project,
        incident=IncidentInput(
            kind="device",
            occurred_on=timezone.localdate() - dt.timedelta(days=2),
            place="Airport, on arrival",
            description="The laptop was taken for two hours.",
        ),
        acting_user=alice,
        reason="Reported on return",
    )
    incident_suspend(incident=incident, acting_user=bob, reason="Until the device is checked")
    grounds = detail(alice, project)["grounds"]
    assert [
        (g["action"], g["kind"], g["dispute"], g["incident"], g["clause_flag"]) for g in grounds
    ] == [
        ("suspend", "other", None, None, None),
        ("resume", "changed_clause", None, None, flag.pk),
        ("suspend", "incident", None, incident.pk, None),
    ]
    assert grounds[0]["detail"] == "The partner shares no data in return."
    assert grounds[2]["kind_label"] == "An incident"
    events = as_user(alice).get(f"/api/proposals/{project.pk}/events/").json()["results"]
    assert [e["ground"]["kind"] for e in events if e["ground"]] == [
        "other",
        "changed_clause",
        "incident",
    ]
    assert all(e["ground"] is None for e in events if e["action"] not in ("suspend", "resume"))


def test_a_dispute_opened_from_an_incident_names_it(
    project: Proposal, alice: Any, charlie: Any
) -> None:
    incident = incident_report(
        proposal=project,
        incident=IncidentInput(
            kind="detention",
            occurred_on=timezone.localdate() - dt.timedelta(days=1),
            place="Border post",
            description="Questioned for six hours about the project.",
        ),
        acting_user=alice,
        reason="Reported on return",
    )
    clause = services.clauses_in_force(timezone.localdate()).get(number="Article 2")
    dispute = services.incident_dispute_open(
        incident=incident,
        statement="A researcher was detained and questioned.",
        cited_clause_ids=[clause.pk],
        acting_user=charlie,
    )
    [row] = detail(alice, project)["disputes"]
    assert (row["id"], row["ground"], row["incident"]) == (
        dispute.pk,
        "researcher_safety",
        incident.pk,
    )
    assert row["evidence_entries"] == []


def _history(project: Proposal, bob: Any, judy: Any, disputes: int) -> None:
    """``disputes`` disputes resolved one after the other, and a suspension and resumption on
    "other" grounds after each."""
    for _ in range(disputes):
        dispute = open_dispute(project, bob)
        step(dispute, "hold_consultation", bob)
        step(dispute, "resolve", judy)
        services.proposal_suspend(
            proposal=project, acting_user=bob, reason="Pause", ground=OTHER_GROUND
        )
        services.proposal_resume(
            proposal=project, acting_user=bob, reason="Go on", ground=OTHER_GROUND
        )


def test_the_detail_takes_as_many_queries_for_one_dispute_as_for_many(
    project: Proposal, bob: Any, judy: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(bob)
    # Why: the first request of a session writes the session; later ones only read it.
    client.get("/api/proposals/")
    counts = []
    for disputes, more in ((1, 1), (5, 4)):
        _history(project, bob, judy, more)
        with django_assert_max_num_queries(MAX_DETAIL_QUERIES) as captured:
            body = client.get(f"/api/proposals/{project.pk}/").json()
        assert len(body["disputes"]) == disputes
        assert len(body["grounds"]) == 2 * disputes
        assert all(len(d["steps"]) == 3 and d["outcome"] == "resolved" for d in body["disputes"])
        counts.append(len(captured))
    # Why equal, not only under the bound: a relation left out of the prefetch costs a query
    # per dispute or ground, which the bound alone would hide.
    assert counts[0] == counts[1]


def test_analysts_see_no_project_detail(project: Proposal, bob: Any, dana: Any) -> None:
    open_dispute(project, bob)
    response = as_user(dana).get(f"/api/proposals/{project.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "disputes" not in response.json()
    listed = as_user(dana).get("/api/proposals/").json()
    assert listed["count"] == 0


def test_another_submitter_sees_none_of_the_project(
    project: Proposal, bob: Any, frank: Any
) -> None:
    open_dispute(project, bob)
    client = as_user(frank)
    for suffix in ("", "events/"):
        response = client.get(f"/api/proposals/{project.pk}/{suffix}")
        assert response.status_code == 404, suffix
        assert "disputes" not in response.json()


def test_security_reviewers_and_administrators_see_the_disputes(
    project: Proposal, bob: Any, charlie: Any, erin: Any
) -> None:
    dispute = open_dispute(project, bob)
    for person in (charlie, erin):
        assert [d["id"] for d in detail(person, project)["disputes"]] == [dispute.pk]
