"""The import page: upload, preview without writing, publish, background publishing, access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clauses.importing.services import import_job_create
from clauses.models import Clause, ImportJob, ImportStatus, Instrument, TextStatus, Version
from clauses.tasks import publish_import_job
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db

TEXT = (
    "AGREEMENT ON COOPERATION\n\n"
    "Article 1\nThe Parties cooperate on the basis of equality and mutual benefit.\n"
    "Article 2 — Costs\nEach Party bears its own costs of participation in activities.\n"
)


def upload(
    name: str = "protocol.txt", content: bytes = TEXT.encode(), **fields: Any
) -> dict[str, Any]:
    sta = fields.pop("agreement", None) or make_agreement()
    return {
        "file": SimpleUploadedFile(name, content),
        "agreement": sta.pk,
        "label": "2024",
        "kind": "protocol",
        "title": "",
        "signed_on": "2024-12-13",
        "signed_at": "Washington",
        "effective_from": "2024-08-27",
        "expires_on": "",
        "text_status": "official",
        "mode": "",
        "reason": "Official text received from the Department",
        **fields,
    }


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is a second administrator: she publishes what Erin uploads (four eyes)."""
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


def publish(client: Client, job: ImportJob, user: Any, **fields: str) -> Any:
    client.force_login(user)
    return client.post(f"/import/{job.pk}/publish/", fields)


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def written() -> tuple[int, int, int]:
    return Instrument.objects.count(), Version.objects.count(), Clause.objects.count()


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    for url in ("/import/", "/import/1/", "/import/1/publish/", "/import/1/status/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_people_without_the_administrator_role_are_refused(
    client: Client, alice: Any, dana: Any, nobody: Any, erin: Any
) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    for person in (alice, dana, nobody):
        client.force_login(person)
        assert client.get("/import/").status_code == 403
        assert client.post("/import/", upload(agreement=job.agreement)).status_code == 403
        assert client.get(f"/import/{job.pk}/").status_code == 403
        assert client.get(f"/import/{job.pk}/publish/").status_code == 403
        assert client.post(f"/import/{job.pk}/publish/").status_code == 403
        assert client.post(f"/import/{job.pk}/discard/", {"reason": "x"}).status_code == 403
        assert client.get(f"/import/{job.pk}/status/").status_code == 403
    assert ImportJob.objects.count() == 1
    assert written() == (0, 0, 0)


def test_the_upload_page_shows_the_form(client: Client, erin: Any) -> None:
    response = logged_in(client, erin).get("/import/")
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b'name="effective_from"' in response.content


def test_an_upload_shows_a_preview_and_writes_no_version(client: Client, erin: Any) -> None:
    response = logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clauses:import_preview", args=[job.pk])
    assert (job.status, job.source_format, job.created_by, job.label) == (
        ImportStatus.PREVIEW,
        "text",
        erin,
        "2024",
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing has been published yet." in html
    assert '<th scope="row">Article 2</th>' in html
    assert "art_2" not in html
    assert "Costs" in html
    assert "The Parties cooperate on the basis of equality and mutual benefit." in html
    assert "2 clauses found in the file" in html
    assert written() == (0, 0, 0)


def test_the_preview_compares_with_the_version_before(client: Client, erin: Any) -> None:
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [
            article(1, "The Parties cooperate on the basis of equality and mutual benefit."),
            article(2, "A joint commission meets every year to review cooperation."),
            article(3, "Each Party bears its own costs of participation in activities."),
        ],
        in_force_from=dt.date(1979, 1, 31),
    )
    response = logged_in(client, erin).post("/import/", upload(agreement=sta, mode="consolidated"))
    html = client.get(response["Location"]).content.decode()
    assert "<dt>Compared with</dt><dd>Version 1979, in force from 31 January 1979</dd>" in html
    # Why: the text moved from Article 3 and gained a heading, so it keeps the key and is amended.
    assert (
        '<th scope="row">Article 2</th>\n    <td>Costs</td>\n'
        '    <td><span class="badge badge-amended">amended</span> (was Article 3)</td>'
    ) in html
    assert (
        '<th scope="row">Article 2</th>\n    <td></td>\n'
        '    <td><span class="badge badge-repealed">repealed</span> (was Article 2)</td>'
    ) in html


def test_a_partial_text_gets_a_notice_in_the_preview(client: Client, erin: Any) -> None:
    response = logged_in(client, erin).post("/import/", upload(text_status="partial"))
    html = client.get(response["Location"]).content.decode()
    assert "This text is marked partial" in html


def test_publishing_writes_the_version_its_clauses_and_their_history(
    client: Client, erin: Any, grace: Any
) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    response = publish(client, job, grace)
    assert response.status_code == 302
    assert response["Location"] == reverse("clauses:import_status", args=[job.pk])
    job.refresh_from_db()
    version = Version.objects.get()
    assert (job.status, job.progress, job.version, job.created_by, job.published_by) == (
        ImportStatus.DONE,
        100,
        version,
        erin,
        grace,
    )
    assert (version.label, version.title, version.in_force_from, version.text_status) == (
        "2024",
        "AGREEMENT ON COOPERATION",
        dt.date(2024, 8, 27),
        TextStatus.OFFICIAL,
    )
    assert version.instrument.signed_on == dt.date(2024, 12, 13)
    assert list(version.clauses.values_list("key", "heading", "change")) == [
        ("art_1", "", "added"),
        ("art_2", "Costs", "added"),
    ]
    for row in [version, version.instrument, *version.clauses.all()]:
        record = row.history.get()
        assert record.history_user == grace
        assert record.history_change_reason == "Official text received from the Department"
    assert [
        (r.history_user, r.status, r.history_change_reason)
        for r in job.history.order_by("history_id")
    ] == [
        (erin, "preview", "Uploaded for preview: Official text received from the Department"),
        (grace, "queued", "Confirmed for publication"),
        (grace, "running", "Publishing"),
        (grace, "running", "Publishing: text read"),
        (grace, "done", "Published"),
    ]
    status = client.get(response["Location"]).content.decode()
    version = Version.objects.get(label="2024")
    assert f">{version.title}</a> of {version.agreement.short_title}." in status
    assert "Uploaded by erin, published by grace." in status
    assert reverse("clauses:version_detail", args=["sta", "2024"]) in status
    assert 'http-equiv="refresh"' not in status


def test_pressing_publish_twice_publishes_once(client: Client, erin: Any, grace: Any) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    publish(client, job, grace)
    second = publish(client, job, grace)
    assert second.status_code == 302
    assert second["Location"] == reverse("clauses:import_status", args=[job.pk])
    assert Version.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "The submitted file is empty."),
        ("blank.txt", b"\n \n", "The file is empty."),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<", "The PDF could not be read"),
        ("letter.txt", b"Dear Sir,\nThank you.\n", "No structure was found"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "is not recognised"),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_written(
    client: Client, erin: Any, name: str, content: bytes, message: str
) -> None:
    response = logged_in(client, erin).post("/import/", upload(name=name, content=content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert written() == (0, 0, 0)


def test_a_label_that_exists_is_a_form_error_and_nothing_is_written(
    client: Client, erin: Any
) -> None:
    sta = make_agreement()
    make_version(sta, "2024", [article(1, "Cooperate.")], in_force_from=dt.date(2024, 8, 27))
    before = written()
    response = logged_in(client, erin).post("/import/", upload(agreement=sta))
    assert "STA already has a version labelled &#x27;2024&#x27;." in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert written() == before


def test_missing_metadata_is_a_form_error(client: Client, erin: Any) -> None:
    response = logged_in(client, erin).post("/import/", upload(signed_on="", label="no spaces"))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"signed_on", "label"}
    assert ImportJob.objects.count() == 0


def test_a_large_file_is_published_by_the_task_after_commit_with_progress(
    client: Client,
    erin: Any,
    grace: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.STA_IMPORT_ASYNC_BYTES = 100
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    client.force_login(grace)
    confirm = client.get(f"/import/{job.pk}/publish/").content.decode()
    assert "published in the background" in confirm
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(client, job, grace)
    job.refresh_from_db()
    assert (job.status, job.progress, Version.objects.count()) == (ImportStatus.QUEUED, 0, 0)
    waiting = client.get(f"/import/{job.pk}/status/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="import-progress" max="100" value="0">' in waiting
    assert len(callbacks) == 1
    callbacks[0]()  # the task runs eagerly in tests
    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportStatus.DONE, 100)
    assert job.version == Version.objects.get()
    done = client.get(f"/import/{job.pk}/status/").content.decode()
    assert 'value="100"' in done
    assert "http-equiv" not in done


def test_running_the_task_twice_publishes_one_version(client: Client, erin: Any) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    job.status, job.published_by = ImportStatus.QUEUED, erin
    save_with_history(job, acting_user=erin, reason="Queued by hand for the test")
    assert publish_import_job.delay(job.pk).get() == "done"
    assert publish_import_job.delay(job.pk).get() == "done"
    assert Version.objects.count() == 1
    assert Clause.objects.count() == 2


def test_the_task_does_nothing_for_a_job_nobody_asked_to_publish(client: Client, erin: Any) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    assert publish_import_job.delay(job.pk).get() == "preview"
    assert written() == (0, 0, 0)


def test_a_job_whose_label_was_taken_meanwhile_fails_with_the_reason(
    client: Client, erin: Any, grace: Any
) -> None:
    logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    make_version(job.agreement, "2024", [article(1, "Other.")], in_force_from=dt.date(2024, 8, 27))
    publish(client, job, grace, confirm_repeals="on")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == "STA already has a version labelled '2024'."
    assert job.version is None
    page = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Nothing was published: STA already has a version labelled" in page
    assert Version.objects.count() == 1


def test_the_exchange_of_letters_previews_as_two_signed_letters(
    client: Client, erin: Any, shared_sta_dir: Path
) -> None:
    content = (shared_sta_dir / "1979-letters-understandings.zh.txt").read_bytes()
    response = logged_in(client, erin).post(
        "/import/",
        upload(
            name="letters.txt", content=content, kind="exchange_of_notes", text_status="partial"
        ),
    )
    job = ImportJob.objects.get()
    assert [c["key"] for c in job.preview["clauses"]] == [
        "sec_1",
        "sec_1__signature",
        "sec_2",
        "sec_2__signature",
        "annex_1",
    ]
    html = client.get(response["Location"]).content.decode()
    assert "(签订日期1979年1月31日" in html  # listed among the lines left out
    assert written() == (0, 0, 0)


def test_the_upload_page_query_count_does_not_grow_with_the_jobs(
    client: Client, erin: Any, django_assert_max_num_queries: Any
) -> None:
    sta = make_agreement()
    for n in range(24):
        job = import_job_create(
            agreement=sta,
            filename=f"f{n}.txt",
            content=TEXT.encode(),
            label=f"v{n}",
            kind="protocol",
            signed_on=dt.date(2024, 1, 1),
            effective_from=dt.date(2024, 1, 1),
            text_status="official",
            acting_user=erin,
            reason="test",
        )
        if n % 2:
            job.status = ImportStatus.FAILED
            save_with_history(job, acting_user=erin, reason="test")
    logged_in(client, erin)
    # Ten, and one for the versions a language text may belong to.
    with django_assert_max_num_queries(11):
        response = client.get("/import/")
    html = response.content.decode()
    queue, recent = html.split("<h2>Upload a file</h2>")
    assert queue.count("<tr>") == 13  # header and the twelve awaiting publication
    assert recent.count("<tr>") == 11  # header and the ten most recent others
