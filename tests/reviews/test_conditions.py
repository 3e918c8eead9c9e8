"""Conditions of an approval as items: recorded, acknowledged, met or waived, reminded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews.audit import verify_chain
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import ConditionItem, NotificationOutbox, Proposal, ProposalEvent
from reviews.services import (
    ConditionInput,
    condition_resolve,
    conditions_acknowledge,
    decision_record,
    open_conditions,
    reminders_send,
)
from reviews.services.conditions import conditions_from_text
from tests.factories import the_decider
from tests.reviews.factories import (
    OTHER_GROUND,
    approved_with_conditions,
    assess,
    footprint,
    proposal_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    return approved_with_conditions(submitter=alice, reviewer=bob, security=charlie, version=sta)


def items(proposal: Proposal) -> list[ConditionItem]:
    return list(ConditionItem.objects.filter(proposal=proposal).order_by("number"))


def last_event(proposal: Proposal) -> ProposalEvent:
    return ProposalEvent.objects.filter(proposal=proposal).latest("pk")


# --- Recording -------------------------------------------------------------------------------


def test_an_approval_with_conditions_records_each_as_an_open_item(
    approved: Proposal, bob: Any
) -> None:
    today = timezone.localdate()
    first, second = items(approved)
    assert [(i.number, i.text, i.owner, i.due_on, i.status) for i in (first, second)] == [
        (
            1,
            "Share the raw data with the programme office.",
            "submitter",
            today + dt.timedelta(30),
            "open",
        ),
        (2, "Review the data management plan.", "agency", today + dt.timedelta(60), "open"),
    ]
    decision = approved.decisions.get()
    assert decision.conditions == (
        f"1. Share the raw data with the programme office. (the submitter, due "
        f"{(today + dt.timedelta(30)).isoformat()})\n"
        f"2. Review the data management plan. (the agency, due "
        f"{(today + dt.timedelta(60)).isoformat()})"
    )
    assert [
        (h.history_type, h.history_user, h.history_change_reason) for h in first.history.all()
    ] == [("+", the_decider(), "Sound, with conditions")]
    assert verify_chain().intact


def test_conditions_given_as_text_become_one_item_a_line(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    decision_record(
        proposal=proposal,
        outcome="approve_with_conditions",
        conditions="1. Share data yearly.\n\n- Report travel.\n",
        cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
        acting_user=the_decider(),
        reason="Conditional",
    )
    assert [(i.number, i.text, i.owner, i.due_on) for i in items(proposal)] == [
        (1, "Share data yearly.", "submitter", None),
        (2, "Report travel.", "submitter", None),
    ]
    assert proposal.decisions.get().conditions == "1. Share data yearly.\n\n- Report travel."


def test_the_text_reader_drops_list_marks_and_blank_lines() -> None:
    assert [c.text for c in conditions_from_text(" * One\n2) Two\n(3) Three\n\nNo mark 4.")] == [
        "One",
        "Two",
        "Three",
        "No mark 4.",
    ]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            ConditionInput(text=" ", owner="submitter", due_on=dt.date(2099, 1, 1)),
            "Condition 1: say what the condition is.",
        ),
        (
            ConditionInput(text="Share", owner="partner", due_on=dt.date(2099, 1, 1)),
            "Condition 1: say who fulfils it",
        ),
        (
            ConditionInput(text="Share", owner="agency", due_on=None),
            "Condition 1: give the date it is due.",
        ),
        (
            ConditionInput(text="Share", owner="agency", due_on=dt.date(2020, 1, 1)),
            "Condition 1: the due date 2020-01-01 has already passed.",
        ),
    ],
)
def test_a_bad_condition_item_is_refused_and_nothing_is_written(
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    condition: ConditionInput,
    message: str,
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    before = footprint()
    with pytest.raises(InvalidInput, match=message) as error:
        decision_record(
            proposal=proposal,
            outcome="approve_with_conditions",
            condition_items=[condition],
            cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
            acting_user=the_decider(),
            reason="Conditional",
        )
    assert list(error.value.errors) == ["condition_items"]
    assert footprint() == before


def test_conditions_on_another_outcome_are_refused(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = assess(
        proposal_in("in_review", submitter=alice, security=charlie, version=sta), bob, charlie
    )
    before = footprint()
    with pytest.raises(InvalidInput, match=r"Only an approval with conditions has conditions\."):
        decision_record(
            proposal=proposal,
            outcome="approve",
            condition_items=[
                ConditionInput(text="Share", owner="agency", due_on=dt.date(2099, 1, 1))
            ],
            cited_clause_ids=[c.pk for c in proposal.cited_clauses.all()],
            acting_user=the_decider(),
            reason="Approved",
        )
    assert footprint() == before


# --- Acknowledging ---------------------------------------------------------------------------


def test_the_submitter_acknowledges_the_conditions_once(approved: Proposal, alice: Any) -> None:
    conditions_acknowledge(proposal=approved, acting_user=alice, reason="Read and accepted")
    for item in items(approved):
        assert (item.acknowledged_by, item.acknowledged_at is not None) == (alice, True)
        latest = item.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (alice, "Read and accepted")
    event = last_event(approved)
    assert (event.action, event.from_state, event.to_state, event.actor, event.reason) == (
        "acknowledge_conditions",
        "approved_with_conditions",
        "approved_with_conditions",
        alice,
        "Read and accepted",
    )
    assert verify_chain().intact
    before = footprint()
    with pytest.raises(
        TransitionNotAllowed, match=r"already acknowledged on .*; they are acknowledged once"
    ):
        conditions_acknowledge(proposal=approved, acting_user=alice, reason="Again")
    assert footprint() == before


@pytest.mark.parametrize("who", ["bob", "frank"])
def test_only_the_proposals_own_submitter_acknowledges(
    approved: Proposal, who: str, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only the submitter of a proposal can acknowledge"):
        conditions_acknowledge(
            proposal=approved, acting_user=request.getfixturevalue(who), reason="Accepted"
        )
    assert footprint() == before
    assert all(i.acknowledged_at is None for i in items(approved))


def test_acknowledging_needs_an_approval_with_conditions(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    plain = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(TransitionNotAllowed, match="A proposal that is approved cannot be given"):
        conditions_acknowledge(proposal=plain, acting_user=alice, reason="Accepted")


def test_acknowledging_needs_a_reason(approved: Proposal, alice: Any) -> None:
    before = footprint()
    with pytest.raises(InvalidInput, match="Give a reason"):
        conditions_acknowledge(proposal=approved, acting_user=alice, reason="  ")
    assert footprint() == before


# --- Met or waived ---------------------------------------------------------------------------


def test_a_reviewer_marks_a_condition_met_with_a_reason_and_evidence(
    approved: Proposal, bob: Any, alice: Any
) -> None:
    first, second = items(approved)
    condition_resolve(
        condition=first,
        status="met",
        reason="The data arrived.",
        evidence="Receipt PO-2291 from the programme office",
        acting_user=bob,
    )
    first.refresh_from_db()
    assert (first.status, first.resolved_by, first.resolution_reason, first.evidence) == (
        "met",
        bob,
        "The data arrived.",
        "Receipt PO-2291 from the programme office",
    )
    assert [h.status for h in first.history.order_by("history_id")] == ["open", "met"]
    event = last_event(approved)
    assert (event.action, event.actor, event.reason) == (
        "meet_condition",
        bob,
        "Condition 1: The data arrived.",
    )
    mail = NotificationOutbox.objects.filter(kind="condition_resolved").get()
    assert (mail.recipient, mail.subject) == (alice, f"Condition 1 met: {approved.title}")
    assert "Reason:\nThe data arrived.\n\nEvidence:\nReceipt PO-2291" in mail.body
    assert list(open_conditions(approved)) == [second]
    assert verify_chain().intact


def test_a_reviewer_waives_a_condition(approved: Proposal, bob: Any) -> None:
    second = items(approved)[1]
    condition_resolve(
        condition=second, status="waived", reason="Plan already reviewed.", acting_user=bob
    )
    second.refresh_from_db()
    assert (second.status, second.evidence) == ("waived", "")
    assert last_event(approved).action == "waive_condition"


def test_a_ruled_condition_cannot_be_ruled_again(approved: Proposal, bob: Any) -> None:
    first = items(approved)[0]
    condition_resolve(condition=first, status="met", reason="Done.", acting_user=bob)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="Condition 1 was already marked met by bob"):
        condition_resolve(condition=first, status="waived", reason="Changed mind.", acting_user=bob)
    assert footprint() == before


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_only_a_reviewer_rules_on_conditions(
    approved: Proposal, who: str, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    with pytest.raises(
        PermissionRefused, match=r"Only a reviewer can mark its conditions met or waived\."
    ):
        condition_resolve(
            condition=items(approved)[0],
            status="met",
            reason="Done.",
            acting_user=request.getfixturevalue(who),
        )
    assert footprint() == before


def test_a_reviewer_does_not_rule_on_the_conditions_of_their_own_proposal(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    own = approved_with_conditions(submitter=heidi, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="You submitted this proposal, so you cannot mark"):
        condition_resolve(condition=items(own)[0], status="met", reason="Done.", acting_user=heidi)
    assert footprint() == before


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("met", " ", "Give a reason"),
        ("open", "Done.", "Choose whether the condition is met or waived."),
    ],
)
def test_a_ruling_needs_a_reason_and_met_or_waived(
    approved: Proposal, bob: Any, status: str, reason: str, message: str
) -> None:
    before = footprint()
    with pytest.raises(InvalidInput, match=message):
        condition_resolve(
            condition=items(approved)[0], status=status, reason=reason, acting_user=bob
        )
    assert footprint() == before
    assert items(approved)[0].status == "open"


def test_conditions_of_a_terminated_project_are_not_ruled(approved: Proposal, bob: Any) -> None:
    from reviews.services import proposal_terminate

    proposal_terminate(proposal=approved, acting_user=bob, reason="Ended", ground=OTHER_GROUND)
    with pytest.raises(TransitionNotAllowed, match="A proposal that is terminated cannot be given"):
        condition_resolve(
            condition=items(approved)[0], status="met", reason="Done.", acting_user=bob
        )


# --- Overdue ---------------------------------------------------------------------------------


def test_overdue_conditions_are_reminded_to_reviewers_and_their_owner_once_a_day(
    approved: Proposal, alice: Any, bob: Any, settings: Any
) -> None:
    later = timezone.localdate() + dt.timedelta(days=45)
    # Both reviewers (Bob assessed it, Judy decided it) and the submitter who owns it.
    assert reminders_send(today=later) == 3
    mails = {
        m.recipient.get_username(): m for m in NotificationOutbox.objects.filter(kind="reminder")
    }
    assert set(mails) == {"alice", "bob", "judy"}
    body = mails["bob"].body
    assert mails["bob"].subject == f"Conditions overdue: {approved.title}"
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert (
        "Condition 1: Share the raw data with the programme office.\n"
        f"  Fulfilled by the submitter; due {due}, 15 days overdue."
    ) in body
    assert "Review the data management plan" not in body
    assert reminders_send(today=later) == 0


def test_agency_conditions_overdue_are_reminded_to_reviewers_only(
    approved: Proposal, bob: Any
) -> None:
    condition_resolve(condition=items(approved)[0], status="met", reason="Done.", acting_user=bob)
    assert reminders_send(today=timezone.localdate() + dt.timedelta(days=61)) == 2
    mail = NotificationOutbox.objects.get(kind="reminder", recipient=bob)
    assert mail.recipient == bob
    assert "Condition 2: Review the data management plan." in mail.body


def test_nothing_is_reminded_before_the_due_date(approved: Proposal) -> None:
    assert reminders_send(today=timezone.localdate() + dt.timedelta(days=30)) == 0


def test_the_daily_reminder_task_mails_the_overdue_conditions(
    approved: Proposal, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from reviews import tasks
    from tests.reviews.factories import make_overdue

    make_overdue(approved, 2, days=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_review_reminders() == 2  # both reviewers: Bob assessed, Judy decided
    sent = next(m for m in mailoutbox if m.to == ["bob@example.gov"])
    due = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    assert sent.subject == f"Conditions overdue: {approved.title}"
    assert sent.body.startswith(
        f"1 condition of the approval of “{approved.title}” is past due and still open:\n\n"
        "Condition 2: Review the data management plan.\n"
        f"  Fulfilled by the agency; due {due}, 5 days overdue.\n\n"
        "The submitter fulfils their conditions; a reviewer marks each met or waived, with a "
        "reason, on the proposal's page.\n"
    )
    assert "What you are asked to do: fulfil the overdue conditions you own" in sent.body
    assert f"/reviews/proposals/{approved.pk}/" in sent.body
    assert all(m.sent_at is not None for m in NotificationOutbox.objects.filter(kind="reminder"))
