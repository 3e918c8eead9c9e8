"""My proposals and the reviewers' list of every proposal: scoping, filters, sorting, paging."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from clauses.models import Version
from reviews.models import Agency, Proposal, ScientificField
from reviews.pages import PAGE_SIZE
from tests.reviews.factories import flag_cited_clause, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


def titles(response: Any) -> list[str]:
    """The proposals the list shows, in order."""
    return re.findall(r'<a href="/reviews/proposals/\d+/">([^<]+)</a>', response.content.decode())


def test_a_submitter_sees_only_their_own_proposals(
    alice: Any, frank: Any, sta: Version, lists: Any
) -> None:
    proposal_in("draft", submitter=alice, version=sta, title="Alice's glaciers")
    proposal_in("draft", submitter=frank, version=sta, title="Frank's volcanoes")
    response = as_user(alice).get("/reviews/mine/")
    assert response.status_code == 200
    assert "Alice's glaciers" in text(response)
    assert "Frank's volcanoes" not in text(response)
    assert "New proposal" in text(response)


def test_my_proposals_filter_by_state_and_title(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    proposal_in("draft", title="Dust storms draft", **people)
    proposal_in("in_review", title="Dust storms in review", **people)
    proposal_in("in_review", title="Rivers in review", **people)
    page = text(as_user(alice).get("/reviews/mine/", {"state": "in_review", "q": "dust"}))
    assert "Dust storms in review" in page
    assert "Dust storms draft" not in page
    assert "Rivers in review" not in page


def test_sorting_by_title(alice: Any, sta: Version) -> None:
    for title in ("Beta", "Alpha", "Gamma"):
        proposal_in("draft", submitter=alice, version=sta, title=title)
    page = text(as_user(alice).get("/reviews/mine/", {"sort": "title"}))
    assert page.index("Alpha") < page.index("Beta") < page.index("Gamma")


def test_an_unknown_sort_is_ignored_not_an_error(alice: Any, sta: Version) -> None:
    proposal_in("draft", submitter=alice, version=sta, title="Alpha")
    response = as_user(alice).get("/reviews/mine/", {"sort": "password", "state": "nonsense"})
    assert response.status_code == 200
    assert "Alpha" in text(response)


def test_long_lists_are_paginated(alice: Any, sta: Version) -> None:
    for n in range(PAGE_SIZE + 2):
        proposal_in("draft", submitter=alice, version=sta, title=f"Proposal {n:02d}")
    client = as_user(alice)
    first = text(client.get("/reviews/mine/", {"sort": "title"}))
    second = text(client.get("/reviews/mine/", {"sort": "title", "page": "2"}))
    assert "Proposal 00" in first
    assert f"Proposal {PAGE_SIZE:02d}" not in first
    assert f"Proposal {PAGE_SIZE:02d}" in second
    assert "Page 2 of 2" in second
    assert "sort=title&amp;page=2" in client.get("/reviews/mine/?sort=title").content.decode()


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "erin", "nobody"])
def test_people_without_the_submitter_role_have_no_proposals_of_their_own(
    persona: str, request: pytest.FixtureRequest
) -> None:
    response = as_user(request.getfixturevalue(persona)).get("/reviews/mine/")
    assert response.status_code == 403
    assert "Only submitters" in text(response)


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/reviews/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["bob", "charlie", "erin"])
def test_review_staff_see_every_proposal(
    persona: str, request: pytest.FixtureRequest, alice: Any, frank: Any, sta: Version
) -> None:
    proposal_in("draft", submitter=alice, version=sta, title="Alice's glaciers")
    proposal_in("draft", submitter=frank, version=sta, title="Frank's volcanoes")
    page = text(as_user(request.getfixturevalue(persona)).get("/reviews/proposals/"))
    assert "Alice's glaciers" in page
    assert "Frank's volcanoes" in page
    assert "Alice" in page  # the submitter column


@pytest.mark.parametrize("persona", ["alice", "dana", "nobody"])
def test_submitters_and_analysts_do_not_get_the_full_list(
    persona: str, request: pytest.FixtureRequest
) -> None:
    response = as_user(request.getfixturevalue(persona)).get("/reviews/proposals/")
    assert response.status_code == 403


def test_the_flagged_filter_shows_only_flagged_proposals(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    flagged = proposal_in("approved", title="Flagged one", **people)
    proposal_in("approved", title="Quiet one", **people)
    flag_cited_clause(flagged, sta)
    page = text(as_user(bob).get("/reviews/proposals/", {"flagged": "on"}))
    assert "Flagged one" in page
    assert "Quiet one" not in page


def test_the_list_filters_by_agency_and_field_ids(
    alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal_in("draft", submitter=alice, version=sta, title="NASA ecology", us_agency="NASA")
    proposal_in("draft", submitter=alice, version=sta, title="USGS geology")
    proposal_in(
        "draft", submitter=alice, version=sta, title="USGS botany", scientific_field="Botany"
    )
    nasa = Agency.objects.get(name="NASA")
    botany = ScientificField.objects.get(name="Botany")
    client = as_user(bob)
    assert titles(client.get("/reviews/proposals/", {"agency": nasa.pk})) == ["NASA ecology"]
    assert titles(client.get("/reviews/proposals/", {"field": botany.pk})) == ["USGS botany"]
    page = client.get("/reviews/proposals/", {"agency": nasa.pk}).content.decode()
    assert f'<option value="{nasa.pk}" selected>NASA</option>' in page


@pytest.mark.parametrize("value", ["999999", "NASA", "abc", "²", "9" * 30])
def test_an_unknown_or_malformed_id_is_reported_and_the_other_filters_still_apply(
    value: str, alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal_in("draft", submitter=alice, version=sta, title="Dust storms", us_agency="NASA")
    proposal_in("draft", submitter=alice, version=sta, title="Rivers", us_agency="NASA")
    response = as_user(bob).get("/reviews/proposals/", {"agency": value, "q": "dust"})
    assert response.status_code == 200
    assert f"Choose a U.S. agency from the list; “{value}” is not on it." in text(response)
    assert titles(response) == ["Dust storms"]
    response = as_user(bob).get("/reviews/proposals/", {"field": value})
    assert f"Choose a scientific field from the list; “{value}” is not on it." in text(response)
    assert sorted(titles(response)) == ["Dust storms", "Rivers"]


@pytest.mark.parametrize("count", [2, 40])
def test_list_pages_cost_the_same_queries_for_few_or_many_proposals(
    count: int, alice: Any, bob: Any, sta: Version, django_assert_max_num_queries: Any
) -> None:
    for n in range(count):
        proposal_in("draft", submitter=alice, version=sta, title=f"Proposal {n}")
    assert Proposal.objects.count() == count
    for user, url in ((alice, "/reviews/mine/"), (bob, "/reviews/proposals/")):
        client = as_user(user)
        # Two of them fill the agency and scientific-field filters.
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("persona", "where"),
    [
        ("alice", "/reviews/mine/"),
        ("bob", "/reviews/queue/"),
        ("charlie", "/reviews/queue/"),
        ("dana", "/agreements/"),
        ("erin", "/import/"),
    ],
)
def test_the_reviews_address_leads_each_role_to_its_page(
    persona: str, where: str, request: pytest.FixtureRequest
) -> None:
    response = as_user(request.getfixturevalue(persona)).get("/reviews/")
    assert response.status_code == 302
    assert response["Location"] == where


def test_the_reviews_address_refuses_an_account_without_a_role(nobody: Any) -> None:
    assert as_user(nobody).get("/reviews/").status_code == 403
