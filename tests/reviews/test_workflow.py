from __future__ import annotations

import pytest

from reviews.workflow import (
    TRANSITIONS,
    ProposalAction,
    ProposalState,
    allowed_actions,
    next_state,
)


def test_the_happy_path_runs_from_draft_to_approved() -> None:
    path = [
        ProposalAction.SUBMIT,
        ProposalAction.SCREEN,
        ProposalAction.ADJUDICATE_LAST,
        ProposalAction.ASSESS_RISK_BENEFIT,
        ProposalAction.ASSESS_SECURITY,
        ProposalAction.APPROVE,
    ]
    state = ProposalState.DRAFT
    seen = []
    for action in path:
        moved = next_state(state, action)
        assert moved is not None, (state, action)
        state = moved
        seen.append(state)
    assert seen == ["submitted", "screening", "in_review", "in_review", "in_review", "approved"]


@pytest.mark.parametrize(
    "state", [ProposalState.REJECTED, ProposalState.WITHDRAWN, ProposalState.TERMINATED]
)
def test_final_states_allow_no_action(state: ProposalState) -> None:
    assert allowed_actions(state) == []


def test_a_decision_is_only_possible_in_review() -> None:
    for action in (ProposalAction.APPROVE, ProposalAction.REJECT):
        assert [s for (s, a) in TRANSITIONS if a == action] == [ProposalState.IN_REVIEW]


def test_approved_projects_can_be_screened_suspended_terminated_or_disputed() -> None:
    assert sorted(allowed_actions(ProposalState.APPROVED)) == [
        "adjudicate",
        "correct_exchange",
        "hold_consultation",
        "open_dispute",
        "record_briefing",
        "record_exchange",
        "record_trip",
        "report_incident",
        "resolve_dispute",
        "screen",
        "suspend",
        "terminate",
    ]


def test_resuming_returns_to_the_kind_of_approval_it_had() -> None:
    assert next_state("suspended", "resume") == ProposalState.APPROVED
    assert next_state("suspended", "resume_with_conditions") == (
        ProposalState.APPROVED_WITH_CONDITIONS
    )


def test_a_missing_pair_is_forbidden() -> None:
    assert next_state("draft", "approve") is None
    assert next_state("approved", "submit") is None
