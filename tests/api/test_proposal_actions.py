"""Review actions through the API: the services' rules hold, and a refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clauses.models import Version
from reviews.models import Proposal, ProposalEvent, ScreeningHit
from reviews.rubric import Criterion
from tests.reviews.factories import footprint, proposal_in, scores

from .conftest import as_user, post_json

pytestmark = pytest.mark.django_db


def act(user: Any, proposal: Proposal, action: str, **body: Any) -> Any:
    body.setdefault("reason", f"{action} by {user.get_username()}")
    # Suspending, resuming and terminating name a ground; the other actions ignore these fields.
    body.setdefault("ground", "other")
    body.setdefault("ground_detail", "No data in return")
    return post_json(as_user(user), f"/api/proposals/{proposal.pk}/{action}/", body)


def state(proposal: Proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).state


def score_list(value: int = 3) -> list[dict[str, Any]]:
    return [
        {"criterion": name, "score": given.score, "rationale": given.rationale}
        for name, given in scores(value).items()
    ]


RISK_BENEFIT = {"recommendation": "approve", "summary": "Sound science, modest risk."}
SECURITY = {"cet_involvement": "none", "finding": "no_concerns", "rationale": "Nothing sensitive."}


def test_the_submitter_submits_and_one_event_names_them(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = act(alice, proposal, "submit", reason="Ready for review")
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    event = ProposalEvent.objects.get(proposal=proposal)
    assert (event.action, event.actor, event.reason) == ("submit", alice, "Ready for review")


def test_another_submitter_gets_a_404_and_nothing_is_written(
    alice: Any, frank: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    response = act(frank, proposal, "submit")
    assert response.status_code == 404
    assert footprint() == before
    assert state(proposal) == "draft"


def test_a_reviewer_cannot_submit_someone_elses_draft(
    alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    response = act(bob, proposal, "submit")
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "Only the submitter of a proposal can submit it.",
    }
    assert footprint() == before


def test_an_action_the_state_does_not_allow_is_a_409_and_writes_nothing(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    before = footprint()
    response = act(alice, proposal, "submit")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "cannot be given the action" in response.json()["detail"]
    assert footprint() == before


@pytest.mark.parametrize("body", [{"reason": "  "}, {}, {"reason": None}, {"reason": ["ready"]}])
def test_an_action_without_a_reason_is_a_400_and_writes_nothing(
    alice: Any, sta: Version, lists: Any, body: dict[str, Any]
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    response = post_json(as_user(alice), f"/api/proposals/{proposal.pk}/submit/", body)
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert footprint() == before


def test_anonymous_actions_are_refused(alice: Any, sta: Version, lists: Any) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = post_json(Client(), f"/api/proposals/{proposal.pk}/submit/", {"reason": "x"})
    assert response.status_code == 401
    assert state(proposal) == "draft"


def test_the_submitter_withdraws_and_resubmits_after_a_return(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    returned = proposal_in("returned", submitter=alice, reviewer=bob, security=charlie, version=sta)
    response = act(alice, returned, "resubmit")
    assert response.status_code == 200
    assert response.json()["round"] == 2
    draft = proposal_in("draft", submitter=alice, version=sta)
    assert act(alice, draft, "withdraw").json()["state"] == "withdrawn"


def test_a_reviewer_returns_a_proposal_with_questions(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    before = footprint()
    missing = act(bob, proposal, "return", questions=" ")
    assert missing.status_code == 400
    assert missing.json()["fields"] == {
        "questions": ["Say what the submitter must change or answer."]
    }
    assert footprint() == before
    response = act(bob, proposal, "return", questions="Which cores?")
    assert response.status_code == 200
    assert response.json()["return_questions"] == "Which cores?"
    assert response.json()["state"] == "returned"


def test_a_reviewer_runs_screening_and_a_submitter_cannot(
    alice: Any, bob: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    before = footprint()
    assert act(alice, proposal, "screen").status_code == 403
    assert footprint() == before
    response = act(bob, proposal, "screen")
    assert response.status_code == 200
    assert response.json()["state"] in ("screening", "in_review")
    assert footprint()["runs"] == before["runs"] + 1


def test_a_security_reviewer_adjudicates_the_last_hit_and_review_begins(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("screening", submitter=alice, version=sta)
    pending = list(ScreeningHit.objects.pending().filter(run__proposal=proposal))
    assert pending
    url = f"/api/proposals/{proposal.pk}/hits/{pending[0].pk}/adjudicate/"
    before = footprint()
    refused = post_json(as_user(bob), url, {"adjudication": "false_positive", "reason": "x"})
    assert refused.status_code == 403
    bad = post_json(as_user(charlie), url, {"adjudication": "maybe", "reason": "x"})
    assert bad.status_code == 400
    assert footprint() == before
    for hit in pending:
        response = post_json(
            as_user(charlie),
            f"/api/proposals/{proposal.pk}/hits/{hit.pk}/adjudicate/",
            {"adjudication": "false_positive", "reason": "A different institute"},
        )
        assert response.status_code == 200, response.content
    assert state(proposal) == "in_review"
    again = post_json(as_user(charlie), url, {"adjudication": "true_match", "reason": "x"})
    assert again.status_code == 409


def test_a_hit_of_another_proposal_is_a_404(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    screened = proposal_in("screening", submitter=alice, version=sta)
    other = proposal_in("draft", submitter=alice, version=sta)
    hit = ScreeningHit.objects.filter(run__proposal=screened).first()
    assert hit is not None
    response = post_json(
        as_user(charlie),
        f"/api/proposals/{other.pk}/hits/{hit.pk}/adjudicate/",
        {"adjudication": "false_positive", "reason": "x"},
    )
    assert response.status_code == 404


def test_the_two_assessments_and_a_decision_through_the_api(
    alice: Any, bob: Any, charlie: Any, judy: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    early = act(judy, proposal, "decide", outcome="approve", cited_clause_ids=[], confirm=True)
    assert early.status_code in (400, 409)
    rb = act(bob, proposal, "assess-risk-benefit", scores=score_list(), **RISK_BENEFIT)
    assert rb.status_code == 200, rb.content
    sec = act(charlie, proposal, "assess-security", **SECURITY)
    assert sec.status_code == 200, sec.content
    cited = [c.pk for c in proposal.cited_clauses.all()]
    decided = act(judy, proposal, "decide", outcome="approve", cited_clause_ids=cited, confirm=True)
    assert decided.status_code == 200, decided.content
    assert decided.json()["state"] == "approved"
    decisions = as_user(alice).get(f"/api/proposals/{proposal.pk}/decisions/").json()
    assert [(d["outcome"], d["decided_by"]) for d in decisions["results"]] == [("approve", "judy")]
    assert [c["key"] for c in decisions["results"][0]["cited_clauses"]] == ["art_1"]
    before = footprint()
    again = act(judy, proposal, "decide", outcome="reject", confirm=True)
    assert again.status_code == 409
    assert footprint() == before


def test_a_decision_needs_both_assessments(
    alice: Any, bob: Any, charlie: Any, judy: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    act(bob, proposal, "assess-risk-benefit", scores=score_list(), **RISK_BENEFIT)
    before = footprint()
    response = act(judy, proposal, "decide", outcome="reject", confirm=True)
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"
    assert "national-security assessment" in response.json()["detail"]
    assert footprint() == before


def test_one_person_cannot_make_both_assessments(
    alice: Any, bob: Any, charlie: Any, grace: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    assert act(grace, proposal, "assess-security", **SECURITY).status_code == 200
    before = footprint()
    response = act(grace, proposal, "assess-risk-benefit", scores=score_list(), **RISK_BENEFIT)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You made the national-security assessment of this proposal; another reviewer must "
        "assess its risks and benefits."
    )
    assert footprint() == before


def test_a_reviewer_cannot_decide_on_their_own_proposal(
    heidi: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=heidi, reviewer=bob, security=charlie, version=sta
    )
    act(bob, proposal, "assess-risk-benefit", scores=score_list(), **RISK_BENEFIT)
    act(charlie, proposal, "assess-security", **SECURITY)
    before = footprint()
    response = act(heidi, proposal, "decide", outcome="reject", confirm=True)
    assert response.status_code == 403
    assert response.json()["detail"] == "You submitted this proposal, so you cannot decide on it."
    assert footprint() == before


def test_an_unacceptable_security_finding_cannot_be_approved(
    alice: Any, bob: Any, charlie: Any, judy: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    act(bob, proposal, "assess-risk-benefit", scores=score_list(), **RISK_BENEFIT)
    act(charlie, proposal, "assess-security", **{**SECURITY, "finding": "unacceptable"})
    cited = [c.pk for c in proposal.cited_clauses.all()]
    before = footprint()
    response = act(
        judy, proposal, "decide", outcome="approve", cited_clause_ids=cited, confirm=True
    )
    assert response.status_code == 409
    assert response.json()["code"] == "refused_by_policy"
    assert footprint() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s[:-1], Criterion.RESEARCHER_SAFETY.value),
        (lambda s: [*s, s[0]], "scores"),
        (lambda s: [{**s[0], "score": 9}, *s[1:]], Criterion.SCIENTIFIC_MERIT.value),
        (lambda s: [{**s[0], "rationale": " "}, *s[1:]], Criterion.SCIENTIFIC_MERIT.value),
        (lambda s: [{**s[0], "criterion": "luck"}, *s[1:]], "scores"),
        (lambda s: "all fives", "scores"),
    ],
)
def test_a_bad_rubric_is_a_400_and_writes_nothing(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any, change: Any, field: str
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    before = footprint()
    response = act(
        bob, proposal, "assess-risk-benefit", scores=change(score_list()), **RISK_BENEFIT
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert footprint() == before


def test_suspend_resume_and_terminate_an_approved_project(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    assert act(alice, proposal, "suspend").status_code == 403
    assert act(bob, proposal, "suspend").json()["state"] == "suspended"
    assert act(bob, proposal, "resume").json()["state"] == "approved"
    assert act(bob, proposal, "terminate").json()["state"] == "terminated"
    assert act(bob, proposal, "resume").status_code == 409


def test_screening_results_and_assessments_are_for_review_staff_only(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    for suffix in ("screening/", "assessments/"):
        refused = as_user(alice).get(f"/api/proposals/{proposal.pk}/{suffix}")
        assert refused.status_code == 403, suffix
    runs = as_user(charlie).get(f"/api/proposals/{proposal.pk}/screening/").json()
    assert runs["count"] >= 1
    assert "hits" in runs["results"][0]
    assessments = as_user(bob).get(f"/api/proposals/{proposal.pk}/assessments/").json()
    assert [a["assessor"] for a in assessments["risk_benefit"]] == ["bob"]
    assert len(assessments["risk_benefit"][0]["scores"]) == len(Criterion)
    assert [a["finding"] for a in assessments["security"]] == ["no_concerns"]
    events = as_user(alice).get(f"/api/proposals/{proposal.pk}/events/").json()
    assert events["results"][0]["action"] == "submit"
