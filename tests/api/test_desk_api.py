"""The analyst's desk through the API: compare by dates, a draft, across agreements, and the
status ("presumed", "lapsed") of the text on a date."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from clauses.comparison.draft_services import compare_draft_create
from clauses.models import CompareDraft
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

pytestmark = pytest.mark.django_db

DRAFT = b"Article 1\n\nThe Parties shall cooperate in basic research.\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/api/agreements/")  # Why: the first request after force_login writes the session.
    return client


@pytest.fixture
def sta(dana: Any) -> Client:
    cache.clear()
    call_command("load_sta", stdout=StringIO())
    return client_for(dana)


# The text on a date says "presumed" as its page does ---------------------------------------


def test_a_day_the_extensions_were_not_found_for_is_presumed(sta: Client) -> None:
    body = sta.get("/api/agreements/sta/on/1995-06-01/").json()
    assert body["status"] == "presumed"
    assert body["headline"] == "In force (presumed): As extended in 1984"
    assert body["presumed"]["from"] < "1995-06-01" < body["presumed"]["until"]
    assert body["presumed"]["missing"]
    assert any(line.startswith("Presumed, not established") for line in body["explanations"])
    page = sta.get("/agreements/sta/on/1995-06-01/").content.decode()
    assert body["headline"] in page


@pytest.mark.parametrize(
    ("day", "status", "headline"),
    [
        ("1986-06-01", "in_force", "In force: As extended in 1984"),
        ("2024-10-01", "lapsed", "Lapsed on this day; later covered retroactively by"),
        ("1970-01-01", "not_in_force", "No text in force"),
    ],
)
def test_each_day_has_the_status_its_page_leads_with(
    sta: Client, day: str, status: str, headline: str
) -> None:
    body = sta.get(f"/api/agreements/sta/on/{day}/").json()
    assert body["status"] == status
    assert body["headline"].startswith(headline)
    assert body["presumed"] is None


# Compare by dates ---------------------------------------------------------------------------

DATES = "/api/agreements/sta/diff/dates/"


def test_two_dates_give_each_dates_status_and_the_diff(
    sta: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        response = sta.get(DATES + "?a=2000-01-01&b=2024-10-01")
    assert response.status_code == 200
    body = response.json()
    assert (body["a"]["status"], body["a"]["version"]["label"]) == ("presumed", "1984-extension")
    assert (body["b"]["status"], body["b"]["version"]["label"]) == ("lapsed", "2024-protocol")
    assert body["b"]["retroactive"] is True
    assert body["a"]["lead"].startswith("In force (presumed):")
    assert body["same"] is False
    assert body["stats"]["changed"] > 0
    assert len(body["clauses"]) > body["stats"]["changed"]
    changed = sta.get(DATES + "?a=2000-01-01&b=2024-10-01&changes_only=true").json()
    assert len(changed["clauses"]) == body["stats"]["changed"]


def test_two_dates_in_one_version_are_the_same(sta: Client) -> None:
    body = sta.get(DATES + "?a=1990-01-01&b=2000-06-30").json()
    assert body["same"] is True
    assert body["stats"]["changed"] == 0


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?a=2000-13-01&b=2020-01-01", "a", "“2000-13-01” is not a date"),
        ("?a=1970-01-01&b=2020-01-01", "a", "is before any text was in force"),
        ("?a=2000-01-01", "b", "This field is required."),
    ],
)
def test_a_bad_date_is_a_400_naming_it(sta: Client, query: str, field: str, message: str) -> None:
    response = sta.get(DATES + query)
    assert response.status_code == 400
    assert message in " ".join(response.json()["fields"][field])


def test_the_dates_of_an_unknown_agreement_are_not_found(sta: Client) -> None:
    assert (
        sta.get("/api/agreements/nowhere/diff/dates/?a=2000-01-01&b=2020-01-01").status_code == 404
    )


def test_compare_by_dates_needs_a_role(nobody: Any, sta: Client) -> None:
    response = client_for(nobody).get(DATES + "?a=2000-01-01&b=2020-01-01")
    assert response.status_code == 403


# A draft --------------------------------------------------------------------------------------


@pytest.fixture
def draft(dana: Any) -> CompareDraft:
    agreement = make_agreement("pact", short_title="Pact")
    make_version(
        agreement,
        "2001",
        [article(1, "The Parties shall cooperate in science.")],
        in_force_from=dt.date(2001, 1, 1),
    )
    return compare_draft_create(
        agreement=agreement, filename="d.txt", content=DRAFT, title="Ours", acting_user=dana
    )


def test_the_owner_reads_the_draft_against_the_version_in_force(
    draft: CompareDraft, dana: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(dana)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/drafts/{draft.pk}/diff/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["notice"]) == (
        "draft",
        "A draft, not published: nothing in it is the record.",
    )
    assert body["draft"]["title"] == "Ours"
    assert body["draft"]["owner"] == "dana"
    assert (body["against"]["label"], body["in_force"]) == ("2001", True)
    assert body["stats"]["amended"] == 1
    assert [op["kind"] for op in body["clauses"][0]["ops"]].count("insert") == 1


def test_a_draft_is_read_by_those_it_is_shared_with_and_found_by_nobody_else(
    draft: CompareDraft,
) -> None:
    url = f"/api/drafts/{draft.pk}/diff/"
    oscar = make_user("oscar", Role.ANALYST)
    assert client_for(oscar).get(url).status_code == 404
    draft.shared_with.add(oscar)
    assert client_for(oscar).get(url).status_code == 200
    assert client_for(make_user("sam", Role.SUBMITTER)).get(url).status_code == 403
    assert Client().get(url).status_code in (401, 403)


def test_a_draft_against_an_unknown_version_is_a_400(draft: CompareDraft, dana: Any) -> None:
    response = client_for(dana).get(f"/api/drafts/{draft.pk}/diff/?against=1999")
    assert response.status_code == 400
    assert "has no such version" in response.json()["fields"]["against"][0]


def test_an_expired_draft_is_not_found(draft: CompareDraft, dana: Any) -> None:
    CompareDraft.objects.filter(pk=draft.pk).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert client_for(dana).get(f"/api/drafts/{draft.pk}/diff/").status_code == 404


# Across agreements ----------------------------------------------------------------------------


@pytest.fixture
def two(bob: Any) -> Client:
    make_version(
        make_agreement("ours", short_title="Ours"),
        "2001",
        [
            article(1, "The Parties shall cooperate in basic research on the basis of equality."),
            article(2, "Disputes are settled by consultation between the Parties."),
        ],
        in_force_from=dt.date(2001, 1, 1),
    )
    make_version(
        make_agreement("theirs", short_title="Theirs"),
        "2010",
        [
            article(1, "Intellectual property created in joint work is owned jointly."),
            article(
                2, "The Parties shall cooperate in basic research on the basis of reciprocity."
            ),
        ],
        in_force_from=dt.date(2010, 1, 1),
    )
    return client_for(bob)


ACROSS = "/api/agreements/ours/diff/across/"


def test_across_agreements_lists_pairs_and_each_sides_provisions_alone(
    two: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        response = two.get(ACROSS + "?with=theirs")
    assert response.status_code == 200
    body = response.json()
    assert (body["agreement"], body["other"]) == ("ours", "theirs")
    assert (body["ours"]["label"], body["theirs"]["label"]) == ("2001", "2010")
    assert [(p["left_key"], p["right_key"]) for p in body["pairs"]] == [("art_1", "art_2")]
    assert body["pairs"][0]["left_path"] == "Article 1"
    assert 0.3 < body["pairs"][0]["similarity"] < 1
    assert [c["key"] for c in body["left_only"]] == ["art_2"]
    assert [c["path"] for c in body["right_only"]] == ["Article 1"]
    assert body["right_only"][0]["text"].startswith("Intellectual property")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "This field is required."),
        ("?with=nowhere", "“nowhere” is not another agreement held here"),
        ("?with=theirs&theirs=1999", "The Theirs has no version “1999”"),
        ("?with=theirs&our_part=art_9", "has no provision “art_9”"),
    ],
)
def test_a_bad_choice_across_agreements_is_a_400(two: Client, query: str, message: str) -> None:
    response = two.get(ACROSS + query)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_across_agreements_is_refused_to_a_submitter(two: Client, alice: Any) -> None:
    response = client_for(alice).get(ACROSS + "?with=theirs")
    assert response.status_code == 403
