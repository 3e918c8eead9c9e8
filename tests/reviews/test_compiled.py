"""Queries compiled once per shape: the SQL kept, each request's values put in its place."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from reviews import compiled
from reviews.views_review import _filtered
from sta_tracker.roles import Role, has_role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_several_counts_are_answered_by_one_query_for_each_persons_values(
    django_assert_num_queries: Any,
) -> None:
    bob, erin = make_user("bob", Role.REVIEWER), make_user("erin", Role.REVIEWER)
    make_user("carl", Role.SECURITY_REVIEWER)

    def counts(values: Any) -> list[Any]:
        return [
            lambda: User.objects.exclude(pk=values["user"]).count(),
            lambda: Group.objects.filter(user__pk=values["user"]).count(),
        ]

    shape = ("test counts", Role.REVIEWER.value)
    others = User.objects.count() - 1
    with django_assert_num_queries(1):
        assert compiled.scalars(shape, {"user": bob.pk}, counts, using="default") == (others, 1)
    Group.objects.get(name=Role.SUBMITTER.value).user_set.add(erin)
    with django_assert_num_queries(1):
        assert compiled.scalars(shape, {"user": erin.pk}, counts, using="default") == (others, 2)


def test_rows_come_with_their_related_rows_and_annotations_for_each_persons_values(
    django_assert_num_queries: Any,
) -> None:
    people = [make_user(name, Role.REVIEWER) for name in ("ann", "ben", "cy", "dee")]

    def build(values: Any) -> Any:
        reviewers = Group.objects.filter(name=Role.REVIEWER.value, user=OuterRef("pk"))
        return (
            User.objects.filter(username__in=["ann", "ben", "cy", "dee"])
            .exclude(pk=values["user"])
            .annotate(groups_held=Count("groups"), reviews=Exists(reviewers))
            .prefetch_related("groups")
            .order_by("username")
        )

    def fetch(user: Any, limit: int, offset: int = 0) -> list[Any]:
        return compiled.rows(
            ("test rows",), {"user": user.pk}, build, using="default", limit=limit, offset=offset
        )

    with django_assert_num_queries(2):
        shown = fetch(people[0], 2, offset=1)
        assert [(u.username, u.groups_held, u.reviews) for u in shown] == [
            ("cy", 1, True),
            ("dee", 1, True),
        ]
        assert [g.name for g in shown[0].groups.all()] == [Role.REVIEWER.value]
    assert [u.username for u in fetch(people[3], 10)] == ["ann", "ben", "cy"]
    with django_assert_num_queries(0):
        assert fetch(people[3], 0) == []


def test_counted_rows_page_without_counting_and_fetch_only_the_page() -> None:
    asked: list[tuple[int, int]] = []

    def fetch(limit: int, offset: int) -> list[int]:
        asked.append((limit, offset))
        return list(range(offset, min(offset + limit, 30)))

    page = Paginator(compiled.CountedRows(fetch, 30), 25).get_page(2)
    assert (page.paginator.count, page.paginator.num_pages) == (30, 2)
    assert list(page.object_list) == list(range(25, 30))
    assert asked == [(5, 25)]


def test_a_stand_in_has_the_persons_roles_and_another_id() -> None:
    grace = make_user("grace", Role.REVIEWER, Role.SECURITY_REVIEWER)
    stand_in = compiled.stand_in_user(grace, -3)
    assert stand_in.pk == -3
    assert has_role(stand_in, Role.SECURITY_REVIEWER)
    assert not has_role(stand_in, Role.SUBMITTER)
    assert (
        compiled.roles_of(grace) == compiled.roles_of(stand_in) == ("reviewer", "security_reviewer")
    )
    root = User.objects.create_superuser("root", "root@example.org", "pw-1234567890")
    assert compiled.roles_of(root)[-1] == "superuser"


@pytest.mark.parametrize(
    ("data", "filtered"),
    [
        ({}, False),
        ({"sort": "title", "agency": None, "city": "", "overdue": False, "state": ""}, False),
        ({"waiting": 0}, True),
        ({"state": "any"}, True),
        ({"overdue": True}, True),
        ({"city": "Kunming"}, True),
    ],
)
def test_sorting_leaves_out_no_work_but_every_filter_may(
    data: dict[str, Any], filtered: bool
) -> None:
    assert _filtered(data) is filtered


def test_rows_of_values_come_as_the_queryset_asked_for_them() -> None:
    make_user("ann", Role.REVIEWER)

    def names(values: Any) -> Any:
        return User.objects.filter(username="ann").values_list("username", flat=True)

    def pairs(values: Any) -> Any:
        return User.objects.filter(username="ann").values_list("username", "is_active")

    assert compiled.rows(("test names",), {}, names, using="default", limit=None) == ["ann"]
    assert compiled.rows(("test pairs",), {}, pairs, using="default", limit=None) == [("ann", True)]
