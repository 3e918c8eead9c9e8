"""Disputes step by step: opening one, consultation, resolution or cessation, and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews import services
from reviews.audit import verify_chain
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import (
    Dispute,
    DisputeStep,
    NotificationOutbox,
    ProjectGround,
    Proposal,
    ProposalEvent,
)
from tests.reviews.after_factories import open_dispute, record, refused_request
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def project(people: dict[str, Any]) -> Proposal:
    return proposal_in("approved", **people)


def step(dispute: Dispute, action: str, user: Any, notes: str = "Notes of the step") -> Any:
    return services.dispute_step_take(dispute=dispute, action=action, notes=notes, acting_user=user)


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def clause_id(number: str = "Article 3") -> int:
    return services.clauses_in_force(timezone.localdate()).get(number=number).pk


# --- Opening ---------------------------------------------------------------------------------


def test_a_reviewer_opens_a_dispute_from_a_refused_request(
    project: Proposal, bob: Any, alice: Any, charlie: Any, settings: Any
) -> None:
    settings.STA_DISPUTE_CONSULTATION_DAYS = 21
    dispute = open_dispute(project, bob)
    assert dispute.status == "consultation_requested"
    assert dispute.due_on == timezone.localdate() + dt.timedelta(days=21)
    assert [c.number for c in dispute.cited_clauses.all()] == ["Article 3"]
    assert dispute.evidence_entries.count() == 1
    assert dispute.history.get().history_user == bob
    first = dispute.steps.get()
    assert (first.action, first.from_status, first.to_status) == (
        "open",
        "",
        "consultation_requested",
    )
    assert first.event.action == "open_dispute"
    assert "Article 3" in first.event.reason
    recipients = set(
        NotificationOutbox.objects.filter(kind="dispute").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"alice", "charlie", "judy"} <= recipients
    assert "bob" in recipients
    assert fresh(project).state == "approved"
    assert verify_chain().intact


def test_a_security_reviewer_opens_one_over_researcher_safety(
    project: Proposal, charlie: Any
) -> None:
    dispute = services.dispute_open(
        proposal=project,
        ground="researcher_safety",
        statement="A visiting researcher was questioned for hours at the border.",
        cited_clause_ids=[clause_id("Article 2")],
        acting_user=charlie,
    )
    assert (dispute.ground, dispute.opened_by) == ("researcher_safety", charlie)


@pytest.mark.parametrize("persona", ["alice", "dana", "erin", "nobody"])
def test_only_reviewers_open_disputes(
    persona: str, project: Proposal, bob: Any, request: pytest.FixtureRequest
) -> None:
    entry = refused_request(project, bob)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only reviewers and security reviewers"):
        services.dispute_open(
            proposal=project,
            ground="reciprocity",
            statement="No data",
            cited_clause_ids=[clause_id()],
            evidence_entry_ids=[entry.pk],
            acting_user=request.getfixturevalue(persona),
        )
    assert footprint() == before


def test_a_reviewer_does_not_dispute_their_own_project(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    project = proposal_in("approved", submitter=heidi, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(PermissionRefused, match="You submitted this project"):
        open_dispute(project, heidi)


@pytest.mark.parametrize("state", ["in_review", "rejected", "terminated"])
def test_a_project_not_running_cannot_be_disputed(
    state: str, people: dict[str, Any], bob: Any
) -> None:
    proposal = proposal_in(state, **people)
    with pytest.raises(TransitionNotAllowed, match="open a dispute"):
        services.dispute_open(
            proposal=proposal,
            ground="scope_cet",
            statement="Work drifted into quantum sensing.",
            cited_clause_ids=[clause_id("Article 1")],
            acting_user=bob,
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ground": "boredom"}, "ground"),
        ({"cited_clause_ids": []}, "cited_clause_ids"),
        ({"evidence_entry_ids": []}, "evidence_entry_ids"),
        ({"statement": " "}, "statement"),
    ],
)
def test_bad_input_opens_nothing(
    kwargs: dict[str, Any], field: str, project: Proposal, bob: Any
) -> None:
    entry = refused_request(project, bob)
    values: dict[str, Any] = {
        "ground": "reciprocity",
        "statement": "No data",
        "cited_clause_ids": [clause_id()],
        "evidence_entry_ids": [entry.pk],
    }
    values.update(kwargs)
    before = footprint()
    with pytest.raises(InvalidInput) as caught:
        services.dispute_open(proposal=project, acting_user=bob, **values)
    assert field in caught.value.errors
    assert footprint() == before


def test_clauses_no_longer_in_force_and_other_projects_evidence_are_refused(
    project: Proposal, people: dict[str, Any], bob: Any
) -> None:
    old = services.clauses_in_force(dt.date(2000, 1, 1)).first()
    assert old is not None
    other = proposal_in("approved", **people)
    elsewhere = refused_request(other, bob)
    with pytest.raises(InvalidInput) as caught:
        services.dispute_open(
            proposal=project,
            ground="reciprocity",
            statement="No data",
            cited_clause_ids=[old.pk],
            evidence_entry_ids=[elsewhere.pk],
            acting_user=bob,
        )
    assert "in force today" in caught.value.errors["cited_clause_ids"][0]
    assert "this project's ledger" in caught.value.errors["evidence_entry_ids"][0]


def test_one_open_dispute_at_a_time(project: Proposal, bob: Any) -> None:
    open_dispute(project, bob)
    with pytest.raises(TransitionNotAllowed, match="already has an open dispute"):
        open_dispute(project, bob)


# --- Steps -----------------------------------------------------------------------------------


def test_consultation_then_resolution_keeps_the_project_running(
    project: Proposal, bob: Any, judy: Any, settings: Any
) -> None:
    settings.STA_DISPUTE_OUTCOME_DAYS = 14
    dispute = open_dispute(project, bob)
    held = step(dispute, "hold_consultation", bob, "Met the partner's data office on Monday.")
    assert fresh(dispute).status == "consultation_held"
    assert fresh(dispute).due_on == timezone.localdate() + dt.timedelta(days=14)
    assert held.event.action == "hold_consultation"
    step(dispute, "resolve", judy, "The partner sent the series.")
    done = fresh(dispute)
    assert (done.status, done.due_on, done.closed_at is not None) == ("resolved", None, True)
    assert fresh(project).state == "approved"
    assert [h.status for h in done.history.order_by("history_id")] == [
        "consultation_requested",
        "consultation_held",
        "resolved",
    ]
    assert verify_chain().intact


def test_cessation_suspends_the_project_with_the_dispute_as_its_ground(
    project: Proposal, bob: Any, judy: Any, alice: Any
) -> None:
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    ceased = step(dispute, "cease", judy, "No data after consultation.")
    assert fresh(project).state == "suspended"
    assert ceased.event.action == "suspend"
    ground = ProjectGround.objects.get(event=ceased.event)
    assert (ground.kind, ground.dispute) == ("dispute", dispute)
    assert ceased.event.reason.startswith(f"Ground: dispute {dispute.pk} (reciprocity).")
    mail = NotificationOutbox.objects.get(kind="suspended")
    assert mail.recipient == alice
    assert f"dispute {dispute.pk}" in mail.body
    assert fresh(dispute).status == "ceased"
    assert verify_chain().intact


@pytest.mark.parametrize(("action", "state"), [("resume", "approved"), ("terminate", "terminated")])
def test_after_cessation_the_project_resumes_or_ends_on_the_same_ground(
    action: str, state: str, project: Proposal, bob: Any, judy: Any
) -> None:
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    step(dispute, "cease", judy)
    last = step(dispute, action, bob, "Decided after six weeks.")
    assert fresh(project).state == state
    assert last.event.ground.dispute == dispute
    assert fresh(dispute).status == {"resume": "resumed", "terminate": "terminated"}[action]
    assert not fresh(dispute).is_open


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ((), "resolve"),
        ((), "cease"),
        ((), "resume"),
        (("hold_consultation",), "hold_consultation"),
        (("hold_consultation",), "terminate"),
        (("hold_consultation", "resolve"), "cease"),
        (("hold_consultation", "cease"), "resolve"),
        (("hold_consultation", "cease", "resume"), "terminate"),
    ],
)
def test_steps_out_of_order_are_refused(
    path: tuple[str, ...], action: str, project: Proposal, bob: Any, judy: Any
) -> None:
    dispute = open_dispute(project, bob)
    for taken in path:
        step(dispute, taken, judy)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the step"):
        step(dispute, action, judy)
    assert footprint() == before


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erin", "nobody"])
@pytest.mark.parametrize("path", [(), ("hold_consultation",)])
def test_only_reviewers_take_steps(
    persona: str, path: tuple[str, ...], project: Proposal, bob: Any, judy: Any, request: Any
) -> None:
    dispute = open_dispute(project, bob)
    for taken in path:
        step(dispute, taken, judy)
    action = "resolve" if path else "hold_consultation"
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a reviewer"):
        step(dispute, action, request.getfixturevalue(persona))
    assert footprint() == before


@pytest.mark.parametrize("action", ["resolve", "cease"])
def test_the_opener_does_not_decide_the_outcome(action: str, project: Proposal, bob: Any) -> None:
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    with pytest.raises(PermissionRefused, match="another reviewer decides"):
        step(dispute, action, bob)
    assert fresh(project).state == "approved"


def test_a_step_needs_notes(project: Proposal, bob: Any) -> None:
    dispute = open_dispute(project, bob)
    with pytest.raises(InvalidInput, match="Give a reason"):
        step(dispute, "hold_consultation", bob, "  ")
    assert DisputeStep.objects.count() == 1


# --- Reminders -------------------------------------------------------------------------------


def test_overdue_steps_are_reminded_once_a_day(project: Proposal, bob: Any, judy: Any) -> None:
    dispute = open_dispute(project, bob)
    assert dispute.due_on is not None
    on_time = services.overdue_disputes_remind(today=dispute.due_on, dedupe_day="a")
    assert on_time == 0
    late = dispute.due_on + dt.timedelta(days=1)
    queued = services.reminders_send(today=late)
    reminders = NotificationOutbox.objects.filter(kind="reminder", subject__startswith="Dispute")
    assert queued >= 2
    assert set(reminders.values_list("recipient__username", flat=True)) == {"bob", "judy"}
    assert "1 day ago" in reminders.first().body  # type: ignore[union-attr]
    services.reminders_send(today=late)
    assert reminders.count() == 2


def test_closed_disputes_are_not_reminded(project: Proposal, bob: Any, judy: Any) -> None:
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    step(dispute, "resolve", judy)
    far = timezone.localdate() + dt.timedelta(days=400)
    assert services.overdue_disputes_remind(today=far, dedupe_day="x") == 0


def test_events_of_disputes_are_ordinary_sealed_events(
    project: Proposal, bob: Any, judy: Any
) -> None:
    record(project, bob)
    dispute = open_dispute(project, bob)
    step(dispute, "hold_consultation", bob)
    actions = list(ProposalEvent.objects.filter(proposal=project).values_list("action", flat=True))
    assert actions[-4:] == [
        "record_exchange",
        "record_exchange",
        "open_dispute",
        "hold_consultation",
    ]
    assert verify_chain().intact
