"""Adjudicating a screening hit on its page, with the evidence in view."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import NotificationOutbox, ProposalEvent, ScreeningHit
from tests.reviews.factories import footprint, proposal_in

from .view_helpers import as_user, fresh, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def hit(people: Any) -> ScreeningHit:
    proposal = proposal_in("screening", **people)
    return ScreeningHit.objects.pending().get(run__proposal=proposal)


def url(hit: ScreeningHit) -> str:
    return f"/reviews/hits/{hit.pk}/"


def test_the_hit_page_shows_the_list_entry_score_and_import_date(
    hit: ScreeningHit, charlie: Any
) -> None:
    response = as_user(charlie).get(url(hit))
    assert response.status_code == 200
    page = text(response)
    assert "Screened name Harbin Institute of Technology (Weihai)" in page
    assert "Matched name Harbin Institute of Technology" in page
    assert f"Score {hit.score:.1f} out of 100" in page
    assert "Entity List (EL) - Bureau of Industry and Security, entry EL-2" in page
    assert f"List imported {hit.list_imported_at:%-d %B %Y}" in page
    assert "Your ruling" in page


def test_a_cet_hit_shows_the_category_terms_and_edition(people: Any, charlie: Any) -> None:
    proposal = proposal_in(
        "screening", **people, summary="We train a machine learning model on sediment cores."
    )
    hit = ScreeningHit.objects.pending().get(run__proposal=proposal, kind="cet")
    page = text(as_user(charlie).get(url(hit)))
    assert "CET category Artificial Intelligence" in page
    assert "List edition 2024" in page
    assert "Matched terms machine learning" in page


def test_the_security_reviewer_rules_the_last_hit_and_review_begins(
    hit: ScreeningHit, charlie: Any
) -> None:
    proposal = hit.run.proposal
    response = as_user(charlie).post(
        url(hit), {"adjudication": "false_positive", "reason": "A different campus"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/proposals/{proposal.pk}/"
    hit = ScreeningHit.objects.get(pk=hit.pk)
    assert (hit.adjudication, hit.adjudicated_by, hit.adjudication_reason) == (
        "false_positive",
        charlie,
        "A different campus",
    )
    assert hit.history.latest("history_id").history_change_reason == "A different campus"
    assert fresh(proposal).state == "in_review"
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "adjudicate_last",
        "screening",
        "in_review",
        charlie,
    )
    assert NotificationOutbox.objects.filter(kind="entered_review", proposal=proposal).exists()


def test_with_hits_left_the_next_one_opens(people: Any, charlie: Any) -> None:
    proposal = proposal_in(
        "screening", **people, summary="We train a machine learning model on sediment cores."
    )
    first, second = ScreeningHit.objects.pending().filter(run__proposal=proposal).order_by("pk")
    response = as_user(charlie).post(url(first), {"adjudication": "true_match", "reason": "Yes"})
    assert response["Location"] == url(second)
    assert fresh(proposal).state == "screening"


def test_a_ruling_without_a_choice_or_reason_is_refused_and_nothing_is_written(
    hit: ScreeningHit, charlie: Any
) -> None:
    before = footprint()
    response = as_user(charlie).post(url(hit), {"adjudication": "", "reason": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Rule the hit a true match or a false positive." in page
    assert "Give a reason; it is recorded with your name." in page
    assert footprint() == before


@pytest.mark.parametrize("persona", ["bob", "erin"])
def test_reviewers_and_administrators_see_the_evidence_but_cannot_rule(
    persona: str, request: pytest.FixtureRequest, hit: ScreeningHit
) -> None:
    client = as_user(request.getfixturevalue(persona))
    page = client.get(url(hit))
    assert page.status_code == 200
    assert "Your ruling" not in text(page)
    before = footprint()
    response = client.post(url(hit), {"adjudication": "false_positive", "reason": "Mine"})
    assert response.status_code == 403
    assert "Only a security reviewer can adjudicate" in text(response)
    assert footprint() == before


def test_the_submitter_cannot_see_the_evidence_and_others_get_a_404(
    hit: ScreeningHit, alice: Any, frank: Any, dana: Any
) -> None:
    assert as_user(alice).get(url(hit)).status_code == 403
    assert (
        as_user(alice)
        .post(url(hit), {"adjudication": "false_positive", "reason": "Mine"})
        .status_code
        == 403
    )
    assert as_user(frank).get(url(hit)).status_code == 404
    assert as_user(dana).get(url(hit)).status_code == 404
    assert ScreeningHit.objects.get(pk=hit.pk).adjudication == ""


def test_a_hit_already_ruled_cannot_be_ruled_again(hit: ScreeningHit, charlie: Any) -> None:
    client = as_user(charlie)
    client.post(url(hit), {"adjudication": "false_positive", "reason": "First"})
    before = footprint()
    response = client.post(url(hit), {"adjudication": "true_match", "reason": "Second"})
    assert response.status_code == 409
    assert ScreeningHit.objects.get(pk=hit.pk).adjudication_reason == "First"
    assert footprint() == before


def test_a_hit_of_an_earlier_run_cannot_be_ruled(hit: ScreeningHit, charlie: Any, bob: Any) -> None:
    from tests.reviews.factories import screen

    screen(hit.run.proposal)
    before = footprint()
    response = as_user(charlie).post(url(hit), {"adjudication": "true_match", "reason": "Late"})
    assert response.status_code == 409
    assert "earlier screening run" in text(response)
    assert footprint() == before
