"""The review queues: what each reviewer is asked to do next, sorted, filtered and paged."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clauses.models import Version
from reviews import services
from sta_tracker.roles import Role
from tests.factories import make_user
from tests.reviews.factories import flag_cited_clause, proposal_in, risk_benefit_done

from .view_helpers import as_user, text, waited

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def tabs(response: Any) -> list[tuple[str, str]]:
    nav = re.search(
        r'<nav class="tabs" aria-label="Queues">(.*?)</nav>', response.content.decode(), re.S
    )
    assert nav is not None
    return re.findall(r'>([^<]+) <span class="tab-count">(\d+)</span>', nav.group(1))


def test_the_queue_opens_on_the_first_tab_with_work(people: Any, charlie: Any) -> None:
    proposal_in("screening", **people)
    response = as_user(charlie).get("/reviews/queue/")
    assert response.status_code == 302
    assert response["Location"] == "/reviews/queue/hits/"


def test_a_reviewer_has_assessment_decision_flag_and_work_tabs(people: Any, bob: Any) -> None:
    proposal_in("in_review", title="Needs both", **people)
    response = as_user(bob).get("/reviews/queue/assessments/")
    assert tabs(response) == [
        ("Awaiting my assessment", "1"),
        ("Decisions due", "0"),
        ("Changed clauses", "0"),
        ("Overdue conditions", "0"),
        ("All open work", "1"),
    ]
    assert "Needs both" in text(response)


def test_a_security_reviewer_has_assessment_hit_and_work_tabs(people: Any, charlie: Any) -> None:
    response = as_user(charlie).get("/reviews/queue/assessments/")
    assert tabs(response) == [
        ("Awaiting my assessment", "0"),
        ("Screening hits to adjudicate", "0"),
        ("Trips without a briefing", "0"),
        ("All open work", "0"),
    ]
    assert as_user(charlie).get("/reviews/queue/decisions/").status_code == 404


@pytest.mark.parametrize("persona", ["alice", "dana", "erin", "nobody"])
def test_people_who_do_not_review_have_no_queue(
    persona: str, request: pytest.FixtureRequest
) -> None:
    response = as_user(request.getfixturevalue(persona)).get("/reviews/queue/assessments/")
    assert response.status_code == 403


def test_a_risk_benefit_assessment_made_leaves_the_reviewers_queue_but_not_security(
    people: Any, bob: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", title="Half done", **people)
    risk_benefit_done(proposal, bob)
    assert "Half done" not in text(as_user(bob).get("/reviews/queue/assessments/"))
    security_page = text(as_user(charlie).get("/reviews/queue/assessments/"))
    assert "Half done" in security_page
    assert "Done" in security_page


def test_nobody_is_asked_to_assess_their_own_proposal(people: Any, sta: Version) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    proposal_in("in_review", title="Heidi's own", **{**people, "submitter": heidi})
    assert "Heidi's own" not in text(as_user(heidi).get("/reviews/queue/assessments/"))


def test_people_with_the_same_roles_each_see_their_own_queue(people: Any, sta: Version) -> None:
    heidi = make_user("heidi", Role.REVIEWER, Role.SUBMITTER)
    kim = make_user("kim", Role.REVIEWER, Role.SUBMITTER)
    proposal_in("in_review", title="Heidi's own", **{**people, "submitter": heidi})
    proposal_in("in_review", title="Kim's own", **{**people, "submitter": kim})
    for person, own, other in (
        (heidi, "Heidi's own", "Kim's own"),
        (kim, "Kim's own", "Heidi's own"),
    ):
        response = as_user(person).get("/reviews/queue/assessments/")
        assert ("Awaiting my assessment", "1") in tabs(response)
        assert other in text(response)
        assert own not in text(response)


def test_a_person_with_both_roles_is_not_asked_for_the_second_assessment(
    people: Any, sta: Version
) -> None:
    grace = make_user("grace", Role.REVIEWER, Role.SECURITY_REVIEWER)
    proposal = proposal_in("in_review", title="Grace assessed", **people)
    risk_benefit_done(proposal, grace)
    assert "Grace assessed" not in text(as_user(grace).get("/reviews/queue/assessments/"))


def test_decisions_due_lists_proposals_with_both_assessments(
    people: Any, bob: Any, judy: Any
) -> None:
    from tests.reviews.factories import assess

    ready = proposal_in("in_review", title="Ready to decide", **people)
    assess(ready, bob, people["security"])
    proposal_in("in_review", title="Not assessed", **people)
    page = text(as_user(judy).get("/reviews/queue/decisions/"))
    assert "Ready to decide" in page
    assert "Not assessed" not in page
    assert (
        f"/reviews/proposals/{ready.pk}/decide/"
        in as_user(judy).get("/reviews/queue/decisions/").content.decode()
    )


def test_no_queue_offers_a_part_to_someone_who_played_another(
    people: Any, bob: Any, charlie: Any, grace: Any, judy: Any
) -> None:
    """Grace ruled on the hits, so she is offered neither the risk–benefit assessment nor the
    decision; Bob assessed, so he is not offered the decision; Judy is."""
    from tests.reviews.factories import LISTED_PARTNER, content, risk_benefit_done

    ruled = proposal_in(
        "in_review",
        title="Grace ruled",
        institutions=(*content().institutions, LISTED_PARTNER),
        **{**people, "security": grace},
    )
    assert "Grace ruled" in text(as_user(grace).get("/reviews/queue/assessments/"))
    services.security_assess(
        proposal=ruled,
        cet_involvement="none",
        finding="no_concerns",
        rationale="A different campus.",
        acting_user=charlie,
        reason="Assessed",
    )
    assert "Grace ruled" not in text(as_user(grace).get("/reviews/queue/assessments/"))
    risk_benefit_done(ruled, bob)
    assert "Grace ruled" not in text(as_user(grace).get("/reviews/queue/decisions/"))
    assert "Grace ruled" not in text(as_user(bob).get("/reviews/queue/decisions/"))
    assert "Grace ruled" in text(as_user(judy).get("/reviews/queue/decisions/"))


def test_the_hit_queue_shows_pending_hits_and_filters_by_kind(people: Any, charlie: Any) -> None:
    proposal_in("screening", title="Listed partner", **people)
    client = as_user(charlie)
    page = text(client.get("/reviews/queue/hits/"))
    assert "Listed partner" in page
    assert "resembles “Harbin Institute of Technology”" in page
    assert "Listed partner" not in text(client.get("/reviews/queue/hits/", {"kind": "cet"}))


def test_the_changed_clause_tab_lists_open_flags(people: Any, bob: Any, sta: Version) -> None:
    proposal = proposal_in("approved", title="Flagged project", **people)
    flag_cited_clause(proposal, sta)
    response = as_user(bob).get("/reviews/queue/flags/")
    assert ("Changed clauses", "1") in tabs(response)
    assert "Flagged project" in text(response)


def test_queues_sort_by_waiting_time_or_title(people: Any, bob: Any) -> None:
    older = proposal_in("in_review", title="B older", **people)
    proposal_in("in_review", title="A newer", **people)
    waited(older, 12)
    client = as_user(bob)
    waiting = text(client.get("/reviews/queue/assessments/"))
    assert waiting.index("B older") < waiting.index("A newer")
    assert "12 days" in waiting
    by_title = text(client.get("/reviews/queue/assessments/", {"sort": "title"}))
    assert by_title.index("A newer") < by_title.index("B older")


def test_an_unknown_tab_is_a_404(bob: Any) -> None:
    assert as_user(bob).get("/reviews/queue/everything/").status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_queues_cost_the_same_queries_for_few_or_many_items(
    count: int, people: Any, bob: Any, charlie: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(count):
        proposal_in("in_review", title=f"In review {n}", **people)
        proposal_in("screening", title=f"Screening {n}", **people)
    for user, url in (
        (bob, "/reviews/queue/assessments/"),
        (bob, "/reviews/queue/decisions/"),
        (bob, "/reviews/queue/flags/"),
        (charlie, "/reviews/queue/hits/"),
        (charlie, "/reviews/queue/assessments/"),
        (bob, "/reviews/queue/work/"),
    ):
        client = as_user(user)
        client.get(url)  # the first request of a session renews it (a write)
        # The session and the person, the tab counts (one query), the three filter lists,
        # the rows and their assignees, the people to assign; none grows with the rows.
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
