"""The dashboard's bars and rows lead to the work list filtered to the proposals they count."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from clauses.models import Version
from tests.reviews.factories import proposal_in

from .test_view_queue_work import titles
from .view_helpers import as_user, waited

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def bar_links(html: str) -> dict[str, list[str]]:
    """Each linked bar's label → the addresses it leads to (one per chart it is in)."""
    found: dict[str, list[str]] = {}
    for href, label in re.findall(
        r'<a class="chart-link" href="([^"]+)" aria-label="([^:]+):', html
    ):
        found.setdefault(unescape(label), []).append(unescape(href))
    return found


def test_every_bar_and_row_leads_to_the_list_of_what_it_counts(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    waited(proposal_in("in_review", title="Late review", **people), 15)
    proposal_in("in_review", title="Fresh review", **people)
    proposal_in("submitted", title="Just submitted", **people)
    proposal_in("approved", title="Approved project", **people)
    proposal_in("rejected", title="Rejected project", **people)
    proposal_in("draft", title="A draft", **people)
    client = as_user(bob)
    html = client.get("/reviews/dashboard/").content.decode()
    links = bar_links(html)
    # In review: the count, the average wait and the overdue bars.
    assert links["In review"] == [
        "/reviews/queue/work/?state=in_review",
        "/reviews/queue/work/?state=in_review",
        "/reviews/queue/work/?state=in_review&waiting=10",
    ]
    expected = {
        "/reviews/queue/work/?state=in_review": ["Fresh review", "Late review"],
        "/reviews/queue/work/?state=in_review&waiting=10": ["Late review"],
        "/reviews/queue/work/?state=submitted": ["Just submitted"],
        "/reviews/queue/work/?state=approved": ["Approved project"],
        "/reviews/queue/work/?state=any&outcome=approve": ["Approved project"],
        "/reviews/queue/work/?state=any&outcome=reject": ["Rejected project"],
        "/reviews/queue/work/?state=draft": ["A draft"],
    }
    every_link = {href for hrefs in links.values() for href in hrefs}
    assert set(expected) <= every_link
    for href, shown in expected.items():
        response = client.get(href)
        assert response.status_code == 200, href
        assert sorted(titles(response)) == shown, href
    # The state table's rows and overdue counts lead to the same lists.
    assert '<th scope="row"><a href="/reviews/queue/work/?state=approved">Approved</a></th>' in html
    assert 'href="/reviews/queue/work/?state=in_review&amp;waiting=10"><strong' in html


def test_the_counts_on_the_bars_match_the_lists_they_lead_to(people: Any, bob: Any) -> None:
    for n in range(3):
        proposal_in("in_review", title=f"Review {n}", **people)
    html = as_user(bob).get("/reviews/dashboard/").content.decode()
    assert 'aria-label="In review: 3, show the list"' in html
    listed = titles(as_user(bob).get("/reviews/queue/work/?state=in_review"))
    assert len(listed) == 3


@pytest.mark.parametrize("persona", ["dana", "erin"])
def test_people_without_the_work_list_get_the_figures_without_links(
    persona: str, people: Any, request: pytest.FixtureRequest
) -> None:
    proposal_in("in_review", **people)
    html = as_user(request.getfixturevalue(persona)).get("/reviews/dashboard/").content.decode()
    assert "/reviews/queue/work/" not in html
    assert "chart-link" not in html
