"""Bad input at the boundaries answers a clear 400 and writes nothing, never a 500: over-long
partner fields, too many partners, NUL characters; bidi controls are stripped from text."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from clauses.models import Version
from reviews.models import PartnerInstitution, PartnerPerson, Proposal
from reviews.services.proposals import MAX_INSTITUTIONS, MAX_PEOPLE
from tests.reviews.view_helpers import draft_data

from .conftest import as_user, post_json
from .test_proposals import _draft_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def web() -> Client:
    """A client that shows what a browser would get, instead of re-raising server errors."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"institutions": [{"name": "I" * 301}]}, "institutions"),
        ({"institutions": [{"name": "Station", "city": "C" * 121}]}, "institutions"),
        ({"institutions": [{"name": "Station", "name_local": "站" * 301}]}, "institutions"),
        ({"people": [{"name": "P" * 201}]}, "people"),
        ({"people": [{"name": "Li Hua", "position": "P" * 201}]}, "people"),
        ({"people": [{"name": "Li Hua", "institution": "I" * 301}]}, "people"),
        ({"title": "Cores\x00"}, "title"),
        ({"institutions": [{"name": "Station\x00"}]}, "institutions"),
        ({"reason": "Draft\x00"}, "reason"),
    ],
)
def test_over_long_or_nul_partner_fields_are_a_400_naming_the_field(
    alice: Any, sta: Version, web: Client, overrides: dict[str, Any], field: str
) -> None:
    web.force_login(alice)
    response = post_json(web, "/api/proposals/", _draft_body(sta, **overrides))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["fields"]
    assert not Proposal.objects.exists()
    assert not PartnerInstitution.objects.exists()


def test_thousands_of_partners_are_refused_quickly_and_nothing_is_written(
    alice: Any, sta: Version
) -> None:
    institutions = [{"name": f"Institute {n}"} for n in range(7000)]
    started = time.monotonic()
    response = post_json(
        as_user(alice), "/api/proposals/", _draft_body(sta, institutions=institutions)
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert response.json()["fields"]["institutions"] == [
        f"Ensure this field has no more than {MAX_INSTITUTIONS} elements."
    ]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("field", "item", "limit"),
    [
        ("institutions", {"name": "Institute {n}"}, MAX_INSTITUTIONS),
        ("people", {"name": "Researcher {n}"}, MAX_PEOPLE),
    ],
)
def test_the_api_takes_as_many_partners_as_the_page_and_no_more(
    alice: Any, sta: Version, field: str, item: dict[str, str], limit: int
) -> None:
    def many(count: int) -> list[dict[str, str]]:
        return [{k: v.format(n=n) for k, v in item.items()} for n in range(count)]

    body = _draft_body(sta, institutions=[], people=[])
    client = as_user(alice)
    refused = post_json(client, "/api/proposals/", {**body, field: many(limit + 1)})
    assert refused.status_code == 400
    assert field in refused.json()["fields"]
    accepted = post_json(client, "/api/proposals/", {**body, field: many(limit)})
    assert accepted.status_code == 201, accepted.content
    assert len(accepted.json()[field]) == limit


def test_the_page_refuses_more_partners_than_it_offers(alice: Any, sta: Version) -> None:
    count = MAX_INSTITUTIONS + 1
    data = draft_data(**{"institutions-TOTAL_FORMS": str(count)})
    data.update({f"institutions-{n}-name": f"Station {n}" for n in range(count)})
    response = as_user(alice).post("/reviews/proposals/new/", data)
    assert response.status_code == 400
    assert f"Please submit at most {MAX_INSTITUTIONS} forms." in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_service_refuses_too_many_partners_from_any_caller(alice: Any, sta: Version) -> None:
    from reviews.errors import InvalidInput
    from reviews.services import InstitutionInput, proposal_create
    from tests.reviews.factories import content

    partners = tuple(InstitutionInput(name=f"Institute {n}") for n in range(MAX_INSTITUTIONS + 1))
    with pytest.raises(InvalidInput) as refused:
        proposal_create(
            content=content(sta, institutions=partners, people=()),
            acting_user=alice,
            reason="Draft",
        )
    assert refused.value.errors == {
        "institutions": [f"At most {MAX_INSTITUTIONS} partner institutions; 51 were given."]
    }


def test_bidi_controls_are_stripped_from_titles_partners_and_reasons(
    alice: Any, sta: Version
) -> None:
    rlo, pdf, lri, pdi = "\u202e", "\u202c", "\u2066", "\u2069"
    body = _draft_body(
        sta,
        title=f"Cores{rlo}txt.exe{pdf}",
        reason=f"First {lri}draft{pdi}",
        institutions=[{"name": f"Institute{rlo} of Geographic Sciences"}],
        people=[{"name": f"Li{lri} Hua", "institution": "Institute of Geographic Sciences"}],
    )
    response = post_json(as_user(alice), "/api/proposals/", body)
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    assert proposal.title == "Corestxt.exe"
    assert PartnerInstitution.objects.get().name == "Institute of Geographic Sciences"
    person = PartnerPerson.objects.get()
    assert (person.name, person.institution is not None) == ("Li Hua", True)
    assert proposal.history.latest("history_id").history_change_reason == "First draft"


def test_right_to_left_marks_stay_in_text(alice: Any, sta: Version) -> None:
    title = "Cores \u05d0\u200f (2025)"
    response = post_json(as_user(alice), "/api/proposals/", _draft_body(sta, title=title))
    assert response.status_code == 201
    assert Proposal.objects.get().title == title


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/sta/clauses/%00/",
        "/agreements/sta/clauses/art_1%00/",
        "/agreements/%00/",
        "/search/?q=%00",
        "/api/clauses/?key=art%00",
        "/reviews/proposals/?q=a%00b",
    ],
)
def test_a_nul_in_an_address_is_a_400_not_a_500(web: Client, dana: Any, path: str) -> None:
    web.force_login(dana)
    response = web.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_an_address_without_nul_still_answers(client: Client, dana: Any, sta: Version) -> None:
    client.force_login(dana)
    assert client.get("/search/?q=cooperation%20100%25").status_code == 200
