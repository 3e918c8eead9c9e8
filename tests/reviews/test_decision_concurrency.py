from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from clauses.models import Version
from reviews.audit import verify_chain
from reviews.models import AuditLink, Decision, Proposal, ProposalEvent
from reviews.services import decision_record
from tests.reviews.factories import assess, proposal_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50


def test_fifty_concurrent_decisions_on_one_proposal_record_exactly_one(
    alice: Any, bob: Any, charlie: Any, grace: Any, judy: Any, sta: Version, lists: Any
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
    # Why two deciders who played no other part: an assessor deciding is refused for who they
    # are (separation of duties), which would race with the state check this test is about.
    deciders = [judy, grace]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    refusals: list[str] = []
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
            with lock:
                refusals.append(str(exc))
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
    # One history row for the decision and one for the proposal's move, both by the winner.
    assert [r.history_change_reason for r in decision.history.all()] == [decision.reason]
    moved = proposal.history.filter(history_change_reason__startswith="Attempt")
    assert [r.history_change_reason for r in moved] == [decision.reason]
    assert AuditLink.objects.filter(kind="decision").count() == 1
    assert verify_chain().intact
    # Everyone else is told plainly why, in the words the pages and the API show.
    final = Proposal.objects.get(pk=proposal.pk).state_label.lower()
    assert set(refusals) <= {
        f"A proposal that is {final} cannot be given the action “{action}”."
        for action in ("approve", "reject")
    }
