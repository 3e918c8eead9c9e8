"""The ledger and dispute figures of a period, as the programme report reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews import services
from reviews.after_figures import dispute_figures, reciprocity_figures
from tests.reviews.after_factories import days_ago, open_dispute, record
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def test_reciprocity_figures_count_requests_each_way_in_the_period(
    people: dict[str, Any], alice: Any, settings: Any
) -> None:
    settings.STA_RECIPROCITY_OPEN_DAYS = 30
    project = proposal_in("approved", **people)
    record(project, alice, requested_on=days_ago(100), provided_on=days_ago(90))
    record(project, alice, requested_on=days_ago(80))  # open, overdue
    record(project, alice, requested_on=days_ago(10))  # open, not yet due
    record(
        project,
        alice,
        direction="from_partner",
        requested_on=days_ago(60),
        provided_on=days_ago(50),
    )
    record(project, alice, requested_on=days_ago(400))  # before the period
    figures = reciprocity_figures(days_ago(200), timezone.localdate())
    assert figures["open_requests_to_partner"] == 2
    assert figures["overdue_requests_to_partner"] == 1
    assert figures["share_met"] == {"to_partner": 0.5, "from_partner": 1.0}
    assert figures["directions"]["to_partner"]["requests"] == 3
    assert figures["last_exchange_on"] == days_ago(50).isoformat()
    assert (figures["projects_of_concern"], figures["concern_project_ids"]) == (1, [project.pk])


def test_an_answer_after_the_period_counts_as_open_at_its_end(
    people: dict[str, Any], alice: Any
) -> None:
    project = proposal_in("approved", **people)
    record(project, alice, requested_on=days_ago(100), provided_on=days_ago(5))
    figures = reciprocity_figures(days_ago(120), days_ago(20))
    assert figures["open_requests_to_partner"] == 1
    assert figures["share_met"]["to_partner"] == 0.0


def test_dispute_figures_count_openings_and_outcomes(
    people: dict[str, Any], bob: Any, judy: Any
) -> None:
    resolved = proposal_in("approved", **people)
    ceased = proposal_in("approved", **people)
    pending = proposal_in("approved", **people)
    first = open_dispute(resolved, bob)
    second = open_dispute(ceased, bob)
    open_dispute(pending, bob, ground="data_access")
    for dispute, outcome in ((first, "resolve"), (second, "cease")):
        services.dispute_step_take(
            dispute=dispute, action="hold_consultation", notes="Held", acting_user=bob
        )
        services.dispute_step_take(dispute=dispute, action=outcome, notes="Done", acting_user=judy)
    today = timezone.localdate()
    figures = dispute_figures(today - dt.timedelta(days=7), today)
    assert figures["opened"] == 3
    assert figures["by_ground"]["reciprocity"] == 2
    assert figures["by_ground"]["data_access"] == 1
    assert figures["outcomes"]["resolved"] == 1
    assert figures["outcomes"]["ceased"] == 1
    assert figures["outcomes"]["consultation_requested"] == 1
    assert figures["still_open"] == 2
    assert figures["ended_in_period"] == {
        "resolved": 1,
        "ceased": 1,
        "resumed": 0,
        "terminated": 0,
    }
    earlier = dispute_figures(today - dt.timedelta(days=30), today - dt.timedelta(days=1))
    assert (earlier["opened"], sum(earlier["ended_in_period"].values())) == (0, 0)
