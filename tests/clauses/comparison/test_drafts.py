"""Drafts compared with the record: upload, redline, share, delete, expiry; nothing published."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clauses.comparison.draft_services import compare_drafts_expire
from clauses.models import Clause, CompareDraft, Instrument, Version
from clauses.reading.download import version_akn
from clauses.tasks import delete_expired_compare_drafts
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db

DRAFT = (
    "Article 1\n\nThe Parties shall cooperate in basic research in science and technology.\n\n"
    "Article 2\n\nThis Agreement shall enter into force upon signature and remain in force "
    "for ten years.\n\n"
    "Article 3\n\nEither Party may terminate this Agreement by written notice.\n"
)


@pytest.fixture
def pact() -> Version:
    agreement = make_agreement("pact", short_title="Pact")
    return make_version(
        agreement,
        "2001",
        [
            article(1, "The Parties shall cooperate in science and technology."),
            article(2, "This Agreement shall enter into force upon signature and remain in "
                    "force for five years."),
        ],
        in_force_from=dt.date(2001, 1, 1),
    )  # fmt: skip


def record_counts() -> tuple[int, ...]:
    return (
        Version.objects.count(),
        Clause.objects.count(),
        Instrument.objects.count(),
        Version.history.count(),
        Clause.history.count(),
        Instrument.history.count(),
    )


def upload(client: Client, content: str = DRAFT, name: str = "draft.txt", **extra: str) -> Any:
    data = {
        "file": SimpleUploadedFile(name, content.encode()),
        "agreement": "pact",
        "title": "Our counter-proposal",
        **extra,
    }
    return client.post("/drafts/", data)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def analyst(client: Client, dana: Any, pact: Version) -> Client:
    client.force_login(dana)
    client.get("/drafts/")  # Why: the first request after force_login writes the session.
    return client


def test_an_uploaded_draft_is_redlined_against_the_version_in_force(analyst: Client) -> None:
    before = record_counts()
    response = upload(analyst)
    assert response.status_code == 302
    draft = CompareDraft.objects.get()
    assert response["Location"] == f"/drafts/{draft.pk}/"
    assert draft.title == "Our counter-proposal"
    assert [c["number"] for c in draft.clauses] == ["Article 1", "Article 2", "Article 3"]
    html = analyst.get(response["Location"]).content.decode()
    text = words(html)
    assert "Our counter-proposal against Version 2001" in text
    assert "the version in force today" in text
    assert "<ins>basic research in </ins>" in html or "<ins>basic research in" in html
    assert "<del>five</del>" in html
    assert "<ins>ten</ins>" in html
    assert "nothing here is published" in text
    assert record_counts() == before


def test_a_draft_can_be_compared_with_a_chosen_version(analyst: Client, pact: Version) -> None:
    upload(analyst)
    draft = CompareDraft.objects.get()
    html = analyst.get(f"/drafts/{draft.pk}/?against=2001").content.decode()
    assert "the version in force today" not in html
    assert analyst.get(f"/drafts/{draft.pk}/?against=1999").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("draft.txt", "", "The submitted file is empty."),
        ("draft.docx", "not a word file", "The file is named .docx but is not a Word document."),
        ("draft.rtf", "{\\rtf1 hello}", "RTF files cannot be read."),
    ],
)
def test_an_unreadable_draft_is_refused_and_nothing_is_kept(
    analyst: Client, name: str, content: str, message: str
) -> None:
    before = record_counts()
    response = upload(analyst, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CompareDraft.objects.exists()
    assert record_counts() == before


def test_a_draft_over_the_import_limit_is_refused(analyst: Client, settings: Any) -> None:
    settings.STA_IMPORT_MAX_BYTES = 100
    response = upload(analyst)
    assert response.status_code == 400
    assert "STA_IMPORT_MAX_BYTES" in response.content.decode()
    assert not CompareDraft.objects.exists()


def test_submitters_and_people_without_a_role_have_no_drafts(
    client: Client, alice: Any, nobody: Any, pact: Version
) -> None:
    for person in (alice, nobody):
        client.force_login(person)
        assert client.get("/drafts/").status_code == 403
        assert upload(client).status_code == 403
    assert not CompareDraft.objects.exists()


def test_another_analysts_draft_is_not_found_until_it_is_shared(
    analyst: Client, client: Client, pact: Version
) -> None:
    upload(analyst)
    draft = CompareDraft.objects.get()
    other = Client()
    olga = make_user("olga", Role.ANALYST)
    other.force_login(olga)
    assert other.get(f"/drafts/{draft.pk}/").status_code == 404
    assert "Our counter-proposal" not in other.get("/drafts/").content.decode()
    assert other.post(f"/drafts/{draft.pk}/delete/").status_code == 404
    assert other.post(f"/drafts/{draft.pk}/share/", {"everyone": "on"}).status_code == 404
    response = analyst.post(f"/drafts/{draft.pk}/share/", {"people": [olga.pk]})
    assert response.status_code == 302
    assert list(draft.shared_with.all()) == [olga]
    assert other.get(f"/drafts/{draft.pk}/").status_code == 200
    assert "Our counter-proposal" in other.get("/drafts/").content.decode()
    # Shared is not owned: she may read it, not delete or reshare it.
    assert other.post(f"/drafts/{draft.pk}/delete/").status_code == 403
    assert other.post(f"/drafts/{draft.pk}/share/", {"everyone": "on"}).status_code == 403
    assert "Delete this draft" not in other.get(f"/drafts/{draft.pk}/").content.decode()
    assert CompareDraft.objects.filter(pk=draft.pk).exists()


def test_a_draft_shared_with_all_analysts_opens_for_a_reviewer(
    analyst: Client, bob: Any, alice: Any
) -> None:
    upload(analyst)
    draft = CompareDraft.objects.get()
    analyst.post(f"/drafts/{draft.pk}/share/", {"everyone": "on"})
    reviewer = Client()
    reviewer.force_login(bob)
    assert reviewer.get(f"/drafts/{draft.pk}/").status_code == 200
    submitter = Client()
    submitter.force_login(alice)
    assert submitter.get(f"/drafts/{draft.pk}/").status_code == 403


def test_sharing_ignores_people_who_cannot_compare_drafts(analyst: Client, alice: Any) -> None:
    upload(analyst)
    draft = CompareDraft.objects.get()
    response = analyst.post(f"/drafts/{draft.pk}/share/", {"people": [alice.pk]})
    assert response.status_code == 302
    assert not draft.shared_with.exists()


def test_the_owner_deletes_a_draft(analyst: Client) -> None:
    upload(analyst)
    draft = CompareDraft.objects.get()
    before = record_counts()
    response = analyst.post(f"/drafts/{draft.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/drafts/"
    assert not CompareDraft.objects.exists()
    assert record_counts() == before
    assert analyst.get(f"/drafts/{draft.pk}/").status_code == 404


def test_a_draft_is_kept_for_the_set_days_then_swept(analyst: Client, settings: Any) -> None:
    settings.STA_DRAFT_KEEP_DAYS = 7
    upload(analyst)
    draft = CompareDraft.objects.get()
    assert draft.expires_at - draft.created_at == dt.timedelta(days=7)
    assert "kept for you for 7 days" in analyst.get("/drafts/").content.decode()
    assert compare_drafts_expire(now=timezone.now() + dt.timedelta(days=6)) == 0
    CompareDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    # Past its time it is gone from every page at once, before the sweep runs.
    assert analyst.get(f"/drafts/{draft.pk}/").status_code == 404
    assert delete_expired_compare_drafts.delay().get() == 1
    assert not CompareDraft.objects.exists()
    assert compare_drafts_expire() == 0


def test_the_beat_schedule_runs_the_sweep(settings: Any) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "clauses.tasks.delete_expired_compare_drafts" in tasks


def test_the_draft_pages_cost_a_fixed_number_of_queries(
    analyst: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        upload(analyst, title=f"Draft {n}")
    pk = CompareDraft.objects.first().pk  # type: ignore[union-attr]
    analyst.post(f"/drafts/{pk}/share/", {"everyone": "on"})
    with django_assert_max_num_queries(8):
        assert analyst.get("/drafts/").status_code == 200
    with django_assert_max_num_queries(12):
        assert analyst.get(f"/drafts/{pk}/").status_code == 200


def test_the_record_exported_and_reworded_is_one_amended_clause(client: Client, dana: Any) -> None:
    """A real draft: the STA in force, as Akoma Ntoso, with two words changed."""
    call_command("load_sta", stdout=StringIO())
    client.force_login(dana)
    in_force = Version.objects.get(agreement__slug="sta", label="2024-protocol")
    data, _ = version_akn(in_force, "en")
    before = record_counts()
    response = client.post(
        "/drafts/",
        {
            "file": SimpleUploadedFile(
                "sta.xml", data.replace(b"basic research", b"basic study", 1)
            ),
            "agreement": "sta",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert '<li class="count count-amended"><strong>1</strong> amended</li>' in html
    assert "<del>research</del>" in html
    assert "<ins>study</ins>" in html
    assert record_counts() == before
