"""An amending instrument's instruction the parser could not read, applied by hand on the
preview: apply, remove, publish (the effect recorded with who applied it), bad input, roles,
the wrong state, and the job's history of each change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from clauses.importing.by_hand import import_job_effect_apply, import_job_effect_remove
from clauses.importing.review import ImportRefused
from clauses.importing.services import import_job_create, import_job_discard, import_job_publish
from clauses.models import ImportJob, ImportStatus, Version
from clauses.record.effects import Effect
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

from .test_modes import PROTOCOL

pytestmark = pytest.mark.django_db

INSTRUCTION = "In Article 7, the words “scientists” are replaced by “researchers”."
NEW_TEXT = "Text of article 7, for researchers."


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is a second administrator: she publishes what Erin uploads (four eyes)."""
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def job(erin: Any) -> ImportJob:
    """Erin's upload of a protocol amending the eleven articles of the 1979 version."""
    agreement = make_agreement()
    make_version(
        agreement,
        "1979",
        [article(n, f"Text of article {n}.") for n in range(1, 12)],
        in_force_from=dt.date(1979, 1, 31),
    )
    return import_job_create(
        agreement=agreement,
        filename="protocol.txt",
        content=PROTOCOL.encode(),
        label="2026",
        kind="protocol",
        signed_on=dt.date(2026, 11, 20),
        effective_from=dt.date(2026, 12, 1),
        text_status="official",
        mode="amending",
        acting_user=erin,
        reason="Protocol received",
    )


def apply(client: Client, job: ImportJob, **fields: str) -> Any:
    data = {
        "instruction": INSTRUCTION,
        "affected_key": "art_7",
        "kind": "substitution",
        "new_number": "",
        "new_text": NEW_TEXT,
        **fields,
    }
    return client.post(f"/import/{job.pk}/by-hand/", data)


def reasons(job: ImportJob) -> list[str]:
    return list(job.history.order_by("history_id").values_list("history_change_reason", flat=True))


def test_the_preview_offers_a_form_for_each_instruction_not_applied(
    client: Client, erin: Any, job: ImportJob
) -> None:
    client.force_login(erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Effects not applied</dt><dd>1</dd></div>" in html
    assert '<h3 id="hand-0-title">Not applied: Article 4</h3>' in html
    assert f"<blockquote>{INSTRUCTION}</blockquote>" in html
    assert '<option value="art_7">Article 7: Text of article 7.</option>' in html
    assert '<option value="insertion">Inserts a new provision after the clause</option>' in html


def test_an_instruction_applied_by_hand_is_planned_listed_and_kept_in_the_history(
    client: Client, erin: Any, job: ImportJob
) -> None:
    client.force_login(erin)
    response = apply(client, job)
    assert response["Location"] == f"/import/{job.pk}/"
    job.refresh_from_db()
    [entry] = job.manual_effects
    assert {k: entry[k] for k in ("instruction", "affected_key", "kind", "new_text", "by")} == {
        "instruction": INSTRUCTION,
        "affected_key": "art_7",
        "kind": "substitution",
        "new_text": NEW_TEXT,
        "by": "erin",
    }
    assert reasons(job)[-1] == f"Applied by hand: substitution of Article 7 for “{INSTRUCTION}”"
    assert job.history.latest("history_id").history_user == erin
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Effects not applied</dt><dd>0</dd></div>" in html
    assert "<td>applied by hand by erin</td>" in html
    assert f"{INSTRUCTION} (applied by hand by erin)" in html
    assert "Not applied: Article 4" not in html


def test_an_instruction_applied_by_hand_can_be_removed_before_publishing(
    client: Client, erin: Any, grace: Any, job: ImportJob
) -> None:
    client.force_login(erin)
    apply(client, job)
    client.force_login(grace)
    response = client.post(f"/import/{job.pk}/by-hand/remove/", {"index": "0"})
    assert response["Location"] == f"/import/{job.pk}/"
    job.refresh_from_db()
    assert job.manual_effects == []
    assert reasons(job)[-1] == (
        f"Removed what erin applied by hand: substitution of Article 7 for “{INSTRUCTION}”"
    )
    assert job.history.latest("history_id").history_user == grace
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "Not applied: Article 4" in html
    with pytest.raises(ImportRefused, match="No such instruction applied by hand"):
        import_job_effect_remove(job=job, acting_user=grace, index=0)


def test_publishing_records_the_effect_applied_by_hand_and_who_applied_it(
    client: Client, erin: Any, grace: Any, job: ImportJob
) -> None:
    client.force_login(erin)
    apply(client, job)
    client.force_login(grace)
    response = client.post(f"/import/{job.pk}/publish/", {"period_reason": "The protocol"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    new = Version.objects.get(label="2026")
    clause = new.clauses.get(key="art_7")
    assert (clause.text, clause.change, clause.number) == (NEW_TEXT, "amended", "Article 6")
    effect = Effect.objects.get(instrument__slug="2026", affecting_provision__contains="by hand")
    assert (effect.kind, effect.affected_key, effect.applied, effect.version) == (
        "substitution",
        "art_7",
        True,
        new,
    )
    assert effect.affecting_provision == f"{INSTRUCTION} (applied by hand by erin)"
    assert effect.note == f"Applied by hand by erin on the import preview: “{INSTRUCTION}”"
    assert effect.history.get().history_user == grace
    assert not Effect.objects.filter(instrument__slug="2026", applied=False).exists()


def test_an_insertion_after_a_clause_and_a_repeal_are_applied_by_hand(
    client: Client, erin: Any, grace: Any, job: ImportJob
) -> None:
    import_job_effect_apply(
        job=job, acting_user=erin, instruction=INSTRUCTION, affected_key="art_2",
        kind="insertion", new_number="Article 2A", new_text="Researchers may visit.",
    )  # fmt: skip
    import_job_publish(job=job, acting_user=grace, period_reason="The protocol")
    new = Version.objects.get(label="2026")
    assert list(new.clauses.order_by("order").values_list("key", flat=True))[:4] == [
        "art_1",
        "art_2",
        "art_2a",
        "art_3",
    ]
    assert new.clauses.get(key="art_2a").text == "Researchers may visit."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"affected_key": ""}, "Pick the clause the instruction changes"),
        ({"new_text": "  "}, "Paste the new text: a substitution needs one."),
        ({"kind": "insertion"}, "Give the number of the inserted provision"),
        ({"affected_key": "art_77"}, "&#x27;art_77&#x27; is not a clause of version 1979"),
        ({"instruction": "Article 9 is improved."}, "That instruction is not listed as not"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    client: Client, erin: Any, job: ImportJob, fields: dict[str, str], message: str
) -> None:
    client.force_login(erin)
    response = apply(client, job, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f"<blockquote>{INSTRUCTION}</blockquote>" in html
    job.refresh_from_db()
    assert (job.manual_effects, job.history.count()) == ([], 1)


def test_the_refused_form_keeps_what_was_typed(client: Client, erin: Any, job: ImportJob) -> None:
    client.force_login(erin)
    html = apply(client, job, affected_key="", new_text="Typed text.").content.decode()
    assert '<textarea name="new_text" id="hand-0-text">Typed text.</textarea>' in html
    assert '<p class="error" role="alert">Pick the clause the instruction changes' in html


def test_people_who_are_not_administrators_cannot_apply_or_remove(
    client: Client, erin: Any, dana: Any, job: ImportJob
) -> None:
    import_job_effect_apply(
        job=job, acting_user=erin, instruction=INSTRUCTION, affected_key="art_7",
        kind="substitution", new_text=NEW_TEXT,
    )  # fmt: skip
    client.force_login(dana)
    assert apply(client, job).status_code == 403
    assert client.post(f"/import/{job.pk}/by-hand/remove/", {"index": "0"}).status_code == 403
    with pytest.raises(PermissionDenied, match="Only administrators"):
        import_job_effect_remove(job=job, acting_user=dana, index=0)
    job.refresh_from_db()
    assert (len(job.manual_effects), job.history.count()) == (1, 2)


def test_a_discarded_preview_is_not_changed_by_hand(
    client: Client, erin: Any, job: ImportJob
) -> None:
    import_job_discard(job=job, acting_user=erin, reason="Wrong file")
    client.force_login(erin)
    response = apply(client, job)
    assert response["Location"] == f"/import/{job.pk}/status/"
    with pytest.raises(ImportRefused, match="This import is discarded: only an import ready"):
        import_job_effect_apply(
            job=job, acting_user=erin, instruction=INSTRUCTION, affected_key="art_7",
            kind="substitution", new_text=NEW_TEXT,
        )  # fmt: skip
    job.refresh_from_db()
    assert (job.manual_effects, job.history.count()) == ([], 2)


def test_a_partial_text_has_nothing_to_apply_by_hand(erin: Any, job: ImportJob) -> None:
    job.mode = "partial"
    save_with_history(job, acting_user=erin, reason="test: another way in")
    with pytest.raises(ImportRefused, match="nothing of it is applied or paired by hand"):
        import_job_effect_apply(
            job=job, acting_user=erin, instruction=INSTRUCTION, affected_key="art_7",
            kind="substitution", new_text=NEW_TEXT,
        )  # fmt: skip


def test_the_preview_with_instructions_by_hand_keeps_its_query_bound(
    client: Client, erin: Any, grace: Any, job: ImportJob, django_assert_max_num_queries: Any
) -> None:
    import_job_effect_apply(
        job=job, acting_user=erin, instruction=INSTRUCTION, affected_key="art_7",
        kind="substitution", new_text=NEW_TEXT,
    )  # fmt: skip
    client.force_login(grace)
    with django_assert_max_num_queries(14):
        assert client.get(f"/import/{job.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/import/{job.pk}/publish/").status_code == 200
