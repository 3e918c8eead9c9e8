"""The hash chain over decisions and transition events, and ``verify_audit``.

Each tampering test changes the database behind the application's back (past the triggers,
as only a database superuser could) and checks that the chain names the first broken link.
"""

from __future__ import annotations

import importlib
import io
import json
from itertools import pairwise
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from clauses.models import Version
from reviews.audit import DECISION, EVENT, GENESIS, verify_chain
from reviews.models import AuditLink, Decision, Proposal, ProposalEvent
from tests.reviews.factories import proposal_in

from .conftest import triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    """Two proposals through the workflow: one approved with conditions, one in review."""
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    proposal_in("in_review", title="Second", **people)
    return proposal_in("approved_with_conditions", title="First", **people)


def link_of(record: Any) -> AuditLink:
    kind = DECISION if isinstance(record, Decision) else EVENT
    return AuditLink.objects.get(kind=kind, record_id=record.pk)


def verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def broken(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit", *args, stdout=io.StringIO(), stderr=err)
    return f"{refused.value}\n{err.getvalue()}"


def test_every_event_and_decision_is_sealed_in_order(decided: Proposal) -> None:
    events = ProposalEvent.objects.count()
    decisions = Decision.objects.count()
    assert (events, decisions) == (AuditLink.objects.filter(kind=EVENT).count(), 1)
    links = list(AuditLink.objects.order_by("seq"))
    assert [link.seq for link in links] == list(range(1, events + decisions + 1))
    assert links[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(links))
    # A decision is sealed just before the event of the transition it causes.
    decision = Decision.objects.get()
    event = ProposalEvent.objects.get(proposal=decided, action="approve_with_conditions")
    assert link_of(event).seq == link_of(decision).seq + 1
    report = verify_chain()
    assert report.intact
    assert (report.links, report.events, report.decisions) == (len(links), events, 1)


def test_verify_audit_reports_an_intact_chain_and_its_head(decided: Proposal) -> None:
    out, err = verify()
    head = AuditLink.objects.order_by("seq").last()
    assert head is not None
    assert "Audit chain intact" in out
    assert f"Head: link {head.seq}, {head.hash}" in out
    assert err == ""
    as_json = json.loads(verify("--format", "json")[0])
    assert as_json["intact"] is True
    assert as_json["head"] == {"seq": head.seq, "hash": head.hash}


def test_an_empty_chain_is_intact(db: Any) -> None:
    out, _ = verify()
    assert "intact: 0 links" in out


def test_a_changed_event_reason_is_named(decided: Proposal) -> None:
    event = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[2]
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE reviews_proposalevent SET reason = %s WHERE id = %s", ["Nothing", event.pk]
        )
    seq = link_of(event).seq
    message = broken()
    assert f"Audit chain broken at link {seq}: event {event.pk} of proposal {decided.pk}" in message
    assert "changed after it was recorded" in message
    # Only that link: the links after it still follow the hash it was sealed with.
    assert len(verify_chain().breaks) == 1


def test_a_changed_decision_and_a_removed_cited_clause_are_named(decided: Proposal) -> None:
    decision = Decision.objects.get()
    seq = link_of(decision).seq
    with triggers_off() as cursor:
        cursor.execute(
            "DELETE FROM reviews_decision_cited_clauses WHERE decision_id = %s", [decision.pk]
        )
    assert f"broken at link {seq}: decision {decision.pk}" in broken()


def test_changed_decision_conditions_are_named(decided: Proposal) -> None:
    decision = Decision.objects.get()
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE reviews_decision SET conditions = %s WHERE id = %s", ["None.", decision.pk]
        )
    assert f"broken at link {link_of(decision).seq}: decision {decision.pk}" in broken()


def test_a_deleted_event_is_named(decided: Proposal) -> None:
    event = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[1]
    seq = link_of(event).seq
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM reviews_proposalevent WHERE id = %s", [event.pk])
    assert f"broken at link {seq}: event {event.pk} is gone (deleted)" in broken()


def test_a_deleted_event_with_its_link_is_found_at_the_next_link(decided: Proposal) -> None:
    event = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[1]
    seq = link_of(event).seq
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM reviews_auditlink WHERE seq = %s", [seq])
        cursor.execute("DELETE FROM reviews_proposalevent WHERE id = %s", [event.pk])
    message = broken()
    assert f"broken at link {seq + 1}: link {seq} is missing" in message
    assert f"link {seq + 1}: it does not follow the link before it" in message


def test_two_links_swapped_are_found_where_the_order_breaks(decided: Proposal) -> None:
    first, second = AuditLink.objects.order_by("seq")[3:5]
    parked = 10**9
    with triggers_off() as cursor:
        for seq, record_id in ((parked, first.record_id), (first.seq, second.record_id)):
            cursor.execute(
                "UPDATE reviews_auditlink SET seq = %s WHERE record_id = %s AND kind = %s",
                [seq, record_id, EVENT],
            )
        cursor.execute("UPDATE reviews_auditlink SET seq = %s WHERE seq = %s", [second.seq, parked])
    assert AuditLink.objects.get(seq=first.seq).record_id == second.record_id
    message = broken()
    assert message.index(f"broken at link {first.seq}:") < message.index(f"link {second.seq}:")


def test_two_events_with_swapped_times_are_found(decided: Proposal) -> None:
    one, two = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[0:2]
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE reviews_proposalevent SET created_at = %s WHERE id = %s",
            [two.created_at, one.pk],
        )
        cursor.execute(
            "UPDATE reviews_proposalevent SET created_at = %s WHERE id = %s",
            [one.created_at, two.pk],
        )
    assert f"broken at link {link_of(one).seq}: event {one.pk}" in broken()


def test_an_event_written_outside_the_workflow_is_named(decided: Proposal, alice: Any) -> None:
    forged = ProposalEvent.objects.create(
        proposal=decided,
        action="approve",
        from_state="in_review",
        to_state="approved",
        round=1,
        actor=alice,
        reason="Forged",
    )
    message = broken()
    assert f"Event {forged.pk} of proposal {decided.pk} is not in the audit chain" in message


def test_a_chain_rewritten_from_a_point_on_is_caught_by_an_earlier_anchor(
    decided: Proposal,
) -> None:
    anchor = AuditLink.objects.order_by("seq").last()
    assert anchor is not None
    assert "intact" in verify("--anchor", anchor.hash)[0]
    # Change an event, then reseal the whole chain: it holds together again.
    event = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[1]
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE reviews_proposalevent SET reason = %s WHERE id = %s", ["Rewritten", event.pk]
        )
    reseal_everything()
    assert verify_chain().intact
    message = broken("--anchor", anchor.hash)
    assert f"Anchor {anchor.hash} is no longer in the chain" in message


def reseal_everything() -> None:
    """Throw the chain away and seal every record again, with the migration's own code."""
    migration = importlib.import_module("reviews.migrations.0005_audit_chain")
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM reviews_auditlink")
    migration.seal_existing(apps, None)


def test_the_migration_seals_records_written_before_the_chain(decided: Proposal) -> None:
    before = list(AuditLink.objects.order_by("seq").values_list("kind", "record_id"))
    reseal_everything()
    after = list(AuditLink.objects.order_by("seq").values_list("kind", "record_id"))
    assert after == before
    assert verify_chain().intact


def test_the_daily_check_logs_the_head_or_the_first_broken_link(
    decided: Proposal, caplog: pytest.LogCaptureFixture
) -> None:
    from reviews.tasks import check_audit_chain

    head = AuditLink.objects.order_by("seq").last()
    assert head is not None
    caplog.set_level("INFO", logger="reviews.tasks")
    assert check_audit_chain.delay().get() is True
    assert f"head link {head.seq}, {head.hash}" in caplog.text
    event = ProposalEvent.objects.filter(proposal=decided).order_by("pk")[0]
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM reviews_proposalevent WHERE id = %s", [event.pk])
    caplog.clear()
    assert check_audit_chain.delay().get() is False
    (error,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert f"broken at link {link_of(event).seq}: event {event.pk} is gone" in error.getMessage()
