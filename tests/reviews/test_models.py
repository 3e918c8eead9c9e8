from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clauses.models import Version, system_user
from reviews.models import (
    AppendOnlyError,
    CetEdition,
    Proposal,
    ProposalEvent,
    ScreeningHit,
    ScreeningRun,
)
from sta_tracker.history import save_with_history
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db


def _refused(row: Any) -> None:
    """The database itself refuses ``row``, saved with a complete history record."""
    with pytest.raises(IntegrityError), transaction.atomic():
        save_with_history(row, acting_user=system_user(), reason="Constraint test")


def test_the_database_refuses_a_project_that_ends_before_it_starts(alice: Any) -> None:
    proposal = Proposal(
        title="T", submitter=alice, start_date=dt.date(2025, 1, 2), end_date=dt.date(2025, 1, 1)
    )
    _refused(proposal)


def test_the_database_refuses_a_half_recorded_adjudication(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal_in("screening", submitter=alice, version=sta)
    hit = ScreeningHit.objects.get()
    hit.adjudication = "true_match"
    hit.adjudicated_by = charlie
    hit.adjudicated_at = timezone.now()
    _refused(hit)  # no adjudication reason given


def test_the_database_allows_one_current_run_per_proposal(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("screening", submitter=alice, version=sta)
    twin = ScreeningRun(proposal=proposal, round=1, started_by=system_user(), reason="Twin")
    _refused(twin)


def test_the_database_allows_one_cet_edition_in_force(lists: Any) -> None:
    _refused(CetEdition(name="another", in_force=True))


def test_events_are_never_changed_or_deleted(alice: Any, sta: Version, lists: Any) -> None:
    proposal_in("submitted", submitter=alice, version=sta)
    event = ProposalEvent.objects.get()
    event.reason = "Rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert ProposalEvent.objects.get().reason == "Ready"
