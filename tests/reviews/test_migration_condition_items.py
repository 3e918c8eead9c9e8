"""The migration that introduced condition items turns each decision's conditions text into
items, one a line, and leaves the text (sealed in the audit chain) as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("long_statements")]

BEFORE = [("reviews", "0006_append_only_everywhere")]
AFTER = [("reviews", "0007_condition_items")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def decision(apps: Any, outcome: str, conditions: str) -> Any:
    """A decision as it was stored before items existed, with the rows it points to."""
    user = apps.get_model("auth", "User").objects.create(username=f"decider-{outcome}")
    proposal = apps.get_model("reviews", "Proposal").objects.create(
        title="Old project", submitter=user, state="approved_with_conditions"
    )
    run = apps.get_model("reviews", "ScreeningRun").objects.create(
        proposal=proposal, round=1, started_by=user, reason="Screened"
    )
    risk_benefit = apps.get_model("reviews", "RiskBenefitAssessment").objects.create(
        proposal=proposal, round=1, assessor=user, recommendation="approve", summary="Sound"
    )
    security = apps.get_model("reviews", "SecurityAssessment").objects.create(
        proposal=proposal,
        round=1,
        assessor=user,
        screening_run=run,
        adjudications_complete=True,
        cet_involvement="none",
        finding="no_concerns",
        rationale="Nothing",
    )
    return apps.get_model("reviews", "Decision").objects.create(
        proposal=proposal,
        round=1,
        outcome=outcome,
        conditions=conditions,
        reason="Decided",
        risk_benefit_assessment=risk_benefit,
        security_assessment=security,
        decided_by=user,
    )


def test_old_conditions_text_becomes_items_with_history_and_the_text_stays() -> None:
    old = migrate(BEFORE)
    conditional = decision(old, "approve_with_conditions", "1. Share data.\n\n- Report travel.")
    plain = decision(old, "approve", "")
    new = migrate(AFTER)
    items = new.get_model("reviews", "ConditionItem").objects.order_by("number")
    assert [(i.decision_id, i.number, i.text, i.owner, i.due_on, i.status) for i in items] == [
        (conditional.pk, 1, "Share data.", "submitter", None, "open"),
        (conditional.pk, 2, "Report travel.", "submitter", None, "open"),
    ]
    assert not items.filter(decision_id=plain.pk).exists()
    history = new.get_model("reviews", "HistoricalConditionItem").objects.order_by("number")
    assert [(h.id, h.history_type, h.history_user_id) for h in history] == [
        (i.pk, "+", conditional.decided_by_id) for i in items
    ]
    assert all(h.history_change_reason.startswith("Conditions of a decision") for h in history)
    kept = new.get_model("reviews", "Decision").objects.get(pk=conditional.pk)
    assert kept.conditions == "1. Share data.\n\n- Report travel."
