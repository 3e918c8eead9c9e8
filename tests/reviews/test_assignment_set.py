"""Assigning and claiming a proposal's assessments: who may, to whom, when, and what it writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews.audit import verify_chain
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import Assignment, AuditLink, NotificationOutbox, Proposal, ProposalEvent
from reviews.services import assignment_set, assignments_batch
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import footprint, proposal_in, risk_benefit_done

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def ivan(db: Any) -> Any:
    """Ivan is a second reviewer, who leads the risk–benefit reviews."""
    return make_user("ivan", Role.REVIEWER, first_name="Ivan", last_name="Petrov")


def written() -> dict[str, int]:
    return {
        **footprint(),
        "assignments": Assignment.objects.count(),
        "assignment history": Assignment.history.count(),
        "links": AuditLink.objects.count(),
    }


def test_a_security_reviewer_may_not_assign_the_risk_benefit_assessment(
    people: Any, charlie: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = written()
    with pytest.raises(PermissionRefused, match="Only a reviewer can assign the risk–benefit"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=bob, acting_user=charlie, reason="Go"
        )
    assert written() == before


def test_a_submitter_may_not_assign_even_with_the_role(people: Any, sta: Version) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    proposal = proposal_in("in_review", **{**people, "submitter": heidi})
    with pytest.raises(PermissionRefused, match="You submitted this proposal"):
        assignment_set(
            proposal=proposal,
            step="risk_benefit",
            assignee=people["reviewer"],
            acting_user=heidi,
            reason="Go",
        )
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("state", ["draft", "approved", "returned"])
def test_only_open_proposals_are_assigned(state: str, people: Any, bob: Any) -> None:
    proposal = proposal_in(state, **people)
    before = written()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Mine"
        )
    assert written() == before


def test_an_assessment_already_made_is_not_assigned(people: Any, bob: Any, ivan: Any) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    with pytest.raises(TransitionNotAllowed, match="already made; there is nothing left"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=ivan, acting_user=ivan, reason="Me"
        )
    assert not Assignment.objects.exists()


def test_only_a_holder_of_the_steps_role_can_be_assigned(
    people: Any, bob: Any, charlie: Any, dana: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    for assignee, step, words in (
        (charlie, "risk_benefit", "charlie is not a reviewer; only a reviewer can be assigned"),
        (bob, "security", "bob is not a security reviewer; only a security reviewer"),
        (dana, "risk_benefit", "dana is not a reviewer"),
    ):
        acting = bob if step == "risk_benefit" else charlie
        with pytest.raises(InvalidInput) as refusal:
            assignment_set(
                proposal=proposal, step=step, assignee=assignee, acting_user=acting, reason="Go"
            )
        assert words in refusal.value.errors["assignee"][0]
    assert not Assignment.objects.exists()


def test_an_inactive_reviewer_cannot_be_assigned(people: Any, bob: Any, ivan: Any) -> None:
    proposal = proposal_in("in_review", **people)
    ivan.is_active = False
    ivan.save()
    with pytest.raises(InvalidInput, match="Ivan Petrov is not a reviewer"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=ivan, acting_user=bob, reason="Go"
        )


def test_the_submitter_cannot_be_assigned_their_own_proposal(people: Any, sta: Version) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    proposal = proposal_in("in_review", **{**people, "submitter": heidi})
    with pytest.raises(InvalidInput, match="heidi submitted this proposal; assign someone else"):
        assignment_set(
            proposal=proposal,
            step="risk_benefit",
            assignee=heidi,
            acting_user=people["reviewer"],
            reason="Go",
        )


def test_one_person_cannot_hold_both_assessments(people: Any, grace: Any, charlie: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="security", assignee=grace, acting_user=charlie, reason="Grace"
    )
    with pytest.raises(InvalidInput, match="grace is assigned the national-security assessment"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=grace, acting_user=grace, reason="Me"
        )
    assert list(Assignment.objects.values_list("step", flat=True)) == ["security"]


def test_the_maker_of_one_assessment_cannot_be_assigned_the_other(
    people: Any, grace: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, grace)
    with pytest.raises(InvalidInput, match="grace made the risk–benefit assessment of this round"):
        assignment_set(
            proposal=proposal, step="security", assignee=grace, acting_user=charlie, reason="Go"
        )


@pytest.mark.parametrize(
    ("step", "reason", "field"),
    [("risk_benefit", "  ", "reason"), ("decision", "Go", "step")],
)
def test_bad_input_is_refused_and_nothing_written(
    step: str, reason: str, field: str, people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    before = written()
    with pytest.raises(InvalidInput) as refusal:
        assignment_set(proposal=proposal, step=step, assignee=bob, acting_user=bob, reason=reason)
    assert list(refusal.value.errors) == [field]
    assert written() == before


def test_claiming_records_history_and_a_sealed_event_and_sends_no_mail(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    mail_before = NotificationOutbox.objects.count()
    links_before = AuditLink.objects.count()
    assignment = assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Claimed"
    )
    assert (assignment.assignee, assignment.assigned_by, assignment.reason) == (bob, bob, "Claimed")
    (row,) = assignment.history.all()
    assert (row.history_user, row.history_change_reason, row.assignee_id) == (
        bob,
        "Claimed",
        bob.pk,
    )
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.actor, event.reason) == (
        "assign",
        "in_review",
        "in_review",
        bob,
        "Risk–benefit assessment claimed by bob: Claimed",
    )
    assert AuditLink.objects.count() == links_before + 1
    assert AuditLink.objects.latest("seq").record_id == event.pk
    assert verify_chain().intact
    assert NotificationOutbox.objects.count() == mail_before
    proposal.refresh_from_db()
    assert proposal.state == "in_review"


def test_assigning_a_colleague_tells_them_what_is_due_and_when(
    people: Any, bob: Any, ivan: Any, settings: Any
) -> None:
    settings.STA_SLA_RISK_BENEFIT_DAYS = 7
    settings.STA_SITE_URL = "https://sta.example.gov"
    proposal = proposal_in("in_review", **people)
    entered = timezone.localtime(proposal.state_changed_at)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=ivan, reason="Bob knows"
    )
    mail = NotificationOutbox.objects.get(kind="assigned")
    due = (entered + dt.timedelta(days=7)).strftime("%-d %B %Y")
    assert mail.recipient == bob
    assert mail.subject == f"Assigned to you: risk–benefit assessment of {proposal.title}"
    assert mail.body == (
        f"Ivan Petrov assigned you the risk–benefit assessment of the proposal “{proposal.title}”."
        "\n\nReason:\nBob knows\n\n"
        f"What you are asked to do: make the risk–benefit assessment, by {due}.\n"
        f"Open the proposal: https://sta.example.gov/reviews/proposals/{proposal.pk}/\n"
    )


def test_a_reassignment_names_who_it_replaces_and_keeps_both_in_history(
    people: Any, bob: Any, ivan: Any
) -> None:
    proposal = proposal_in("screening", **people)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Claimed"
    )
    assignment_set(
        proposal=proposal,
        step="risk_benefit",
        assignee=ivan,
        acting_user=bob,
        reason="Bob is on leave",
    )
    assignment = Assignment.objects.get()
    assert assignment.assignee == ivan
    assert [
        (h.assignee_id, h.history_change_reason) for h in assignment.history.order_by("pk")
    ] == [
        (bob.pk, "Claimed"),
        (ivan.pk, "Bob is on leave"),
    ]
    event = ProposalEvent.objects.filter(proposal=proposal, action="assign").latest("pk")
    assert event.reason == (
        "Risk–benefit assessment assigned to Ivan Petrov (was bob): Bob is on leave"
    )
    mail = NotificationOutbox.objects.get(kind="assigned", recipient=ivan)
    assert "It can be made once screening is done, within 10 days." in mail.body
    assert "What you are asked to do: make the risk–benefit assessment.\n" in mail.body


def test_assigning_the_same_person_again_is_refused(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Claimed"
    )
    before = written()
    with pytest.raises(InvalidInput, match="bob is already assigned the risk–benefit"):
        assignment_set(
            proposal=proposal, step="risk_benefit", assignee=bob, acting_user=bob, reason="Again"
        )
    assert written() == before


def test_a_batch_assigns_each_proposal_or_says_why_not(people: Any, bob: Any, sta: Version) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    first = proposal_in("in_review", title="First", **people)
    own = proposal_in("in_review", title="Bob's own", **{**people, "submitter": heidi})
    done = proposal_in("in_review", title="Done already", **people)
    risk_benefit_done(done, heidi)
    result = assignments_batch(
        proposals=Proposal.objects.filter(pk__in=[first.pk, own.pk, done.pk]).order_by("pk"),
        step="risk_benefit",
        assignee=heidi,
        acting_user=bob,
        reason="Heidi takes these",
    )
    assert result.assigned == [first]
    assert [(p.title, why) for p, why in result.refused] == [
        ("Bob's own", "heidi submitted this proposal; assign someone else."),
        (
            "Done already",
            "The risk–benefit assessment of this round is already made; there is nothing left "
            "to assign.",
        ),
    ]
    assert list(Assignment.objects.values_list("proposal__title", flat=True)) == ["First"]
    assert not ProposalEvent.objects.filter(proposal__in=[own, done], action="assign").exists()
