"""The dashboard: counts per state, time in state and overdue work, as charts and tables."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clauses.models import Version
from reviews.charts import axis, bar_chart
from reviews.dashboard import dashboard_build
from reviews.models import Agency, ScientificField
from tests.reviews.after_factories import refused_request
from tests.reviews.factories import proposal_in

from .view_helpers import as_user, text, waited

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def row(page: str, label: str) -> str:
    found = re.search(rf"{re.escape(label)} ((?:[\d.]+ days?|—|\d+) ?)+", page)
    assert found is not None, label
    return found.group(0)


def test_counts_per_state_are_drawn_and_tabled(people: Any, bob: Any) -> None:
    proposal_in("draft", **people)
    proposal_in("in_review", **people)
    proposal_in("in_review", **people)
    response = as_user(bob).get("/reviews/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    # The states, and the proposals by agency and by field.
    assert html.count('<svg class="bar-chart"') == 3
    # Nobody has waited a whole day, nothing is overdue and nothing is decided yet.
    assert html.count("Nothing to show yet.") == 3
    assert '<rect class="chart-bar" x="175" y="' in html
    page = text(response)
    assert "3 proposals in all" in page
    assert "Proposals in each state as a table" in page
    assert "In review 2" in page
    assert "Draft 1" in page


def test_overdue_proposals_are_counted_and_listed_for_reviewers(
    people: Any, bob: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    late = waited(proposal_in("in_review", title="Late one", **people), 15)
    waited(proposal_in("in_review", title="On time", **people), 3)
    page = text(as_user(bob).get("/reviews/dashboard/"))
    assert "1 waiting longer than the 10-day service level" in page
    assert "In review 2 9.0 days 15 days 1" in page
    overdue = page[page.index("Overdue") :]
    assert late.title in overdue
    assert "On time" not in overdue


def test_analysts_see_the_figures_but_not_which_proposals(
    people: Any, dana: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    waited(proposal_in("in_review", title="Late one", **people), 15)
    response = as_user(dana).get("/reviews/dashboard/")
    assert response.status_code == 200
    page = text(response)
    assert "1 waiting longer than the 10-day service level" in page
    assert "Late one" not in page
    assert "Analysts see the figures only" in page


@pytest.mark.parametrize("persona", ["alice", "nobody"])
def test_submitters_and_people_without_a_role_have_no_dashboard(
    persona: str, request: pytest.FixtureRequest
) -> None:
    assert as_user(request.getfixturevalue(persona)).get("/reviews/dashboard/").status_code == 403


@pytest.mark.parametrize("count", [1, 15])
def test_the_dashboard_costs_the_same_queries_for_few_or_many(
    count: int, people: Any, bob: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(count):
        waited(proposal_in("in_review", title=f"P{n}", **people), 20)
        # Each approved project is a reciprocity concern, so the dashboard lists them.
        refused_request(proposal_in("approved", **people), bob)
    for user in (bob, dana):
        client = as_user(user)
        # One counts the proposals by state, agency and scientific field at once; two more for
        # data reciprocity: the entries in force of the running projects and the open disputes;
        # the waiting proposals give the average waits and the overdue list.
        with django_assert_max_num_queries(10):
            assert client.get("/reviews/dashboard/").status_code == 200


def test_the_axis_uses_round_whole_steps_for_counts() -> None:
    assert axis(0) == (1.0, 1.0)
    assert axis(3) == (1.0, 3.0)
    assert axis(7) == (2.0, 8.0)
    assert axis(37) == (10.0, 40.0)
    assert axis(0.4, whole=False) == (0.1, 0.4)


def test_bars_are_scaled_to_the_axis_and_labelled() -> None:
    chart = bar_chart("Per state", [("Draft", 3), ("In review", 1)])
    assert [(b.label, b.width, b.display) for b in chart.bars] == [
        ("Draft", 260.0, "3"),
        ("In review", 86.67, "1"),
    ]
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3"]
    assert chart.bars[1].y == chart.bars[0].y + 26
    assert not chart.empty
    assert bar_chart("Nothing", [("Draft", 0)]).empty


def test_days_keep_one_decimal_and_their_unit() -> None:
    chart = bar_chart("Wait", [("In review", 2.25)], unit="days", decimals=1)
    assert chart.bars[0].display == "2.2 days"


def test_proposals_are_grouped_by_agency_and_field_with_links_for_reviewers(
    people: Any, bob: Any, dana: Any, settings: Any
) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    waited(proposal_in("in_review", us_agency="NASA", scientific_field="Ecology", **people), 15)
    proposal_in("approved", us_agency="NASA", scientific_field="Botany", **people)
    proposal_in("draft", us_agency="NOAA", scientific_field="Ecology", **people)
    proposal_in("draft", us_agency="", scientific_field="", **people)
    page = text(as_user(bob).get("/reviews/dashboard/"))
    by_agency = page[page.index("By U.S. agency") : page.index("By scientific field")]
    # Name, proposals, waiting for reviewers, past the service level, approved.
    assert "NASA 2 1 1 1 NOAA 1 0 0 0 Not given yet 1 0 0 0" in by_agency
    by_field = page[page.index("By scientific field") :]
    assert "Ecology 2 1 1 0 Botany 1 0 0 1 Not given yet 1 0 0 0" in by_field

    nasa = Agency.objects.get(name="NASA")
    html = as_user(bob).get("/reviews/dashboard/").content.decode()
    assert f'<a href="/reviews/proposals/?agency={nasa.pk}">NASA</a>' in html
    listed = text(as_user(bob).get(f"/reviews/proposals/?agency={nasa.pk}"))
    assert listed.count("Flood history") == 2
    ecology = ScientificField.objects.get(name="Ecology")
    assert (
        text(as_user(bob).get(f"/reviews/proposals/?field={ecology.pk}")).count("Flood history")
        == 2
    )
    # Analysts read the figures, without the way to the proposals.
    analyst = as_user(dana).get("/reviews/dashboard/").content.decode()
    assert "NASA" in analyst
    assert "?agency=" not in analyst


def test_the_board_lists_the_overdue_proposals_longest_first(people: Any, settings: Any) -> None:
    settings.STA_REVIEW_REMINDER_DAYS = 10
    late = [waited(proposal_in("in_review", title=f"Late {n}", **people), 15 + n) for n in range(3)]
    waited(proposal_in("in_review", title="On time", **people), 3)
    board = dashboard_build()
    assert [(row.pk, row.title) for row in board.late] == [
        (late[n].pk, f"Late {n}") for n in (2, 1, 0)
    ]
    assert board.late[0].state_label == "In review"
    assert board.late[0].state_changed_at == late[2].state_changed_at
    assert board.overdue_total == len(board.late)
