"""Migration 0017 gives partner institutions a country: existing rows keep every value and get
none (nothing on record says where they are), and the tables' triggers still refuse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("long_statements")]

BEFORE = [("reviews", "0016_researcher_safety")]
AFTER = [("reviews", "0017_partner_country")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _apps(executor: MigrationExecutor, target: list[tuple[str, str]]) -> Any:
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_existing_partners_keep_their_values_and_get_no_country(
    executor: MigrationExecutor,
) -> None:
    old = _apps(executor, BEFORE)
    user = old.get_model(*settings.AUTH_USER_MODEL.split(".")).objects.create(username="alice")
    proposal = old.get_model("reviews", "Proposal").objects.create(title="Cores", submitter=user)
    institution = old.get_model("reviews", "PartnerInstitution").objects.create(
        proposal=proposal, name="Lanzhou Centre", name_local="兰州中心", city="Lanzhou", order=1
    )
    old.get_model("reviews", "HistoricalPartnerInstitution").objects.create(
        id=institution.pk,
        proposal_id=proposal.pk,
        name="Lanzhou Centre",
        name_local="兰州中心",
        city="Lanzhou",
        order=1,
        history_date=timezone.now(),
        history_type="+",
        history_user_id=user.pk,
        history_change_reason="First draft",
    )
    triggers = _triggers()

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = _apps(executor, AFTER)
    row = new.get_model("reviews", "PartnerInstitution").objects.get()
    assert (row.name, row.name_local, row.city, row.order, row.country) == (
        "Lanzhou Centre",
        "兰州中心",
        "Lanzhou",
        1,
        "",
    )
    history = new.get_model("reviews", "HistoricalPartnerInstitution").objects.get()
    assert (history.city, history.country, history.history_change_reason) == (
        "Lanzhou",
        "",
        "First draft",
    )
    assert _triggers() == triggers


def test_the_triggers_still_refuse_after_migrating(executor: MigrationExecutor) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = _apps(executor, AFTER)
    user = new.get_model(*settings.AUTH_USER_MODEL.split(".")).objects.create(username="alice")
    proposal = new.get_model("reviews", "Proposal").objects.create(title="Cores", submitter=user)
    # Separation of duties (PostgreSQL and SQLite): the submitter may not assess.
    assessments = new.get_model("reviews", "RiskBenefitAssessment").objects
    with pytest.raises(IntegrityError, match="separation of duties"), transaction.atomic():
        assessments.create(
            proposal=proposal, round=1, assessor=user, recommendation="approve", summary="Mine"
        )
    assert not assessments.exists()
    if connection.vendor != "postgresql":
        return
    # Append-only history (PostgreSQL): the partner history table refuses changes.
    history = new.get_model("reviews", "HistoricalPartnerInstitution").objects
    history.create(
        id=1,
        proposal_id=proposal.pk,
        name="Lanzhou Centre",
        order=0,
        history_date=timezone.now(),
        history_type="+",
        history_user_id=user.pk,
        history_change_reason="First draft",
    )
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        history.update(country="CN")
    assert history.get().country == ""
