"""The report's figures as labelled tables: one source for the page's tables and charts, the CSV
files and the DOCX report, so they cannot disagree."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from ..charts import BarChart, bar_chart
from ..models import DecisionOutcome, DisputeGround, GroundKind, HitKind, IncidentKind
from ..models.screening import Adjudication
from ..workflow import DisputeStatus, ProposalState
from .figures import ProgrammeReport

LEDGER_WAYS = {"to_partner": "To the partner", "from_partner": "From the partner"}
GROUND_LABELS = {**dict(GroundKind.choices), "unstated": "No ground recorded"}


@dataclass(frozen=True)
class Table:
    """One table of the report: a slug (its CSV file), a title, the header, the rows; with a
    chart when its rows are counts of one thing."""

    slug: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: BarChart | None = None
    detail: bool = False

    @property
    def charted_whole(self) -> bool:
        """Whether the chart's own table says all this table does (label and one count)."""
        return self.chart is not None and len(self.header) == 2


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(labels.get(key, key), value) for key, value in counts.items()]


def _count_table(
    slug: str, title: str, heading: str, counts: dict[str, int], labels: dict[str, str]
) -> Table:
    rows = _labelled(counts, labels)
    return Table(
        slug=slug,
        title=title,
        header=(heading, "Number"),
        rows=tuple(rows),
        chart=bar_chart(title, rows),
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def report_tables(report: ProgrammeReport, *, with_detail: bool = False) -> list[Table]:
    """Every table of the report, in the order the page and the DOCX show them."""
    tables = [
        _count_table(
            "proposals",
            "Proposals by state at the end of the period",
            "State",
            report.proposals,
            dict(ProposalState.choices),
        ),
        Table(
            slug="flow",
            title="Submissions and returns in the period",
            header=("What", "Number"),
            rows=(
                ("First submissions", report.flow["submitted"]),
                ("Resubmissions", report.flow["resubmitted"]),
                ("Returned for changes", report.flow["returned"]),
                ("Withdrawn", report.flow["withdrawn"]),
            ),
        ),
        _count_table(
            "decisions",
            "Decisions recorded in the period",
            "Outcome",
            report.decisions,
            dict(DecisionOutcome.choices),
        ),
    ]
    for grouping in report.groupings:
        tables.append(
            Table(
                slug=f"by-{grouping.key.replace('_', '-')}",
                title=f"By {grouping.label}",
                header=(
                    grouping.label.split(" (")[0].capitalize(),
                    "Submitted",
                    "Approved",
                    "Approved with conditions",
                    "Returned",
                    "Rejected",
                ),
                rows=tuple(
                    (
                        row["name"],
                        row["submitted"],
                        row["approve"],
                        row["approve_with_conditions"],
                        row["return"],
                        row["reject"],
                    )
                    for row in grouping.rows
                ),
                chart=bar_chart(
                    f"Submitted in the period, by {grouping.label.split(' (')[0]}",
                    [(row["name"], row["submitted"]) for row in grouping.rows],
                ),
            )
        )
    screening = report.screening
    tables.append(
        _count_table(
            "screening-hits",
            "New screening hits found in the period",
            "Kind",
            screening["found"],
            dict(HitKind.choices),
        )
    )
    tables.append(
        Table(
            slug="screening-rulings",
            title="Rulings on screening hits in the period",
            header=("Ruling", "Number"),
            rows=(
                *_labelled(screening["rulings"], dict(Adjudication.choices)),
                ("New hits not ruled on by the end", screening["unruled_at_end"]["pending"]),
            ),
        )
    )
    disputes = report.disputes
    tables.append(
        Table(
            slug="disputes",
            title=f"Disputes opened in the period ({disputes['opened']}), where each stood at "
            "its end",
            header=("Status", "Number"),
            rows=tuple(_labelled(disputes["outcomes"], dict(DisputeStatus.choices))),
            chart=bar_chart(
                "Disputes opened in the period, by status at its end",
                _labelled(disputes["outcomes"], dict(DisputeStatus.choices)),
            ),
        )
    )
    tables.append(
        Table(
            slug="dispute-grounds",
            title="Disputes opened in the period, by ground",
            header=("Ground", "Number"),
            rows=tuple(_labelled(disputes["by_ground"], dict(DisputeGround.choices))),
        )
    )
    tables.append(
        Table(
            slug="dispute-outcomes",
            title="Outcomes of disputes recorded in the period, whenever opened",
            header=("Outcome", "Number"),
            rows=tuple(_labelled(disputes["ended_in_period"], dict(DisputeStatus.choices))),
        )
    )
    suspensions = report.suspensions
    kinds = list(GROUND_LABELS)
    tables.append(
        Table(
            slug="suspensions",
            title="Suspensions, resumptions and terminations in the period, by ground",
            header=("Ground", "Suspended", "Resumed", "Terminated"),
            rows=(
                *(
                    (
                        GROUND_LABELS[kind],
                        suspensions["grounds"]["suspended"][kind],
                        suspensions["grounds"]["resumed"][kind],
                        suspensions["grounds"]["terminated"][kind],
                    )
                    for kind in kinds
                ),
                (
                    "All",
                    suspensions["suspended"],
                    suspensions["resumed"],
                    suspensions["terminated"],
                ),
            ),
        )
    )
    conditions = report.conditions
    tables.append(
        Table(
            slug="conditions",
            title="Conditions of approvals",
            header=("What", "Number"),
            rows=(
                ("Set by the period's decisions", conditions["set"]),
                ("Met in the period", conditions["met"]),
                ("Waived in the period", conditions["waived"]),
                ("Open at the end of the period", conditions["open_at_end"]),
            ),
        )
    )
    tables.append(
        _count_table(
            "incidents",
            "Researcher-safety incidents in the period, by kind",
            "Kind",
            report.incidents,
            dict(IncidentKind.choices),
        )
    )
    tables.append(
        Table(
            slug="trips",
            title="Travel under approved projects",
            header=("What", "Number"),
            rows=(
                ("Trips starting in the period", report.trips["starting"]),
                ("…of which not briefed before they started", report.trips["unbriefed_at_start"]),
                ("Trips recorded in the period", report.trips["recorded"]),
            ),
        )
    )
    rec = report.reciprocity
    ways = rec["directions"]
    share_rows = [(LEDGER_WAYS[way], (rec["share_met"][way] or 0) * 100) for way in LEDGER_WAYS]
    tables.append(
        Table(
            slug="reciprocity",
            title="Data reciprocity: requests made in the period, as they stood at its end",
            header=("Indicator", "Value"),
            rows=(
                ("Requests to the partner still open", rec["open_requests_to_partner"]),
                (
                    f"…open longer than {rec['open_days_threshold']} days",
                    rec["overdue_requests_to_partner"],
                ),
                *(
                    (
                        f"Requests met, {LEDGER_WAYS[way].lower()}",
                        f"{ways[way]['provided']} of {ways[way]['requests']} "
                        f"({_share(rec['share_met'][way])})",
                    )
                    for way in LEDGER_WAYS
                ),
                ("Projects of concern at the end", rec["projects_of_concern"]),
                ("Last exchange", rec["last_exchange_on"] or "none recorded"),
            ),
            chart=bar_chart("Share of requests met, each way", share_rows, unit="%"),
        )
    )
    tables.append(
        Table(
            slug="in-force",
            title="Instruments and versions of the agreement in force in the period",
            header=("Agreement", "Version", "Instrument", "In force from", "Until", "Text"),
            rows=tuple(
                (
                    row.agreement,
                    row.version,
                    row.instrument,
                    row.in_force_from.isoformat(),
                    row.in_force_until.isoformat() if row.in_force_until else "",
                    row.text_status_label,
                )
                for row in report.in_force
            ),
        )
    )
    if report.lapses:
        tables.append(
            Table(
                slug="lapses",
                title="Lapses overlapping the period",
                header=("Agreement", "Event", "From", "Until"),
                rows=tuple(
                    (lapse["agreement"], lapse["title"], lapse["starts_on"], lapse["ends_on"] or "")
                    for lapse in report.lapses
                ),
            )
        )
    if with_detail:
        tables.extend(_detail_tables(report))
    return tables


def _detail_tables(report: ProgrammeReport) -> list[Table]:
    detail = report.detail
    specs = (
        (
            "incidents",
            "Incidents, project by project",
            ("proposal", "kind", "occurred_on", "place"),
        ),
        (
            "suspensions",
            "Suspensions, resumptions and terminations, project by project",
            ("proposal", "what", "on", "ground", "reason"),
        ),
        ("disputes", "Disputes, project by project", ("proposal", "ground", "opened_on", "status")),
        (
            "trips",
            "Trips starting in the period",
            ("proposal", "traveller", "destination", "starts_on", "briefed"),
        ),
    )
    return [
        Table(
            slug=f"detail-{key}",
            title=title,
            header=tuple(name.replace("_", " ").capitalize() for name in columns),
            rows=tuple(tuple(row[name] for name in columns) for row in detail.get(key, [])),
            detail=True,
        )
        for key, title, columns in specs
    ]


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


def all_csv(tables: list[Table]) -> str:
    """Every table in one file, a row per cell: table, row label, column, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("table", "row", "column", "value"))
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=True):
                writer.writerow((table.slug, row[0], column, value))
    return out.getvalue()
