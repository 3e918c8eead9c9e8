"""Recording the decision: each outcome, what it requires, who may, that approving and
rejecting go through a confirmation page, and that a decision is final."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.utils import timezone

from clauses.models import Version
from reviews.models import Decision, NotificationOutbox, ProposalEvent
from tests.reviews.factories import (
    assess,
    footprint,
    proposal_in,
    risk_benefit_done,
    true_match_assessed,
)

from .view_helpers import as_user, fresh, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def assessed(people: Any, bob: Any, charlie: Any) -> Any:
    return assess(proposal_in("in_review", **people), bob, charlie)


def url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/decide/"


def confirm_url(proposal: Any) -> str:
    return f"/reviews/proposals/{proposal.pk}/decide/confirm/"


def decide_and_confirm(client: Any, proposal: Any, data: dict[str, Any]) -> Any:
    """Fill in the decision, then confirm it on the confirmation page."""
    first = client.post(url(proposal), data)
    assert (first.status_code, first.get("Location")) == (302, confirm_url(proposal)), text(first)
    return client.post(confirm_url(proposal), {"confirm": "on"})


def decision(
    proposal: Any,
    outcome: str,
    *,
    conditions: Sequence[tuple[str, str, str]] | str = (),
    **extra: Any,
) -> dict[str, Any]:
    """The form's fields, with ``conditions`` as (text, owner, due date) rows and an empty row;
    a text gives a row a line, the submitter's, due in a month."""
    if isinstance(conditions, str):
        conditions = [(line, "submitter", DUE) for line in conditions.splitlines()]
    rows = [*conditions, ("", "submitter", "")]
    data = {
        "outcome": outcome,
        "reason": "Weighed both assessments",
        "cited_clause_ids": [str(c.pk) for c in proposal.cited_clauses.all()],
        "conditions-TOTAL_FORMS": str(len(rows)),
        "conditions-INITIAL_FORMS": "0",
        **extra,
    }
    for n, (condition, owner, due) in enumerate(rows):
        data.update(
            {
                f"conditions-{n}-text": condition,
                f"conditions-{n}-owner": owner,
                f"conditions-{n}-due_on": due,
            }
        )
    return data


DUE = (timezone.localdate() + dt.timedelta(days=90)).isoformat()


def test_the_page_shows_both_assessments_and_preselects_the_cited_clauses(
    assessed: Any, judy: Any
) -> None:
    response = as_user(judy).get(url(assessed))
    page = text(response)
    assert "bob recommends approve" in page
    assert "No concerns (CET involvement: none) — charlie" in page
    cited = assessed.cited_clauses.get()
    assert f'value="{cited.pk}" id="id_cited_clause_ids_{cited.pk}" checked' in (
        response.content.decode()
    )


def test_a_reviewer_approves_with_conditions_and_the_submitter_sees_it(
    assessed: Any, alice: Any, judy: Any
) -> None:
    data = decision(
        assessed,
        "approve_with_conditions",
        conditions=[("Share data yearly.", "submitter", DUE), ("Audit storage.", "agency", DUE)],
    )
    response = decide_and_confirm(as_user(judy), assessed, data)
    assert response.status_code == 302
    recorded = Decision.objects.get()
    assert (recorded.outcome, recorded.conditions, recorded.decided_by, recorded.reason) == (
        "approve_with_conditions",
        f"1. Share data yearly. (the submitter, due {DUE})\n"
        f"2. Audit storage. (the agency, due {DUE})",
        judy,
        "Weighed both assessments",
    )
    assert [
        (c.number, c.text, c.owner, c.due_on.isoformat(), c.status)
        for c in recorded.condition_items.order_by("number")
    ] == [
        (1, "Share data yearly.", "submitter", DUE, "open"),
        (2, "Audit storage.", "agency", DUE, "open"),
    ]
    assert list(recorded.cited_clauses.all()) == list(assessed.cited_clauses.all())
    assert fresh(assessed).state == "approved_with_conditions"
    event = ProposalEvent.objects.filter(proposal=assessed).latest("pk")
    assert (event.action, event.actor) == ("approve_with_conditions", judy)
    mail = NotificationOutbox.objects.get(kind="decided")
    assert mail.email == "alice@example.gov"
    assert "Share data yearly." in mail.body
    page = text(as_user(alice).get(f"/reviews/proposals/{assessed.pk}/"))
    assert "Approve with conditions — round 1" in page
    assert "Share data yearly." in page


def test_approving_with_conditions_needs_the_conditions(assessed: Any, judy: Any) -> None:
    before = footprint()
    response = as_user(judy).post(url(assessed), decision(assessed, "approve_with_conditions"))
    assert response.status_code == 400
    assert "State the conditions of the approval." in text(response)
    assert footprint() == before


def test_a_condition_without_a_due_date_is_refused_beside_the_rows(
    assessed: Any, judy: Any
) -> None:
    before = footprint()
    data = decision(
        assessed, "approve_with_conditions", conditions=[("Share data yearly.", "agency", "")]
    )
    response = as_user(judy).post(url(assessed), data)
    assert response.status_code == 400
    assert "Condition 1: give the date it is due." in text(response)
    assert 'name="conditions-0-text"' in response.content.decode()
    assert footprint() == before


def test_conditions_given_with_a_plain_approval_are_refused(assessed: Any, judy: Any) -> None:
    before = footprint()
    data = decision(assessed, "approve", conditions=[("Share data yearly.", "agency", DUE)])
    response = as_user(judy).post(url(assessed), data)
    assert response.status_code == 400
    assert "Only an approval with conditions has conditions." in text(response)
    assert footprint() == before


def test_returning_needs_questions_and_sends_them_without_a_confirmation_step(
    assessed: Any, judy: Any
) -> None:
    before = footprint()
    response = as_user(judy).post(url(assessed), decision(assessed, "return"))
    assert response.status_code == 400
    assert "Say what the submitter must change or answer." in text(response)
    assert footprint() == before
    response = as_user(judy).post(url(assessed), decision(assessed, "return", questions="Why?"))
    assert (response.status_code, response["Location"]) == (
        302,
        f"/reviews/proposals/{assessed.pk}/",
    )
    assert (fresh(assessed).state, fresh(assessed).return_questions) == ("returned", "Why?")


def test_rejecting_needs_a_reason(assessed: Any, judy: Any) -> None:
    before = footprint()
    response = as_user(judy).post(url(assessed), decision(assessed, "reject", reason=""))
    assert response.status_code == 400
    assert "Give a reason; it is recorded with your name." in text(response)
    assert footprint() == before
    response = decide_and_confirm(as_user(judy), assessed, decision(assessed, "reject"))
    assert response.status_code == 302
    assert fresh(assessed).state == "rejected"


def test_an_approval_must_cite_a_clause(assessed: Any, judy: Any) -> None:
    response = as_user(judy).post(url(assessed), decision(assessed, "approve", cited_clause_ids=[]))
    assert response.status_code == 400
    assert "Cite the clauses of the agreement the approval relies on." in text(response)
    assert not Decision.objects.exists()


def test_an_unacceptable_finding_cannot_be_approved(
    people: Any, bob: Any, charlie: Any, judy: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    from reviews.services import security_assess

    security_assess(
        proposal=proposal,
        cet_involvement="direct",
        finding="unacceptable",
        rationale="Hypersonics.",
        acting_user=charlie,
        reason="Assessed",
    )
    before = footprint()
    response = as_user(judy).post(url(proposal), decision(proposal, "approve"))
    assert response.status_code == 409
    assert "The national-security finding is unacceptable" in text(response)
    assert footprint() == before


def test_a_decision_waits_for_both_assessments(people: Any, bob: Any, judy: Any) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    before = footprint()
    response = as_user(judy).post(url(proposal), decision(proposal, "approve"))
    assert response.status_code == 409
    assert "still missing: the national-security assessment" in text(response)
    assert footprint() == before


@pytest.mark.parametrize("persona", ["alice", "charlie", "erin"])
def test_only_reviewers_decide(persona: str, request: pytest.FixtureRequest, assessed: Any) -> None:
    before = footprint()
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url(assessed)).status_code == 403
    assert client.post(url(assessed), decision(assessed, "approve")).status_code == 403
    assert footprint() == before


def test_a_reviewer_cannot_decide_on_their_own_proposal(
    people: Any, bob: Any, charlie: Any, sta: Version
) -> None:
    from sta_tracker.roles import Role
    from tests.factories import make_user

    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    proposal = assess(proposal_in("in_review", **{**people, "submitter": heidi}), bob, charlie)
    before = footprint()
    response = as_user(heidi).post(url(proposal), decision(proposal, "approve"))
    assert response.status_code == 403
    assert "You submitted this proposal" in text(response)
    assert footprint() == before


def test_a_recorded_decision_cannot_be_changed(assessed: Any, judy: Any) -> None:
    client = as_user(judy)
    decide_and_confirm(client, assessed, decision(assessed, "approve"))
    before = footprint()
    assert client.get(url(assessed)).status_code == 409
    assert client.get(confirm_url(assessed)).status_code == 409
    response = client.post(url(assessed), decision(assessed, "reject"))
    assert response.status_code == 409
    assert client.post(confirm_url(assessed), {"confirm": "on"}).status_code == 409
    assert Decision.objects.get().outcome == "approve"
    assert footprint() == before


def test_a_draft_cannot_be_decided(people: Any, bob: Any) -> None:
    proposal = proposal_in("draft", **people)
    response = as_user(bob).get(url(proposal))
    assert response.status_code == 409
    assert "only proposals in review can" in text(response)


def test_approving_goes_through_a_confirmation_page_that_repeats_everything(
    assessed: Any, judy: Any
) -> None:
    client = as_user(judy)
    data = decision(
        assessed, "approve_with_conditions", conditions="Share data yearly.\nNo field trips."
    )
    before = footprint()
    response = client.post(url(assessed), data)
    assert response["Location"] == confirm_url(assessed)
    page = text(client.get(confirm_url(assessed)))
    assert footprint() == before
    assert "This decision cannot be changed once recorded." in page
    assert "Outcome Approve with conditions" in page
    assert "Conditions Share data yearly. (fulfilled by the submitter; due" in page
    assert "No field trips. (fulfilled by the submitter; due" in page
    assert "Reason Weighed both assessments" in page
    assert "STA 2024, Article 1" in page
    assert "Compliance summary" in page
    assert "bob recommends approve" in page
    assert "Record the decision: approve with conditions" in page


def test_without_the_confirmation_nothing_is_recorded(assessed: Any, judy: Any) -> None:
    client = as_user(judy)
    client.post(url(assessed), decision(assessed, "reject"))
    before = footprint()
    response = client.post(confirm_url(assessed), {})
    assert response.status_code == 400
    assert "Tick the box to confirm the decision." in text(response)
    assert footprint() == before
    assert fresh(assessed).state == "in_review"


def test_the_confirmation_page_without_a_filled_in_decision_sends_back_to_the_form(
    assessed: Any, judy: Any
) -> None:
    client = as_user(judy)
    before = footprint()
    assert client.get(confirm_url(assessed))["Location"] == url(assessed)
    assert client.post(confirm_url(assessed), {"confirm": "on"})["Location"] == url(assessed)
    assert footprint() == before


def test_changing_the_decision_keeps_what_was_filled_in(assessed: Any, judy: Any) -> None:
    client = as_user(judy)
    client.post(url(assessed), decision(assessed, "reject", reason="Out of scope entirely"))
    assert "Out of scope entirely" in client.get(url(assessed)).content.decode()


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("bob", "You wrote the risk–benefit assessment of this proposal; another reviewer"),
        ("grace", "You made the national-security assessment of this proposal; another"),
    ],
)
def test_an_assessor_holding_the_reviewer_role_cannot_decide_on_the_page(
    persona: str, message: str, request: pytest.FixtureRequest, people: Any, bob: Any
) -> None:
    security = request.getfixturevalue("grace") if persona == "grace" else people["security"]
    proposal = assess(proposal_in("in_review", **{**people, "security": security}), bob, security)
    client = as_user(request.getfixturevalue(persona))
    before = footprint()
    for response in (
        client.get(url(proposal)),
        client.post(url(proposal), decision(proposal, "approve")),
        client.get(confirm_url(proposal)),
        client.post(confirm_url(proposal), {"confirm": "on"}),
    ):
        assert response.status_code == 403
        assert message in text(response)
        assert "must decide it." in text(response)
    assert footprint() == before


def test_a_true_match_not_cleared_by_the_security_assessment_blocks_approval(
    people: Any, bob: Any, charlie: Any, judy: Any
) -> None:
    proposal, _ = true_match_assessed(**people, clear=False)
    client = as_user(judy)
    page = client.get(url(proposal)).content.decode()
    assert '<div class="alert alert-danger" role="alert">' in page
    assert "True restricted-party match" in page
    assert "not cleared: approval is blocked" in page
    before = footprint()
    data = decision(proposal, "approve_with_conditions", conditions="Mitigate.")
    response = client.post(url(proposal), data)
    assert response.status_code == 409
    assert "does not clear it with mitigations; the proposal cannot be approved" in text(response)
    assert footprint() == before
    # A rejection is still possible.
    assert decide_and_confirm(client, proposal, decision(proposal, "reject")).status_code == 302


def test_a_cleared_true_match_is_approved_only_once_the_decider_confirms_it_by_name(
    people: Any, judy: Any
) -> None:
    proposal, match = true_match_assessed(**people, clear=True)
    client = as_user(judy)
    data = decision(proposal, "approve_with_conditions", conditions="Apply the mitigations.")
    assert client.post(url(proposal), data)["Location"] == confirm_url(proposal)
    page = client.get(confirm_url(proposal)).content.decode()
    assert "cleared with mitigations by the national-security assessment" in page
    assert f'name="confirmed_match_ids" value="{match.pk}"' in page
    before = footprint()
    response = client.post(confirm_url(proposal), {"confirm": "on"})
    assert response.status_code == 400
    assert "Confirm each true restricted-party match the approval accepts" in text(response)
    assert "Harbin Institute of Technology" in text(response)
    assert footprint() == before
    response = client.post(
        confirm_url(proposal), {"confirm": "on", "confirmed_match_ids": [str(match.pk)]}
    )
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "approve_with_conditions"


def test_the_decision_pages_take_a_bounded_number_of_queries(
    people: Any, judy: Any, django_assert_max_num_queries: Any
) -> None:
    proposal, _ = true_match_assessed(**people, clear=True)
    client = as_user(judy)
    with django_assert_max_num_queries(30):
        assert client.get(url(proposal)).status_code == 200
    client.post(url(proposal), decision(proposal, "approve_with_conditions", conditions="C."))
    with django_assert_max_num_queries(30):
        assert client.get(confirm_url(proposal)).status_code == 200
