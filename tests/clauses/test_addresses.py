"""Pages' addresses filled into one reversed pattern are the addresses Django reverses."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from clauses.addresses import ClauseAddresses, VersionAddresses


@pytest.mark.parametrize(
    ("slug", "key"),
    [
        ("sta", "art_1"),
        ("sta", "annex_1__sec_2__para_3"),
        ("us-nl_1981", "a.b-c"),
        ("sta", "art 1"),
        ("sta", "art_1%20"),
        ("sta", "ünïcode"),
        ("sta", "条_1"),
    ],
)
def test_an_address_is_the_one_django_reverses(slug: str, key: str) -> None:
    assert ClauseAddresses()(slug, key) == reverse("clauses:clause_detail", args=[slug, key])


@override_settings(FORCE_SCRIPT_NAME="/tracker/")
def test_the_script_prefix_is_kept() -> None:
    set_script_prefix("/tracker/")
    try:
        url = ClauseAddresses()("sta", "art_1")
        assert url == reverse("clauses:clause_detail", args=["sta", "art_1"])
        assert url.startswith("/tracker/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    ("slug", "label"),
    [("sta", "2024-protocol"), ("us-nl_1981", "1979"), ("sta", "label with space"), ("sta", "ü")],
)
def test_a_version_address_is_the_one_django_reverses(slug: str, label: str) -> None:
    try:
        expected = reverse("clauses:version_detail", args=[slug, label])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            VersionAddresses()(slug, label)
        return
    assert VersionAddresses()(slug, label) == expected


@override_settings(FORCE_SCRIPT_NAME="/tracker/")
def test_a_version_address_keeps_the_script_prefix() -> None:
    set_script_prefix("/tracker/")
    try:
        url = VersionAddresses()("sta", "2024-protocol")
        assert url == "/tracker/agreements/sta/versions/2024-protocol/"
    finally:
        set_script_prefix("/")
