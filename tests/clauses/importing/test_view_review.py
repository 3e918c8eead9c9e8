"""The import page's review: the four ways in, the consequence summary, the word accounting,
the confirmation, four eyes, period changes and discarding."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clauses.importing.review import ImportRefused
from clauses.importing.services import import_job_create, import_job_discard, import_job_publish
from clauses.importing.structure import FRONT_MATTER, ParsedClause, ParsedDocument, SetAside
from clauses.models import Agreement, Clause, ImportJob, ImportStatus, Instrument, Version
from clauses.permissions import FOUR_EYES_RULE
from reviews.models import ClauseChangeFlag
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

THREE = (
    "Article 1\nThe Parties cooperate in basic research.\n"
    "Article 2\nEach side protects the safety of visiting researchers.\n"
    "Article 3\nData are shared reciprocally and transparently.\n"
)
# A supplementary protocol's own text: only its first article's wording is in the 2024 text.
SUPPLEMENT = "Article 1\nThe Parties cooperate in basic research and in open data.\n"


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is a second administrator: she publishes what Erin uploads (four eyes)."""
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def sta(db: Any) -> Version:
    """The 2024 version, in force until 27 August 2029, with three articles."""
    agreement = make_agreement()
    return make_version(
        agreement,
        "2024",
        [
            article(1, "The Parties cooperate in basic research."),
            article(2, "Each side protects the safety of visiting researchers."),
            article(3, "Data are shared reciprocally and transparently."),
        ],
        in_force_from=dt.date(2024, 8, 27),
        in_force_until=dt.date(2029, 8, 27),
    )


def form(text: str = SUPPLEMENT, **fields: Any) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("supplement.txt", text.encode()),
        "agreement": (Agreement.objects.first() or make_agreement()).pk,
        "label": "2026",
        "kind": "protocol",
        "title": "",
        "signed_on": "2026-11-20",
        "signed_at": "",
        "effective_from": "2026-12-01",
        "expires_on": "",
        "text_status": "official",
        "mode": "partial",
        "reason": "Supplementary protocol received",
        **fields,
    }


def upload(client: Client, user: Any, **fields: Any) -> ImportJob:
    client.force_login(user)
    response = client.post("/import/", form(**fields))
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def written() -> tuple[int, int, int]:
    return Instrument.objects.count(), Version.objects.count(), Clause.objects.count()


def test_the_form_asks_which_of_the_four_ways_the_file_is_and_assumes_no_status(
    client: Client, erin: Any
) -> None:
    client.force_login(erin)
    html = client.get("/import/").content.decode()
    for value, help_words in [
        ("consolidated", "The whole agreement as amended"),
        ("amending", "its instructions are applied to the version in force"),
        ("partial", "nothing is repealed"),
        ("document", "no new version, nothing repealed"),
    ]:
        assert f'name="mode" value="{value}" id="id_mode_{value}"' in html
        assert help_words in html
    assert html.count('name="text_status"') == 4
    assert "Unofficial translation" in html
    assert 'name="text_status" value="official" required id="id_text_status_0" checked' not in html
    assert "checked" not in html


def test_an_upload_without_a_text_status_is_refused_and_nothing_kept(
    client: Client, erin: Any
) -> None:
    client.force_login(erin)
    response = client.post("/import/", form(text_status=""))
    assert response.status_code == 200
    assert "Say what the text is: official, partial official, unofficial translation or" in (
        response.content.decode()
    )
    assert ImportJob.objects.count() == 0


def test_a_second_text_without_a_mode_is_refused_and_nothing_kept(
    client: Client, erin: Any, sta: Version
) -> None:
    client.force_login(erin)
    response = client.post("/import/", form(mode=""))
    assert "STA already has versions: say which way the file comes in" in (
        response.content.decode()
    )
    assert ImportJob.objects.count() == 0


def test_an_amending_text_naming_no_instruction_is_refused_at_upload(
    client: Client, erin: Any, sta: Version
) -> None:
    client.force_login(erin)
    response = client.post("/import/", form(mode="amending"))
    assert "No amending instruction was recognised in the text" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_preview_opens_with_the_consequences_in_numbers_and_the_period_in_words(
    client: Client, erin: Any, sta: Version
) -> None:
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert html.index("What publishing would do") < html.index("1 clause found in the file")
    counts = {
        "Clauses added": 0,
        "Amended": 1,
        "Repealed": 0,
        "Renumbered": 0,
        "Unchanged": 2,
        "Proposals that would be flagged": 0,
    }
    for name, number in counts.items():
        assert f"<div><dt>{name}</dt><dd>{number}</dd></div>" in html
    assert (
        "The version “Version 2024” would stop being in force on 1 December 2026 (recorded as "
        "in force until 27 August 2029). Publishing needs a reason for it."
    ) in html
    assert "More than a quarter" not in html
    assert "Uploaded by</dt><dd>erin" in html
    assert "any administrator other than erin (four eyes)" in html
    assert "Another administrator publishes it." in html
    assert written() == (1, 1, 3)


def test_more_than_a_quarter_repealed_is_a_highlighted_warning_and_needs_confirming(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    job = upload(client, erin, mode="consolidated", effective_from="2029-08-27")
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert (
        '<p class="notice notice-danger" role="alert"><strong>More than a quarter of the version '
        "before would be repealed:</strong> 2 of its 3 clauses."
    ) in html
    client.force_login(grace)
    refused = client.post(f"/import/{job.pk}/publish/", {})
    assert refused.status_code == 400
    assert "Confirm the repeals to publish." in refused.content.decode()
    assert written() == (1, 1, 3)
    done = client.post(f"/import/{job.pk}/publish/", {"confirm_repeals": "on"})
    assert done.status_code == 302
    assert Version.objects.get(label="2026").clauses.filter(change="repealed").count() == 2


def test_the_confirmation_repeats_the_numbers_and_publishing_needs_the_period_reason(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    job = upload(client, erin)
    client.force_login(grace)
    page = client.get(f"/import/{job.pk}/publish/").content.decode()
    assert "<div><dt>Amended</dt><dd>1</dd></div>" in page
    assert "Publish: 0 added, 1 amended, 0 repealed" in page
    assert 'name="period_reason"' in page
    refused = client.post(f"/import/{job.pk}/publish/", {"period_reason": " "})
    assert refused.status_code == 400
    assert "Say why the earlier version stops being in force" in refused.content.decode()
    assert written() == (1, 1, 3)
    client.post(f"/import/{job.pk}/publish/", {"period_reason": "The supplement takes over"})
    job.refresh_from_db()
    assert (job.status, job.period_reason) == (ImportStatus.DONE, "The supplement takes over")
    sta.refresh_from_db()
    assert sta.in_force_until == dt.date(2026, 12, 1)
    assert sta.instrument.expires_on == dt.date(2029, 8, 27)  # the protocol's own term stays
    superseded = sta.history.latest("history_id")
    assert (superseded.history_user, superseded.history_change_reason) == (
        grace,
        "Superseded by version 2026: The supplement takes over",
    )
    new = Version.objects.get(label="2026")
    assert list(new.clauses.values_list("key", "change")) == [
        ("art_1", "amended"),
        ("art_2", "unchanged"),
        ("art_3", "unchanged"),
    ]


def test_the_uploader_cannot_publish_with_four_eyes_on(
    client: Client, erin: Any, sta: Version
) -> None:
    job = upload(client, erin)
    page = client.get(f"/import/{job.pk}/publish/").content.decode()
    assert FOUR_EYES_RULE in page
    assert 'name="period_reason"' not in page
    response = client.post(f"/import/{job.pk}/publish/", {"period_reason": "Mine"})
    assert response.status_code == 400
    assert FOUR_EYES_RULE in response.content.decode()
    with pytest.raises(ImportRefused, match="Four eyes: an import is published by a second"):
        import_job_publish(job=job, acting_user=erin, period_reason="Mine")
    job.refresh_from_db()
    assert (job.status, job.published_by, job.history.count()) == (ImportStatus.PREVIEW, None, 1)
    assert written() == (1, 1, 3)


def test_with_four_eyes_off_the_uploader_publishes(
    client: Client, erin: Any, sta: Version, settings: Any
) -> None:
    settings.STA_IMPORT_FOUR_EYES = False
    job = upload(client, erin)
    assert "erin included (four eyes is off)" in client.get(f"/import/{job.pk}/").content.decode()
    client.post(f"/import/{job.pk}/publish/", {"period_reason": "Supplement"})
    job.refresh_from_db()
    assert (job.status, job.created_by, job.published_by) == (ImportStatus.DONE, erin, erin)


def test_a_discarded_preview_is_kept_in_history_with_its_reason_and_cannot_be_published(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    job = upload(client, erin)
    client.force_login(grace)
    assert client.post(f"/import/{job.pk}/discard/", {"reason": ""}).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    response = client.post(f"/import/{job.pk}/discard/", {"reason": "Wrong file"})
    assert response["Location"] == f"/import/{job.pk}/status/"
    job.refresh_from_db()
    assert (job.status, job.discard_reason) == (ImportStatus.DISCARDED, "Wrong file")
    last = job.history.latest("history_id")
    assert (last.history_user, last.status, last.history_change_reason) == (
        grace,
        "discarded",
        "Discarded: Wrong file",
    )
    status = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Discarded, not published: Wrong file" in status
    assert 'http-equiv="refresh"' not in status
    assert client.post(f"/import/{job.pk}/publish/", {"period_reason": "x"}).status_code == 302
    with pytest.raises(ImportRefused, match="This import is discarded: only an import ready"):
        import_job_publish(job=job, acting_user=grace, period_reason="x")
    with pytest.raises(ImportRefused, match="This import is discarded"):
        import_job_discard(job=job, acting_user=grace, reason="again")
    assert written() == (1, 1, 3)
    assert ImportJob.objects.get().history.count() == 2


def test_a_published_import_cannot_be_published_or_discarded_again(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    job = upload(client, erin)
    import_job_publish(job=job, acting_user=grace, period_reason="Supplement")
    with pytest.raises(ImportRefused, match="This import is published: only an import ready"):
        import_job_publish(job=job, acting_user=grace, period_reason="Supplement")
    with pytest.raises(ImportRefused, match="This import is published"):
        import_job_discard(job=job, acting_user=grace, reason="Too late")
    assert Version.objects.count() == 2


def test_people_who_are_not_administrators_cannot_discard(
    client: Client, erin: Any, dana: Any, sta: Version
) -> None:
    job = upload(client, erin)
    client.force_login(dana)
    assert client.post(f"/import/{job.pk}/discard/", {"reason": "No"}).status_code == 403
    with pytest.raises(PermissionDenied, match="Only administrators"):
        import_job_discard(job=job, acting_user=dana, reason="No")
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW


def test_the_queue_lists_the_imports_awaiting_publication(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    waiting = upload(client, erin)
    gone = upload(client, erin, label="2027")
    import_job_discard(job=gone, acting_user=erin, reason="Duplicate")
    client.force_login(grace)
    html = client.get("/import/").content.decode()
    queue = html[html.index("Awaiting publication") : html.index("Upload a file")]
    assert f'href="/import/{waiting.pk}/"' in queue
    assert f"/import/{gone.pk}/" not in queue
    assert "<td>Partial official text</td>" in queue
    assert "<td>erin</td>" in queue


def counted(source: str, *clauses: ParsedClause, **fields: Any) -> ParsedDocument:
    return ParsedDocument(
        title="Protocol", clauses=clauses, source_format="text", source_text=source, **fields
    )


ONE = ParsedClause("art_1", "article", "Article 1", "", "The Parties cooperate in basic research.")


def test_every_word_kept_is_said_in_words(
    client: Client, erin: Any, sta: Version, monkeypatch: Any
) -> None:
    document = counted("Article 1 The Parties cooperate in basic research.", ONE)
    monkeypatch.setattr("clauses.importing.services.read_document", lambda *a: document)
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "Every word of the file is in the parse (8 words)." in html


def test_words_that_reached_no_clause_are_listed_and_need_an_acknowledgement(
    client: Client, erin: Any, grace: Any, sta: Version, monkeypatch: Any
) -> None:
    document = counted(
        "Supplementary Protocol Article 1 The Parties cooperate in basic research. Page 3",
        ONE,
        set_aside=(SetAside("Supplementary Protocol", FRONT_MATTER),),
    )
    monkeypatch.setattr("clauses.importing.services.read_document", lambda *a: document)
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<summary>4 words reached no clause (2 of them went nowhere): show</summary>" in html
    assert (
        "<tr><td>Supplementary Protocol</td><td>front matter before the first provision</td>"
        "<td>2</td></tr>"
    ) in html
    client.force_login(grace)
    page = client.get(f"/import/{job.pk}/publish/").content.decode()
    assert "I have read that 2 words of the file reached no clause" in page
    refused = client.post(f"/import/{job.pk}/publish/", {"period_reason": "Supplement"})
    assert "Acknowledge the words that reached no clause to publish." in refused.content.decode()
    assert written() == (1, 1, 3)
    client.post(
        f"/import/{job.pk}/publish/", {"period_reason": "Supplement", "accept_lost_words": "on"}
    )
    job.refresh_from_db()
    assert (job.status, job.lost_words_accepted) == (ImportStatus.DONE, True)


def test_duplicated_words_refuse_the_parse_with_the_passages_named(
    client: Client, erin: Any, grace: Any, sta: Version, monkeypatch: Any
) -> None:
    again = ParsedClause("art_2", "article", "Article 2", "", "Visiting researchers are safe.")
    document = counted("Article 1 The Parties cooperate in basic research. Article 2", ONE, again)
    monkeypatch.setattr("clauses.importing.services.read_document", lambda *a: document)
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "4 words of the parse are not in the file</strong>" in html
    assert "<li>Article 2: “Visiting researchers are safe”</li>" in html
    assert "Continue to publish" not in html
    with pytest.raises(ImportRefused, match="The parse holds 4 words the file does not"):
        import_job_publish(job=job, acting_user=grace, period_reason="x", accept_lost_words=True)
    assert written() == (1, 1, 3)


def test_a_truncation_warning_is_shown_and_noted_on_the_version_text(
    client: Client, erin: Any, grace: Any, sta: Version, monkeypatch: Any
) -> None:
    warning = "The text ends mid-sentence (“in basic”): it may have been cut off."
    document = counted("", ONE, warnings=(warning,))
    monkeypatch.setattr("clauses.importing.services.read_document", lambda *a: document)
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "The reader warns:" in html
    assert "The text ends mid-sentence (“in basic”): it may have been cut off." in html
    import_job_publish(job=job, acting_user=grace, period_reason="Supplement")
    assert Version.objects.get(label="2026").texts.get().notes == warning


def test_the_flagged_proposals_counted_are_the_ones_publishing_flags(
    client: Client,
    erin: Any,
    grace: Any,
    alice: Any,
    sta: Version,
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal_in("submitted", submitter=alice, version=sta)
    job = upload(client, erin)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Proposals that would be flagged</dt><dd>1</dd></div>" in html
    assert ClauseChangeFlag.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        import_job_publish(job=job, acting_user=grace, period_reason="Supplement")
    assert ClauseChangeFlag.objects.values("proposal").distinct().count() == 1


def test_the_preview_and_confirmation_query_counts_do_not_grow_with_the_clauses(
    client: Client, erin: Any, grace: Any, django_assert_max_num_queries: Any
) -> None:
    agreement = make_agreement()
    make_version(
        agreement,
        "1979",
        [article(n, f"Provision number {n} of the agreement.") for n in range(1, 41)],
        in_force_from=dt.date(1979, 1, 31),
    )
    text = "".join(
        f"Article {n}\nProvision number {n} of the agreement, amended.\n" for n in range(1, 41)
    )
    job = import_job_create(
        agreement=agreement,
        filename="p.txt",
        content=text.encode(),
        label="2026",
        kind="protocol",
        signed_on=dt.date(2026, 1, 1),
        effective_from=dt.date(2026, 1, 1),
        text_status="official",
        mode="partial",
        acting_user=erin,
        reason="test",
    )
    client.force_login(grace)
    with django_assert_max_num_queries(14):
        assert client.get(f"/import/{job.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/import/{job.pk}/publish/").status_code == 200


def test_a_side_document_is_published_without_a_version_and_the_status_says_so(
    client: Client, erin: Any, grace: Any, sta: Version
) -> None:
    job = upload(client, erin, mode="document", kind="exchange_of_notes")
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Repealed</dt><dd>0</dd></div>" in html
    assert "would stop being in force" not in html
    import_job_publish(job=job, acting_user=grace)
    job.refresh_from_db()
    assert (job.status, job.version, job.instrument.slug) == (ImportStatus.DONE, None, "2026")
    client.force_login(grace)
    status = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "no new version, nothing repealed" in status
    assert Version.objects.count() == 1
    sta.refresh_from_db()
    assert sta.in_force_until == dt.date(2029, 8, 27)
