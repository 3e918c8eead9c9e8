"""The numbers on the review dashboard: proposals per state, time in state, overdue work, and
proposals by U.S. agency and by scientific field.

Each figure is one aggregate query over all proposals, so the dashboard costs the same with ten
proposals or ten thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from .charts import BarChart, bar_chart
from .models import Decision, DecisionOutcome, Proposal, declared_field
from .queues import ANY_STATE
from .workflow import OPEN_STATES, ProposalState

# The states a proposal waits in for the reviewers, in the order work flows.
WAITING_STATES = (ProposalState.SUBMITTED, ProposalState.SCREENING, ProposalState.IN_REVIEW)


# Builds the address of a filtered list from its query parameters; None draws no links.
Linker = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class StateRow:
    state: ProposalState
    count: int
    oldest_days: int | None
    average_days: float | None
    overdue: int
    href: str = ""
    overdue_href: str = ""


@dataclass(frozen=True)
class GroupRow:
    """Proposals naming one agency or field (``entry_id`` None: none named yet)."""

    entry_id: int | None
    name: str
    count: int
    waiting: int
    overdue: int
    approved: int


@dataclass(frozen=True)
class Grouping:
    """The proposals grouped by one list (agency or scientific field), largest group first."""

    field: str
    param: str
    label: str
    rows: tuple[GroupRow, ...]
    chart: BarChart


class OverdueRow(NamedTuple):
    """What the dashboard lists of an overdue proposal."""

    pk: int
    title: str
    state: str
    state_changed_at: dt.datetime

    @property
    def state_label(self) -> str:
        return ProposalState(self.state).label


@dataclass(frozen=True)
class Dashboard:
    rows: tuple[StateRow, ...]
    total: int
    overdue_total: int
    service_days: int
    outcomes: tuple[tuple[str, int], ...]
    by_state: BarChart
    waiting: BarChart
    overdue: BarChart
    decided: BarChart
    groupings: tuple[Grouping, ...] = ()
    # The proposals waiting past the service level, longest first.
    late: tuple[OverdueRow, ...] = ()


# The lists the dashboard groups by: (proposal field, query parameter of the proposal list).
GROUPINGS = (("us_agency", "agency"), ("scientific_field", "field"))
CHART_GROUPS = 10
APPROVED_STATES = (ProposalState.APPROVED, ProposalState.APPROVED_WITH_CONDITIONS)
NOT_GIVEN = "Not given yet"


def _short(name: str, limit: int = 26) -> str:
    # Why: the chart's label column is narrow; the table under it gives the whole name.
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


# One row of the proposals counted by state, agency and field together: the state, then each
# grouping's entry id and name, then how many, the earliest state change and how many overdue.
CountRow = tuple[Any, ...]


def _counted(cutoff: dt.datetime) -> list[CountRow]:
    """One aggregate query: per state and entry of each list, how many proposals, the longest
    in that state and how many entered it before ``cutoff``."""
    listed = [name for field, _ in GROUPINGS for name in (f"{field}_id", f"{field}__name")]
    return list(
        Proposal.objects.order_by()
        .values("state", *listed)
        .annotate(
            n=Count("pk"),
            oldest=Min("state_changed_at"),
            overdue=Count("pk", filter=Q(state_changed_at__lt=cutoff)),
        )
        .values_list("state", *listed, "n", "oldest", "overdue")
    )


def _grouping(field: str, param: str, position: int, counted: list[CountRow]) -> Grouping:
    """Per entry of one list (its id and name at ``position`` in the counted rows), how many
    proposals, waiting, overdue and approved."""
    tallies: dict[int | None, list[Any]] = {}
    for row in counted:
        state, entry_id, name = row[0], row[position], row[position + 1]
        n, _, overdue = row[-3:]
        tally = tallies.setdefault(entry_id, [name, 0, 0, 0, 0])
        tally[1] += n
        if state in WAITING_STATES:
            tally[2] += n
            tally[3] += overdue
        elif state in APPROVED_STATES:
            tally[4] += n
    rows = sorted(
        (
            GroupRow(
                entry_id=entry_id,
                name=name or NOT_GIVEN,
                count=n,
                waiting=waiting,
                overdue=overdue,
                approved=approved,
            )
            for entry_id, (name, n, waiting, overdue, approved) in tallies.items()
        ),
        key=lambda r: (r.entry_id is None, -r.count, r.name.casefold()),
    )
    label = str(declared_field(field).verbose_name)
    chart = bar_chart(
        f"Proposals by {label}"
        + (f" (the {CHART_GROUPS} largest)" if len(rows) > CHART_GROUPS else ""),
        [(_short(r.name), r.count) for r in rows[:CHART_GROUPS]],
    )
    return Grouping(field=field, param=param, label=label, rows=tuple(rows), chart=chart)


def _days(since: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if since is None else max((now - since).days, 0)


def dashboard_build(*, now: dt.datetime | None = None, link: Linker | None = None) -> Dashboard:
    """Counts per state, the longest wait in each waiting state, and overdue counts.

    With ``link``, every bar and row leads to the list of the proposals it counts: the state's
    (``state``), those past the service level in it (``waiting``), those decided so
    (``outcome``).
    """
    now = now or timezone.now()
    days = settings.STA_REVIEW_REMINDER_DAYS

    def href(**params: Any) -> str:
        return link(params) if link is not None else ""

    cutoff = now - dt.timedelta(days=days)
    counted = _counted(cutoff)
    per_state: dict[str, dict[str, Any]] = {}
    for row in counted:
        n, oldest, overdue = row[-3:]
        tally = per_state.setdefault(row[0], {"n": 0, "oldest": oldest, "overdue": 0})
        tally["n"] += n
        tally["oldest"] = min(tally["oldest"], oldest)
        tally["overdue"] += overdue
    waited: dict[str, list[float]] = {}
    late = []
    # Why in the proposals' own order: the average adds their waits up in it.
    for found in Proposal.objects.filter(state__in=WAITING_STATES).values_list(*OverdueRow._fields):
        waiting = OverdueRow(*found)
        since = waiting.state_changed_at
        waited.setdefault(waiting.state, []).append((now - since).total_seconds() / 86400)
        if since < cutoff:
            late.append(waiting)
    late.sort(key=lambda row: (row.state_changed_at, row.pk))
    rows = tuple(
        StateRow(
            state=state,
            count=per_state.get(state, {}).get("n", 0),
            oldest_days=_days(per_state.get(state, {}).get("oldest"), now),
            average_days=(
                round(max(sum(waited[state]) / len(waited[state]), 0), 1)
                if state in waited
                else None
            ),
            overdue=per_state.get(state, {}).get("overdue", 0) if state in OPEN_STATES else 0,
            href=href(state=state.value),
            overdue_href=href(state=state.value, waiting=days) if state in OPEN_STATES else "",
        )
        for state in ProposalState
    )
    outcomes_found = dict(
        Decision.objects.order_by().values_list("outcome").annotate(n=Count("pk"))
    )
    outcomes = tuple(
        (outcome.label, outcomes_found.get(outcome.value, 0)) for outcome in DecisionOutcome
    )
    outcome_links = [href(state=ANY_STATE, outcome=o.value) for o in DecisionOutcome]
    waiting_rows = [r for r in rows if r.state in WAITING_STATES]
    return Dashboard(
        rows=rows,
        total=sum(r.count for r in rows),
        overdue_total=sum(r.overdue for r in rows),
        service_days=days,
        outcomes=outcomes,
        by_state=bar_chart(
            "Proposals in each state",
            [(r.state.label, r.count) for r in rows],
            links=[r.href for r in rows],
        ),
        waiting=bar_chart(
            "Average days in each waiting state",
            [(r.state.label, r.average_days or 0) for r in waiting_rows],
            unit="days",
            decimals=1,
            tones=["warn" if (r.average_days or 0) > days else "" for r in waiting_rows],
            links=[r.href for r in waiting_rows],
        ),
        overdue=bar_chart(
            f"Waiting more than {days} days",
            [(r.state.label, r.overdue) for r in waiting_rows],
            tones=["warn"] * len(waiting_rows),
            links=[r.overdue_href for r in waiting_rows],
        ),
        decided=bar_chart("Decisions by outcome", list(outcomes), links=outcome_links),
        groupings=tuple(
            _grouping(field, param, 1 + 2 * n, counted)
            for n, (field, param) in enumerate(GROUPINGS)
        ),
        late=tuple(late),
    )
