"""Each role lands on its work, after login and at "/"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LANDINGS = [
    ("alice", (Role.SUBMITTER,), "/reviews/mine/"),
    ("bob", (Role.REVIEWER,), "/reviews/queue/"),
    ("charlie", (Role.SECURITY_REVIEWER,), "/reviews/queue/"),
    ("judy", (Role.REVIEWER,), "/reviews/queue/"),
    ("dana", (Role.ANALYST,), "/agreements/"),
    ("erin", (Role.ADMINISTRATOR,), "/import/"),
]


@pytest.mark.parametrize(("username", "roles", "landing"), LANDINGS)
def test_logging_in_lands_on_the_work_of_the_role(
    client: Client, username: str, roles: tuple[Role, ...], landing: str
) -> None:
    """The login form's redirect, followed, ends on the role's page, which answers 200."""
    make_user(username, *roles)
    response = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}, follow=True
    )
    visited = [url for url, _ in response.redirect_chain]
    assert visited[:2] == ["/", landing]
    assert response.status_code == 200


@pytest.mark.parametrize(("username", "roles", "landing"), LANDINGS)
def test_the_home_address_sends_each_role_to_its_work(
    client: Client, username: str, roles: tuple[Role, ...], landing: str
) -> None:
    client.force_login(make_user(username, *roles))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == landing


def test_an_administrator_who_also_reviews_lands_on_the_imports(client: Client) -> None:
    """The work only an administrator can do comes first."""
    client.force_login(make_user("erin", Role.ADMINISTRATOR, Role.REVIEWER))
    assert client.get("/")["Location"] == "/import/"


@pytest.mark.parametrize(("username", "roles", "landing"), LANDINGS)
def test_the_reviews_address_sends_each_role_to_the_same_work(
    client: Client, username: str, roles: tuple[Role, ...], landing: str
) -> None:
    """/reviews/ no longer sends administrators and analysts to the dashboard."""
    client.force_login(make_user(username, *roles))
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        ((Role.ADMINISTRATOR, Role.ANALYST), "/import/"),
        ((Role.SECURITY_REVIEWER, Role.SUBMITTER), "/reviews/queue/"),
        ((Role.SUBMITTER, Role.ANALYST), "/reviews/mine/"),
        ((Role.ANALYST, Role.REVIEWER), "/reviews/queue/"),
    ],
)
def test_a_person_with_several_roles_lands_on_the_most_specific_work(
    client: Client, roles: tuple[Role, ...], landing: str
) -> None:
    """Administrator, then reviewer or security reviewer, then submitter, then analyst."""
    client.force_login(make_user("multi", *roles))
    assert client.get("/")["Location"] == landing
    assert client.get("/reviews/")["Location"] == landing


def test_the_reviews_address_refuses_an_account_without_a_role(client: Client, nobody: Any) -> None:
    client.force_login(nobody)
    assert client.get("/reviews/").status_code == 403


def test_an_administrator_lands_on_the_imports_awaiting_publication(client: Client) -> None:
    client.force_login(make_user("erin", Role.ADMINISTRATOR))
    page = client.get("/", follow=True).content.decode()
    assert '<h2 id="queue-heading">Awaiting publication</h2>' in page


def test_a_reviewer_who_also_submits_lands_on_the_queue(client: Client) -> None:
    client.force_login(make_user("bob", Role.REVIEWER, Role.SUBMITTER))
    assert client.get("/")["Location"] == "/reviews/queue/"


def test_an_account_without_a_role_is_sent_to_the_agreements_which_refuse_it(
    client: Client, nobody: Any
) -> None:
    """No role, no work: the agreements page explains the refusal (403), as before."""
    client.force_login(nobody)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/agreements/"
    assert response.status_code == 403


def test_a_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
