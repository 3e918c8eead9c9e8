"""The signed-in user and their roles come from one query, and a change counts at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from sta_tracker.roles import Role, RoleLoadingBackend, has_role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BACKEND = "sta_tracker.roles.RoleLoadingBackend"


def test_the_user_and_their_roles_cost_one_query(dana: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        user = RoleLoadingBackend().get_user(dana.pk)
        assert has_role(user, Role.ANALYST)
        assert not has_role(user, Role.REVIEWER)


def test_a_user_with_several_roles_is_one_user_with_all_of_them(dana: Any) -> None:
    dana.groups.add(Group.objects.get_or_create(name=Role.REVIEWER.value)[0])
    user = RoleLoadingBackend().get_user(dana.pk)
    assert user.pk == dana.pk
    assert user._sta_roles == {Role.ANALYST.value, Role.REVIEWER.value}


def test_a_user_without_roles_is_still_signed_in_with_none(db: Any) -> None:
    nobody = make_user("nora")
    user = RoleLoadingBackend().get_user(nobody.pk)
    assert user is not None
    assert user._sta_roles == set()


def test_an_unknown_or_deactivated_user_is_not_signed_in(dana: Any) -> None:
    assert RoleLoadingBackend().get_user(dana.pk + 1000) is None
    assert RoleLoadingBackend().get_user(str(dana.pk + 1000)) is None
    assert RoleLoadingBackend().get_user("not an id") is None
    assert RoleLoadingBackend().get_user(None) is None
    assert RoleLoadingBackend().get_user(str(dana.pk)).pk == dana.pk
    dana.is_active = False
    dana.save()
    assert RoleLoadingBackend().get_user(dana.pk) is None


def test_a_role_taken_away_counts_from_the_next_request(client: Client, dana: Any) -> None:
    client.force_login(dana, backend=BACKEND)
    assert client.get("/agreements/").status_code == 200
    dana.groups.clear()
    assert client.get("/agreements/").status_code == 403


def test_signing_in_through_the_form_uses_this_backend(client: Client, dana: Any) -> None:
    dana.set_password("correct horse battery staple")
    dana.save()
    response = client.post(
        "/accounts/login/",
        {"username": "dana", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == BACKEND
