"""In a real browser: a person makes an API token by keyboard, copies its key once, revokes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sta_tracker.models import ApiToken
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_is_made_shown_once_and_revoked(page: Any, live_server: Any) -> None:
    dana = make_user("dana", Role.ANALYST)
    log_in(page, "dana", PASSWORD)
    page.get_by_role("link", name="API tokens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    page.get_by_label("Label").fill("weekly diff export")
    page.get_by_label("Label").press("Enter")
    key = page.get_by_label("Key").input_value()
    assert key.startswith("sta_")
    assert len(key) == 68
    screenshot(page, "api_tokens_new_key")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/tokens/")
    assert api.status_code == 200
    # Shown once: the page again, and the key is gone; the token is listed by its first characters.
    page.goto(f"{live_server.url}/accounts/tokens/")
    assert key not in page.content()
    row = page.get_by_role("row", name="weekly diff export")
    assert key[:15] in row.inner_text()
    screenshot(page, "api_tokens_list")
    row.get_by_role("button", name="Revoke").click()
    assert page.get_by_role("status").first.inner_text().startswith(f"The token {key[:15]}")
    assert not ApiToken.objects.filter(user=dana).exists()
    screenshot(page, "api_tokens_revoked")
