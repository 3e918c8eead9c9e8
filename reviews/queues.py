"""The proposal lists of the review queue: filtered by agency, field, partner city and state,
sorted by due date, waiting time or title, each row with its assignees and due date.

Partners are PRC institutions by the agreement's nature, so the place filter is the partner's
city; a country would say China on every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from . import compiled
from .models import (
    Agency,
    Assignment,
    Decision,
    PartnerInstitution,
    Proposal,
    ProposalQuerySet,
    ScientificField,
)
from .workflow import OPEN_STATES

# The proposal list's queryset or the queue's: filtering keeps the type it was given.
Listed = TypeVar("Listed", bound=QuerySet[Proposal])

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
    """The values the filters offer, as found on the proposals: the agencies and fields as
    querysets (to check a value given) and as the rows to show."""

    agencies: QuerySet[Agency]
    fields: QuerySet[ScientificField]
    cities: list[str]
    agencies_shown: list[Agency]
    fields_shown: list[ScientificField]


def _named(model: type[Agency] | type[ScientificField], link: str) -> QuerySet[Any]:
    """The entries of a list some proposal names, by name."""
    named = Proposal.objects.filter(**{link: OuterRef("pk")})
    return model.objects.filter(Exists(named)).order_by("name")


def _cities() -> QuerySet[PartnerInstitution, str]:
    return (
        PartnerInstitution.objects.exclude(city__isnull=True)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )


def filter_choices() -> Choices:
    """Every U.S. agency and scientific field some proposal names, and every partner city."""
    using = Proposal.objects.db

    def listed(shape: str, build: Callable[[], QuerySet[Any, Any]]) -> list[Any]:
        return compiled.rows(
            ("queue filter", shape), {}, lambda _: build(), using=using, limit=None
        )

    return Choices(
        agencies=_named(Agency, "us_agency"),
        fields=_named(ScientificField, "scientific_field"),
        cities=listed("cities", _cities),
        agencies_shown=listed("agencies", lambda: _named(Agency, "us_agency")),
        fields_shown=listed("fields", lambda: _named(ScientificField, "scientific_field")),
    )


def by_agency_and_field(
    proposals: Listed, agency: Agency | None, field: ScientificField | None
) -> Listed:
    """The proposals naming the agency and the field chosen (the ``agency`` and ``field``
    parameters of the queue and of the proposal list, which take an entry's id)."""
    if agency is not None:
        proposals = proposals.filter(us_agency=agency)
    if field is not None:
        proposals = proposals.filter(scientific_field=field)
    return proposals


def named_filters_as_ids(params: QueryDict) -> str | None:
    """The query string with an ``agency`` or ``field`` given by its entry's name, as the
    queue's links did before they took ids, given by the id instead; None when there is none
    (an unknown name is left for the form to report)."""
    query, changed = params.copy(), False
    for param, model in (("agency", Agency), ("field", ScientificField)):
        value = params.get(param, "")
        if value and not (value.isascii() and value.isdigit()):
            entry = model.objects.filter(name=value).first()
            if entry is not None:
                query[param], changed = str(entry.pk), True
    return query.urlencode() if changed else None


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
    proposals = by_agency_and_field(proposals, data.get("agency"), data.get("field"))
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
