"""Every message says what the recipient is expected to do, by when, and links to the proposal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version, system_user
from reviews.models import NotificationOutbox, Proposal
from reviews.services import assignment_set, notification_deliver, proposal_return, reminders_send
from sta_tracker.history import save_with_history
from tests.reviews.factories import assess, proposal_in, risk_benefit_done

pytestmark = pytest.mark.django_db

SITE = "https://sta.example.gov"


@pytest.fixture
def people(
    alice: Any, bob: Any, charlie: Any, erin: Any, sta: Version, lists: Any, settings: Any
) -> Any:
    settings.STA_SITE_URL = SITE
    settings.STA_SLA_SCREENING_DAYS = 3
    settings.STA_SLA_RISK_BENEFIT_DAYS = 10
    settings.STA_SLA_SECURITY_DAYS = 14
    settings.STA_SLA_DECISION_DAYS = 5
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def day(moment: dt.datetime, days: int) -> str:
    return timezone.localtime(moment + dt.timedelta(days=days)).strftime("%-d %B %Y")


def link(proposal: Proposal) -> str:
    return f"Open the proposal: {SITE}/reviews/proposals/{proposal.pk}/\n"


def bodies(kind: str) -> dict[str, str]:
    return dict(
        NotificationOutbox.objects.filter(kind=kind).values_list("recipient__username", "body")
    )


def test_entering_review_tells_each_role_its_assessment_and_due_date(people: Any) -> None:
    proposal = proposal_in("in_review", **people)
    entered = proposal.state_changed_at
    sent = bodies("entered_review")
    intro = (
        f"The proposal “{proposal.title}” has been screened and is ready for its risk–benefit "
        "and national-security assessments.\n\n"
    )
    assert sent == {
        "bob": intro
        + f"What you are asked to do: make the risk–benefit assessment, by {day(entered, 10)}.\n"
        + link(proposal),
        "charlie": intro
        + "What you are asked to do: make the national-security assessment, by "
        + f"{day(entered, 14)}.\n"
        + link(proposal),
    }


def test_an_assessment_assigned_during_screening_is_announced_to_its_assignee_only(
    people: Any, bob: Any, charlie: Any, grace: Any
) -> None:
    from tests.reviews.factories import adjudicate_all

    proposal = proposal_in("screening", **people)
    assignment_set(
        proposal=proposal, step="risk_benefit", assignee=grace, acting_user=bob, reason="Grace"
    )
    adjudicate_all(proposal, charlie)
    asked = sorted(
        (row.recipient.username, row.body.split("What you are asked to do: ")[1].split(",")[0])
        for row in NotificationOutbox.objects.filter(kind="entered_review")
    )
    # Grace alone for the risk–benefit assessment; every security reviewer (she is one too)
    # for the unassigned national-security assessment.
    assert asked == [
        ("charlie", "make the national-security assessment"),
        ("grace", "make the national-security assessment"),
        ("grace", "make the risk–benefit assessment"),
    ]


def test_hits_to_adjudicate_are_due_within_the_screening_service_level(people: Any) -> None:
    proposal = proposal_in("screening", **people)
    body = bodies("hits_to_adjudicate")["charlie"]
    assert body.endswith(
        "What you are asked to do: adjudicate the screening hits, by "
        f"{day(proposal.state_changed_at, 3)}.\n" + link(proposal)
    )


def test_a_returned_proposal_asks_the_submitter_to_answer_and_resubmit(
    people: Any, bob: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="R")
    assert bodies("returned")["alice"] == (
        f"Your proposal “{proposal.title}” was returned for changes.\n\n"
        "The reviewers ask:\nWhich cores?\n\n"
        "What you are asked to do: answer the questions by editing the proposal, then "
        "resubmit it.\n" + link(proposal)
    )


def test_a_decision_says_what_follows_for_the_submitter(people: Any) -> None:
    proposal = proposal_in("approved_with_conditions", **people)
    body = bodies("decided")["alice"]
    assert "Conditions:\nShare the data within a year." in body
    assert body.endswith(
        "What you are asked to do: meet the conditions above while the project runs; it may go "
        "ahead on them.\n" + link(proposal)
    )


def test_a_suspension_asks_to_pause_the_cooperation(people: Any) -> None:
    proposal = proposal_in("suspended", **people)
    assert bodies("suspended")["alice"].endswith(
        "What you are asked to do: pause the cooperation until the reviewers resume the "
        "project.\n" + link(proposal)
    )


def _waited(proposal: Proposal, days: int) -> Proposal:
    proposal.state_changed_at = timezone.now() - dt.timedelta(days=days)
    save_with_history(proposal, acting_user=system_user(), reason="test: time has passed")
    return proposal


def test_a_reminder_names_the_missing_assessment_and_its_due_date(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    proposal = _waited(proposal_in("in_review", **people), 12)
    risk_benefit_done(proposal, bob)
    reminders_send()
    assert bodies("reminder") == {
        "charlie": (
            f"The proposal “{proposal.title}” has been in review for 12 days, past the 10-day "
            "service level.\n\nStill missing: the national-security assessment.\n\n"
            "What you are asked to do: make the national-security assessment, by "
            f"{day(proposal.state_changed_at, 14)}.\n" + link(proposal)
        )
    }


def test_a_reminder_goes_to_the_assignee_rather_than_everyone(
    people: Any, bob: Any, charlie: Any, grace: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    proposal = proposal_in("in_review", **people)
    assignment_set(
        proposal=proposal, step="security", assignee=grace, acting_user=charlie, reason="G"
    )
    _waited(proposal, 12)
    reminders_send()
    recipients = sorted(
        NotificationOutbox.objects.filter(kind="reminder").values_list(
            "recipient__username", flat=True
        )
    )
    # Bob and Grace may make the risk–benefit assessment; only Grace the security one.
    assert recipients == ["bob", "grace"]


def test_a_decision_reminder_counts_from_the_later_assessment(
    people: Any, bob: Any, charlie: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    proposal = assess(_waited(proposal_in("in_review", **people), 12), bob, charlie)
    made = proposal.security_assessments.get().assessed_at
    reminders_send()
    assert bodies("reminder")["bob"].endswith(
        f"What you are asked to do: decide on the proposal, by {day(made, 5)}.\n" + link(proposal)
    )


def test_the_mailed_body_is_the_one_queued(people: Any, bob: Any, mailoutbox: list[Any]) -> None:
    proposal = proposal_in("in_review", **people)
    proposal_return(proposal=proposal, questions="Which cores?", acting_user=bob, reason="R")
    row = NotificationOutbox.objects.get(kind="returned")
    notification_deliver(notification_id=row.pk)
    (mail,) = mailoutbox
    assert mail.body == row.body
    assert f"{SITE}/reviews/proposals/{proposal.pk}/" in mail.body
