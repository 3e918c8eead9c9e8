"""The text in force on a day, and the diff of two versions, through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clauses.comparison.cache import version_diff

pytestmark = pytest.mark.django_db


def test_the_text_in_force_on_a_day_with_its_version_and_notice(
    corpus: Any, dana_client: Client
) -> None:
    response = dana_client.get("/api/agreements/sta-test/on/2000-06-01/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"]["label"] == "1979"
    assert body["text_status"] == "illustrative"
    assert body["text_notice"].startswith("Illustrative text")
    assert [c["key"] for c in body["clauses"]] == ["art_1", "art_2", "art_3"]
    assert all(c["text_notice"] for c in body["clauses"])
    assert body["in_lapse"] is False
    assert body["explanations"][0].startswith("On 1 June 2000 the version in force was")


def test_a_day_in_the_lapse_is_also_covered_retroactively(corpus: Any, dana_client: Client) -> None:
    body = dana_client.get("/api/agreements/sta-test/on/2024-10-01/").json()
    assert body["version"]["label"] == "2024"
    assert (body["in_lapse"], body["retroactive"], body["signed_on"]) == (True, True, "2024-12-13")
    assert (body["text_status"], body["text_notice"]) == ("official", "")
    assert len(body["explanations"]) == 2


def test_a_day_before_the_agreement_has_no_text(corpus: Any, dana_client: Client) -> None:
    body = dana_client.get("/api/agreements/sta-test/on/1970-01-01/").json()
    assert body["version"] is None
    assert body["before_start"] is True
    assert body["clauses"] == []
    assert (body["text_status"], body["text_notice"]) == (None, "")


@pytest.mark.parametrize("day", ["2024-02-30", "2024-1-1", "tomorrow", "20240101"])
def test_a_bad_day_is_a_400_saying_how_to_write_it(
    corpus: Any, dana_client: Client, day: str
) -> None:
    response = dana_client.get(f"/api/agreements/sta-test/on/{day}/")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["fields"]["day"][0]


def test_the_diff_of_two_versions_uses_the_engine_structures(
    corpus: Any, dana_client: Client
) -> None:
    response = dana_client.get("/api/agreements/sta-test/diff/?old=1979&new=2024")
    assert response.status_code == 200
    body = response.json()
    expected = version_diff(older=corpus["old"], newer=corpus["new"])
    assert body["stats"]["amended"] == expected.stats.amended == 2
    assert body["stats"]["added"] == expected.stats.added == 1
    assert [(c["key"], c["status"]) for c in body["clauses"]] == [
        (c.key, str(c.status)) for c in expected.clauses
    ]
    art2 = next(c for c in body["clauses"] if c["key"] == "art_2")
    assert {"kind": "delete", "text": "year", "old_text": None} in art2["ops"]
    assert any(op["kind"] == "insert" and "two years" in op["text"] for op in art2["ops"])
    assert body["old"]["label"] == "1979"
    assert body["text_notice"].startswith("1979: Illustrative text")


def test_the_diff_can_leave_out_unchanged_clauses(corpus: Any, dana_client: Client) -> None:
    body = dana_client.get(
        "/api/agreements/sta-test/diff/?old=1979&new=2024&changes_only=true"
    ).json()
    assert "art_3" not in [c["key"] for c in body["clauses"]]
    assert len(body["clauses"]) == body["stats"]["changed"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("", ["old", "new"]),
        ("old=1979", ["new"]),
        ("old=1979&new=1999", ["new"]),
        ("old=1850&new=1999", ["old", "new"]),
        ("old=1979&new=2024&changes_only=perhaps", ["changes_only"]),
    ],
)
def test_a_bad_diff_request_is_a_400(
    corpus: Any, dana_client: Client, query: str, fields: list[str]
) -> None:
    response = dana_client.get(f"/api/agreements/sta-test/diff/?{query}")
    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == sorted(fields)
