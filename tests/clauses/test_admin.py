from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.models import TextStatus
from tests.factories import article, make_agreement, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def clause() -> Any:
    sta = make_agreement()
    version = make_version(
        sta,
        "1979",
        [article(1, "Cooperation shall be mutual.")],
        in_force_from=dt.date(1979, 1, 31),
    )
    return version.clauses.get()


def change_url(clause: Any) -> str:
    return f"/admin/clauses/clause/{clause.pk}/change/"


def test_an_administrator_corrects_a_clause_with_a_reason_recorded_in_history(
    client: Client, erin: Any, clause: Any
) -> None:
    client.force_login(erin)
    response = client.post(
        change_url(clause),
        {
            "heading": "Principles",
            "text": "Cooperation shall be mutual and equal.",
            "number": clause.number,
            "change_reason": "Typo in the source transcription",
        },
    )
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual and equal."
    latest = clause.history.first()
    assert latest.history_user == erin
    assert latest.history_change_reason == "Typo in the source transcription"
    assert clause.history.count() == 2


def test_a_correction_without_a_reason_is_refused_and_nothing_changes(
    client: Client, erin: Any, clause: Any
) -> None:
    client.force_login(erin)
    response = client.post(
        change_url(clause),
        {
            "heading": "",
            "text": "Changed.",
            "number": clause.number,
            "change_reason": "",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual."
    assert clause.history.count() == 1


def test_the_history_view_offers_no_revert(client: Client, erin: Any, clause: Any) -> None:
    client.force_login(erin)
    record = clause.history.first()
    url = f"/admin/clauses/clause/{clause.pk}/history/{record.history_id}/"
    response = client.post(url, {"text": "Reverted", "change_reason": "x"})
    assert response.status_code in (302, 403)
    clause.refresh_from_db()
    assert clause.text == "Cooperation shall be mutual."


@pytest.mark.parametrize("persona", ["alice", "bob", "dana"])
def test_other_roles_cannot_open_the_admin(
    client: Client, persona: str, request: pytest.FixtureRequest, clause: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(change_url(clause))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_versions_cannot_be_deleted_even_by_administrators(
    client: Client, erin: Any, clause: Any
) -> None:
    client.force_login(erin)
    response = client.post(f"/admin/clauses/version/{clause.version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert clause.version.__class__.objects.filter(pk=clause.version.pk).exists()


def test_import_jobs_are_listed_read_only(client: Client, erin: Any) -> None:
    client.force_login(erin)
    assert client.get("/admin/clauses/importjob/").status_code == 200
    assert client.get("/admin/clauses/importjob/add/").status_code == 403


def test_a_clause_of_an_illustrative_text_says_so_first_on_its_admin_page(
    client: Client, erin: Any
) -> None:
    sta = make_agreement()
    version = make_version(
        sta,
        "1979",
        [article(1, "Cooperation shall be mutual.")],
        in_force_from=dt.date(1979, 1, 31),
        text_status=TextStatus.ILLUSTRATIVE,
    )
    clause = version.clauses.get()
    client.force_login(erin)
    html = client.get(change_url(clause)).content.decode()
    notice = (
        "Illustrative text — written for this product, not the official wording. "
        "Do not quote it as the agreement."
    )
    assert notice in html
    assert html.index(notice) < html.index('name="text"')
    listing = client.get("/admin/clauses/clause/").content.decode()
    assert "Illustrative text (not the official wording)" in listing


def test_a_clause_of_an_official_text_says_official(client: Client, erin: Any) -> None:
    version = make_version(
        make_agreement(),
        "1979",
        [article(1, "Cooperation shall be mutual.")],
        in_force_from=dt.date(1979, 1, 31),
        text_status=TextStatus.OFFICIAL,
    )
    clause = version.clauses.get()
    client.force_login(erin)
    html = client.get(change_url(clause)).content.decode()
    assert '<div class="readonly">Official text.</div>' in html
    assert "Illustrative text" not in html
