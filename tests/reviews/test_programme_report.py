"""The programme report on the demo data: every figure checked against counts made here with
the ORM, the command's three formats and its refusals, and the page, CSV and DOCX per role."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from docx import Document

from clauses.models import TextStatus, Version
from reviews.models import (
    ConditionItem,
    Decision,
    Dispute,
    Incident,
    LedgerDirection,
    LedgerEntry,
    Proposal,
    ProposalEvent,
    ScreeningHit,
    TravelPlan,
)
from reviews.reporting import programme_report
from reviews.reporting.figures import PeriodError
from sta_tracker.roles import Role
from tests.factories import make_user

from .view_helpers import text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = (TODAY - dt.timedelta(days=365), TODAY + dt.timedelta(days=60))


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, seeded once for the module; each test's writes roll back."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            call_command("load_sta", verbosity=0)
            call_command("seed_demo", password="demo-pass-1", stdout=io.StringIO())
            yield
        finally:
            TestCase._rollback_atomics(atomics)


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def client_for(name: str) -> Client:
    client = Client()
    client.force_login(user(name))
    return client


# --- Figures against counts made here -----------------------------------------------------------


def test_proposals_decisions_and_flow_match_the_rows(demo: None) -> None:
    report = programme_report(*YEAR)
    # Everything in the demo happened inside the year, so each proposal ends it in its state.
    states = Counter(Proposal.objects.values_list("state", flat=True))
    assert {k: v for k, v in report.proposals.items() if v} == dict(states)
    outcomes = Counter(Decision.objects.values_list("outcome", flat=True))
    assert {k: v for k, v in report.decisions.items() if v} == dict(outcomes)
    actions = Counter(ProposalEvent.objects.values_list("action", flat=True))
    assert report.flow == {
        "submitted": actions["submit"],
        "resubmitted": actions["resubmit"],
        "returned": actions["return"],
        "withdrawn": actions["withdraw"],
    }
    assert report.flow["submitted"] > 0


def test_a_period_before_anything_happened_counts_nothing(demo: None) -> None:
    long_ago = programme_report(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert sum(long_ago.proposals.values()) == 0
    assert sum(long_ago.decisions.values()) == 0
    assert sum(long_ago.incidents.values()) == 0
    assert long_ago.disputes["opened"] == 0


def test_the_groupings_count_the_submitted_proposals_by_agency_field_and_country(
    demo: None,
) -> None:
    report = programme_report(*YEAR)
    submitted_ids = set(
        ProposalEvent.objects.filter(action__in=["submit", "resubmit"]).values_list(
            "proposal_id", flat=True
        )
    )
    agencies = Counter(
        Proposal.objects.filter(pk__in=submitted_ids).values_list("us_agency__name", flat=True)
    )
    by_agency = {row["name"]: row["submitted"] for row in report.groupings[0].rows}
    assert {k: v for k, v in by_agency.items() if v} == dict(agencies)
    approvals = Counter(
        Decision.objects.filter(outcome="approve").values_list(
            "proposal__us_agency__name", flat=True
        )
    )
    assert {r["name"]: r["approve"] for r in report.groupings[0].rows if r["approve"]} == dict(
        approvals
    )
    fields = Counter(
        Proposal.objects.filter(pk__in=submitted_ids).values_list(
            "scientific_field__name", flat=True
        )
    )
    assert {r["name"]: r["submitted"] for r in report.groupings[1].rows if r["submitted"]} == (
        dict(fields)
    )
    countries: Counter[str] = Counter()
    for proposal in Proposal.objects.filter(pk__in=submitted_ids).prefetch_related("institutions"):
        for code in {i.country for i in proposal.institutions.all()}:
            countries[code] += 1
    # Every demo partner is in the PRC.
    assert dict(countries) == {"CN": len(submitted_ids)}
    assert report.groupings[2].key == "partner_country"
    assert {r["name"]: r["submitted"] for r in report.groupings[2].rows} == {
        "China (CN)": countries["CN"]
    }


def test_partners_with_no_country_are_reported_as_not_given(demo: None) -> None:
    from tests.reviews.factories import proposal_in

    proposal_in("submitted", submitter=user("submitter"))
    rows = {r["name"]: r["submitted"] for r in programme_report(*YEAR).groupings[2].rows}
    assert rows["Country not given"] == 1


def test_screening_conditions_and_suspensions_match_the_rows(demo: None) -> None:
    report = programme_report(*YEAR)
    new_hits = Counter(
        ScreeningHit.objects.filter(carried_from__isnull=True).values_list("kind", flat=True)
    )
    assert {k: v for k, v in report.screening["found"].items() if v} == dict(new_hits)
    ruled = Counter(
        ScreeningHit.objects.exclude(adjudication="").values_list("adjudication", flat=True)
    )
    assert {k: v for k, v in report.screening["rulings"].items() if v} == dict(ruled)
    assert report.conditions["set"] == ConditionItem.objects.count()
    assert report.conditions["open_at_end"] == ConditionItem.objects.filter(status="open").count()
    assert report.conditions["met"] == ConditionItem.objects.filter(status="met").count()
    suspend_events = ProposalEvent.objects.filter(action="suspend")
    assert report.suspensions["suspended"] == suspend_events.count() > 0
    assert (
        report.suspensions["terminated"] == ProposalEvent.objects.filter(action="terminate").count()
    )
    grounds = Counter(suspend_events.values_list("ground__kind", flat=True))
    named = {k: v for k, v in report.suspensions["grounds"]["suspended"].items() if v}
    assert named == {(k or "unstated"): v for k, v in grounds.items()}


def test_incidents_and_trips_count_by_the_days_they_fall_on(demo: None) -> None:
    report = programme_report(*YEAR)
    kinds = Counter(Incident.objects.values_list("kind", flat=True))
    assert {k: v for k, v in report.incidents.items() if v} == dict(kinds) == {"device": 1}
    incident = Incident.objects.get()
    # The demo incident is months old: a period of the last month leaves it out.
    recent = programme_report(incident.occurred_on + dt.timedelta(days=1), TODAY)
    assert recent.incidents["device"] == 0
    just = programme_report(incident.occurred_on, incident.occurred_on)
    assert just.incidents["device"] == 1
    trips = TravelPlan.objects.all()
    assert report.trips["starting"] == trips.count() == 2
    unbriefed = [
        t for t in trips if t.briefing_given_on is None or t.briefing_given_on > t.starts_on
    ]
    assert report.trips["unbriefed_at_start"] == len(unbriefed) == 1


def test_disputes_and_reciprocity_match_the_rows(demo: None) -> None:
    report = programme_report(*YEAR)
    assert report.disputes["opened"] == Dispute.objects.count()
    current = LedgerEntry.objects.filter(correction__isnull=True)
    for way in LedgerDirection.values:
        mine = current.filter(direction=way)
        assert report.reciprocity["directions"][way]["requests"] == mine.count()
        provided = mine.filter(provided_on__isnull=False).count()
        assert report.reciprocity["directions"][way]["provided"] == provided


def test_the_versions_in_force_in_the_period_are_listed_with_their_text_status(demo: None) -> None:
    report = programme_report(*YEAR)
    in_force_today = Version.objects.in_force_versions(TODAY)
    assert {v.label for v in in_force_today} <= {row.label for row in report.in_force}
    assert report.illustrative == any(
        row.text_status == TextStatus.ILLUSTRATIVE for row in report.in_force
    )
    # A period across the 2024 lapse names the lapse and both sides of it.
    across = programme_report(dt.date(2024, 8, 1), dt.date(2024, 12, 31))
    assert any("laps" in lapse["title"].lower() for lapse in across.lapses)


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(PeriodError):
        programme_report(TODAY, TODAY - dt.timedelta(days=1))


# --- The command --------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("programme_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_gives_json_with_the_required_sections(demo: None) -> None:
    data = json.loads(run("--from", YEAR[0].isoformat(), "--to", YEAR[1].isoformat()))
    assert {"proposals", "decisions", "disputes", "incidents", "reciprocity"} <= set(data)
    assert data["proposals"]["approved"] == Proposal.objects.filter(state="approved").count()
    assert data["incidents"]["device"] == 1
    assert "opened" in data["disputes"]
    assert "outcomes" in data["disputes"]
    assert {"open_requests_to_partner", "share_met"} <= set(data["reciprocity"])
    assert set(data["reciprocity"]["share_met"]) == {"to_partner", "from_partner"}
    assert "detail" not in data


def test_the_command_gives_csv_and_docx(demo: None, tmp_path: Path) -> None:
    csv_text = run("--from", YEAR[0].isoformat(), "--to", YEAR[1].isoformat(), "--format", "csv")
    lines = csv_text.splitlines()
    assert lines[0] == "table,row,column,value"
    assert "incidents,Device search or seizure,Number,1" in lines
    target = tmp_path / "report.docx"
    run(
        "--from",
        YEAR[0].isoformat(),
        "--to",
        YEAR[1].isoformat(),
        "--format",
        "docx",
        "--output",
        str(target),
    )
    doc = Document(str(target))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Researcher-safety incidents in the period, by kind" in headings
    assert any("illustrative" in p.text for p in doc.paragraphs)
    assert len(doc.tables) >= 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-13-01", "--to", "2025-12-31"), "is not a date"),
        (("--from", "yesterday", "--to", "2025-12-31"), "is not a date"),
        (("--from", "2025-12-31", "--to", "2025-01-01"), "ends"),
        (("--from", "2025-01-01", "--to", "2025-12-31", "--format", "docx"), "--output"),
    ],
)
def test_the_command_refuses_bad_dates_clearly(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as refused:
        run(*args)
    assert refused.value.returncode == 2


# --- The page, the CSV files, the DOCX ----------------------------------------------------------


def period_query() -> str:
    return f"?start={YEAR[0].isoformat()}&end={YEAR[1].isoformat()}"


def test_analysts_read_aggregates_and_reviewers_the_projects_too(
    demo: None, django_assert_max_num_queries: Any
) -> None:
    url = reverse("reviews:report") + period_query()
    incident_project = Incident.objects.get().proposal.title
    analyst = client_for("analyst")
    analyst.get(reverse("reviews:home"))
    with django_assert_max_num_queries(60):
        page = analyst.get(url)
    assert page.status_code == 200
    body = text(page)
    assert "Researcher-safety incidents in the period, by kind" in body
    assert "Device search or seizure" in body
    assert incident_project not in body
    assert page.content.count(b"<svg") >= 6
    reviewer = client_for("reviewer")
    reviewer.get(reverse("reviews:home"))
    with django_assert_max_num_queries(70):
        detailed = reviewer.get(url)
    assert incident_project in text(detailed)
    assert "illustrative" in text(detailed)


def test_submitters_may_not_read_the_report() -> None:
    alice = make_user("alice", Role.SUBMITTER)
    client = Client()
    client.force_login(alice)
    for name, args in (
        ("reviews:report", ()),
        ("reviews:report_docx", ()),
        ("reviews:report_csv", ("incidents",)),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_a_bad_period_is_shown_on_the_form(demo: None) -> None:
    page = client_for("analyst").get(reverse("reviews:report") + "?start=2025-05-01&end=2025-01-01")
    assert page.status_code == 400
    assert "The period ends before it starts." in text(page)
    csv_refused = client_for("analyst").get(
        reverse("reviews:report_csv", args=["incidents"]) + "?start=x&end=2025-01-01"
    )
    assert csv_refused.status_code == 400


def test_each_table_downloads_as_csv_and_the_report_as_docx(demo: None) -> None:
    client = client_for("analyst")
    csv_page = client.get(reverse("reviews:report_csv", args=["incidents"]) + period_query())
    assert csv_page["Content-Type"].startswith("text/csv")
    assert csv_page.content.decode().splitlines()[0] == "Kind,Number"
    assert "Device search or seizure,1" in csv_page.content.decode()
    assert client.get(reverse("reviews:report_csv", args=["detail-incidents"])).status_code == 404
    reviewer_csv = client_for("reviewer").get(
        reverse("reviews:report_csv", args=["detail-incidents"]) + period_query()
    )
    assert Incident.objects.get().proposal.title in reviewer_csv.content.decode()
    docx = client.get(reverse("reviews:report_docx") + period_query())
    assert docx.status_code == 200
    doc = Document(io.BytesIO(docx.content))
    assert doc.paragraphs[0].text.startswith("STA programme report")
    assert Incident.objects.get().proposal.title not in "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )


def test_the_demo_trip_without_a_briefing_is_in_the_security_queue_and_seeding_again_adds_none(
    demo: None,
) -> None:
    from reviews.demo import UNBRIEFED_TRAVELLER, demo_people, demo_safety_ensure

    before = (TravelPlan.objects.count(), Incident.objects.count(), ProposalEvent.objects.count())
    demo_safety_ensure(people=demo_people())
    after = (TravelPlan.objects.count(), Incident.objects.count(), ProposalEvent.objects.count())
    assert after == before
    queue = client_for("security").get(reverse("reviews:queue_tab", args=["trips"]))
    assert UNBRIEFED_TRAVELLER in text(queue)
    assert Incident.objects.get().occurred_on < TODAY - dt.timedelta(days=60)


# --- One spec for every writer, and the issue's list ---------------------------------------------

# Each item the issue's Reporting section asks for, and the sections that show it.
ISSUE_ITEMS = {
    "proposals submitted, approved, with conditions, returned, rejected": (
        "flow",
        "decisions",
    ),
    "…by agency, field and partner country": ("by-agency", "by-field", "by-partner-country"),
    "screening hits and their rulings": ("screening-hits", "screening-rulings"),
    "disputes opened and how they ended": ("disputes", "dispute-outcomes"),
    "suspensions and terminations with grounds": ("suspensions",),
    "conditions open and met": ("conditions",),
    "incidents by kind": ("incidents",),
    "reciprocity indicators": ("reciprocity",),
    "instruments and versions in force": ("in-force",),
}


def _section_text(page: Any, slug: str) -> str:
    """The text of one section of the report page, tags removed and spaces collapsed."""
    html = page.content.decode()
    start = html.index(f'id="t-{slug}"')
    section = html[start : html.index("</section>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_every_item_the_issue_lists_is_a_section_analysts_read(demo: None) -> None:
    from reviews.reporting.spec import sections_for

    aggregate = {s.key for s in sections_for(with_detail=False)}
    for item, keys in ISSUE_ITEMS.items():
        assert set(keys) <= aggregate, item
    flat = {s.key for s in sections_for(with_detail=True)} - aggregate
    assert flat
    assert all(key.startswith("detail-") for key in flat)
    json_keys = set(json.loads(run("--from", YEAR[0].isoformat(), "--to", YEAR[1].isoformat())))
    assert {s.figure for s in sections_for(with_detail=False)} <= json_keys


def test_the_page_shows_every_row_of_every_table_the_csv_and_docx_have(demo: None) -> None:
    """The reciprocity rows were once in the CSV and the DOCX but not on the page."""
    from reviews.reporting.tables import report_tables

    client = client_for("reviewer")
    page = client.get(reverse("reviews:report") + period_query())
    doc = Document(io.BytesIO(client.get(reverse("reviews:report_docx") + period_query()).content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    tables = report_tables(programme_report(*YEAR, with_detail=True), with_detail=True)
    assert len({t.slug for t in tables}) == len(tables)
    for table in tables:
        shown = _section_text(page, table.slug)
        for row in table.rows:
            for cell in row:
                assert " ".join(str(cell).split()) in shown, (table.slug, cell)
        csv_file = client.get(reverse("reviews:report_csv", args=[table.slug]) + period_query())
        assert csv_file.status_code == 200
        assert table.title in headings
    assert "Requests to the partner still open" in _section_text(page, "reciprocity")


def test_every_chart_comes_with_a_table_of_its_bars(demo: None) -> None:
    html = client_for("analyst").get(reverse("reviews:report") + period_query()).content.decode()
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', html, flags=re.S)
    assert len(figures) >= 8
    for figure in figures:
        body = figure.split("<tbody>")[1].split("</tbody>")[0]
        if "<svg" in figure:
            assert body.count("<tr>") == len(re.findall(r'<rect class="chart-bar', figure))
        else:
            assert "Nothing to show yet." in figure


def test_a_way_with_nothing_due_has_no_share_bar(demo: None) -> None:
    from reviews.reporting.tables import report_tables

    long_ago = programme_report(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    table = next(t for t in report_tables(long_ago) if t.slug == "reciprocity")
    assert table.chart is not None
    assert table.chart.bars == ()
    assert ("Requests met, to the partner", "0 of 0 due (—)") in table.rows
    assert not table.charted_whole


def test_which_projects_are_a_reciprocity_concern_is_detail_only(demo: None) -> None:
    end = TODAY
    aggregate = json.loads(run("--from", "2001-01-01", "--to", end.isoformat()))
    titles = set(Proposal.objects.values_list("title", flat=True))
    said = json.dumps(aggregate, ensure_ascii=False)
    assert not [title for title in titles if title in said]
    assert "proposal_id" not in said
    assert "concern_project_ids" not in said
    detailed = json.loads(run("--from", "2001-01-01", "--to", end.isoformat(), "--detail"))
    named = {row["proposal"] for row in detailed["detail"]["reciprocity_concerns"]}
    # Counted here: a request to the partner open past the threshold, or too few met.
    expected = set()
    for proposal in Proposal.objects.all():
        mine = LedgerEntry.objects.filter(
            proposal=proposal, direction="to_partner", correction__isnull=True
        )
        overdue = [
            e
            for e in mine
            if e.provided_on is None and e.refused_on is None and (end - e.requested_on).days > 60
        ]
        provided = sum(1 for e in mine if e.provided_on)
        due = provided + sum(1 for e in mine if e.refused_on) + len(overdue)
        if overdue or (due and round(provided * 100 / due) < 50):
            expected.add(proposal.title)
    assert named == expected
    assert len(named) == aggregate["reciprocity"]["projects_of_concern"] >= 1
