"""The demo dated over the past months: every step on its own day through the services, the
audit chain intact and in time order, history rows at the steps' moments, reports of an early
and a late window that differ as the rows do, and assignments with one overdue."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from reviews.audit import verify_chain
from reviews.deadlines import assessment_due
from reviews.models import (
    Assignment,
    AuditLink,
    Decision,
    Dispute,
    Incident,
    LedgerEntry,
    Proposal,
    ProposalEvent,
    RiskBenefitAssessment,
    SecurityAssessment,
)
from reviews.reporting import programme_report
from reviews.workflow import ProposalState

pytestmark = pytest.mark.django_db

# The demo's oldest story began 275 days ago; the split falls between its two halves.
SPLIT_DAYS_AGO = 120


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, seeded once for the module; each test's writes roll back."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            call_command("load_sta", verbosity=0)
            call_command("seed_demo", password="demo-pass-1", stdout=io.StringIO())
            yield
        finally:
            TestCase._rollback_atomics(atomics)


def _months(moments: list[dt.datetime]) -> set[tuple[int, int]]:
    return {(m.year, m.month) for m in moments}


def test_the_demo_steps_are_spread_over_months_and_none_is_ahead(demo: None) -> None:
    moments = list(ProposalEvent.objects.values_list("created_at", flat=True))
    now = timezone.now()
    assert max(moments) <= now
    assert min(moments) <= now - dt.timedelta(days=250)
    assert len(_months(moments)) >= 7
    decided = list(Decision.objects.values_list("decided_at", flat=True))
    assert len(_months(decided)) >= 3


def test_the_audit_chain_verifies_and_runs_forward_in_time(demo: None) -> None:
    report = verify_chain()
    assert report.intact, [str(b) for b in report.breaks]
    assert report.links == ProposalEvent.objects.count() + Decision.objects.count()
    events = dict(ProposalEvent.objects.values_list("pk", "created_at"))
    decisions = dict(Decision.objects.values_list("pk", "decided_at"))
    sealed = [
        events[link.record_id] if link.kind == "event" else decisions[link.record_id]
        for link in AuditLink.objects.order_by("seq")
    ]
    assert sealed == sorted(sealed)


def test_history_rows_carry_the_moment_of_the_step_that_wrote_them(demo: None) -> None:
    moves = ProposalEvent.objects.exclude(from_state=models_f("to_state"))
    assert moves.count() > 20
    for event in moves:
        assert Proposal.history.filter(
            id=event.proposal_id, history_date=event.created_at, state=event.to_state
        ).exists(), event
    # Ledger entries and disputes: their rows and history rows at their own moments.
    for entry in LedgerEntry.objects.all():
        first = entry.history.earliest("history_date")
        assert first.history_date == entry.recorded_at
        assert entry.recorded_at.date() >= entry.requested_on
    for dispute in Dispute.objects.all():
        assert dispute.history.earliest("history_date").history_date == dispute.opened_at
        steps = list(dispute.steps.order_by("pk").values_list("created_at", flat=True))
        assert steps == sorted(steps)
        assert steps[0] == dispute.opened_at


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def _window_counts(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The same figures counted here from the rows, by the moments they carry."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    events = ProposalEvent.objects.filter(created_at__gte=since, created_at__lt=until)
    return {
        "submitted": events.filter(action="submit").count(),
        "returned": events.filter(action="return").count(),
        "withdrawn": events.filter(action="withdraw").count(),
        "decisions": Counter(
            Decision.objects.filter(decided_at__gte=since, decided_at__lt=until).values_list(
                "outcome", flat=True
            )
        ),
        "disputes": Dispute.objects.filter(opened_at__gte=since, opened_at__lt=until).count(),
        "incidents": Counter(
            Incident.objects.filter(occurred_on__gte=start, occurred_on__lte=end).values_list(
                "kind", flat=True
            )
        ),
        "suspended": events.filter(action="suspend").count(),
    }


def _report_counts(start: dt.date, end: dt.date) -> dict[str, Any]:
    report = programme_report(start, end)
    return {
        "submitted": report.flow["submitted"],
        "returned": report.flow["returned"],
        "withdrawn": report.flow["withdrawn"],
        "decisions": Counter({k: v for k, v in report.decisions.items() if v}),
        "disputes": report.disputes["opened"],
        "incidents": Counter({k: v for k, v in report.incidents.items() if v}),
        "suspended": report.suspensions["suspended"],
    }


def test_an_early_and_a_late_window_report_different_figures_each_as_the_rows_say(
    demo: None,
) -> None:
    today = timezone.localdate()
    split = today - dt.timedelta(days=SPLIT_DAYS_AGO)
    early = (today - dt.timedelta(days=400), split - dt.timedelta(days=1))
    late = (split, today)
    early_report, late_report = _report_counts(*early), _report_counts(*late)
    assert early_report == _window_counts(*early)
    assert late_report == _window_counts(*late)
    assert early_report != late_report
    # Each half has some of everything that changes with time in the demo.
    for figures in (early_report, late_report):
        assert figures["submitted"] > 0
        assert figures["disputes"] > 0
    assert sum(early_report["decisions"].values()) > 0
    assert early_report["submitted"] + late_report["submitted"] == (
        ProposalEvent.objects.filter(action="submit").count()
    )
    # The proposals' states at the end of each window: those their last events by then left.
    for start, end in (early, late):
        until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        at_end: Counter[str] = Counter()
        for proposal in Proposal.objects.filter(created_at__lt=until):
            last = proposal.events.filter(created_at__lt=until).order_by("created_at", "pk").last()
            at_end[last.to_state if last else ProposalState.DRAFT] += 1
        figures = programme_report(start, end).proposals
        assert {k: v for k, v in figures.items() if v} == dict(at_end)
    assert programme_report(*early).proposals != programme_report(*late).proposals


def test_demo_proposals_in_review_are_assigned_with_due_dates_one_overdue(demo: None) -> None:
    assignments = Assignment.objects.select_related("proposal", "assignee")
    assert assignments.count() >= 4
    now = timezone.now()
    overdue = []
    for row in assignments:
        made = RiskBenefitAssessment if row.step == "risk_benefit" else SecurityAssessment
        done = made.objects.filter(proposal=row.proposal, round=row.proposal.round).exists()
        due = assessment_due(row.proposal, row.step)
        assert row.assigned_at < now
        assert row.history.filter(history_date=row.assigned_at).exists()
        if not done and due is not None and due < now:
            overdue.append((row.proposal.title, row.step))
        if not done:
            assert due is not None
    assert overdue == [("Alpine flora of the Hengduan Mountains", "security")]
