"""The proposal lists of the review queue: filtered by agency, field, partner city and state,
sorted by due date, waiting time or title, each row with its assignees and due date.

Partners are PRC institutions by the agreement's nature, so the place filter is the partner's
city; a country would say China on every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import Assignment, Decision, PartnerInstitution, Proposal, ProposalQuerySet
from .workflow import OPEN_STATES

# The work list's state filter value for every state; without a state it shows open ones.
ANY_STATE = "any"
SORTS = {
    "due": (F("due_at").asc(nulls_last=True), "pk"),
    "waiting": (F("step_since").asc(nulls_last=True), "state_changed_at", "pk"),
    "recent": ("-state_changed_at", "-pk"),
    "title": ("title", "pk"),
}


@dataclass(frozen=True)
class Choices:
    """The values the filters offer, as found on the proposals."""

    agencies: list[str]
    fields: list[str]
    cities: list[str]


def filter_choices() -> Choices:
    """Every U.S. agency, scientific field and partner city some proposal names."""

    def distinct(queryset: Any, name: str) -> list[str]:
        return list(
            queryset.exclude(**{f"{name}__isnull": True})
            .exclude(**{name: ""})
            .order_by(name)
            .values_list(name, flat=True)
            .distinct()
        )

    return Choices(
        agencies=distinct(Proposal.objects.all(), "us_agency__name"),
        fields=distinct(Proposal.objects.all(), "scientific_field__name"),
        cities=distinct(PartnerInstitution.objects.all(), "city"),
    )


def by_agency_and_field(proposals: ProposalQuerySet, agency: str, field: str) -> ProposalQuerySet:
    """The one place that knows how agency and field are stored (the ``agency`` and ``field``
    parameters of the queue and of the dashboard's links): an entry of the admin's lists, given
    by its name or its id."""
    for name, value in (("us_agency", agency), ("scientific_field", field)):
        if value:
            lookup = f"{name}_id" if value.isdigit() else f"{name}__name"
            proposals = proposals.filter(**{lookup: value})
    return proposals


def queue_filter(
    proposals: ProposalQuerySet,
    data: Mapping[str, Any],
    *,
    user: Any,
    now: dt.datetime | None = None,
) -> ProposalQuerySet:
    """Apply the cleaned filters of ``QueueFilterForm``; without a state, open proposals only
    where the form offers the state (the work list)."""
    now = now or timezone.now()
    proposals = by_agency_and_field(proposals, data.get("agency", ""), data.get("field", ""))
    if data.get("city"):
        proposals = proposals.filter(
            Exists(PartnerInstitution.objects.filter(proposal=OuterRef("pk"), city=data["city"]))
        )
    if "state" in data and data["state"] != ANY_STATE:
        proposals = proposals.filter(state__in=[data["state"]] if data["state"] else OPEN_STATES)
    if data.get("outcome"):
        proposals = proposals.filter(
            Exists(Decision.objects.filter(proposal=OuterRef("pk"), outcome=data["outcome"]))
        )
    if data.get("waiting") is not None:
        proposals = proposals.filter(state_changed_at__lt=now - dt.timedelta(days=data["waiting"]))
    if data.get("overdue"):
        proposals = proposals.filter(Q(due_at__lt=now))
    if data.get("assignee") == "none":
        proposals = proposals.exclude(Exists(Assignment.objects.filter(proposal=OuterRef("pk"))))
    elif data.get("assignee") == "me":
        proposals = proposals.filter(
            Exists(Assignment.objects.filter(proposal=OuterRef("pk"), assignee=user.pk))
        )
    return proposals


def queue_rows(proposals: ProposalQuerySet, sort: str) -> ProposalQuerySet:
    """Ready for the table: progress, deadlines, assignees (one query more), sorted."""
    return (
        proposals.select_related("submitter", "us_agency", "scientific_field")
        .with_round_progress()
        .with_deadlines()
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("assignee").order_by("step"),
            )
        )
        .order_by(*SORTS.get(sort, SORTS["waiting"]))
    )
