"""The admin reads effects, instruments' own documents and import jobs with their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.models import (
    DocumentClause,
    Effect,
    EffectKind,
    ImportJob,
    ImportMode,
    InstrumentDocument,
    TextStatus,
    system_user,
)
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> dict[str, Any]:
    sta = make_agreement()
    version = make_version(
        sta,
        "1979",
        [article(1, "Cooperation shall be mutual.")],
        in_force_from=dt.date(1979, 1, 31),
    )
    who = {"acting_user": system_user(), "reason": "Reference data"}
    effect = Effect(
        instrument=version.instrument,
        order=1,
        kind=EffectKind.SUBSTITUTION,
        affected_key="art_1",
        affected_label="Article 1",
        affecting_provision="Article 2",
        effective_from=dt.date(1979, 1, 31),
        applied=True,
        version=version,
        new_text="Cooperation shall be mutual.",
        note="As read from the protocol.",
    )
    save_with_history(effect, **who)
    document = InstrumentDocument(
        instrument=version.instrument, language="en", text_status=TextStatus.ILLUSTRATIVE
    )
    save_with_history(document, **who)
    provision = DocumentClause(
        document=document, key="art_1", kind="article", number="Article 1", order=0, text="Text."
    )
    save_with_history(provision, **who)
    job = ImportJob(
        agreement=sta,
        original_name="protocol.txt",
        content=b"Article 1",
        size=9,
        source_format="txt",
        mode=ImportMode.PARTIAL,
        label="2030-protocol",
        kind=version.instrument.kind,
        signed_on=dt.date(2030, 1, 1),
        effective_from=dt.date(2030, 1, 1),
        text_status=TextStatus.PARTIAL,
        reason="Upload",
        created_by=system_user(),
    )
    save_with_history(job, **who)
    return {
        "effect": effect,
        "instrumentdocument": document,
        "documentclause": provision,
        "importjob": job,
    }


MODELS = ["effect", "instrumentdocument", "documentclause", "importjob"]


def _urls(model: str, records: dict[str, Any]) -> list[str]:
    base = f"/admin/clauses/{model}/"
    obj = records.get(model)
    return [base] + ([f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"] if obj else [])


@pytest.mark.parametrize("model", MODELS)
def test_an_administrator_reads_each_record_and_its_history(
    client: Client, erin: Any, records: dict[str, Any], model: str
) -> None:
    client.force_login(erin)
    for url in _urls(model, records):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/admin/clauses/{model}/add/").status_code == 403


def test_an_import_job_s_page_shows_its_mode_and_who_uploaded_it(
    client: Client, erin: Any, records: dict[str, Any]
) -> None:
    client.force_login(erin)
    job = records["importjob"]
    html = client.get(f"/admin/clauses/importjob/{job.pk}/change/").content.decode()
    assert "Partial official text" in html
    assert "Created by" in html
    changelist = client.get("/admin/clauses/importjob/").content.decode()
    assert "2030-protocol" in changelist
    response = client.post(f"/admin/clauses/importjob/{job.pk}/change/", {"label": "other"})
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.label == "2030-protocol"


@pytest.mark.parametrize("model", ["effect", "instrumentdocument", "documentclause"])
def test_nothing_is_deleted_from_the_admin(
    client: Client, erin: Any, records: dict[str, Any], model: str
) -> None:
    client.force_login(erin)
    obj = records[model]
    response = client.post(f"/admin/clauses/{model}/{obj.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "dana"])
@pytest.mark.parametrize("model", MODELS)
def test_other_roles_are_sent_to_the_login(
    client: Client, persona: str, request: pytest.FixtureRequest, records: Any, model: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(model, records):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", MODELS)
def test_staff_without_the_administrator_role_is_refused(
    client: Client, records: dict[str, Any], model: str
) -> None:
    client.force_login(make_user("frank", Role.ANALYST, is_staff=True))
    for url in _urls(model, records):
        assert client.get(url).status_code == 403, url


def test_a_post_cannot_change_what_an_effect_did(
    client: Client, erin: Any, records: dict[str, Any]
) -> None:
    """Kind, provision, date and text are not the form's fields: a POST leaves them alone;
    the note is corrected, with the reason in the history."""
    effect = records["effect"]
    client.force_login(erin)
    response = client.post(
        f"/admin/clauses/effect/{effect.pk}/change/",
        {
            "kind": EffectKind.REPEAL,
            "affected_key": "art_9",
            "effective_from": "2000-01-01",
            "applied": "",
            "new_text": "Rewritten.",
            "note": "Read again from the signed copy.",
            "change_reason": "Note corrected",
        },
    )
    assert response.status_code == 302
    effect.refresh_from_db()
    assert (effect.kind, effect.affected_key, effect.effective_from, effect.applied) == (
        EffectKind.SUBSTITUTION,
        "art_1",
        dt.date(1979, 1, 31),
        True,
    )
    assert effect.new_text == "Cooperation shall be mutual."
    assert effect.note == "Read again from the signed copy."
    latest = effect.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Note corrected", erin)


def test_a_note_without_a_reason_is_refused_and_nothing_changes(
    client: Client, erin: Any, records: dict[str, Any]
) -> None:
    effect = records["effect"]
    client.force_login(erin)
    response = client.post(
        f"/admin/clauses/effect/{effect.pk}/change/", {"note": "Changed.", "change_reason": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    effect.refresh_from_db()
    assert effect.note == "As read from the protocol."
    assert effect.history.count() == 1


@pytest.mark.parametrize("model", ["instrumentdocument", "documentclause"])
def test_a_post_cannot_change_a_document_or_its_provisions(
    client: Client, erin: Any, records: dict[str, Any], model: str
) -> None:
    obj = records[model]
    client.force_login(erin)
    response = client.post(
        f"/admin/clauses/{model}/{obj.pk}/change/",
        {"title": "Other", "text": "Other.", "change_reason": "Trying"},
    )
    assert response.status_code == 403
    assert type(obj).history.filter(id=obj.pk).count() == 1
