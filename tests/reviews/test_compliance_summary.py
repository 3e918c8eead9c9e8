"""The compliance summary: what it holds, in which order, and what it costs on each page."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.compliance import compliance_summary, open_conditions
from tests.reviews.factories import (
    MITIGATIONS,
    assess,
    proposal_in,
    risk_benefit_done,
    true_match_assessed,
)

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def test_it_puts_true_matches_first_with_whether_they_are_cleared(people: Any) -> None:
    proposal, match = true_match_assessed(**people, clear=True)
    summary = compliance_summary(proposal)
    assert [(m.hit, m.cleared) for m in summary.true_matches] == [(match, True)]
    assert match not in summary.other_hits
    assert summary.uncleared_matches == []
    assert summary.security is not None
    assert (summary.security.finding, summary.security.mitigations) == (
        "mitigations_required",
        MITIGATIONS,
    )
    assert summary.risk_benefit is not None
    assert len(summary.scores) == 9
    assert all(s.rationale for s in summary.scores)
    assert (summary.open_flags, summary.open_conditions) == ([], [])


def test_an_uncleared_match_is_listed_as_blocking(people: Any) -> None:
    proposal, match = true_match_assessed(**people, clear=False)
    assert compliance_summary(proposal).uncleared_matches == [match]


def test_open_conditions_are_the_lines_of_the_approval_while_it_runs(people: Any) -> None:
    proposal = proposal_in("approved_with_conditions", **people)
    assert open_conditions(proposal) == ["1. Share the data within a year. (the submitter)"]
    assert open_conditions(proposal_in("approved", **people)) == []


def test_it_costs_at_most_seven_queries_whatever_the_proposal(
    people: Any, django_assert_num_queries: Any
) -> None:
    proposal, _ = true_match_assessed(**people, clear=True)
    with django_assert_num_queries(6):
        compliance_summary(proposal)
    approved = proposal_in("approved_with_conditions", **people)
    with django_assert_num_queries(7):  # and one for the conditions of the approval
        compliance_summary(approved)


def test_both_assessment_forms_show_it_at_the_top_with_bounded_queries(
    people: Any, bob: Any, charlie: Any, django_assert_max_num_queries: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    risk_benefit_done(proposal, bob)
    for user, address in (
        (bob, f"/reviews/proposals/{proposal.pk}/assess/risk-benefit/"),
        (charlie, f"/reviews/proposals/{proposal.pk}/assess/security/"),
    ):
        client = as_user(user)
        with django_assert_max_num_queries(22):
            response = client.get(address)
        assert response.status_code == 200
        page = response.content.decode()
        assert page.index('id="compliance"') < page.index('name="reason"')
        assert "bob recommends approve" in text(response)


def test_the_proposal_page_shows_it_to_reviewers_but_not_to_the_submitter(
    people: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    address = f"/reviews/proposals/{proposal.pk}/"
    assert "Compliance summary" in text(as_user(bob).get(address))
    assert "Compliance summary" not in text(as_user(alice).get(address))
