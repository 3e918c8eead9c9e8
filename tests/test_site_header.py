"""Every page's header is what base.html's template wrote before it was built in Python."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reference_pages import use_reference_templates, without_tokens

pytestmark = pytest.mark.django_db

PAGES = ["/", "/agreements/", "/search/", "/reviews/dashboard/", "/accounts/tokens/", "/nowhere/"]


def _pages(client: Client) -> list[str]:
    return [without_tokens(client.get(path).content.decode()) for path in PAGES]


@pytest.mark.parametrize(
    "roles",
    [(), (Role.ANALYST,), (Role.REVIEWER, Role.SECURITY_REVIEWER), tuple(Role)],
    ids=["no role", "analyst", "both reviewers", "every role"],
)
def test_the_header_is_written_as_the_template_wrote_it(
    settings: Any, roles: tuple[Role, ...]
) -> None:
    client = Client()
    client.force_login(make_user("olga", *roles, is_staff=Role.ADMINISTRATOR in roles))
    ours = _pages(client)
    assert any('<nav aria-label="Main">' in page for page in ours)
    use_reference_templates(settings)
    assert _pages(client) == ours


def test_a_signed_out_visitor_gets_the_same_login_page(settings: Any) -> None:
    client = Client()
    ours = client.get("/accounts/login/?next=/agreements/").content.decode()
    use_reference_templates(settings)
    old = client.get("/accounts/login/?next=/agreements/").content.decode()
    assert without_tokens(old) == without_tokens(ours)
    assert "Log out" not in ours
