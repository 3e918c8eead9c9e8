"""A partner institution's country: a code the list does not hold is refused, on the form and
by the service, with a message naming it, and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from clauses.models import Version
from reviews import services
from reviews.errors import InvalidInput
from reviews.models import PartnerInstitution, Proposal
from tests.reviews.factories import content, footprint, proposal_in

from .view_helpers import as_user, draft_data, fresh, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["XX", "cn", "China", "CHN"])
def test_the_form_refuses_a_country_not_on_the_list(code: str, alice: Any, sta: Version) -> None:
    before = footprint()
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(**{"institutions-0-country": code})
    )
    assert response.status_code == 400
    assert f"Select a valid choice. {code} is not one of the available choices." in text(response)
    assert not Proposal.objects.exists()
    assert footprint() == before


def test_the_form_keeps_a_country_on_the_list(alice: Any, sta: Version) -> None:
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(**{"institutions-0-country": "CN"})
    )
    assert response.status_code == 302
    assert PartnerInstitution.objects.get().country == "CN"


def test_editing_a_draft_refuses_a_bad_country_and_keeps_the_old_one(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    kept = list(proposal.institutions.values_list("name", "country"))
    before = footprint()
    response = as_user(alice).post(
        f"/reviews/proposals/{proposal.pk}/edit/",
        draft_data(**{"institutions-0-country": "ZZ", "reason": "Country"}),
    )
    assert response.status_code == 400
    assert "ZZ is not one of the available choices" in text(response)
    assert list(fresh(proposal).institutions.values_list("name", "country")) == kept
    assert footprint() == before


@pytest.mark.parametrize("code", ["XX", "CHN", "1A", "cn", "Cn"])
def test_the_service_refuses_a_code_the_list_does_not_hold(
    code: str, alice: Any, sta: Version
) -> None:
    draft = content(sta)
    bad = (replace(draft.institutions[0], country=code), *draft.institutions[1:])
    before = footprint()
    with pytest.raises(InvalidInput) as refused:
        services.proposal_create(
            content=content(sta, institutions=bad), acting_user=alice, reason="First draft"
        )
    # A code too long is also told its length; every bad code is told it is not one, in the
    # words the form's neighbour, the API, uses.
    said = f"The country “{code}” is not an ISO 3166 two-letter country code in capitals, "
    assert said + "such as “CN”." in refused.value.errors["institutions"]
    assert not Proposal.objects.exists()
    assert footprint() == before


def test_the_service_takes_a_listed_code_with_spaces_around_it(alice: Any, sta: Version) -> None:
    draft = content(sta)
    spaced = (replace(draft.institutions[0], country=" CN "), *draft.institutions[1:])
    proposal = services.proposal_create(
        content=content(sta, institutions=spaced), acting_user=alice, reason="First draft"
    )
    assert proposal.institutions.get(order=0).country == "CN"
