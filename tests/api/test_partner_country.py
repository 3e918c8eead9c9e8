"""A partner institution's country through the API: a code the list does not hold is refused
with the field named, and nothing is written; a good one is shown with its name."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import PartnerInstitution, Proposal
from tests.reviews.factories import footprint, proposal_in

from .conftest import as_user, post_json, put_json

pytestmark = pytest.mark.django_db


def _body(version: Version, country: Any) -> dict[str, Any]:
    return {
        "reason": "First draft",
        "title": "Sediment cores of the Yellow River delta",
        "institutions": [
            {"name": "Institute of Geographic Sciences", "city": "Beijing", "country": country}
        ],
        "cited_clause_ids": [version.clauses.get(key="art_1").pk],
    }


@pytest.mark.parametrize("country", ["XX", "cn", "CHN", "China", 86, None])
def test_a_country_not_on_the_list_is_refused_and_nothing_is_written(
    country: Any, alice: Any, sta: Version, lists: Any
) -> None:
    before = footprint()
    response = post_json(as_user(alice), "/api/proposals/", _body(sta, country))
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    expected = (
        "Give the country as an ISO 3166 two-letter code, or leave it out."
        if country is None
        else f"The country “{country}” is not an ISO 3166 two-letter country code in capitals, "
        "such as “CN”."
    )
    assert error["fields"]["institutions"] == [expected]
    assert not Proposal.objects.exists()
    assert footprint() == before


def test_editing_with_a_bad_country_keeps_the_old_partners(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    kept = list(proposal.institutions.values_list("name", "country"))
    before = footprint()
    body = {**_body(sta, "ZZ"), "reason": "Country"}
    response = put_json(as_user(alice), f"/api/proposals/{proposal.pk}/", body)
    assert response.status_code == 400
    assert response.json()["fields"]["institutions"] == [
        "The country “ZZ” is not an ISO 3166 two-letter country code in capitals, such as “CN”."
    ]
    assert list(proposal.institutions.values_list("name", "country")) == kept
    assert footprint() == before


def test_a_country_on_the_list_is_kept_and_shown_with_its_name(
    alice: Any, sta: Version, lists: Any
) -> None:
    response = post_json(as_user(alice), "/api/proposals/", _body(sta, "CN"))
    assert response.status_code == 201
    [institution] = response.json()["institutions"]
    assert (institution["country"], institution["country_name"]) == ("CN", "China")
    assert PartnerInstitution.objects.get().country == "CN"
