"""Every page carries the site's Content-Security-Policy and the other protective headers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import article, make_agreement, make_version

pytestmark = pytest.mark.django_db

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


def directives(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        parsed[name] = value
    return parsed


def inline_scripts(html: str) -> list[str]:
    """Executable script bodies written into the page (JSON data blocks are not scripts)."""
    found = []
    for attributes, body in SCRIPT.findall(html):
        kind = re.search(r'type="([^"]+)"', attributes)
        if kind and kind.group(1) not in {"text/javascript", "module"}:
            continue
        if body.strip():
            found.append(body.strip()[:80])
    return found


def script_sources(html: str) -> list[str]:
    return [
        src.group(1)
        for attributes, _ in SCRIPT.findall(html)
        if (src := re.search(r'src="([^"]+)"', attributes))
    ]


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


def test_the_login_page_carries_the_policy_without_unsafe_sources(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = directives(response)
    for name, value in REQUIRED_DIRECTIVES.items():
        assert policy[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/agreements/",
        "/agreements/sta/",
        "/agreements/sta/versions/1979/",
        "/agreements/sta/clauses/art_1/",
        "/agreements/sta/on/1990-01-01/",
    ],
)
def test_pages_carry_the_policy_and_load_scripts_only_from_files(
    client: Client, dana: Any, clause: Any, url: str
) -> None:
    client.force_login(dana)
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert {name: policy.get(name) for name in REQUIRED_DIRECTIVES} == REQUIRED_DIRECTIVES
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert EVENT_HANDLER.search(html) is None
    assert INLINE_STYLE.search(html) is None
    assert all(src.startswith("/static/") for src in script_sources(html))


def test_the_search_page_has_no_inline_styles(client: Client, dana: Any, clause: Any) -> None:
    client.force_login(dana)
    response = client.get("/search/", {"q": "mutual"})
    assert response.status_code == 200
    assert INLINE_STYLE.search(response.content.decode()) is None


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/clauses/clause/",
        "/admin/clauses/clause/{pk}/change/",
        "/admin/clauses/clause/{pk}/history/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
    ],
)
def test_admin_pages_work_under_the_policy_with_same_origin_scripts(
    client: Client, erin: Any, clause: Any, url: str
) -> None:
    erin.is_superuser = True
    erin.save()
    client.force_login(erin)
    response = client.get(url.format(pk=clause.pk))
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"
    html = response.content.decode()
    assert inline_scripts(html) == []
    sources = script_sources(html)
    assert sources, "the admin loads its scripts from files"
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources


def test_json_answers_carry_the_policy_too(client: Client, dana: Any) -> None:
    client.force_login(dana)
    response = client.get("/api/agreements/")
    assert response.status_code == 200
    assert directives(response)["default-src"] == "'self'"


def test_https_pages_send_hsts_nosniff_referrer_policy_and_deny_framing(client: Client) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts(
    client: Client, dana: Any
) -> None:
    from tests.factories import PASSWORD

    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": "dana", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
    assert session["samesite"] == "Lax"
