"""Every change to a historied row leaves a history row naming a user and a reason.

Two kinds of test: the guards themselves (a save, delete or bulk write that would leave no
complete history is refused before anything is written), and a walk through every path that
writes (commands, services with their tasks, the API, the admin), after which every history
row in the database is checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.models import registered_models

from clauses.models import Agreement, Clause, Instrument, Version, system_user
from reviews.models import CetEdition, Proposal
from sta_tracker.history import (
    HistoriedQuerySet,
    UnrecordedChange,
    bulk_create_with_history,
    save_with_history,
)

pytestmark = pytest.mark.django_db

REVIEWS_DATA = Path(__file__).resolve().parent.parent / "reviews" / "data"

AMENDING_TEXT = """Protocol amending the Agreement

Article 1
The Parties shall cooperate in basic research on the basis of equality and reciprocity.

Article 2
Each Party may terminate cooperation on six months' written notice.
"""


def historied_models() -> list[type[models.Model]]:
    # Many-to-many history rows hang off their owner's row, which carries the user and reason.
    found = {m for m in registered_models.values() if hasattr(m, "history")}
    return sorted(found, key=lambda m: m._meta.label)


def history_rows_missing_user_or_reason() -> list[str]:
    problems = []
    for model in historied_models():
        for record in model.history.all():  # type: ignore[attr-defined]
            if record.history_user_id is None or not (record.history_change_reason or "").strip():
                problems.append(f"{model.__name__} {record.pk} ({record.history_type})")
    return problems


def history_row_count() -> int:
    return sum(m.history.count() for m in historied_models())  # type: ignore[attr-defined]


def test_thirty_three_models_keep_history_and_each_refuses_bulk_writes() -> None:
    names = {m.__name__ for m in historied_models()}
    assert {
        "Agreement",
        "Clause",
        "VersionText",
        "Proposal",
        "Decision",
        "ScreeningHit",
        "Effect",
        "DocumentClause",
        "ImportJob",
        "Assignment",
        "ConditionItem",
        "Agency",
        "ScientificField",
        "LedgerEntry",
        "LedgerAttachment",
        "Dispute",
        "TravelPlan",
        "Incident",
    } <= names
    # 28, the ledger's entries and attachments and disputes (issue 16, reciprocity), and the
    # travel plans and incidents (issue 16, researcher safety).
    assert len(names) == 33
    for model in historied_models():
        queryset = model._default_manager.all()
        assert isinstance(queryset, HistoriedQuerySet), model.__name__


@pytest.mark.parametrize("model", historied_models(), ids=lambda m: m.__name__)
def test_queryset_updates_deletes_and_bulk_writes_are_refused_before_any_query(
    model: type[models.Model],
) -> None:
    queryset = model._default_manager.all()
    attempts = {
        "a queryset update": lambda: queryset.update(pk=1),
        "a queryset delete": lambda: queryset.delete(),
        "bulk_update": lambda: queryset.bulk_update([], ["pk"]),
        "bulk_create": lambda: queryset.bulk_create([]),
    }
    for what, attempt in attempts.items():
        with (
            CaptureQueriesContext(connection) as queries,
            pytest.raises(UnrecordedChange, match=f"{model.__name__}: {what}"),
        ):
            attempt()
        assert not queries.captured_queries, what


def test_a_related_manager_refuses_bulk_writes_too(alice: Any) -> None:
    proposal = Proposal(title="Cores", submitter=alice)
    save_with_history(proposal, acting_user=alice, reason="Draft")
    with pytest.raises(UnrecordedChange, match="PartnerPerson: a queryset delete"):
        proposal.people.all().delete()
    with pytest.raises(UnrecordedChange, match="PartnerInstitution: a queryset update"):
        proposal.institutions.update(name="Other")


def test_a_save_without_a_user_or_a_reason_is_refused_and_writes_nothing(erin: Any) -> None:
    before = Agreement.objects.count(), history_row_count()
    with pytest.raises(UnrecordedChange, match="needs the user who made it"):
        Agreement.objects.create(slug="other", title="Other", short_title="Other")
    unexplained = Agreement(slug="other", title="Other", short_title="Other")
    unexplained._history_user = erin  # type: ignore[attr-defined]
    with pytest.raises(UnrecordedChange, match="needs a reason"):
        unexplained.save()
    assert (Agreement.objects.count(), history_row_count()) == before


def test_a_save_that_skips_history_is_refused(erin: Any) -> None:
    agreement = Agreement(slug="other", title="Other", short_title="Other")
    agreement.skip_history_when_saving = True  # type: ignore[attr-defined]
    with pytest.raises(UnrecordedChange, match="always writes its history row"):
        save_with_history(agreement, acting_user=erin, reason="Quietly")
    assert not Agreement.objects.filter(slug="other").exists()


def test_a_delete_without_a_reason_is_refused_and_removes_nothing(erin: Any) -> None:
    agreement = Agreement(slug="other", title="Other", short_title="Other")
    save_with_history(agreement, acting_user=erin, reason="Test")
    before = history_row_count()
    # Why the savepoint: Django deletes without one; the refusal would break the test transaction.
    with pytest.raises(UnrecordedChange, match="needs the user who made it"), transaction.atomic():
        agreement.delete()
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert history_row_count() == before


def test_the_one_bulk_path_records_a_user_and_a_reason_per_row(erin: Any) -> None:
    edition = CetEdition(name="Test edition")
    save_with_history(edition, acting_user=erin, reason="Test")
    from reviews.models import CetCategory

    rows = [CetCategory(edition=edition, name=f"Category {n}", order=n) for n in range(3)]
    created = bulk_create_with_history(rows, CetCategory, acting_user=erin, reason="Bulk test")
    assert len(created) == 3
    records = CetCategory.history.filter(edition_id=edition.pk)  # type: ignore[attr-defined]
    assert {(r.history_user_id, r.history_change_reason) for r in records} == {
        (erin.pk, "Bulk test")
    }
    for missing in ({"acting_user": None, "reason": "x"}, {"acting_user": erin, "reason": " "}):
        with pytest.raises(UnrecordedChange):
            bulk_create_with_history(
                [CetCategory(edition=edition, name="More", order=9)], CetCategory, **missing
            )
    assert CetCategory.objects.filter(edition=edition).count() == 3


def test_the_check_itself_notices_a_row_without_a_reason(erin: Any) -> None:
    agreement = Agreement(slug="other", title="Other", short_title="Other")
    save_with_history(agreement, acting_user=erin, reason="Test")
    # Written straight into the history table, as only a bypass of every guard could.
    record = agreement.history.get()  # type: ignore[attr-defined]
    record.pk = None
    record.history_change_reason = ""
    record.save()
    assert history_rows_missing_user_or_reason() == [f"Agreement {record.pk} (+)"]


def test_every_path_that_writes_leaves_history_naming_a_user_and_a_reason(
    tmp_path: Path, alice: Any, erin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Commands: the corpus, a new protocol (whose publication flags proposals in a task), CET
    # terms, a screening list, and the demo, which walks proposals through every service
    # (screening runs as a task).
    call_command("load_sta", verbosity=0)
    call_command("load_cet", str(REVIEWS_DATA / "cet-2024.txt"), edition="2024 test", verbosity=0)
    call_command("import_screening_list", str(REVIEWS_DATA / "demo-screening-list.csv"))
    call_command("seed_demo", password="demo-pass-1")
    assert Proposal.objects.filter(state="approved").exists()
    source = tmp_path / "protocol.txt"
    source.write_text(AMENDING_TEXT, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_instrument",
            str(source),
            agreement="sta",
            label="2030-protocol",
            kind="protocol",
            signed_on="2029-08-01",
            effective_from="2029-08-27",
            mode="consolidated",
            text_status="official",
            confirm=True,
            verbosity=0,
        )

    # The API: a submitter creates and submits a proposal (screening runs as a task).
    client = Client()
    client.force_login(alice)
    in_force = Version.objects.in_force_on(timezone.localdate()).get(agreement__slug="sta")
    cited = in_force.clauses.order_by("order").first()
    assert cited is not None
    body = {
        "reason": "First draft",
        "title": "Sediment cores",
        "basic_research_declared": True,
        "institutions": [{"name": "Institute of Geographic Sciences", "city": "Beijing"}],
        "people": [{"name": "Li Hua", "institution": "Institute of Geographic Sciences"}],
        "cited_clause_ids": [cited.pk],
    }
    created = client.post("/api/proposals/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    submitted = client.post(
        f"/api/proposals/{pk}/submit/",
        json.dumps({"reason": "Ready"}),
        content_type="application/json",
    )
    assert submitted.status_code < 400, submitted.content

    # The admin: an instrument edited, a clause corrected, each with the form's reason.
    admin = Client()
    admin.force_login(erin)
    instrument = Instrument.objects.get(slug="2030-protocol")
    clause = Clause.objects.filter(version__label="2030-protocol").order_by("order").first()
    assert clause is not None
    page = admin.get(f"/admin/clauses/instrument/{instrument.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(signed_at="Washington", change_reason="Place of signature added")
    for name in ("signed_on", "effective_from", "expires_on"):
        if data.get(name):
            data[name] = str(data[name])
    saved = admin.post(f"/admin/clauses/instrument/{instrument.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    corrected = admin.post(
        f"/admin/clauses/clause/{clause.pk}/change/",
        {
            "number": clause.number,
            "heading": "Scope",
            "text": clause.text + " (corrected)",
            "wording": clause.wording,
            "change_reason": "Typo",
        },
    )
    assert corrected.status_code == 302

    latest = Instrument.history.filter(id=instrument.pk).latest("history_id")  # type: ignore[attr-defined]
    assert (latest.history_user, latest.history_change_reason) == (erin, "Place of signature added")
    assert history_rows_missing_user_or_reason() == []
    system = system_user()
    assert Proposal.history.filter(history_user=system).exists()  # type: ignore[attr-defined]
