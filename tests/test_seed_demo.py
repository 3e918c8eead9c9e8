from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from sta_tracker.roles import Role, has_role

pytestmark = pytest.mark.django_db


def test_it_creates_one_account_per_role_with_the_password() -> None:
    call_command("seed_demo", password="demo-pass-1")
    users = get_user_model().objects
    for username, role in [
        ("analyst", Role.ANALYST),
        ("submitter", Role.SUBMITTER),
        ("reviewer", Role.REVIEWER),
        ("security", Role.SECURITY_REVIEWER),
        ("admin", Role.ADMINISTRATOR),
    ]:
        user = users.get(username=username)
        assert user.check_password("demo-pass-1")
        assert has_role(user, role)
    assert users.get(username="admin").is_staff
    assert not users.get(username="analyst").is_staff


def test_running_it_twice_changes_nothing() -> None:
    call_command("seed_demo", password="demo-pass-1")
    before = {u.username: u.password for u in get_user_model().objects.all()}
    call_command("seed_demo", password="demo-pass-1")
    after = {u.username: u.password for u in get_user_model().objects.all()}
    assert before == after


def test_a_short_password_is_refused_and_no_account_is_created() -> None:
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("seed_demo", password="short")
    assert not get_user_model().objects.exists()
