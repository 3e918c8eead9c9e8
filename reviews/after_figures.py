"""Figures of the reciprocity ledger and of disputes over a period, as plain dicts for reports.

Both read the rows in force (latest corrections) and count by dates inside ``start``–``end``
(both days included).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from .models import Dispute, DisputeGround, DisputeStep, LedgerDirection, LedgerEntry
from .services.reciprocity import indicators_for
from .workflow import OPEN_DISPUTE_STATUSES, DisputeAction, DisputeStatus

# The step that ends a dispute, or pauses it in cessation, and the outcome it counts as.
OUTCOME_STEPS = {
    DisputeAction.RESOLVE: DisputeStatus.RESOLVED,
    DisputeAction.CEASE: DisputeStatus.CEASED,
    DisputeAction.RESUME: DisputeStatus.RESUMED,
    DisputeAction.TERMINATE: DisputeStatus.TERMINATED,
}


def _as_of(entry: LedgerEntry, end: dt.date) -> LedgerEntry:
    """The entry as it stood at the end of the period: an answer given later is still open."""
    if entry.provided_on and entry.provided_on > end:
        entry.provided_on = None
    if entry.refused_on and entry.refused_on > end:
        entry.refused_on = None
        entry.refusal_reason = ""
    return entry


def _requests_of(start: dt.date, end: dt.date) -> list[LedgerEntry]:
    """The requests made in the period (entries in force), as they stood at its end."""
    return [
        _as_of(entry, end)
        for entry in LedgerEntry.objects.current()
        .filter(requested_on__gte=start, requested_on__lte=end)
        .order_by("pk")
    ]


def _by_project(entries: list[LedgerEntry]) -> dict[int, list[LedgerEntry]]:
    by_project: dict[int, list[LedgerEntry]] = {}
    for entry in entries:
        by_project.setdefault(entry.proposal_id, []).append(entry)
    return by_project


def concerns_of_period(start: dt.date, end: dt.date) -> dict[int, tuple[str, ...]]:
    """The projects whose requests of the period were a concern at its end, each with why."""
    found = {
        pk: indicators_for(rows, today=end).concerns
        for pk, rows in _by_project(_requests_of(start, end)).items()
    }
    return {pk: why for pk, why in sorted(found.items()) if why}


def reciprocity_figures(start: dt.date, end: dt.date) -> dict[str, Any]:
    """Requests made in the period, each way: how many, met, refused, still open at its end and
    open longer than the threshold; the share met; the projects that were a concern at its end.

    ``share_met`` is provided ÷ (provided + refused + overdue), None when nothing was due.
    """
    entries = _requests_of(start, end)
    overall = indicators_for(entries, today=end)
    by_project = _by_project(entries)
    concerns = sorted(
        pk for pk, rows in by_project.items() if indicators_for(rows, today=end).is_concern
    )
    ways: dict[str, Any] = {}
    for key, way in (
        (LedgerDirection.TO_PARTNER.value, overall.to_partner),
        (LedgerDirection.FROM_PARTNER.value, overall.from_partner),
    ):
        ways[key] = {
            "requests": way.requests,
            "provided": way.provided,
            "refused": way.refused,
            "open": way.open,
            "open_longer_than_threshold": way.overdue,
            "share_met": None if way.share_met is None else round(way.share_met, 4),
        }
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "open_days_threshold": overall.open_days,
        "min_share_percent": overall.min_share_percent,
        "open_requests_to_partner": overall.to_partner.open,
        "overdue_requests_to_partner": overall.to_partner.overdue,
        "share_met": {key: value["share_met"] for key, value in ways.items()},
        "directions": ways,
        "last_exchange_on": (
            overall.last_exchange_on.isoformat() if overall.last_exchange_on else None
        ),
        "projects_with_entries": len(by_project),
        "projects_of_concern": len(concerns),
        "concern_project_ids": concerns,
    }


def dispute_figures(start: dt.date, end: dt.date) -> dict[str, Any]:
    """Disputes opened in the period (in all, per ground), where those stood at its end, and
    the outcomes recorded in the period (resolved, ceased, resumed, terminated).

    ``outcomes`` counts the disputes opened in the period by the status they had reached at its
    end; ``ended_in_period`` counts outcome steps taken in the period, whenever opened.
    """
    opened = list(
        Dispute.objects.filter(opened_at__date__gte=start, opened_at__date__lte=end).order_by("pk")
    )
    opened_ids = [d.pk for d in opened]
    reached: dict[int, str] = {d.pk: DisputeStatus.CONSULTATION_REQUESTED.value for d in opened}
    steps = (
        DisputeStep.objects.filter(dispute_id__in=opened_ids, created_at__date__lte=end)
        .order_by("created_at", "pk")
        .values_list("dispute_id", "to_status")
    )
    for dispute_id, status in steps:
        reached[dispute_id] = status
    outcomes = dict.fromkeys(DisputeStatus.values, 0)
    for status in reached.values():
        outcomes[status] += 1
    by_ground = dict.fromkeys(DisputeGround.values, 0)
    for dispute in opened:
        by_ground[dispute.ground] += 1
    ended = dict.fromkeys((s.value for s in OUTCOME_STEPS.values()), 0)
    rows = (
        DisputeStep.objects.filter(
            action__in=list(OUTCOME_STEPS),
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .values("action")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        ended[OUTCOME_STEPS[DisputeAction(row["action"])].value] += row["n"]
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "opened": len(opened),
        "by_ground": by_ground,
        "outcomes": outcomes,
        "still_open": sum(1 for s in reached.values() if s in OPEN_DISPUTE_STATUSES),
        "ended_in_period": ended,
    }
