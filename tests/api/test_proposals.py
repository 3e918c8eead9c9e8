"""Proposals through the API: scoped exactly like the pages, created and edited by services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clauses.models import Version
from reviews.models import Agency, Proposal, ScientificField
from reviews.services import entries_ensure
from sta_tracker.history import save_with_history
from tests.reviews.factories import footprint, proposal_in

from .conftest import as_user, post_json, put_json

pytestmark = pytest.mark.django_db


def _draft_body(version: Version, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reason": "First draft",
        "title": "Sediment cores of the Yellow River delta",
        "summary": "Floods over three thousand years.",
        "basic_research_declared": True,
        "funding_amount": "1200.50",
        "start_date": "2025-03-01",
        "end_date": "2027-03-01",
        "institutions": [{"name": "Institute of Geographic Sciences", "city": "Beijing"}],
        "people": [{"name": "Li Hua", "institution": "Institute of Geographic Sciences"}],
        "cited_clause_ids": [version.clauses.get(key="art_1").pk],
    }
    body.update(overrides)
    return body


def test_a_submitter_sees_only_their_own_proposals(
    alice: Any, frank: Any, sta: Version, lists: Any
) -> None:
    mine = proposal_in("draft", submitter=alice, version=sta)
    theirs = proposal_in("draft", submitter=frank, version=sta)
    client = as_user(alice)
    body = client.get("/api/proposals/").json()
    assert [p["id"] for p in body["results"]] == [mine.pk]
    assert client.get(f"/api/proposals/{mine.pk}/").status_code == 200
    for suffix in ("", "events/", "decisions/", "screening/", "assessments/"):
        response = client.get(f"/api/proposals/{theirs.pk}/{suffix}")
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "not_found"


def test_reviewers_see_every_proposal_and_analysts_none(
    alice: Any, frank: Any, bob: Any, dana: Any, sta: Version, lists: Any
) -> None:
    proposal_in("draft", submitter=alice, version=sta)
    proposal_in("draft", submitter=frank, version=sta)
    assert as_user(bob).get("/api/proposals/").json()["count"] == 2
    assert as_user(dana).get("/api/proposals/").json()["count"] == 0


def test_proposals_are_refused_to_anonymous_callers(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    assert Client().get("/api/proposals/").status_code == 401
    assert Client().get(f"/api/proposals/{proposal.pk}/").status_code == 401
    assert post_json(Client(), "/api/proposals/", _draft_body(sta)).status_code == 401


def test_proposal_detail_carries_partners_clauses_events_and_next_actions(
    alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    body = as_user(alice).get(f"/api/proposals/{proposal.pk}/").json()
    assert body["state"] == "submitted"
    assert body["submitter"] == "alice"
    assert [i["name"] for i in body["institutions"]] == [
        "Institute of Geographic Sciences and Natural Resources"
    ]
    assert body["people"][0]["institution"] == (
        "Institute of Geographic Sciences and Natural Resources"
    )
    assert [c["key"] for c in body["cited_clauses"]] == ["art_1"]
    assert body["cited_clauses"][0]["url"].endswith("/versions/2024/#art_1")
    assert [(e["action"], e["actor"]) for e in body["events"]] == [("submit", "alice")]
    assert body["actions"] == ["withdraw"]
    assert as_user(bob).get(f"/api/proposals/{proposal.pk}/").json()["actions"] == ["screen"]


def test_a_submitter_creates_a_draft_through_the_service(alice: Any, sta: Version) -> None:
    response = post_json(as_user(alice), "/api/proposals/", _draft_body(sta))
    assert response.status_code == 201, response.content
    body = response.json()
    proposal = Proposal.objects.get(pk=body["id"])
    assert (proposal.state, proposal.submitter, proposal.title) == (
        "draft",
        alice,
        "Sediment cores of the Yellow River delta",
    )
    assert str(proposal.funding_amount) == "1200.50"
    assert body["people"] == [
        {"name": "Li Hua", "position": "", "institution": "Institute of Geographic Sciences"}
    ]
    latest = proposal.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (alice, "First draft")


def test_only_submitters_create_proposals(bob: Any, sta: Version) -> None:
    response = post_json(as_user(bob), "/api/proposals/", _draft_body(sta))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only submitters can create proposals."
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"reason": ""}, "reason"),
        ({"end_date": "2024-01-01"}, "end_date"),
        ({"cited_clause_ids": [987654]}, "cited_clause_ids"),
        ({"people": [{"name": "Li Hua", "institution": "Elsewhere"}]}, "people"),
        ({"start_date": "2025-02-30"}, "start_date"),
        ({"funding_amount": "a lot"}, "funding_amount"),
        ({"funding_amount": "-5"}, "funding_amount"),
        ({"title": "x" * 301}, "title"),
        ({"institutions": "one"}, "institutions"),
        ({"cited_clause_ids": ["art_1"]}, "cited_clause_ids"),
    ],
)
def test_bad_proposal_input_is_a_400_naming_the_field_and_writes_nothing(
    alice: Any, sta: Version, overrides: dict[str, Any], field: str
) -> None:
    before = footprint()
    response = post_json(as_user(alice), "/api/proposals/", _draft_body(sta, **overrides))
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert footprint() == before
    assert not Proposal.objects.exists()


def test_the_submitter_edits_a_draft_and_nobody_else_can(
    alice: Any, frank: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    url = f"/api/proposals/{proposal.pk}/"
    changed = _draft_body(sta, title="A better title", reason="Clearer")
    assert put_json(as_user(frank), url, changed).status_code == 404
    refused = put_json(as_user(bob), url, changed)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the submitter of a proposal can edit it."
    response = put_json(as_user(alice), url, changed)
    assert response.status_code == 200
    assert response.json()["title"] == "A better title"
    proposal.refresh_from_db()
    assert proposal.title == "A better title"


def test_a_submitted_proposal_cannot_be_edited(alice: Any, sta: Version, lists: Any) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    before = footprint()
    response = put_json(as_user(alice), f"/api/proposals/{proposal.pk}/", _draft_body(sta))
    assert response.status_code == 409
    assert "cannot be edited" in response.json()["detail"]
    assert footprint() == before


def test_proposals_filter_by_state_agreement_version_and_dates(
    alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    draft = proposal_in("draft", submitter=alice, version=sta)
    submitted = proposal_in("submitted", submitter=alice, version=sta)
    uncited = proposal_in("draft", submitter=alice, version=None)
    client = as_user(bob)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/proposals/?{query}")
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()["results"]}

    assert ids("state=draft") == {draft.pk, uncited.pk}
    assert ids("state=submitted") == {submitted.pk}
    assert ids(f"agreement={sta.agreement.slug}") == {draft.pk, submitted.pk}
    assert ids(f"version={sta.pk}") == {draft.pk, submitted.pk}
    assert ids("starts_after=2025-03-01") == {draft.pk, submitted.pk, uncited.pk}
    assert ids("starts_before=2025-03-01") == set()
    assert ids("updated_after=2000-01-01") == {draft.pk, submitted.pk, uncited.pk}
    assert ids("updated_before=2000-01-01") == set()


@pytest.mark.parametrize(
    "query",
    [
        "state=lost",
        "updated_after=yesterday",
        "starts_before=2025-13-01",
        "version=-1",
        "version=987654",
        "agreement=nope",
    ],
)
def test_bad_proposal_filters_are_a_400(alice: Any, query: str) -> None:
    response = as_user(alice).get(f"/api/proposals/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_agency_and_field_are_given_and_shown_by_their_list_names(alice: Any, sta: Version) -> None:
    entries_ensure(
        model=Agency, names=["National Science Foundation"], acting_user=alice, reason="T"
    )
    entries_ensure(model=ScientificField, names=["Geology"], acting_user=alice, reason="T")
    body = _draft_body(sta, us_agency="national science foundation", scientific_field="Geology")
    response = post_json(as_user(alice), "/api/proposals/", body)
    assert response.status_code == 201, response.content
    assert (response.json()["us_agency"], response.json()["scientific_field"]) == (
        "National Science Foundation",
        "Geology",
    )
    proposal = Proposal.objects.get()
    assert proposal.us_agency is not None
    assert proposal.us_agency.name == ("National Science Foundation")
    cleared = put_json(
        as_user(alice), f"/api/proposals/{proposal.pk}/", _draft_body(sta, us_agency="")
    )
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["us_agency"] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "Ministry of Magic",
            "Choose a U.S. agency from the list; “Ministry of Magic” is not on it.",
        ),
        (42, "Give the U.S. agency's name as text."),
        ("Retired Agency", "Choose a U.S. agency from the list; “Retired Agency” is not on it."),
    ],
)
def test_an_agency_not_on_the_list_is_a_400_naming_the_field_and_writes_nothing(
    alice: Any, sta: Version, value: Any, message: str
) -> None:
    (retired,) = entries_ensure(
        model=Agency, names=["Retired Agency"], acting_user=alice, reason="T"
    )
    retired.active = False
    save_with_history(retired, acting_user=alice, reason="No longer offered")
    before = footprint()
    response = post_json(as_user(alice), "/api/proposals/", _draft_body(sta, us_agency=value))
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["us_agency"] == [message]
    assert footprint() == before
    assert not Proposal.objects.exists()
