"""An import that cannot be published fails, once and for all, saying why on the import page;
the sweep never queues it again, and a worker that keeps dying on it runs it a bounded number
of times. Keys, numbers and headings are checked before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.db import DataError
from django.test import Client
from django.utils import timezone

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.fields import checked_document
from clauses.importing.services import import_job_create, import_job_publish, import_jobs_sweep
from clauses.importing.structure import ParsedClause, ParsedDocument
from clauses.models import Clause, ImportJob, ImportStatus
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.factories import make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=30)
TEXT = "Agreement\n\n" + "\n\n".join(
    f"Article {n}\nThe Parties shall cooperate in field number {n}." for n in range(1, 6)
)


def upload(erin: Any, text: str = TEXT) -> ImportJob:
    return import_job_create(
        agreement=make_agreement(),
        filename="agreement.txt",
        content=text.encode(),
        label="official-1979",
        kind="agreement",
        signed_on=dt.date(1979, 1, 31),
        effective_from=dt.date(1979, 1, 31),
        acting_user=erin,
        reason="Official text received",
        text_status="official",
    )


def queued(erin: Any, settings: Any) -> ImportJob:
    settings.STA_IMPORT_ASYNC_BYTES = 10
    job = upload(erin)
    grace = make_user("grace", Role.ADMINISTRATOR)
    # In a test transaction nothing runs after commit: the job waits for the sweep.
    assert import_job_publish(job=job, acting_user=grace).status == ImportStatus.QUEUED
    return job


def test_a_clause_number_too_long_for_its_column_is_refused_at_upload(erin: Any) -> None:
    text = TEXT.replace("Article 3\n", "Article " + "3" * 250 + "\n")
    with pytest.raises(TextImportError) as refused:
        upload(erin, text)
    assert "is 258 characters long, 58 over the 200 that fit" in str(refused.value)
    assert not ImportJob.objects.exists()


def test_a_heading_too_long_is_refused_saying_which_clause() -> None:
    document = ParsedDocument(
        title="Agreement",
        clauses=(ParsedClause("art_1", "article", "Article 1", "H" * 301, "Text."),),
    )
    with pytest.raises(TextImportError, match=r"heading of clause art_1 is 301 .* 1 over the 300"):
        checked_document(document)


def test_keys_are_made_url_safe_and_children_follow_their_parent() -> None:
    document = ParsedDocument(
        title="Agree\u202ement",
        clauses=(
            ParsedClause("art/1", "article", "Article 1", "Sco\u202epe", "Text\u2066."),
            ParsedClause("art/1/para(2)", "paragraph", "(2)", "", "More.", parent="art/1"),
        ),
    )
    checked = checked_document(document)
    assert checked.title == "Agreement"
    assert [(c.key, c.parent, c.heading, c.text) for c in checked.clauses] == [
        ("art-1", None, "Scope", "Text."),
        ("art-1-para-2", "art-1", "", "More."),
    ]


def test_two_keys_that_become_one_are_refused() -> None:
    document = ParsedDocument(
        title="Agreement",
        clauses=(
            ParsedClause("art/1", "article", "Article 1", "", "Text."),
            ParsedClause("art.1", "article", "Article 1", "", "Text."),
        ),
    )
    with pytest.raises(TextImportError, match="would share the key 'art-1'"):
        checked_document(document)


def test_a_key_with_a_slash_publishes_and_every_page_of_its_period_answers(
    client: Client, dana: Any
) -> None:
    document = checked_document(
        ParsedDocument(
            title="Agreement",
            clauses=(ParsedClause("art/5", "article", "Article 5", "Scope", "Cooperation."),),
        )
    )
    agreement = make_agreement()
    make_version(agreement, "2024", list(document.clauses), in_force_from=dt.date(2024, 8, 27))
    assert Clause.objects.get().key == "art-5"
    client.force_login(dana)
    for page in (
        "/agreements/sta/",
        "/agreements/sta/versions/2024/",
        "/agreements/sta/on/2024-09-01/",
        "/agreements/sta/clauses/art-5/",
    ):
        assert client.get(page).status_code == 200, page


def test_every_reader_goes_through_the_check() -> None:
    text = "# Agreement\n\n## Article 1\n" + "Text.\n\n## Article " + "9" * 201 + "\nMore."
    with pytest.raises(TextImportError, match="over the 200 that fit"):
        read_document(text.encode(), "agreement.md")


@pytest.mark.parametrize(
    "error",
    [
        DataError("value too long for type character varying(200)\nDETAIL: more"),
        RuntimeError("an unforeseen bug"),
    ],
)
def test_an_unexpected_failure_fails_the_job_with_the_error_shown_and_no_retry(
    erin: Any, settings: Any, error: Exception
) -> None:
    job = queued(erin, settings)
    with mock.patch("clauses.importing.services.instrument_import", side_effect=error) as publish:
        assert import_jobs_sweep(now=timezone.now() + LATER) == 1
        assert import_jobs_sweep(now=timezone.now() + LATER) == 0
    assert publish.call_count == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.attempts == 1
    first_line = str(error).splitlines()[0]
    assert job.error == (
        f"Publishing stopped on an unexpected error ({type(error).__name__}: {first_line}); "
        "nothing was published. Ask the operators to look at the log."
    )
    client = Client()
    client.force_login(erin)
    page = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Nothing was published: Publishing stopped on an unexpected error" in page
    assert job.history.filter(history_change_reason__startswith="Failed: ").count() == 1


def test_a_job_whose_worker_keeps_dying_fails_after_the_attempts(erin: Any, settings: Any) -> None:
    settings.STA_TASK_MAX_ATTEMPTS = 2
    job = queued(erin, settings)
    # The worker died while publishing, twice: the job was left running each time.
    job.status, job.attempts = ImportStatus.RUNNING, 2
    save_with_history(job, acting_user=erin, reason="test: the worker died twice")
    with mock.patch("clauses.importing.services.instrument_import") as publish:
        assert import_jobs_sweep(now=timezone.now() + LATER) == 1
    publish.assert_not_called()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error.startswith("Publishing started 2 times and never finished")
    assert import_jobs_sweep(now=timezone.now() + LATER) == 0


def test_each_run_counts_one_attempt(erin: Any, settings: Any) -> None:
    job = queued(erin, settings)
    assert import_jobs_sweep(now=timezone.now() + LATER) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.DONE, 1)


def test_a_nul_from_a_pdf_text_layer_is_dropped() -> None:
    document = ParsedDocument(
        title="Agreement",
        clauses=(ParsedClause("art_1", "article", "Article\x00 1", "", "Co\x00operation."),),
    )
    [clause] = checked_document(document).clauses
    assert (clause.number, clause.text) == ("Article 1", "Cooperation.")
