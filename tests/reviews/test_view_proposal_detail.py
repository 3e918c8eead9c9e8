"""The proposal page: who may see it, what each person sees, and the buttons they get."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clauses.models import Version
from reviews.models import Proposal
from tests.reviews.factories import LISTED_PARTNER, content, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def url(proposal: Proposal) -> str:
    return f"/reviews/proposals/{proposal.pk}/"


def buttons(response: Any) -> list[str]:
    block = re.search(r'<div class="actions"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    if block is None:
        return []
    return re.findall(r"<a [^>]*>([^<]+)</a>", block.group(1))


def test_the_submitter_reads_every_field_of_their_draft(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    page = text(as_user(alice).get(url(proposal)))
    for expected in (
        content().values["title"],
        "Scientific field Geology",
        "U.S. agency U.S. Geological Survey",
        "Principal investigator Dr. Ruth Miller",
        "Declared basic research Yes",
        "Grain-size measurements",
        "Funding (USD) US$250,000.00",
        "Start date 1 March 2025 End date 1 March 2027",
        "Institute of Geographic Sciences and Natural Resources",
        "Li Hua",
        "Article 1",
        "Screening runs when you submit the proposal.",
    ):
        assert expected in page, expected


def test_another_submitter_gets_a_404(alice: Any, frank: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    assert as_user(frank).get(url(proposal)).status_code == 404


@pytest.mark.parametrize("persona", ["dana", "nobody"])
def test_analysts_and_people_without_a_role_get_a_404(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    assert as_user(request.getfixturevalue(persona)).get(url(proposal)).status_code == 404


def test_a_missing_proposal_is_a_404(alice: Any) -> None:
    assert as_user(alice).get("/reviews/proposals/424242/").status_code == 404


def test_the_submitter_gets_edit_submit_and_withdraw_on_a_draft(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    assert buttons(as_user(alice).get(url(proposal))) == ["Edit", "Submit for review", "Withdraw"]


def test_reviewers_get_no_buttons_on_a_draft(alice: Any, bob: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    assert buttons(as_user(bob).get(url(proposal))) == []


def test_buttons_for_each_role_on_a_proposal_in_review(
    people: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    proposal = proposal_in("in_review", **people)
    assert buttons(as_user(alice).get(url(proposal))) == ["Withdraw"]
    assert buttons(as_user(bob).get(url(proposal))) == [
        "Assess risks and benefits",
        "Record the decision",
        "Return for changes",
    ]
    assert buttons(as_user(charlie).get(url(proposal))) == ["National-security assessment"]


def test_an_assessor_is_offered_to_revise_their_own_assessment(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    from tests.reviews.factories import risk_benefit_done

    risk_benefit_done(proposal, bob)
    assert "Revise your risk–benefit assessment" in buttons(as_user(bob).get(url(proposal)))


def test_buttons_on_an_approved_project(people: Any, alice: Any, bob: Any) -> None:
    proposal = proposal_in("approved", **people)
    assert buttons(as_user(alice).get(url(proposal))) == []
    assert buttons(as_user(bob).get(url(proposal))) == ["Suspend", "Terminate"]


def test_the_submitter_sees_a_screening_summary_but_not_the_evidence(
    people: Any, alice: Any, charlie: Any
) -> None:
    proposal = proposal_in("screening", **people)
    mine = text(as_user(alice).get(url(proposal)))
    assert "1 potential issue found, 1 still with the security reviewers" in mine
    assert "Entity List" not in mine
    assert "Assessments" not in mine
    staff = text(as_user(charlie).get(url(proposal)))
    assert "Harbin Institute of Technology" in staff
    assert "Entity List (EL) - Bureau of Industry and Security" in staff
    assert "list imported" in staff
    assert "Adjudicate screening hits (1)" in buttons(as_user(charlie).get(url(proposal)))


def test_reviewers_questions_are_shown_to_the_submitter_on_return(people: Any, alice: Any) -> None:
    proposal = proposal_in("returned", **people)
    page = text(as_user(alice).get(url(proposal)))
    assert "The reviewers' questions Which cores?" in page
    assert buttons(as_user(alice).get(url(proposal))) == ["Edit", "Resubmit", "Withdraw"]


def test_the_decision_and_the_timeline_are_shown(people: Any, alice: Any) -> None:
    proposal = proposal_in("approved_with_conditions", **people)
    page = text(as_user(alice).get(url(proposal)))
    assert "Approve with conditions — round 1" in page
    assert "Share the data within a year." in page
    assert "A recorded decision cannot be changed." in page
    assert "In review → Approved with conditions" in page
    assert "Draft → Submitted alice Ready" in page


def test_the_assessments_are_shown_to_review_staff(people: Any, bob: Any) -> None:
    proposal = proposal_in("approved", **people)
    page = text(as_user(bob).get(url(proposal)))
    assert "Risk–benefit assessment, round 1" in page
    assert "Scientific merit 3 Scientific merit: reasoned." in page
    assert "National-security assessment, round 1" in page
    assert "No concerns" in page


def test_the_history_names_who_and_why(people: Any, alice: Any) -> None:
    proposal = proposal_in("submitted", **people)
    page = text(as_user(alice).get(url(proposal)))
    assert "alice Changed Submitted Ready" in page
    assert "alice Created Draft First draft" in page


@pytest.mark.parametrize("partners", [1, 30])
def test_the_page_costs_the_same_queries_however_large_the_proposal(
    partners: int, people: Any, bob: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    from reviews.services import InstitutionInput, PersonInput, proposal_update

    proposal = proposal_in("draft", **people)
    names = [f"Partner institute {n}" for n in range(partners)]
    proposal_update(
        proposal=proposal,
        content=content(
            people["version"],
            institutions=(*(InstitutionInput(name=n) for n in names), LISTED_PARTNER),
            people=tuple(
                PersonInput(name=f"Person {n}", institution=names[0]) for n in range(partners)
            ),
        ),
        acting_user=alice,
        reason="More partners",
    )
    from tests.reviews.factories import adjudicate_all, assess, screen, submit

    proposal = adjudicate_all(screen(submit(proposal)), people["security"])
    proposal = assess(proposal, bob, people["security"])
    for user in (alice, bob):
        client = as_user(user)
        client.get(url(proposal))  # the first request of a session renews it (a write)
        # 24 before the compliance summary, which costs seven queries of its own (staff only).
        with django_assert_max_num_queries(31):
            assert client.get(url(proposal)).status_code == 200
