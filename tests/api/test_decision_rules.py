"""Deciding through the API: separation of duties, the confirmation, and true matches."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import Decision, SecurityAssessment
from tests.reviews.factories import (
    MITIGATIONS,
    assess,
    footprint,
    proposal_in,
    true_match_assessed,
)

from .conftest import as_user, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def decide(user: Any, proposal: Any, **body: Any) -> Any:
    body.setdefault("reason", "Weighed both assessments")
    body.setdefault("cited_clause_ids", [c.pk for c in proposal.cited_clauses.all()])
    return post_json(as_user(user), f"/api/proposals/{proposal.pk}/decide/", body)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (
            "bob",
            "You wrote the risk–benefit assessment of this proposal; another reviewer must "
            "decide it.",
        ),
        (
            "grace",
            "You made the national-security assessment of this proposal; another reviewer must "
            "decide it.",
        ),
    ],
)
def test_an_assessor_cannot_decide_through_the_api(
    who: str, message: str, request: pytest.FixtureRequest, people: Any, bob: Any, grace: Any
) -> None:
    security = grace if who == "grace" else people["security"]
    proposal = assess(proposal_in("in_review", **{**people, "security": security}), bob, security)
    before = footprint()
    response = decide(request.getfixturevalue(who), proposal, outcome="approve", confirm=True)
    assert response.status_code == 403
    assert response.json()["detail"] == message
    assert footprint() == before


@pytest.mark.parametrize("outcome", ["approve", "approve_with_conditions", "reject"])
def test_a_final_decision_needs_confirm_true(
    outcome: str, people: Any, bob: Any, charlie: Any, judy: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    before = footprint()
    # Only an approval with conditions has conditions.
    extra = {"conditions": "C."} if outcome == "approve_with_conditions" else {}
    response = decide(judy, proposal, outcome=outcome, **extra)
    assert response.status_code == 400
    assert response.json()["fields"]["confirm"] == [
        'A decision cannot be changed once recorded; send "confirm": true to record it.'
    ]
    assert footprint() == before
    confirmed = decide(judy, proposal, outcome=outcome, confirm=True, **extra)
    assert confirmed.status_code == 200, confirmed.content


def test_a_return_needs_no_confirmation(people: Any, bob: Any, charlie: Any, judy: Any) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    response = decide(judy, proposal, outcome="return", questions="Which cores?")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "returned"


def test_an_uncleared_true_match_cannot_be_approved(people: Any, judy: Any) -> None:
    proposal, match = true_match_assessed(**people, clear=False)
    before = footprint()
    response = decide(
        judy,
        proposal,
        outcome="approve_with_conditions",
        conditions="Mitigate.",
        confirm=True,
        confirmed_match_ids=[match.pk],
    )
    assert response.status_code == 409
    assert response.json()["code"] == "refused_by_policy"
    assert "does not clear it with mitigations" in response.json()["detail"]
    assert footprint() == before


def test_a_cleared_true_match_must_be_named_to_approve(people: Any, judy: Any) -> None:
    proposal, match = true_match_assessed(**people, clear=True)
    body = {"outcome": "approve_with_conditions", "conditions": MITIGATIONS, "confirm": True}
    before = footprint()
    response = decide(judy, proposal, **body)
    assert response.status_code == 400
    (message,) = response.json()["fields"]["confirmed_match_ids"]
    assert message.startswith("Confirm each true restricted-party match the approval accepts: ")
    assert "Harbin Institute of Technology" in message
    assert footprint() == before
    response = decide(judy, proposal, **body, confirmed_match_ids=[match.pk])
    assert response.status_code == 200, response.content
    assert Decision.objects.get().outcome == "approve_with_conditions"


def test_the_security_assessment_clears_only_true_matches_with_mitigations(
    people: Any, charlie: Any
) -> None:
    proposal, match = true_match_assessed(**people, clear=False)
    url = f"/api/proposals/{proposal.pk}/assess-security/"
    body = {
        "cet_involvement": "none",
        "finding": "no_concerns",
        "rationale": "Open research.",
        "reason": "Revised",
        "cleared_hit_ids": [match.pk],
    }
    response = post_json(as_user(charlie), url, body)
    assert response.status_code == 400
    assert "cleared only with mitigations" in response.json()["fields"]["cleared_hit_ids"][0]
    response = post_json(as_user(charlie), url, {**body, "cleared_hit_ids": [match.pk + 999]})
    assert response.status_code == 400
    assert "Only true restricted-party matches" in response.json()["fields"]["cleared_hit_ids"][0]
    assert SecurityAssessment.objects.get().cleared_matches == []
    response = post_json(
        as_user(charlie),
        url,
        {**body, "finding": "mitigations_required", "mitigations": MITIGATIONS},
    )
    assert response.status_code == 200, response.content
    assert SecurityAssessment.objects.get().cleared_matches == [match.fingerprint]
    listed = as_user(charlie).get(f"/api/proposals/{proposal.pk}/assessments/").json()
    assert [a["cleared_matches"] for a in listed["security"]] == [[match.fingerprint]]
