"""The reciprocity indicators, at their thresholds and either side, and the concerns queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clauses.models import Version
from reviews import services
from reviews.models import LedgerEntry, LedgerStatus
from reviews.models.reciprocity import ledger_status
from reviews.services.reciprocity import Exchange, indicators_for, programme_reciprocity
from tests.reviews.after_factories import days_ago, record, refused_request
from tests.reviews.factories import proposal_in

TODAY = dt.date(2026, 6, 30)


def entry(
    direction: str = "to_partner",
    *,
    asked: int,
    provided: int | None = None,
    refused: int | None = None,
) -> LedgerEntry:
    """An unsaved entry asked ``asked`` days before TODAY, answered so many days before."""
    return LedgerEntry(
        direction=direction,
        item="dataset",
        description="Series",
        channel="E-mail",
        requested_on=TODAY - dt.timedelta(days=asked),
        provided_on=TODAY - dt.timedelta(days=provided) if provided is not None else None,
        refused_on=TODAY - dt.timedelta(days=refused) if refused is not None else None,
        refusal_reason="No" if refused is not None else "",
    )


@pytest.mark.parametrize(("asked", "overdue"), [(59, 0), (60, 0), (61, 1)])
def test_a_request_is_overdue_only_once_open_longer_than_the_threshold(
    asked: int, overdue: int
) -> None:
    indicators = indicators_for([entry(asked=asked)], today=TODAY, open_days=60)
    assert indicators.to_partner.overdue == overdue
    assert indicators.to_partner.open == 1
    assert indicators.is_concern is bool(overdue)


def test_requests_from_the_partner_open_long_are_counted_but_are_no_concern() -> None:
    indicators = indicators_for([entry("from_partner", asked=90)], today=TODAY, open_days=60)
    assert (indicators.from_partner.overdue, indicators.is_concern) == (1, False)


@pytest.mark.parametrize(
    ("provided", "refused", "concern"),
    [(1, 1, False), (1, 2, True), (2, 1, False)],
)
def test_the_share_met_at_the_minimum_is_no_concern_below_it_is(
    provided: int, refused: int, concern: bool
) -> None:
    rows = [entry(asked=30, provided=10) for _ in range(provided)] + [
        entry(asked=30, refused=10) for _ in range(refused)
    ]
    indicators = indicators_for(rows, today=TODAY, open_days=60, min_share_percent=50)
    assert indicators.to_partner.share_met == provided / (provided + refused)
    assert indicators.is_concern is concern


def test_open_requests_not_yet_due_do_not_lower_the_share() -> None:
    rows = [entry(asked=40, provided=5), entry(asked=3)]
    indicators = indicators_for(rows, today=TODAY, open_days=60, min_share_percent=50)
    assert (indicators.to_partner.share_percent, indicators.to_partner.due) == (100, 1)


def test_the_last_exchange_is_the_latest_provision_either_way() -> None:
    rows = [entry(asked=50, provided=40), entry("from_partner", asked=30, provided=12)]
    rows.append(entry(asked=20, refused=2))
    indicators = indicators_for(rows, today=TODAY)
    assert indicators.last_exchange_on == TODAY - dt.timedelta(days=12)


def test_no_requests_means_no_share_and_no_concern() -> None:
    indicators = indicators_for([], today=TODAY)
    assert (indicators.to_partner.share_met, indicators.last_exchange_on) == (None, None)
    assert not indicators.is_concern


@pytest.mark.django_db
def test_the_concerns_queue_lists_running_projects_crossing_the_threshold(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, settings: Any
) -> None:
    settings.STA_RECIPROCITY_OPEN_DAYS = 30
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    healthy = proposal_in("approved", **people)
    record(healthy, alice, requested_on=days_ago(40), provided_on=days_ago(35))
    late = proposal_in("approved", **people)
    record(late, alice, requested_on=days_ago(31))
    on_time = proposal_in("approved", **people)
    record(on_time, alice, requested_on=days_ago(30))
    refused = proposal_in("suspended", **people)
    refused_request(refused, bob)
    found = services.reciprocity_concerns()
    assert [c.proposal.pk for c in found] == [late.pk, refused.pk]
    assert found[0].indicators.to_partner.overdue == 1
    # The dashboard counts the same projects, and the programme's requests over all of them.
    programme, concerns = programme_reciprocity()
    assert concerns == 2
    entries = LedgerEntry.objects.current().filter(proposal__state__in=["approved", "suspended"])
    assert programme == indicators_for(entries)
    assert programme.to_partner.requests == 4


@pytest.mark.django_db
def test_a_correction_that_records_the_answer_clears_the_concern(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    project = proposal_in("approved", **people)
    late = record(project, alice, requested_on=days_ago(90))
    assert services.project_indicators(project).is_concern
    services.ledger_entry_correct(
        entry=late,
        data=services.as_input(late, provided_on=days_ago(1)),
        acting_user=alice,
        reason="Arrived at last",
    )
    assert not services.project_indicators(project).is_concern
    assert services.reciprocity_concerns() == []


@pytest.mark.parametrize(
    ("provided", "refused", "status"),
    [
        (None, None, LedgerStatus.OPEN),
        (3, None, LedgerStatus.PROVIDED),
        (None, 2, LedgerStatus.REFUSED),
    ],
)
def test_an_entry_and_its_figures_alone_stand_the_same(
    provided: int | None, refused: int | None, status: LedgerStatus
) -> None:
    full = entry(asked=70, provided=provided, refused=refused)
    figures = Exchange(1, full.direction, full.requested_on, full.provided_on, full.refused_on)
    assert full.status == figures.status == ledger_status(full.provided_on, full.refused_on)
    assert figures.status == status
    assert indicators_for([figures], today=TODAY) == indicators_for([full], today=TODAY)
