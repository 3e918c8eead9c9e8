"""The migration that makes agency and scientific field list entries loses no value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("long_statements")]

BEFORE = [("reviews", "0011_condition_and_assignment_choices")]
AFTER = [("reviews", "0012_agency_and_field_lists")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    # Back to the newest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _apps(executor: MigrationExecutor, target: list[tuple[str, str]]) -> Any:
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def test_every_distinct_free_text_value_becomes_one_entry_named_by_its_proposals(
    executor: MigrationExecutor,
) -> None:
    old = _apps(executor, BEFORE)
    user = old.get_model(*settings.AUTH_USER_MODEL.split(".")).objects.create(username="alice")
    proposal = old.get_model("reviews", "Proposal")
    given = {
        "Cores": ("National Science Foundation", "Geology"),
        "Ice": ("  national science  foundation ", "geology"),
        "Birds": ("U.S. Fish and Wildlife Service", ""),
        "Blank": ("", ""),
    }
    for title, (agency, field) in given.items():
        proposal.objects.create(
            title=title, us_agency=agency, scientific_field=field, submitter=user
        )
    # A history row written before: append-only, on PostgreSQL behind a trigger.
    cores = proposal.objects.get(title="Cores")
    old.get_model("reviews", "HistoricalProposal").objects.create(
        id=cores.pk,
        title="Cores",
        us_agency="National Science Foundation",
        scientific_field="Geology",
        submitter_id=user.pk,
        state_changed_at=cores.state_changed_at,
        created_at=cores.created_at,
        updated_at=cores.updated_at,
        history_date=cores.created_at,
        history_type="+",
        history_user_id=user.pk,
        history_change_reason="First draft",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = _apps(executor, AFTER)
    agencies = new.get_model("reviews", "Agency").objects.order_by("pk")
    assert [(a.name, a.active) for a in agencies] == [
        ("National Science Foundation", True),
        ("U.S. Fish and Wildlife Service", True),
    ]
    fields = new.get_model("reviews", "ScientificField").objects.all()
    assert [f.name for f in fields] == ["Geology"]
    named = {
        p.title: (
            p.us_agency.name if p.us_agency else "",
            p.scientific_field.name if p.scientific_field else "",
        )
        for p in new.get_model("reviews", "Proposal").objects.select_related(
            "us_agency", "scientific_field"
        )
    }
    assert named == {
        "Cores": ("National Science Foundation", "Geology"),
        "Ice": ("National Science Foundation", "Geology"),
        "Birds": ("U.S. Fish and Wildlife Service", ""),
        "Blank": ("", ""),
    }
    history = new.get_model("reviews", "HistoricalAgency").objects.order_by("history_id")
    assert [(h.name, h.history_type, h.history_user.username) for h in history] == [
        ("National Science Foundation", "+", settings.STA_SYSTEM_USERNAME),
        ("U.S. Fish and Wildlife Service", "+", settings.STA_SYSTEM_USERNAME),
    ]
    assert {h.history_change_reason for h in history} == {
        "Made a list entry of a value proposals gave as free text"
    }
    (before,) = new.get_model("reviews", "HistoricalProposal").objects.all()
    assert (before.us_agency_text, before.scientific_field_text, before.us_agency_id) == (
        "National Science Foundation",
        "Geology",
        None,
    )


def test_going_back_restores_the_free_text(executor: MigrationExecutor) -> None:
    old = _apps(executor, BEFORE)
    user = old.get_model(*settings.AUTH_USER_MODEL.split(".")).objects.create(username="alice")
    old.get_model("reviews", "Proposal").objects.create(
        title="Cores", us_agency="NOAA", scientific_field="Oceanography", submitter=user
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = _apps(executor, BEFORE).get_model("reviews", "Proposal").objects.get()
    assert (back.us_agency, back.scientific_field) == ("NOAA", "Oceanography")
