"""The read API of the agreement corpus: agreements, instruments, events, versions, clauses."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clauses.models import Clause, system_user
from clauses.record.reference import sta_load
from clauses.record.versions import clause_correct

from .conftest import ZH_TEXT, as_user

pytestmark = pytest.mark.django_db

ILLUSTRATIVE = "Illustrative text"


def test_an_anonymous_caller_is_refused_with_401_and_a_json_message(corpus: Any) -> None:
    response = Client().get("/api/agreements/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert response["WWW-Authenticate"] == "Token"


def test_a_person_without_a_role_is_refused_with_403(corpus: Any, nobody: Any) -> None:
    response = as_user(nobody).get("/api/agreements/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "role" in response.json()["detail"]


def test_the_agreement_list_is_paginated(corpus: Any, dana_client: Client) -> None:
    response = dana_client.get("/api/agreements/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    assert body["results"][0]["slug"] == "sta-test"
    assert body["results"][0]["api_url"] == "/api/agreements/sta-test/"
    assert body["results"][0]["url"] == "/agreements/sta-test/"


def test_an_agreement_lists_its_instruments_events_and_versions(
    corpus: Any, dana_client: Client
) -> None:
    body = dana_client.get("/api/agreements/sta-test/").json()
    assert [v["label"] for v in body["versions"]] == ["1979", "2024"]
    assert [e["slug"] for e in body["events"]] == ["lapse-2024"]
    assert {i["slug"] for i in body["instruments"]} == {"1979-instrument", "2024-instrument"}
    old = next(v for v in body["versions"] if v["label"] == "1979")
    assert old["text_status"] == "illustrative"
    assert old["text_notice"].startswith(ILLUSTRATIVE)
    new = next(v for v in body["versions"] if v["label"] == "2024")
    assert (new["text_status"], new["text_notice"]) == ("official", "")


def test_instruments_say_when_they_took_effect_retroactively(
    corpus: Any, dana_client: Client
) -> None:
    body = dana_client.get("/api/agreements/sta-test/instruments/").json()
    by_slug = {i["slug"]: i for i in body["results"]}
    assert by_slug["2024-instrument"]["is_retroactive"] is True
    assert by_slug["2024-instrument"]["signed_on"] == "2024-12-13"
    assert by_slug["1979-instrument"]["is_retroactive"] is False
    assert by_slug["1979-instrument"]["text_notice"].startswith(ILLUSTRATIVE)


def test_events_of_an_agreement(corpus: Any, dana_client: Client) -> None:
    body = dana_client.get("/api/agreements/sta-test/events/").json()
    assert [(e["kind"], e["starts_on"], e["ends_on"]) for e in body["results"]] == [
        ("lapse", "2024-08-27", "2024-12-13")
    ]


def test_an_unknown_agreement_is_a_json_404(corpus: Any, dana_client: Client) -> None:
    for url in (
        "/api/agreements/nope/",
        "/api/agreements/nope/instruments/",
        "/api/agreements/nope/events/",
        "/api/agreements/nope/versions/1979/",
        "/api/agreements/nope/on/2020-01-01/",
    ):
        response = dana_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found", url


def test_versions_filter_by_agreement_status_and_day(corpus: Any, dana_client: Client) -> None:
    def labels(query: str) -> list[str]:
        response = dana_client.get(f"/api/versions/?{query}")
        assert response.status_code == 200, response.content
        return [v["label"] for v in response.json()["results"]]

    assert labels("agreement=sta-test") == ["1979", "2024"]
    assert labels("text_status=official") == ["2024"]
    assert labels("in_force_on=2000-06-01") == ["1979"]
    assert labels("in_force_on=2024-10-01") == ["2024"]
    assert labels("in_force_on=1970-01-01") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("in_force_on=2024-02-30", "in_force_on"),
        ("in_force_on=yesterday", "in_force_on"),
        ("text_status=secret", "text_status"),
        ("agreement=no-such-agreement", "agreement"),
        ("agreement=not%20a%20slug", "agreement"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=100000", "page_size"),
    ],
)
def test_bad_version_filters_are_a_400_naming_the_parameter(
    corpus: Any, dana_client: Client, query: str, field: str
) -> None:
    response = dana_client.get(f"/api/versions/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["detail"]


def test_a_page_past_the_end_is_a_404(corpus: Any, dana_client: Client) -> None:
    response = dana_client.get("/api/versions/?page=5")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_version_comes_with_its_clauses_in_reading_order(
    corpus: Any, dana_client: Client
) -> None:
    body = dana_client.get("/api/agreements/sta-test/versions/1979/").json()
    assert body["text_notice"].startswith(ILLUSTRATIVE)
    assert [c["key"] for c in body["clauses"]] == ["art_1", "art_2", "art_3"]
    first = body["clauses"][0]
    assert first["url"] == "/agreements/sta-test/versions/1979/#art_1"
    assert first["text_status"] == "illustrative"
    assert first["text_notice"].startswith(ILLUSTRATIVE)
    assert body["clauses"][2]["text"] == ZH_TEXT


def test_an_unknown_version_is_a_404(corpus: Any, dana_client: Client) -> None:
    assert dana_client.get("/api/agreements/sta-test/versions/1999/").status_code == 404


def test_clauses_filter_by_agreement_version_key_change_and_day(
    corpus: Any, dana_client: Client
) -> None:
    new = corpus["new"]

    def found(query: str) -> list[tuple[str, str]]:
        response = dana_client.get(f"/api/clauses/?{query}")
        assert response.status_code == 200, response.content
        return [(c["version"], c["key"]) for c in response.json()["results"]]

    assert len(found("agreement=sta-test")) == 7
    assert found(f"version={new.pk}&key=art_2") == [("2024", "art_2")]
    assert found("key=art_1") == [("1979", "art_1"), ("2024", "art_1")]
    assert found("change=amended&agreement=sta-test") == [("2024", "art_1"), ("2024", "art_2")]
    assert found("in_force_on=1990-01-01&key=art_3") == [("1979", "art_3")]


@pytest.mark.parametrize(
    "query",
    [
        "version=abc",
        "version=0",
        "version=99999999999999999999999",
        "change=rewritten",
        "key=" + "k" * 201,
    ],
)
def test_bad_clause_filters_are_a_400(corpus: Any, dana_client: Client, query: str) -> None:
    response = dana_client.get(f"/api/clauses/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_filter_naming_a_version_that_does_not_exist_is_a_400(
    corpus: Any, dana_client: Client
) -> None:
    response = dana_client.get("/api/clauses/?version=987654")
    assert response.status_code == 400
    assert response.json()["fields"] == {"version": ["No version has the id 987654."]}


def test_a_clause_carries_its_history_with_user_time_and_reason(
    corpus: Any, dana_client: Client, erin: Any
) -> None:
    clause = Clause.objects.get(version=corpus["new"], key="art_4")
    clause_correct(
        clause=clause,
        heading="",
        text="Each Party protects the safety and security of visiting researchers.",
        acting_user=erin,
        reason="Typo in the consolidated text",
    )
    response = dana_client.get(f"/api/clauses/{clause.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Each Party protects the safety and security of visiting researchers."
    assert [(h["change"], h["user"], h["reason"]) for h in body["history"]] == [
        ("created", system_user().get_username(), "test data"),
        ("changed", "erin", "Typo in the consolidated text"),
    ]
    assert body["history"][0]["text"] == "Each Party protects the safety of visiting researchers."
    assert body["history"][1]["history_date"]


def test_a_clause_key_followed_through_every_version(corpus: Any, dana_client: Client) -> None:
    response = dana_client.get("/api/agreements/sta-test/clauses/art_2/")
    assert response.status_code == 200
    body = response.json()
    assert [(v["version"]["label"], v["status"]) for v in body["versions"]] == [
        ("1979", "present"),
        ("2024", "present"),
    ]
    assert body["versions"][0]["clause"]["text"] == (
        "A Joint Commission meets every year to review cooperation."
    )
    assert body["versions"][1]["clause"]["change"] == "amended"
    assert len(body["history"]) == 2


def test_a_clause_added_later_is_absent_from_the_earlier_version(
    corpus: Any, dana_client: Client
) -> None:
    body = dana_client.get("/api/agreements/sta-test/clauses/art_4/").json()
    assert [
        (v["version"]["label"], v["status"], v["clause"] is None) for v in body["versions"]
    ] == [
        ("1979", "absent", True),
        ("2024", "present", False),
    ]


def test_a_clause_key_that_never_existed_is_a_404(corpus: Any, dana_client: Client) -> None:
    assert dana_client.get("/api/agreements/sta-test/clauses/art_99/").status_code == 404
    assert dana_client.get("/api/agreements/sta-test/clauses/art%2099/").status_code == 404
    assert dana_client.get("/api/clauses/987654/").status_code == 404


def test_list_endpoints_cost_a_fixed_number_of_queries(
    corpus: Any, dana_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        assert dana_client.get("/api/clauses/?page_size=200").status_code == 200
    with django_assert_max_num_queries(12):
        assert dana_client.get("/api/agreements/sta-test/").status_code == 200


def test_a_version_answer_costs_the_same_queries_however_many_instruments_changed_it(
    dana_client: Client, django_assert_max_num_queries: Any
) -> None:
    sta_load(acting_user=system_user(), reason="test load")
    clauses = Clause.objects.filter(version__agreement__slug="sta", version__label="2024-protocol")
    changers = set(clauses.exclude(changed_by=None).values_list("changed_by", flat=True))
    assert changers
    assert clauses.count() > 20
    with django_assert_max_num_queries(10):
        response = dana_client.get("/api/agreements/sta/versions/2024-protocol/")
    assert response.status_code == 200
    assert {c["changed_by"] for c in response.json()["clauses"]} - {None}


def test_the_api_says_which_dates_are_assumed_or_partial(dana_client: Client) -> None:
    sta_load(acting_user=system_user(), reason="test load")
    body = dana_client.get("/api/agreements/sta/").json()
    instruments = {i["slug"]: i for i in body["instruments"]}
    assert instruments["2024-extension"]["date_notes"] == {
        "signed_on": {"assumed": "the announcement date"}
    }
    assert instruments["2024-protocol"]["date_notes"] == {}
    assert instruments["2018-extension-and-amendment"]["term"] == ""
    events = {e["slug"]: e for e in body["events"]}
    assert events["1978-07-press-delegation"]["date_notes"] == {"starts_on": {"precision": "month"}}
    versions = {v["label"]: v for v in body["versions"]}
    assert versions["1979"]["date_notes"] == {
        "in_force_until": {"assumed": "five years from entry into force"}
    }
