from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(1))


def test_an_analyst_sees_the_reading_navigation(client: Client, dana: Any) -> None:
    client.force_login(dana)
    html = client.get("/agreements/").content.decode()
    assert nav_labels(html) == ["Agreements", "Search", "Dashboard"]


def test_an_administrator_also_sees_import_and_administration(client: Client, erin: Any) -> None:
    client.force_login(erin)
    html = client.get("/agreements/").content.decode()
    assert nav_labels(html) == [
        "Agreements",
        "Search",
        "Proposals",
        "Reciprocity concerns",
        "Dashboard",
        "Screening data",
        "Import a text",
        "Administration",
    ]


def test_the_current_section_is_marked(client: Client, dana: Any) -> None:
    client.force_login(dana)
    html = client.get("/agreements/").content.decode()
    assert re.search(r'<a href="/agreements/" aria-current="page">Agreements</a>', html)


def test_the_login_page_shows_no_navigation(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<nav aria-label="Main">' not in html
