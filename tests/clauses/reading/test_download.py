"""A version's text as Akoma Ntoso: on the version page and in the API, for readers only."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from clauses.importing.akn import parse_akn
from clauses.models import ChangeKind, Clause, Version, system_user
from clauses.reading.download import version_akn
from sta_tracker.history import save_with_history

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db

PAGE = "/agreements/sta/versions/2024/?format=akn"
API = "/api/agreements/sta/versions/2024/?format=akn"


def _rows(version: Version, language: str = "en") -> list[tuple[Any, ...]]:
    return [
        (c.key, c.number, c.heading, c.text, c.parent.key if c.parent else None)
        for c in version.clauses.filter(language=language)
        .select_related("parent")
        .order_by("order")
    ]


def _read_back(data: bytes) -> list[tuple[Any, ...]]:
    return [(c.key, c.number, c.heading, c.text, c.parent) for c in parse_akn(data).clauses]


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_sta()
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused_on_the_page_and_in_the_api(
    client: Client, nobody: Any
) -> None:
    build_sta()
    client.force_login(nobody)
    assert client.get(PAGE).status_code == 403
    assert client.get(API).status_code == 403


def test_the_api_asks_strangers_to_sign_in(client: Client) -> None:
    build_sta()
    assert client.get(API).status_code == 401


def test_the_version_page_offers_the_text_as_an_akoma_ntoso_download(
    client: Client, dana: Any, django_assert_max_num_queries: Any
) -> None:
    build_sta()
    client.force_login(dana)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/akn+xml"
    assert response["Content-Disposition"] == 'attachment; filename="sta-2024-en.akn.xml"'
    version = Version.objects.get(agreement__slug="sta", label="2024")
    assert _read_back(response.content) == _rows(version)
    assert parse_akn(response.content).title == version.title


def test_the_version_page_links_to_the_download(client: Client, dana: Any) -> None:
    build_sta()
    client.force_login(dana)
    page = client.get("/agreements/sta/versions/2024/").content.decode()
    assert (
        '<a href="/agreements/sta/versions/2024/?format=akn" download>Akoma Ntoso XML</a>' in page
    )


def test_the_api_version_detail_gives_the_same_xml(client: Client, dana: Any) -> None:
    build_sta()
    client.force_login(dana)
    response = client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/akn+xml"
    assert response["Content-Disposition"] == 'attachment; filename="sta-2024-en.akn.xml"'
    assert response.content == client.get(PAGE).content
    assert client.get("/api/agreements/sta/versions/2024/")["Content-Type"].startswith(
        "application/json"
    )


def test_a_language_the_version_lacks_is_a_404_on_the_page_and_in_the_api(
    client: Client, dana: Any
) -> None:
    build_sta()
    client.force_login(dana)
    assert client.get(f"{PAGE}&language=fr").status_code == 404
    response = client.get(f"{API}&language=fr")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no text in the language “fr”" in response.json()["detail"]


def test_a_second_language_text_is_exported_on_its_own(client: Client, dana: Any) -> None:
    build_sta()
    version = Version.objects.get(agreement__slug="sta", label="2024")
    first = version.clauses.order_by("order").first()
    assert first is not None
    chinese = Clause(
        version=version,
        language="zh",
        key=first.key,
        kind=first.kind,
        number="第一条",
        heading="",
        text="双方合作。",
        order=1,
        change=ChangeKind.UNCHANGED,
    )
    save_with_history(chinese, acting_user=system_user(), reason="test data")
    client.force_login(dana)
    response = client.get(f"{PAGE}&language=zh")
    assert response["Content-Disposition"] == 'attachment; filename="sta-2024-zh.akn.xml"'
    document = parse_akn(response.content)
    assert document.language == "zh"
    assert _read_back(response.content) == [(first.key, "第一条", "", "双方合作。", None)]


def test_every_loaded_sta_version_exports_and_reads_back_to_the_same_clauses() -> None:
    call_command("load_sta", stdout=StringIO())
    versions = list(Version.objects.select_related("agreement").filter(clauses__isnull=False))
    assert versions
    for version in set(versions):
        for language in sorted(set(version.clauses.values_list("language", flat=True))):
            data, _ = version_akn(version, language)
            assert _read_back(data) == _rows(version, language), (version.label, language)
