from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import InvalidInput, PermissionRefused
from reviews.models import PartnerPerson, Proposal, ProposalEvent
from reviews.services import InstitutionInput, PersonInput, proposal_create
from tests.reviews.factories import clause, content, footprint

pytestmark = pytest.mark.django_db


def test_a_submitter_creates_a_draft_with_partners_and_cited_clauses(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_create(content=content(sta), acting_user=alice, reason="First draft")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.round, proposal.submitter) == ("draft", 1, alice)
    assert proposal.funding_amount == Decimal("250000.00")
    assert [i.name for i in proposal.institutions.all()] == [
        "Institute of Geographic Sciences and Natural Resources"
    ]
    person = PartnerPerson.objects.get(proposal=proposal)
    assert (person.name, person.institution.name) == (
        "Li Hua",
        "Institute of Geographic Sciences and Natural Resources",
    )
    assert list(proposal.cited_clauses.all()) == [clause(sta, "art_1")]


def test_creating_writes_history_with_user_and_reason_but_no_event(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_create(content=content(sta), acting_user=alice, reason="First draft")
    rows = list(proposal.history.order_by("history_id"))
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in rows] == [
        ("+", alice, "First draft"),
        ("~", alice, "First draft"),
    ]
    assert [c.clause_id for c in rows[-1].cited_clauses.all()] == [clause(sta, "art_1").pk]
    institution = proposal.institutions.get()
    assert institution.history.get().history_user == alice
    assert not ProposalEvent.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "erin", "nobody"])
def test_people_without_the_submitter_role_cannot_create(
    persona: str, request: pytest.FixtureRequest, sta: Version
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionRefused, match="Only submitters can create proposals"):
        proposal_create(content=content(sta), acting_user=user, reason="Try")
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the proposal a title."),
        ({"title": "x" * 301}, "title", "At most 300 characters."),
        ({"end_date": dt.date(2025, 3, 1)}, "end_date", "The project must end after it starts."),
        ({"funding_amount": Decimal("-1")}, "funding_amount", "Funding cannot be negative."),
        (
            {"institutions": (InstitutionInput("Lab A"), InstitutionInput("lab a"))},
            "institutions",
            "A partner institution is listed twice.",
        ),
        (
            {"institutions": (InstitutionInput(" "),), "people": ()},
            "institutions",
            "Every partner institution needs a name, in English or in Chinese.",
        ),
        (
            {"people": (PersonInput("Li Hua", institution="Elsewhere"),)},
            "people",
            "Li Hua's institution “Elsewhere” is not among the partner institutions.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_for_the_field_and_nothing_is_written(
    alice: Any, sta: Version, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        proposal_create(content=content(sta, **overrides), acting_user=alice, reason="Draft")
    assert caught.value.errors[field] == [message]
    assert not Proposal.objects.exists()


def test_a_clause_of_a_version_no_longer_in_force_cannot_be_cited(alice: Any, sta: Version) -> None:
    old = Version.objects.get(label="1979").clauses.get(key="art_1")
    with pytest.raises(InvalidInput, match="Cite clauses of the version of the agreement in force"):
        proposal_create(
            content=content(sta, cited_clause_ids=(old.pk,)), acting_user=alice, reason="Draft"
        )
    assert footprint()["proposal history"] == 0


def test_a_repealed_placeholder_cannot_be_cited(alice: Any, sta: Version) -> None:
    repealed = clause(sta, "art_2")
    assert repealed.change == "repealed"
    with pytest.raises(InvalidInput, match="1 of the chosen clauses are not"):
        proposal_create(
            content=content(sta, cited_clause_ids=(repealed.pk,)), acting_user=alice, reason="D"
        )
    assert not Proposal.objects.exists()


def test_a_blank_reason_is_refused(alice: Any, sta: Version) -> None:
    with pytest.raises(InvalidInput, match="Give a reason"):
        proposal_create(content=content(sta), acting_user=alice, reason=" ")
    assert not Proposal.objects.exists()


def test_a_draft_may_be_incomplete(alice: Any) -> None:
    bare = content(summary="", people=(), institutions=())
    proposal = proposal_create(content=bare, acting_user=alice, reason="Start")
    assert proposal.state == "draft"
