"""Every page's header is what base.html's template wrote before it was built in Python."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sta_tracker.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# The templates as they were, put in front of the site's own to render the pages the old way.
REFERENCE = Path(__file__).parent / "reference_templates"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PAGES = ["/", "/agreements/", "/search/", "/reviews/dashboard/", "/accounts/tokens/", "/nowhere/"]


def _pages(client: Client) -> list[str]:
    return [CSRF.sub("csrf", client.get(path).content.decode()) for path in PAGES]


def _with_reference(settings: Any) -> None:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [REFERENCE, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


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
    _with_reference(settings)
    assert _pages(client) == ours


def test_a_signed_out_visitor_gets_the_same_login_page(settings: Any) -> None:
    client = Client()
    ours = client.get("/accounts/login/?next=/agreements/").content.decode()
    _with_reference(settings)
    old = client.get("/accounts/login/?next=/agreements/").content.decode()
    assert CSRF.sub("csrf", old) == CSRF.sub("csrf", ours)
    assert "Log out" not in ours
