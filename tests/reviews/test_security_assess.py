from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews.errors import InvalidInput, NotReady, PermissionRefused, TransitionNotAllowed
from reviews.models import ProposalEvent, ScreeningRun, SecurityAssessment
from reviews.services import (
    risk_benefit_assess,
    screening_list_import,
    screening_run,
    security_assess,
)
from tests.reviews.factories import LISTED, csl_csv, footprint, proposal_in, scores

pytestmark = pytest.mark.django_db


def _assess(proposal: Any, user: Any, **kwargs: Any) -> SecurityAssessment:
    fields: dict[str, Any] = {
        "cet_involvement": "none",
        "finding": "no_concerns",
        "rationale": "No listed partners.",
        "reason": "Assessed",
    }
    fields.update(kwargs)
    return security_assess(proposal=proposal, acting_user=user, **fields)


@pytest.fixture
def in_review(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Any:
    return proposal_in("in_review", submitter=alice, reviewer=bob, security=charlie, version=sta)


def test_a_security_reviewer_records_a_finding_on_the_adjudicated_run(
    in_review: Any, charlie: Any
) -> None:
    assessment = _assess(
        in_review,
        charlie,
        cet_involvement="adjacent",
        finding="mitigations_required",
        mitigations="No raw data leaves the US.",
    )
    assert (assessment.finding, assessment.cet_involvement, assessment.mitigations) == (
        "mitigations_required",
        "adjacent",
        "No raw data leaves the US.",
    )
    assert assessment.screening_run == ScreeningRun.objects.get(is_current=True)
    assert assessment.adjudications_complete
    event = ProposalEvent.objects.filter(proposal=in_review).latest("pk")
    assert (event.action, event.actor) == ("assess_security", charlie)
    (record,) = assessment.history.all()
    assert (record.history_user, record.history_change_reason) == (charlie, "Assessed")


def test_open_screening_hits_must_be_adjudicated_first(in_review: Any, charlie: Any) -> None:
    # A new list names the partner researcher while the proposal is already in review.
    listed = {"source": "SDN", "type": "Individual", "name": "LI, Hua"}
    screening_list_import(
        file_name="new.csv",
        data=csl_csv(*LISTED, listed),
        acting_user=system_user(),
        reason="New list",
    )
    screening_run(proposal=in_review, acting_user=system_user(), reason="New list")
    before = footprint()
    with pytest.raises(NotReady, match="1 screening hit still awaits adjudication"):
        _assess(in_review, charlie)
    assert footprint() == before


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"cet_involvement": "some"}, "cet_involvement", "Say how far the project involves CET"),
        ({"finding": "fine"}, "finding", "Give a finding."),
        ({"rationale": ""}, "rationale", "Explain the finding."),
        (
            {"finding": "mitigations_required"},
            "mitigations",
            "Name the mitigations the finding requires.",
        ),
        (
            {"cet_involvement": "direct"},
            "finding",
            "Direct involvement of a critical or emerging technology is outside the agreement's",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    in_review: Any, charlie: Any, kwargs: dict[str, str], field: str, message: str
) -> None:
    before = footprint()
    with pytest.raises(InvalidInput) as caught:
        _assess(in_review, charlie, **kwargs)
    assert caught.value.errors[field][0].startswith(message)
    assert footprint() == before


def test_direct_cet_involvement_with_an_unacceptable_finding_is_recorded(
    in_review: Any, charlie: Any
) -> None:
    assert _assess(in_review, charlie, cet_involvement="direct", finding="unacceptable").pk


@pytest.mark.parametrize("persona", ["alice", "bob", "dana", "erin", "nobody"])
def test_only_security_reviewers_make_the_security_assessment(
    persona: str, request: pytest.FixtureRequest, in_review: Any
) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only a security reviewer can make"):
        _assess(in_review, request.getfixturevalue(persona))
    assert footprint() == before


def test_the_risk_benefit_assessor_cannot_also_make_the_security_assessment(
    in_review: Any, grace: Any
) -> None:
    risk_benefit_assess(
        proposal=in_review,
        scores=scores(),
        recommendation="approve",
        summary="Fine.",
        acting_user=grace,
        reason="Assessed",
    )
    before = footprint()
    with pytest.raises(
        PermissionRefused,
        match=(
            "You wrote the risk–benefit assessment of this proposal; another security "
            "reviewer must make its national-security assessment"
        ),
    ):
        _assess(in_review, grace)
    assert footprint() == before


@pytest.mark.parametrize("state", ["submitted", "screening", "rejected"])
def test_only_proposals_in_review_are_assessed(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    with pytest.raises(TransitionNotAllowed, match="assess national security"):
        _assess(proposal, charlie)
