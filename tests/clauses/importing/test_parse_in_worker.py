"""A large upload is read for its preview by the worker, not in the web request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import Client

from clauses import tasks
from clauses.importing.language_jobs import language_job_create
from clauses.importing.preview_jobs import NEVER_READ
from clauses.importing.review import ImportRefused
from clauses.importing.services import (
    import_job_create,
    import_job_discard,
    import_job_publish,
    import_job_review,
    import_jobs_sweep,
)
from clauses.models import Agreement, ImportJob, ImportStatus, Version
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.clauses.importing.test_view import TEXT, logged_in, upload
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db

CONSTITUTION = "akn/indigo__swahili_in_tz-constitution-1977.xml"
LARGE_TEXT = "AGREEMENT\n\n" + "\n\n".join(
    f"Article {n}\nThe Parties shall cooperate in field number {n} on the basis of equality."
    for n in range(1, 400)
)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The jobs whose reading was queued (the task itself is not run)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.parse_import_job, "delay", ids.append)
    return ids


def job_of(
    erin: Any, content: bytes, *, name: str = "agreement.txt", label: str = "2024"
) -> ImportJob:
    return import_job_create(
        agreement=Agreement.objects.first() or make_agreement(),
        filename=name,
        content=content,
        label=label,
        kind="protocol",
        signed_on=dt.date(2024, 12, 13),
        effective_from=dt.date(2024, 8, 27),
        acting_user=erin,
        reason="Official text received",
        text_status="official",
    )


def post_large(client: Client, erin: Any, callbacks: Any, **fields: Any) -> Any:
    with callbacks(execute=True):
        return logged_in(client, erin).post(
            "/import/", upload(content=LARGE_TEXT.encode(), **fields)
        )


def test_a_small_file_is_still_read_in_the_request(
    client: Client, erin: Any, queued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, erin).post("/import/", upload())
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/{job.pk}/"
    assert job.status == ImportStatus.PREVIEW
    assert [c["number"] for c in job.preview["clauses"]] == ["Article 1", "Article 2"]
    assert queued == []


def test_a_large_file_is_kept_parsing_and_its_reading_queued_after_the_commit(
    client: Client,
    erin: Any,
    settings: Any,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = logged_in(client, erin).post("/import/", upload(content=LARGE_TEXT.encode()))
        job = ImportJob.objects.get()
        assert queued == []
    for callback in callbacks:
        callback()

    assert response["Location"] == f"/import/{job.pk}/status/"
    assert queued == [job.pk]
    assert (job.status, job.preview, job.source_format) == (ImportStatus.PARSING, {}, "")
    assert bytes(job.content) == LARGE_TEXT.encode()
    assert job.history.latest().history_change_reason == (
        "Uploaded, to be read in the background: Official text received from the Department"
    )
    assert Version.objects.count() == 0


def test_the_page_of_a_job_being_read_says_so_and_refreshes_onto_the_preview(
    client: Client,
    erin: Any,
    settings: Any,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    response = post_large(client, erin, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.get(response["Location"])  # warm-up: the session is renewed once
    with django_assert_max_num_queries(6):
        page = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Parsing your file…" in page
    assert f'<meta http-equiv="refresh" content="2;url=/import/{job.pk}/">' in page
    # While it is read, the preview sends the person back to the waiting page.
    assert client.get(f"/import/{job.pk}/")["Location"] == f"/import/{job.pk}/status/"
    assert client.get(f"/import/{job.pk}/publish/")["Location"] == f"/import/{job.pk}/status/"

    assert tasks.parse_import_job.run(job.pk) == ImportStatus.PREVIEW

    preview = client.get(f"/import/{job.pk}/")
    assert preview.status_code == 200
    assert "Article 399" in preview.content.decode()
    status = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Parsing your file" not in status
    assert 'http-equiv="refresh"' not in status


def test_the_worker_makes_the_same_preview_as_the_request_for_a_real_text(
    erin: Any, settings: Any, real_corpus_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    content = (real_corpus_dir / CONSTITUTION).read_bytes()
    assert len(content) > settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES  # large by the default
    name = Path(CONSTITUTION).name
    with django_capture_on_commit_callbacks(execute=True):
        in_worker = job_of(erin, content, name=name, label="in-worker")
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1_000_000
    inline = job_of(erin, content, name=name, label="inline")

    in_worker.refresh_from_db()
    assert (inline.status, in_worker.status) == (ImportStatus.PREVIEW, ImportStatus.PREVIEW)
    assert len(inline.preview["clauses"]) > 1000
    assert in_worker.preview == inline.preview
    assert (in_worker.source_format, in_worker.language) == (
        inline.source_format,
        inline.language,
    )
    planned = [import_job_review(job).consequences for job in (in_worker, inline)]
    assert planned[0] == planned[1]
    assert in_worker.attempts == 0  # publishing counts its own runs from zero


def test_a_file_past_a_limit_fails_the_job_naming_the_limit_on_its_page_and_in_the_admin(
    client: Client, erin: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    settings.STA_IMPORT_MAX_LINE_CHARS = 60
    response = post_large(client, erin, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    message = (
        "The file could not be read for its preview: Line 4 of the text is 71 characters long, "
        "11 more than the limit of 60 (STA_IMPORT_MAX_LINE_CHARS)."
    )
    assert (job.status, job.error) == (ImportStatus.FAILED, message)
    assert bytes(job.content) == b""

    page = client.get(response["Location"]).content.decode()
    assert f"Nothing was kept: {message}" in page
    assert "refresh" not in page
    assert "<progress" not in page  # nothing was under way
    admin = client.get(f"/admin/clauses/importjob/{job.pk}/change/").content.decode()
    assert "11 more than the limit of 60 (STA_IMPORT_MAX_LINE_CHARS)" in admin
    assert Version.objects.count() == 0


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (
            SoftTimeLimitExceeded,
            "Reading the file took longer than the 900 s limit of the import task; nothing "
            "was kept. Split the file (the treaty text, its annexes) and upload each part.",
        ),
        (
            MemoryError,
            "Reading the file needed more memory than a worker may use (STA_WORKER_MEMORY_MB); "
            "nothing was kept.",
        ),
    ],
)
def test_a_reading_stopped_by_a_limit_fails_the_job_saying_which(
    client: Client,
    erin: Any,
    settings: Any,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    raised: type,
    message: str,
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    post_large(client, erin, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    def run_out(*_: Any) -> None:
        raise raised()

    monkeypatch.setattr("clauses.importing.services.read_document", run_out)
    assert tasks.parse_import_job.run(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.error, bytes(job.content)) == (ImportStatus.FAILED, message, b"")
    assert job.history.latest().history_change_reason == f"Failed: {message}"[:300]
    assert message in client.get(f"/import/{job.pk}/status/").content.decode()


def test_an_unexpected_error_fails_the_job_at_once_with_its_kind(
    erin: Any, settings: Any, queued: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())

    def broken(*_: Any) -> None:
        raise KeyError("clause")

    monkeypatch.setattr("clauses.importing.services.read_document", broken)
    assert tasks.parse_import_job.run(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.error == (
        "Reading the file stopped on an unexpected error (KeyError: 'clause'); nothing was "
        "kept. Ask the operators to look at the log."
    )


def test_reading_is_started_at_most_the_attempts_allowed(
    erin: Any, settings: Any, queued: list[int]
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())
    job.attempts = settings.STA_TASK_MAX_ATTEMPTS
    save_with_history(job, acting_user=erin, reason="Worker died while reading, three times")

    assert tasks.parse_import_job.run(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.error == NEVER_READ.format(settings.STA_TASK_MAX_ATTEMPTS)
    assert job.preview == {}


def test_reading_a_job_twice_keeps_one_preview_and_each_run_is_counted(
    erin: Any, settings: Any, queued: list[int]
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())
    assert tasks.parse_import_job.run(job.pk) == ImportStatus.PREVIEW
    reasons = list(job.history.values_list("history_change_reason", flat=True))
    assert tasks.parse_import_job.run(job.pk) == ImportStatus.PREVIEW
    assert list(job.history.values_list("history_change_reason", flat=True)) == reasons
    assert reasons[:2] == ["Read for preview: Official text received", "Reading the file"]


def test_a_job_being_read_can_be_neither_published_nor_discarded(
    erin: Any, settings: Any, queued: list[int]
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())
    grace = make_user("grace", Role.ADMINISTRATOR)
    with pytest.raises(ImportRefused, match="This import is reading the file: only an import"):
        import_job_publish(job=job, acting_user=grace)
    with pytest.raises(ImportRefused, match="This import is reading the file: only an import"):
        import_job_discard(job=job, acting_user=grace, reason="Wrong file")
    job.refresh_from_db()
    assert job.status == ImportStatus.PARSING
    assert tasks.publish_import_job.run(job.pk) == ImportStatus.PARSING


def test_the_file_is_kept_until_the_job_is_published_and_then_emptied(
    erin: Any, settings: Any, queued: list[int]
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())
    tasks.parse_import_job.run(job.pk)
    job.refresh_from_db()
    assert bytes(job.content) == LARGE_TEXT.encode()  # publishing reads it again

    done = import_job_publish(job=job, acting_user=make_user("grace", Role.ADMINISTRATOR))
    done.refresh_from_db()
    assert done.status == ImportStatus.DONE, done.error
    assert bytes(done.content) == b""
    assert Version.objects.get(label="2024").clauses.filter(kind="article").count() == 399


def test_a_discarded_job_keeps_no_file(erin: Any, queued: list[int]) -> None:
    job = job_of(erin, TEXT.encode())
    import_job_discard(job=job, acting_user=erin, reason="Wrong file")
    job.refresh_from_db()
    assert (job.status, bytes(job.content)) == (ImportStatus.DISCARDED, b"")


def test_bad_details_of_a_large_upload_are_refused_at_once_with_nothing_kept(
    client: Client,
    erin: Any,
    settings: Any,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    sta = make_agreement()
    make_version(
        sta, "2024", [article(1, "The Parties cooperate.")], in_force_from=dt.date(2024, 8, 27)
    )
    response = post_large(client, erin, django_capture_on_commit_callbacks, agreement=sta)
    assert response.status_code == 200
    assert "already has a version labelled &#x27;2024&#x27;" in response.content.decode()
    assert (ImportJob.objects.count(), queued) == (0, [])


def test_people_without_the_administrator_role_are_refused_a_job_being_read(
    client: Client, erin: Any, alice: Any, dana: Any, settings: Any, queued: list[int]
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    job = job_of(erin, LARGE_TEXT.encode())
    for person in (alice, dana):
        client.force_login(person)
        assert client.get(f"/import/{job.pk}/status/").status_code == 403
        assert client.get(f"/import/{job.pk}/").status_code == 403
    client.force_login(erin)
    assert client.get(f"/import/{job.pk + 1}/status/").status_code == 404
    # Why another administrator sees it: any administrator but the uploader publishes it.
    client.force_login(make_user("grace", Role.ADMINISTRATOR))
    assert "Parsing your file…" in client.get(f"/import/{job.pk}/status/").content.decode()


def test_the_sweep_queues_the_reading_of_a_job_left_parsing(
    erin: Any, settings: Any, queued: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    published: list[int] = []
    monkeypatch.setattr(tasks.publish_import_job, "delay", published.append)
    job = job_of(erin, LARGE_TEXT.encode())
    assert import_jobs_sweep() == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=21)
    assert import_jobs_sweep(now=later) == 1
    assert (queued, published) == ([job.pk], [])


def test_a_large_language_text_is_read_in_the_worker_with_the_same_alignment(
    client: Client,
    erin: Any,
    settings: Any,
    tmp_path: Path,
    shared_sta_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.clauses.importing.test_view_import_language import form
    from tests.clauses.languages_data import load_sta_english_only

    version = load_sta_english_only(tmp_path)
    content = (shared_sta_dir / "1979-agreement.zh.txt").read_bytes()
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = len(content) - 1
    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/import/", form(content, version))
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/{job.pk}/status/"
    assert (job.status, job.mode, job.language) == (ImportStatus.PREVIEW, "language", "zh")

    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = len(content)
    reference = language_job_create(
        agreement=version.agreement,
        target_version=version,
        filename="1979-agreement.zh.txt",
        content=content,
        language="zh",
        text_status="partial",
        acting_user=erin,
        reason="The same text, read in the request",
    )
    assert reference.status == ImportStatus.PREVIEW
    assert job.preview == reference.preview
    alignments = [import_job_review(j).language for j in (job, reference)]
    assert alignments[0] == alignments[1]
    assert alignments[0] is not None
    page = client.get(f"/import/{job.pk}/")
    assert page.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_with_no_broker_the_upload_is_read_before_the_answer_and_goes_to_its_preview(
    client: Client, settings: Any
) -> None:
    settings.STA_IMPORT_PARSE_INLINE_MAX_BYTES = 1000
    erin = make_user("erin", Role.ADMINISTRATOR, is_staff=True)
    response = logged_in(client, erin).post("/import/", upload(content=LARGE_TEXT.encode()))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEW
    assert response["Location"] == f"/import/{job.pk}/"


def test_the_request_of_a_13_mb_upload_reads_nothing(
    client: Client,
    erin: Any,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:

    from clauses.importing import services

    text = LARGE_TEXT + "\n\nand they shall exchange information." * 37_000
    assert len(text.encode()) > 1_300_000
    reads: list[str] = []
    real_read = services.read_document

    def counted(content: bytes, name: str, limits: Any) -> Any:
        reads.append(name)
        return real_read(content, name, limits)

    monkeypatch.setattr(services, "read_document", counted)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, erin).post("/import/", upload(content=text.encode()))
    job = ImportJob.objects.get()
    # Why no clock: the request that never calls the reader cannot spend the reading's time.
    assert (response.status_code, reads, queued) == (302, [], [job.pk])

    assert tasks.parse_import_job.run(job.pk) == ImportStatus.PREVIEW
    assert reads == ["protocol.txt"]
