"""On PostgreSQL the history tables, the events, the decisions and the audit chain refuse
UPDATE, DELETE and TRUNCATE from anyone; SQLite (the demo) relies on the models' refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, models, transaction

from clauses.importing.services import import_job_create, import_job_publish
from clauses.models import Version
from reviews.models import (
    AuditLink,
    Decision,
    Dispute,
    DisputeStep,
    Incident,
    IncidentFollowUp,
    LedgerAttachment,
    LedgerEntry,
    ProjectGround,
    ProposalEvent,
)
from reviews.services import (
    IncidentInput,
    TripInput,
    assignment_set,
    attachment_add,
    dispute_step_take,
    incident_report,
    incident_suspend,
    ledger_attachment_add,
    travel_plan_record,
)
from sta_tracker.roles import Role
from tests.factories import make_event, make_user, the_decider
from tests.reviews.after_factories import open_dispute
from tests.reviews.factories import flag_cited_clause, proposal_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def audit_tables() -> list[str]:
    """Every history table of the project, and the other tables nobody may rewrite."""
    history = [
        m._meta.db_table
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m._meta.app_label in ("clauses", "reviews")
    ]
    others: list[type[models.Model]] = [
        ProposalEvent,
        Decision,
        Decision.cited_clauses.through,
        AuditLink,
        LedgerEntry,
        LedgerAttachment,
        Dispute.cited_clauses.through,
        Dispute.evidence_entries.through,
        DisputeStep,
        ProjectGround,
        # Researcher safety (issue 16): incident reports and what they led to.
        Incident,
        IncidentFollowUp,
    ]
    return sorted(history + [m._meta.db_table for m in others])


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are installed on PostgreSQL only")


@pytest.fixture
def workflow(
    alice: Any,
    bob: Any,
    charlie: Any,
    erin: Any,
    sta: Version,
    lists: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    """A row in every audit table: an agreement event, a proposal with an attachment, one
    with a screening hit and an assessment claimed, one decided and flagged by a later
    version, and an amending protocol with its effect and its own text."""
    settings.MEDIA_ROOT = tmp_path
    make_event(sta.agreement, "lapse", dt.date(2024, 8, 27), dt.date(2024, 12, 13))
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    draft = proposal_in("draft", **people)
    attachment_add(
        proposal=draft,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n"),
        acting_user=alice,
        reason="Data plan",
    )
    screening = proposal_in("screening", **people)
    assignment_set(
        proposal=screening, step="risk_benefit", assignee=bob, acting_user=bob, reason="Claimed"
    )
    conditional = proposal_in("approved_with_conditions", **people)
    flag_cited_clause(conditional, sta)
    # Researcher safety (issue 16): a trip, an incident, and the suspension it grounds.
    travel_plan_record(
        proposal=conditional,
        trip=TripInput(
            traveller="Dr. Maya Ortiz",
            destination="Chengdu",
            starts_on=dt.date.today() + dt.timedelta(days=5),
            ends_on=dt.date.today() + dt.timedelta(days=9),
            purpose="Sampling",
        ),
        acting_user=alice,
        reason="Trip planned",
    )
    incident = incident_report(
        proposal=conditional,
        incident=IncidentInput(
            kind="harassment",
            occurred_on=dt.date.today(),
            place="Hotel",
            description="Followed for two days.",
        ),
        acting_user=alice,
        reason="Reported",
    )
    incident_suspend(incident=incident, acting_user=bob, reason="Unsafe")
    # A ledger entry with its evidence, and a dispute that ceased cooperation (a ground).
    running = proposal_in("approved", **people)
    dispute = open_dispute(running, bob)
    ledger_attachment_add(
        entry=dispute.evidence_entries.get(),
        upload=SimpleUploadedFile("refusal.pdf", b"%PDF-1.7\n"),
        acting_user=bob,
        reason="The refusal letter",
    )
    for action, who in (("hold_consultation", bob), ("cease", the_decider())):
        dispute_step_take(dispute=dispute, action=action, notes="Recorded", acting_user=who)
    # An amending instrument imported through the page: its job, effects and own document.
    job = import_job_create(
        agreement=sta.agreement,
        filename="amendment.txt",
        content=b"Article 1\nArticle 2 of the Agreement is deleted.\n",
        label="2030-amendment",
        kind="amendment",
        signed_on=dt.date(2030, 1, 1),
        effective_from=dt.date(2030, 1, 1),
        text_status="official",
        mode="amending",
        acting_user=erin,
        reason="Amendment received",
    )
    import_job_publish(
        job=job,
        acting_user=make_user("grace", Role.ADMINISTRATOR),
        confirm_repeals=True,
        period_reason="The amendment takes effect",
    )


def triggers_on(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(error.value)


def test_the_list_covers_every_history_model() -> None:
    tables = audit_tables()
    assert len(tables) == 46
    assert "reviews_historicalledgerentry" in tables
    assert "reviews_disputestep" in tables
    assert "reviews_historicaltravelplan" in tables
    assert "reviews_incident" in tables
    assert "reviews_historicalconditionitem" in tables
    assert "reviews_historicalassignment" in tables
    assert "reviews_historicalagency" in tables
    assert "reviews_historicalscientificfield" in tables
    assert "reviews_historicalproposal_cited_clauses" in tables
    assert "clauses_historicalimportjob" in tables


@pytest.mark.parametrize("table", audit_tables())
def test_every_audit_table_has_both_triggers(table: str) -> None:
    assert {f"{table}_append_only", f"{table}_no_truncate"} <= triggers_on(table)


@pytest.mark.parametrize("table", audit_tables())
def test_truncate_is_refused(table: str) -> None:
    assert "append-only" in refused(f"TRUNCATE {table} CASCADE")


@pytest.mark.parametrize("table", audit_tables())
def test_update_and_delete_of_written_rows_are_refused(workflow: None, table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a table name, not input
        (count,) = cursor.fetchone()
    assert count, f"the workflow wrote no {table} row to test with"
    key = "decision_id" if table == "reviews_decision_cited_clauses" else "id"
    message = refused(f"UPDATE {table} SET {key} = {key}")  # noqa: S608
    assert f"{table} rows are append-only" in message
    assert f"{table} rows are append-only" in refused(f"DELETE FROM {table}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone() == (count,)
