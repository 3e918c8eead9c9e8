"""What the programme report shows, declared once: its sections in order, each with its title,
columns, the rows it takes from the figures, its chart, and who may read it.

The page (tables and SVG charts), the CSV files, the DOCX and the command's JSON are all written
from ``SECTIONS``: a new figure is computed in ``figures.py`` and shown by adding its section here.
A section's ``figure`` is the figure it reads, and the key that figure has in the JSON.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..models import DecisionOutcome, DisputeGround, GroundKind, HitKind, IncidentKind
from ..models.screening import Adjudication
from ..workflow import DisputeStatus, ProposalState
from .figures import SUSPENSION_KINDS, UNSTATED, ProgrammeReport

Row = tuple[Any, ...]
Labels = Mapping[str, str]


class Audience(enum.Enum):
    """Who reads a section: everyone who may read the report (analysts too) reads the aggregate
    figures; reviewers, security reviewers and administrators also the per-project rows."""

    AGGREGATE = "aggregate"
    PER_PROJECT = "per_project"


@dataclass(frozen=True)
class Column:
    """A column's heading; for rows taken from records, the field it shows and the names of the
    field's values (for a value that is a key)."""

    heading: str
    field: str = ""
    labels: Labels | None = None


@dataclass(frozen=True)
class Chart:
    """A bar chart of a section. Without ``rows`` it draws the table's rows: their label and
    the column ``column`` (the second, by default); otherwise the ``(label, value)`` pairs
    ``rows`` gives. ``heading`` names the chart table's first column (the section's by default),
    ``value_heading`` its second."""

    title: str = ""
    column: str = ""
    rows: Callable[[ProgrammeReport], list[tuple[str, float]]] | None = None
    unit: str = ""
    heading: str = ""
    value_heading: str = ""


RowSource = Callable[[ProgrammeReport, tuple[Column, ...]], Iterable[Row]]


@dataclass(frozen=True)
class Section:
    """One section of the report: ``key`` names its CSV file and its page anchor; ``title`` may
    name figures as ``{r.disputes[opened]}``; ``rows`` gives its rows from the report."""

    key: str
    title: str
    figure: str
    columns: tuple[Column, ...]
    rows: RowSource
    chart: Chart | None = None
    audience: Audience = Audience.AGGREGATE
    # A section that only exists when something happened (a lapse) is left out without rows.
    omit_when_empty: bool = False

    def heading(self, report: ProgrammeReport) -> str:
        return self.title.format(r=report)


def _cell(value: Any) -> Any:
    """A cell as every writer shows it: a day as YYYY-MM-DD, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _at(report: ProgrammeReport, path: str) -> Any:
    """The figure at a dotted path: ``reciprocity.share_met.to_partner``."""
    value: Any = report
    for name in path.split("."):
        value = value[name] if isinstance(value, Mapping) else getattr(value, name)
    return value


def counts(path: str, labels: Labels) -> RowSource:
    """A row per key of the counts at ``path``: the key's name, its count."""

    def rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
        return [(labels.get(key, key), n) for key, n in _at(report, path).items()]

    return rows


def values(*named: tuple[str, str]) -> RowSource:
    """A row per ``(label, path)``: the label and the figure at the path."""

    def rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
        return [(label, _cell(_at(report, path))) for label, path in named]

    return rows


def records(path: str) -> RowSource:
    """A row per record (dict or object) at ``path``, a cell per column's field."""

    def rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
        out = []
        for record in _at(report, path):
            cells = []
            for column in columns:
                value = (
                    record[column.field]
                    if isinstance(record, Mapping)
                    else getattr(record, column.field)
                )
                if column.labels is not None:
                    value = column.labels.get(value, value)
                cells.append(_cell(value))
            out.append(tuple(cells))
        return out

    return rows


def joined(*sources: RowSource) -> RowSource:
    def rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
        return [row for source in sources for row in source(report, columns)]

    return rows


# Rows no builder above gives -------------------------------------------------------------------

LEDGER_WAYS = {"to_partner": "To the partner", "from_partner": "From the partner"}
GROUND_LABELS = {**dict(GroundKind.choices), UNSTATED: "No ground recorded"}
SUSPENSION_LABELS = {"suspended": "Suspended", "resumed": "Resumed", "terminated": "Terminated"}


def _suspension_rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
    """A row per ground, a column per kind of step, and the steps in all."""
    made = report.suspensions
    return [
        *(
            (label, *(made["grounds"][kind][ground] for kind in SUSPENSION_KINDS))
            for ground, label in GROUND_LABELS.items()
        ),
        ("All", *(made[kind] for kind in SUSPENSION_KINDS)),
    ]


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _reciprocity_rows(report: ProgrammeReport, columns: tuple[Column, ...]) -> list[Row]:
    rec = report.reciprocity
    ways = rec["directions"]
    return [
        ("Requests to the partner still open", rec["open_requests_to_partner"]),
        (
            f"…open longer than {rec['open_days_threshold']} days",
            rec["overdue_requests_to_partner"],
        ),
        *(
            (
                f"Requests met, {label.lower()}",
                # The share is of the requests owing an answer (answered, or open past the
                # threshold), so the count it is a share of is that one too.
                f"{ways[way]['provided']} of {_due(ways[way])} due "
                f"({_share(rec['share_met'][way])})",
            )
            for way, label in LEDGER_WAYS.items()
        ),
        ("Projects of concern at the end", rec["projects_of_concern"]),
        ("Last exchange", rec["last_exchange_on"] or "none recorded"),
    ]


def _due(way: Mapping[str, int]) -> int:
    return way["provided"] + way["refused"] + way["open_longer_than_threshold"]


def _share_bars(report: ProgrammeReport) -> list[tuple[str, float]]:
    """The share met each way; a way with nothing due has no share, so no bar (not 0 %)."""
    shares = report.reciprocity["share_met"]
    return [
        (label, shares[way] * 100) for way, label in LEDGER_WAYS.items() if shares[way] is not None
    ]


# The sections ----------------------------------------------------------------------------------

NUMBER = Column("Number")
WHAT = Column("What")
GROUPINGS = (
    ("agency", "U.S. agency"),
    ("field", "scientific field"),
    ("partner_country", "partner's country"),
)
GROUPING_COLUMNS = (
    ("Submitted", "submitted"),
    ("Approved", "approve"),
    ("Approved with conditions", "approve_with_conditions"),
    ("Returned", "return"),
    ("Rejected", "reject"),
)


def _by(key: str, name: str) -> Section:
    """Submissions and decisions of the period by one property of the proposals."""
    return Section(
        key=f"by-{key.replace('_', '-')}",
        title=f"By {name}",
        figure="by",
        columns=(
            Column(name[0].upper() + name[1:], "name"),
            *(Column(heading, field) for heading, field in GROUPING_COLUMNS),
        ),
        rows=records(f"by.{key}"),
        chart=Chart(title=f"Submitted in the period, by {name}", column="Submitted"),
    )


def _project_by_project(key: str, title: str, *columns: Column) -> Section:
    return Section(
        key=f"detail-{key.replace('_', '-')}",
        title=title,
        figure="detail",
        columns=(Column("Proposal", "proposal"), *columns),
        rows=records(f"detail.{key}"),
        audience=Audience.PER_PROJECT,
    )


SECTIONS: tuple[Section, ...] = (
    Section(
        key="proposals",
        title="Proposals by state at the end of the period",
        figure="proposals",
        columns=(Column("State"), NUMBER),
        rows=counts("proposals", dict(ProposalState.choices)),
        chart=Chart(),
    ),
    Section(
        key="flow",
        title="Submissions and returns in the period",
        figure="flow",
        columns=(WHAT, NUMBER),
        rows=values(
            ("First submissions", "flow.submitted"),
            ("Resubmissions", "flow.resubmitted"),
            ("Returned for changes", "flow.returned"),
            ("Withdrawn", "flow.withdrawn"),
        ),
    ),
    Section(
        key="decisions",
        title="Decisions recorded in the period",
        figure="decisions",
        columns=(Column("Outcome"), NUMBER),
        rows=counts("decisions", dict(DecisionOutcome.choices)),
        chart=Chart(),
    ),
    *(_by(key, name) for key, name in GROUPINGS),
    Section(
        key="screening-hits",
        title="New screening hits found in the period",
        figure="screening",
        columns=(Column("Kind"), NUMBER),
        rows=counts("screening.found", dict(HitKind.choices)),
        chart=Chart(),
    ),
    Section(
        key="screening-rulings",
        title="Rulings on screening hits in the period",
        figure="screening",
        columns=(Column("Ruling"), NUMBER),
        rows=joined(
            counts("screening.rulings", dict(Adjudication.choices)),
            values(("New hits not ruled on by the end", "screening.unruled_at_end.pending")),
        ),
    ),
    Section(
        key="disputes",
        title="Disputes opened in the period ({r.disputes[opened]}), where each stood at its end",
        figure="disputes",
        columns=(Column("Status"), NUMBER),
        rows=counts("disputes.outcomes", dict(DisputeStatus.choices)),
        chart=Chart(title="Disputes opened in the period, by status at its end"),
    ),
    Section(
        key="dispute-grounds",
        title="Disputes opened in the period, by ground",
        figure="disputes",
        columns=(Column("Ground"), NUMBER),
        rows=counts("disputes.by_ground", dict(DisputeGround.choices)),
    ),
    Section(
        key="dispute-outcomes",
        title="Outcomes of disputes recorded in the period, whenever opened",
        figure="disputes",
        columns=(Column("Outcome"), NUMBER),
        rows=counts("disputes.ended_in_period", dict(DisputeStatus.choices)),
    ),
    Section(
        key="suspensions",
        title="Suspensions, resumptions and terminations in the period, by ground",
        figure="suspensions",
        columns=(Column("Ground"), *(Column(SUSPENSION_LABELS[k]) for k in SUSPENSION_KINDS)),
        rows=_suspension_rows,
    ),
    Section(
        key="conditions",
        title="Conditions of approvals",
        figure="conditions",
        columns=(WHAT, NUMBER),
        rows=values(
            ("Set by the period's decisions", "conditions.set"),
            ("Met in the period", "conditions.met"),
            ("Waived in the period", "conditions.waived"),
            ("Open at the end of the period", "conditions.open_at_end"),
        ),
    ),
    Section(
        key="incidents",
        title="Researcher-safety incidents in the period, by kind",
        figure="incidents",
        columns=(Column("Kind"), NUMBER),
        rows=counts("incidents", dict(IncidentKind.choices)),
        chart=Chart(),
    ),
    Section(
        key="trips",
        title="Travel under approved projects",
        figure="trips",
        columns=(WHAT, NUMBER),
        rows=values(
            ("Trips starting in the period", "trips.starting"),
            ("…of which not briefed before they started", "trips.unbriefed_at_start"),
            ("Trips recorded in the period", "trips.recorded"),
        ),
    ),
    Section(
        key="reciprocity",
        title="Data reciprocity: requests made in the period, as they stood at its end",
        figure="reciprocity",
        columns=(Column("Indicator"), Column("Value")),
        rows=_reciprocity_rows,
        chart=Chart(
            title="Share of requests met, each way",
            rows=_share_bars,
            unit="%",
            heading="Requests",
            value_heading="Share met",
        ),
    ),
    Section(
        key="in-force",
        title="Instruments and versions of the agreement in force in the period",
        figure="in_force",
        columns=(
            Column("Agreement", "agreement"),
            Column("Version", "version"),
            Column("Instrument", "instrument"),
            Column("In force from", "in_force_from"),
            Column("Until", "in_force_until"),
            Column("Text", "text_status_label"),
        ),
        rows=records("in_force"),
    ),
    Section(
        key="lapses",
        title="Lapses overlapping the period",
        figure="lapses",
        columns=(
            Column("Agreement", "agreement"),
            Column("Event", "title"),
            Column("From", "starts_on"),
            Column("Until", "ends_on"),
        ),
        rows=records("lapses"),
        omit_when_empty=True,
    ),
    _project_by_project(
        "incidents",
        "Incidents, project by project",
        Column("Kind", "kind"),
        Column("Occurred on", "occurred_on"),
        Column("Place", "place"),
    ),
    _project_by_project(
        "suspensions",
        "Suspensions, resumptions and terminations, project by project",
        Column("What", "what", SUSPENSION_LABELS),
        Column("On", "on"),
        Column("Ground", "ground", GROUND_LABELS),
        Column("Reason", "reason"),
    ),
    _project_by_project(
        "disputes",
        "Disputes, project by project",
        Column("Ground", "ground"),
        Column("Opened on", "opened_on"),
        Column("Status", "status"),
    ),
    _project_by_project(
        "trips",
        "Trips starting in the period",
        Column("Traveller", "traveller"),
        Column("Destination", "destination"),
        Column("Starts on", "starts_on"),
        Column("Briefed", "briefed", {"yes": "Yes", "no": "No"}),
    ),
    _project_by_project(
        "reciprocity_concerns",
        "Reciprocity concerns at the end of the period, project by project",
        Column("Why", "concerns"),
    ),
)


def sections_for(*, with_detail: bool) -> tuple[Section, ...]:
    """The sections a reader sees: the aggregate ones, and the per-project ones ``with_detail``."""
    return tuple(s for s in SECTIONS if with_detail or s.audience is Audience.AGGREGATE)
