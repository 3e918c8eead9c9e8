"""The demo data: proposals in every state through the services, a queue for every demo user,
and nothing added when it runs again."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reviews.models import (
    CetEdition,
    Decision,
    NotificationOutbox,
    Proposal,
    ProposalEvent,
    RiskBenefitAssessment,
    ScreeningHit,
    ScreeningList,
    SecurityAssessment,
)
from reviews.workflow import ProposalState

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "proposals": Proposal.objects.count(),
        "proposal history": Proposal.history.count(),
        "events": ProposalEvent.objects.count(),
        "hits": ScreeningHit.objects.count(),
        "decisions": Decision.objects.count(),
        "outbox": NotificationOutbox.objects.count(),
        "lists": ScreeningList.objects.count(),
        "editions": CetEdition.objects.count(),
    }


@pytest.fixture
def seeded(db: Any) -> StringIO:
    call_command("load_sta", verbosity=0)
    out = StringIO()
    call_command("seed_demo", password="demo-pass-1", stdout=out)
    return out


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_the_demo_has_proposals_in_every_state_a_proposal_rests_in(seeded: StringIO) -> None:
    states = set(Proposal.objects.values_list("state", flat=True))
    # A submitted proposal is screened as soon as it is submitted, so none rests there.
    assert states == set(ProposalState.values) - {ProposalState.SUBMITTED}
    assert "proposal   Approved with conditions" in seeded.getvalue()

    # Made through the services, so events, assessments, decisions and history are real.
    submitter = user("submitter")
    assert not Proposal.objects.exclude(submitter=submitter).exists()
    approved = Proposal.objects.get(state=ProposalState.APPROVED_WITH_CONDITIONS)
    actions = list(approved.events.order_by("pk").values_list("action", flat=True))
    review = [
        "submit",
        "screen_clear" if not approved.screening_runs.get().hits.exists() else "screen",
        *(["adjudicate_last"] if approved.screening_runs.get().hits.exists() else []),
        "assess_risk_benefit",
        "assess_security",
        "approve_with_conditions",
        "acknowledge_conditions",
        # After approval, in the order of their days: each request recorded when made, its
        # answer as a correction when it came, the incident, and the dispute over the ledger.
        "record_exchange",
        "correct_exchange",
        "record_exchange",
        "correct_exchange",
        "record_exchange",
        "record_exchange",
        "report_incident",
        "open_dispute",
    ]
    assert actions == review
    decision = Decision.objects.get(proposal=approved)
    assert (decision.decided_by, decision.conditions != "") == (user("decider"), True)
    assert [
        (c.owner, c.status, c.acknowledged_by) for c in decision.condition_items.order_by("number")
    ] == [("submitter", "open", submitter), ("agency", "open", submitter)]
    assert RiskBenefitAssessment.objects.filter(assessor=user("reviewer")).exists()
    assert SecurityAssessment.objects.filter(assessor=user("security")).exists()
    assert not Proposal.history.filter(history_user__isnull=True).exists()
    assert not Proposal.history.filter(history_change_reason="").exists()

    # The screening list is fictional and leaves hits for the security reviewer.
    entries = ScreeningList.objects.get(is_current=True).entries.all()
    assert all("FICTIONAL" in e.columns["remarks"] for e in entries)
    pending = ScreeningHit.objects.pending()
    assert {h.kind for h in pending} == {"cet", "restricted_party"}
    assert CetEdition.objects.get(in_force=True).categories.count() == 18


def test_each_demo_user_has_something_to_look_at(seeded: StringIO) -> None:
    mine = text(as_user(user("submitter")).get("/reviews/mine/"))
    assert "Karst groundwater tracing in Guangxi" in mine
    reviewer = as_user(user("reviewer"))
    assert "Migratory shorebirds" in text(reviewer.get("/reviews/queue/assessments/"))
    # Bob assessed its risks and benefits, so Judy, the second reviewer, decides it.
    assert "Lake sediment records" not in text(reviewer.get("/reviews/queue/decisions/"))
    decider = as_user(user("decider"))
    assert "Lake sediment records" in text(decider.get("/reviews/queue/decisions/"))
    security = as_user(user("security"))
    assert "Turbine blade coatings" in text(security.get("/reviews/queue/hits/"))
    assert "Alpine flora" in text(security.get("/reviews/queue/assessments/"))
    admin = as_user(user("admin"))
    assert "demo-screening-list.csv" in text(admin.get("/reviews/screening-lists/"))
    assert "13 proposals in all" in text(as_user(user("analyst")).get("/reviews/dashboard/"))


def test_running_it_again_adds_nothing(seeded: StringIO) -> None:
    before = counts()
    call_command("seed_demo", password="demo-pass-1", stdout=StringIO())
    assert counts() == before


def test_without_the_agreement_only_the_lists_are_made(db: Any) -> None:
    out = StringIO()
    call_command("seed_demo", password="demo-pass-1", stdout=out)
    assert not Proposal.objects.exists()
    assert ScreeningList.objects.count() == 1
    assert CetEdition.objects.count() == 1
    assert "run load_sta, then seed_demo again" in out.getvalue()
