"""The ledger, concerns and dispute pages, and the grounds on the suspend page."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.models import Dispute, LedgerEntry, ProjectGround, Proposal
from tests.reviews.after_factories import days_ago, open_dispute, record, refused_request
from tests.reviews.factories import footprint, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def project(people: dict[str, Any]) -> Proposal:
    return proposal_in("approved", **people)


def ledger_url(proposal: Proposal, tail: str = "") -> str:
    return f"/reviews/proposals/{proposal.pk}/ledger/{tail}"


def test_the_submitter_records_a_refused_request_and_sees_the_concern(
    project: Proposal, alice: Any
) -> None:
    client = as_user(alice)
    response = client.post(
        ledger_url(project, "record/"),
        {
            "direction": "to_partner",
            "item": "dataset",
            "description": "Borehole temperatures",
            "requested_on": days_ago(30).isoformat(),
            "channel": "Letter",
            "refused_on": days_ago(3).isoformat(),
            "refusal_reason": "Classified as state secrets",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.status, entry.recorded_by) == ("refused", alice)
    page = text(client.get(ledger_url(project)))
    assert "Data reciprocity: a concern" in page
    assert "The partner met 0% of the requests owing an answer" in page
    detail = text(client.get(f"/reviews/proposals/{project.pk}/"))
    assert "Data reciprocity: a concern" in detail


def test_bad_input_on_the_page_shows_the_error_and_writes_nothing(
    project: Proposal, alice: Any
) -> None:
    before = footprint()
    response = as_user(alice).post(
        ledger_url(project, "record/"),
        {
            "direction": "to_partner",
            "item": "dataset",
            "description": "Cores",
            "requested_on": days_ago(5).isoformat(),
            "channel": "Letter",
            "refused_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Give the reason the partner gave for refusing." in text(response)
    assert footprint() == before


def test_another_submitter_and_an_analyst_get_404_and_the_queue_is_for_staff(
    project: Proposal, frank: Any, dana: Any, alice: Any
) -> None:
    assert as_user(frank).get(ledger_url(project)).status_code == 404
    assert as_user(dana).get(ledger_url(project, "record/")).status_code == 404
    for user in (alice, dana):
        assert as_user(user).get("/reviews/reciprocity-concerns/").status_code == 403


def test_a_project_in_review_has_no_ledger_to_record_in(people: dict[str, Any], bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    assert as_user(bob).get(ledger_url(proposal, "record/")).status_code == 409


def test_a_correction_by_page_keeps_the_old_entry(project: Proposal, alice: Any) -> None:
    entry = record(project, alice)
    response = as_user(alice).post(
        ledger_url(project, f"{entry.pk}/correct/"),
        {
            "direction": entry.direction,
            "item": entry.item,
            "description": entry.description,
            "requested_on": entry.requested_on.isoformat(),
            "channel": entry.channel,
            "provided_on": days_ago(1).isoformat(),
            "reason": "It came by the portal",
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.count() == 2
    page = text(as_user(alice).get(ledger_url(project, f"{entry.pk}/")))
    assert "This entry was replaced" in page
    assert "It came by the portal" in page


@pytest.mark.parametrize("entries", [1, 8])
def test_the_ledger_page_costs_the_same_queries_for_few_or_many_entries(
    entries: int, project: Proposal, alice: Any, bob: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(entries):
        record(project, alice, description=f"Series {n}", requested_on=days_ago(n + 70))
    open_dispute(project, bob)
    for user in (alice, bob):
        client = as_user(user)
        client.get(ledger_url(project))  # the first request of a session renews it (a write)
        with django_assert_max_num_queries(10):
            assert client.get(ledger_url(project)).status_code == 200


@pytest.mark.parametrize("projects", [1, 5])
def test_the_concerns_queue_lists_projects_in_bounded_queries(
    projects: int, people: dict[str, Any], bob: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(projects):
        refused_request(proposal_in("approved", **people), bob)
    client = as_user(bob)
    client.get("/reviews/reciprocity-concerns/")
    with django_assert_max_num_queries(8):
        response = client.get("/reviews/reciprocity-concerns/")
    assert response.status_code == 200
    assert text(response).count("Open a dispute") == projects


def test_the_dashboard_shows_the_programme_indicators(
    project: Proposal, alice: Any, dana: Any
) -> None:
    refused_request(project, alice)
    page = text(as_user(dana).get("/reviews/dashboard/"))
    assert "1 running project of concern" in page
    assert "reciprocity concerns" not in page  # the queue is for reviewers


def test_a_reviewer_opens_a_dispute_and_takes_its_steps_by_page(
    project: Proposal, bob: Any, judy: Any
) -> None:
    entry = refused_request(project, bob)
    from django.utils import timezone

    from reviews.services import clauses_in_force

    clause = clauses_in_force(timezone.localdate()).get(number="Article 3")
    opened = as_user(bob).post(
        f"/reviews/proposals/{project.pk}/disputes/open/",
        {
            "ground": "reciprocity",
            "statement": "Refused the borehole data",
            "cited_clause_ids": [clause.pk],
            "evidence_entry_ids": [entry.pk],
        },
    )
    assert opened.status_code == 302
    dispute = Dispute.objects.get()
    base = f"/reviews/proposals/{project.pk}/disputes/{dispute.pk}/"
    assert as_user(bob).post(base + "hold_consultation/", {"notes": "Met"}).status_code == 302
    assert as_user(bob).get(base + "cease/").status_code == 403
    assert as_user(judy).get(base + "resolve/").status_code == 200
    assert as_user(judy).post(base + "cease/", {"notes": "No data"}).status_code == 302
    assert Proposal.objects.get(pk=project.pk).state == "suspended"
    assert ProjectGround.objects.get().dispute == dispute
    assert as_user(judy).get(base + "cease/").status_code == 409
    page = text(as_user(judy).get(base))
    assert "Cooperation ceased" in page
    assert "Article 3" in page


def test_the_dispute_page_is_bounded(
    project: Proposal, bob: Any, judy: Any, django_assert_max_num_queries: Any
) -> None:
    dispute = open_dispute(project, bob)
    client = as_user(judy)
    url = f"/reviews/proposals/{project.pk}/disputes/{dispute.pk}/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_suspending_by_page_needs_a_ground(project: Proposal, bob: Any) -> None:
    url = f"/reviews/proposals/{project.pk}/suspend/"
    page = text(as_user(bob).get(url))
    assert "A changed clause" in page
    missing = as_user(bob).post(url, {"reason": "No data", "ground_kind": "other"})
    assert missing.status_code == 400
    assert "Say what the ground is." in text(missing)
    assert Proposal.objects.get(pk=project.pk).state == "approved"
    done = as_user(bob).post(
        url, {"reason": "No data", "ground_kind": "other", "ground_detail": "Two quarters"}
    )
    assert done.status_code == 302
    ground = ProjectGround.objects.get()
    assert (ground.kind, ground.detail) == ("other", "Two quarters")
    assert ground.event.reason.startswith("Ground: other — Two quarters.")


@pytest.mark.parametrize("rounds", [1, 4])
def test_the_project_page_lists_the_grounds_at_a_bounded_cost(
    rounds: int, project: Proposal, alice: Any, bob: Any, django_assert_max_num_queries: Any
) -> None:
    from reviews.services import GroundInput, proposal_resume, proposal_suspend

    for n in range(rounds):
        proposal_suspend(
            proposal=project,
            acting_user=bob,
            reason=f"Pause {n}",
            ground=GroundInput(kind="other", detail=f"Field station closed, round {n}"),
        )
        proposal_resume(
            proposal=project,
            acting_user=bob,
            reason=f"Reopened {n}",
            ground=GroundInput(kind="other", detail=f"Field station reopened, round {n}"),
        )
    url = f"/reviews/proposals/{project.pk}/"
    client = as_user(alice)
    client.get(url)
    with django_assert_max_num_queries(34):
        response = client.get(url)
    html = response.content.decode()
    grounds = html[html.index('<section id="grounds"') :]
    grounds = grounds[: grounds.index("</section>")]
    assert grounds.count("Field station") == 2 * rounds
    assert grounds.index("closed, round 0") < grounds.index(f"reopened, round {rounds - 1}")
    assert grounds.count("<td>Other</td>") == 2 * rounds
    assert "Suspend" in grounds
    assert "Resume" in grounds
    assert ProjectGround.objects.filter(proposal=project).count() == 2 * rounds


def test_a_ground_naming_a_dispute_links_to_it_and_an_unsuspended_project_has_none(
    project: Proposal, bob: Any, judy: Any
) -> None:
    from reviews.services import dispute_step_take

    url = f"/reviews/proposals/{project.pk}/"
    assert 'id="grounds"' not in as_user(bob).get(url).content.decode()
    dispute = open_dispute(project, bob)
    dispute_step_take(dispute=dispute, action="hold_consultation", notes="Met", acting_user=bob)
    dispute_step_take(dispute=dispute, action="cease", notes="No data", acting_user=judy)
    html = as_user(bob).get(url).content.decode()
    assert 'id="grounds"' in html
    assert f'href="/reviews/proposals/{project.pk}/disputes/{dispute.pk}/"' in html
    assert "A dispute" in text(as_user(bob).get(url))
