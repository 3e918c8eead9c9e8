"""The import pages name clauses by number and place and versions by name, never by stable key
or label: the upload form and its lists, every kind of preview, the confirmation and the status
page. Keys stay in addresses, form values and the API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clauses.importing.forms import ImportUploadForm
from clauses.importing.services import import_job_review
from clauses.importing.structure import ParsedClause
from clauses.models import ImportJob, Version, system_user
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

from ..reading.test_names_not_keys import internal_names, visible_text
from .test_modes import PROTOCOL
from .test_view_by_hand import INSTRUCTION, NEW_TEXT
from .test_view_import_language import EXTRA_ARTICLE, form, v1979, zh_bytes  # noqa: F401

pytestmark = pytest.mark.django_db

LABEL_HELP = str(ImportUploadForm.base_fields["label"].help_text)

CONSOLIDATED = (
    "AGREEMENT ON COOPERATION\n\n"
    "Article 1\nThe Parties cooperate on the basis of equality and mutual benefit.\n"
    "Article 2 — Commission\n"
    "1. A joint commission meets every year to review cooperation.\n"
    "2. The commission reports to both Governments in writing.\n"
    "Article 3 — Costs\nEach Party bears its own costs of participation in activities.\n"
)


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is a second administrator: she publishes what Erin uploads (four eyes)."""
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def agreement(db: Any) -> Any:
    """Eleven articles, the second in two paragraphs, as “1979 Agreement” (``1979-agreement``)."""
    sta = make_agreement()
    clauses = [article(n, f"Text of article {n}.") for n in range(1, 12)]
    clauses[1:2] = [
        article(2, "", heading="Commission"),
        *(
            ParsedClause(
                key=f"art_2__para_{n}",
                kind="paragraph",
                number=f"{n}.",
                heading="",
                text=f"Paragraph {n} of article 2.",
                parent="art_2",
            )
            for n in (1, 2)
        ),
    ]
    version = make_version(sta, "1979-agreement", clauses, in_force_from=dt.date(1979, 1, 31))
    version.title = "1979 Agreement"
    save_with_history(version, acting_user=system_user(), reason="test data")
    return sta


def upload(client: Client, agreement: Any, text: str, **fields: str) -> ImportJob:
    data = {
        "file": SimpleUploadedFile("text.txt", text.encode()),
        "agreement": agreement.pk,
        "kind": "protocol",
        "title": "",
        "signed_on": "2026-11-20",
        "signed_at": "",
        "effective_from": "2026-12-01",
        "expires_on": "",
        "text_status": "official",
        "reason": "Official text received",
        **fields,
    }
    response = client.post("/import/", data)
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def job_names(jobs: list[ImportJob]) -> tuple[set[str], set[str]]:
    """The keys of every clause the jobs would write or change, and their labels."""
    keys: set[str] = set()
    for job in jobs:
        keys |= {c["key"] for c in job.preview.get("clauses", [])}
        plan = import_job_review(job).consequences
        if plan is not None and plan.plan is not None:
            keys |= {c.key for c in plan.plan.clauses}
            keys |= {e.affected_key for e in plan.plan.effects}
    return keys, {job.label for job in jobs if job.label}


def scan(client: Client, urls: list[str], pattern: re.Pattern[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # Why: the one place a label is asked for explains its form with an example.
        text = visible_text(response.content.decode()).replace(LABEL_HELP, "")
        hits = pattern.findall(text)
        if hits:
            found[url] = sorted(set(hits))
    return found


def test_no_import_page_shows_a_key_or_a_label(
    client: Client, erin: Any, grace: Any, agreement: Any
) -> None:
    client.force_login(erin)
    whole = upload(client, agreement, CONSOLIDATED, mode="consolidated", label="2026-text")
    amending = upload(client, agreement, PROTOCOL, mode="amending", label="2026-protocol")
    applied = client.post(
        f"/import/{amending.pk}/by-hand/",
        {
            "instruction": INSTRUCTION,
            "affected_key": "art_7",
            "kind": "substitution",
            "new_number": "",
            "new_text": NEW_TEXT,
        },
    )
    assert applied.status_code == 302
    jobs = [whole, amending]
    for job in jobs:
        job.refresh_from_db()
    keys, labels = job_names(jobs)
    assert {"art_2__para_1", "art_7"} <= keys
    assert labels == {"2026-text", "2026-protocol"}
    urls = ["/import/"]
    urls += [url for job in jobs for url in (f"/import/{job.pk}/", f"/import/{job.pk}/publish/")]
    assert scan(client, urls, internal_names(keys, labels)) == {}

    client.force_login(grace)
    confirm = {"confirm_repeals": "on", "period_reason": "Replaced by the 2026 text"}
    assert client.post(f"/import/{whole.pk}/publish/", confirm).status_code == 302
    urls = ["/import/", f"/import/{whole.pk}/status/"]
    assert scan(client, urls, internal_names(keys, labels)) == {}


def test_the_language_preview_names_the_clauses_of_both_texts(
    client: Client,
    erin: Any,
    v1979: Version,  # noqa: F811
    zh_bytes: bytes,  # noqa: F811
) -> None:
    client.force_login(erin)
    content = zh_bytes + EXTRA_ARTICLE.encode()
    file = SimpleUploadedFile("chinese.txt", content)
    response = client.post("/import/", form(content, v1979, file=file))
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    pattern = internal_names({c["key"] for c in job.preview["clauses"]})
    urls = [f"/import/{job.pk}/", f"/import/{job.pk}/publish/", "/import/"]
    assert scan(client, urls, pattern) == {}
    client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": "art_6"})
    assert scan(client, urls[:1], pattern) == {}


def test_the_preview_names_a_paragraph_with_its_article(
    client: Client, erin: Any, agreement: Any
) -> None:
    client.force_login(erin)
    job = upload(client, agreement, CONSOLIDATED, mode="consolidated", label="2026-text")
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert '<th scope="row">Article 2, paragraph 2</th>\n    <td>2.</td>' in html
    assert "<caption>Against “1979 Agreement”: " in html
    assert "publish it as consolidated text “AGREEMENT ON COOPERATION” of STA." in html


def test_a_clause_applied_by_hand_is_named_by_its_place(
    client: Client, erin: Any, agreement: Any
) -> None:
    client.force_login(erin)
    job = upload(client, agreement, PROTOCOL, mode="amending", label="2026-protocol")
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert '<option value="art_2__para_1">Article 2, paragraph 1: Paragraph 1 of' in html
    client.post(
        f"/import/{job.pk}/by-hand/",
        {
            "instruction": INSTRUCTION,
            "affected_key": "art_2__para_1",
            "kind": "substitution",
            "new_number": "",
            "new_text": NEW_TEXT,
        },
    )
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<td>substitution of Article 2, paragraph 1<br>" in html


def test_the_version_choices_name_the_version_and_its_start(
    client: Client, erin: Any, agreement: Any
) -> None:
    client.force_login(erin)
    html = client.get("/import/").content.decode()
    version = Version.objects.get()
    assert (
        f'<option value="{version.pk}">STA: 1979 Agreement, in force from 31 January 1979</option>'
    ) in html


def test_the_scan_catches_a_key_of_the_file_not_yet_written(
    client: Client, erin: Any, agreement: Any
) -> None:
    """The scanner itself: a key only the parse holds is caught too."""
    pattern = internal_names({"art_3a"}, {"2026-protocol"})
    assert pattern.findall(visible_text("<td><code>art_3a</code></td>")) == ["art_3a"]
    assert pattern.findall(visible_text("<p>version 2026-protocol</p>")) == ["2026-protocol"]
    assert pattern.findall(visible_text('<option value="art_3a">Article 3A</option>')) == []
