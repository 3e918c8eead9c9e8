from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from clauses.models import Version
from reviews.models import Decision, ProposalEvent
from reviews.services import decision_record
from tests.reviews.factories import assess, proposal_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 20


def test_twenty_concurrent_decisions_on_one_proposal_record_exactly_one(
    alice: Any, bob: Any, charlie: Any, grace: Any, sta: Version, lists: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks and serialises writers, so threads "
            "would only test its file lock"
        )
    proposal = assess(
        proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta),
        bob,
        charlie,
    )
    cited = [c.pk for c in proposal.cited_clauses.all()]
    deciders = [bob, grace]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            decision_record(
                proposal=proposal,
                outcome="approve" if index % 2 else "reject",
                acting_user=deciders[index % 2],
                reason=f"Attempt {index}",
                cited_clause_ids=cited,
            )
            result = "recorded"
        except Exception as exc:  # every failure is counted and checked below
            result = type(exc).__name__
        finally:
            # Why: each thread has its own connection; close it so the test database can drop.
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["TransitionNotAllowed"] * (ATTEMPTS - 1) + ["recorded"]
    assert Decision.objects.count() == 1
    decision = Decision.objects.get()
    decided = ProposalEvent.objects.filter(proposal=proposal, action__in=["approve", "reject"])
    assert decided.count() == 1
    assert decided.get().reason == decision.reason
