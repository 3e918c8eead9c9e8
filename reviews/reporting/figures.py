"""The figures of the programme report for one period, both days included.

Each section counts what happened in the period (a submission, a decision, a ruling, an
incident) or how things stood at its end (the state of each proposal, the conditions still open,
the requests still unanswered), as its title says. Aggregates only; the per-project rows
reviewers and administrators see are in ``detail``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clauses.models import AgreementEvent, EventKind, TextStatus, Version
from clauses.record import inforce

from ..after_figures import concerns_of_period, dispute_figures, reciprocity_figures
from ..countries import country_label
from ..models import (
    ConditionItem,
    ConditionStatus,
    Decision,
    DecisionOutcome,
    Dispute,
    DisputeGround,
    GroundKind,
    HitKind,
    Incident,
    IncidentKind,
    PartnerInstitution,
    ProjectGround,
    Proposal,
    ProposalEvent,
    ScreeningHit,
    TravelPlan,
)
from ..models.screening import Adjudication
from ..workflow import DisputeStatus, ProposalAction, ProposalState

PENDING = "pending"
NO_ENTRY = "(none given)"
# Partners recorded before countries were asked for have none; none is guessed for them.
NO_COUNTRY = "Country not given"
# What the period's decisions, returns and submissions are counted from.
SUBMISSIONS = (ProposalAction.SUBMIT, ProposalAction.RESUBMIT)
# The kinds of step a project's suspension, resumption or termination is counted as.
SUSPENSION_KINDS = ("suspended", "resumed", "terminated")
# A step that named no ground (those recorded before grounds were asked for).
UNSTATED = "unstated"
SUSPENSION_ACTIONS = {
    ProposalAction.SUSPEND: "suspended",
    ProposalAction.RESUME: "resumed",
    ProposalAction.RESUME_WITH_CONDITIONS: "resumed",
    ProposalAction.TERMINATE: "terminated",
}


class PeriodError(ValueError):
    """The period asked for is not one (its end before its start)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"The period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})."
            )

    @property
    def since(self) -> dt.datetime:
        """The first moment of the first day, in the site's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """The first moment after the last day."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    def moments(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.since, f"{name}__lt": self.until})

    def days(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})


@dataclass(frozen=True)
class Grouping:
    """Proposals of the period by one property (``key``): per value, submissions and decisions."""

    key: str
    rows: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class InForce:
    agreement: str
    version: str
    label: str
    instrument: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    text_status: str
    text_status_label: str

    @property
    def illustrative(self) -> bool:
        return self.text_status == TextStatus.ILLUSTRATIVE

    def as_json(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "version": self.label,
            "title": self.version,
            "instrument": self.instrument,
            "in_force_from": self.in_force_from.isoformat(),
            "in_force_until": self.in_force_until.isoformat() if self.in_force_until else None,
            "text_status": self.text_status,
        }


@dataclass(frozen=True)
class ProgrammeReport:
    start: dt.date
    end: dt.date
    proposals: dict[str, int]
    flow: dict[str, int]
    decisions: dict[str, int]
    groupings: tuple[Grouping, ...]
    screening: dict[str, dict[str, int]]
    disputes: dict[str, Any]
    suspensions: dict[str, Any]
    conditions: dict[str, int]
    incidents: dict[str, int]
    trips: dict[str, int]
    reciprocity: dict[str, Any]
    in_force: tuple[InForce, ...]
    lapses: tuple[dict[str, Any], ...]
    detail: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def illustrative(self) -> bool:
        """Whether any text in force in the period is an illustrative one."""
        return any(row.illustrative for row in self.in_force)

    @property
    def by(self) -> dict[str, list[dict[str, Any]]]:
        """The groupings' rows by the grouping's key."""
        return {g.key: list(g.rows) for g in self.groupings}

    def figure(self, name: str) -> Any:
        """The figure ``name`` (a field of the report, or ``by``) as JSON-ready data."""
        if name == "in_force":
            return [row.as_json() for row in self.in_force]
        value = getattr(self, name)
        return list(value) if isinstance(value, tuple) else value


def _zeros(values: Iterable[str]) -> dict[str, int]:
    return dict.fromkeys(values, 0)


def proposal_states(period: Period) -> dict[str, int]:
    """How many proposals stood in each state at the end of the period (those made by then):
    each in the state its last event by then took it to, a draft before any."""
    last_state = (
        ProposalEvent.objects.filter(proposal=OuterRef("pk"), created_at__lt=period.until)
        .order_by("-created_at", "-pk")
        .values("to_state")[:1]
    )
    rows = (
        Proposal.objects.filter(created_at__lt=period.until)
        .annotate(at_end=Coalesce(Subquery(last_state), Value(ProposalState.DRAFT.value)))
        .values("at_end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _zeros(ProposalState.values)
    for row in rows:
        counts[row["at_end"]] = row["n"]
    return counts


def _event_counts(period: Period) -> Counter[str]:
    rows = (
        ProposalEvent.objects.filter(period.moments("created_at"))
        .values("action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({row["action"]: row["n"] for row in rows})


def decisions_of(period: Period) -> dict[str, int]:
    counts = _zeros(DecisionOutcome.values)
    rows = (
        Decision.objects.filter(period.moments("decided_at"))
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["outcome"]] = row["n"]
    return counts


def _groupings(period: Period) -> tuple[Grouping, ...]:
    """Submissions, approvals (with or without conditions), returns and rejections of the
    period by U.S. agency, scientific field and partner institution's country (a proposal with
    partners in two countries counts under each)."""
    submitted = set(
        ProposalEvent.objects.filter(period.moments("created_at"), action__in=SUBMISSIONS)
        .values_list("proposal_id", flat=True)
        .distinct()
    )
    returned = Counter(
        ProposalEvent.objects.filter(
            period.moments("created_at"), action=ProposalAction.RETURN
        ).values_list("proposal_id", flat=True)
    )
    decided: dict[int, Counter[str]] = {}
    for proposal_id, outcome in Decision.objects.filter(period.moments("decided_at")).values_list(
        "proposal_id", "outcome"
    ):
        if outcome != DecisionOutcome.RETURN:
            decided.setdefault(proposal_id, Counter())[outcome] += 1
    involved = submitted | set(returned) | set(decided)
    facts = {
        row["pk"]: row
        for row in Proposal.objects.filter(pk__in=involved).values(
            "pk", "us_agency__name", "scientific_field__name"
        )
    }
    countries: dict[int, set[str]] = {}
    for proposal_id, code in PartnerInstitution.objects.filter(
        proposal_id__in=involved
    ).values_list("proposal_id", "country"):
        countries.setdefault(proposal_id, set()).add(country_label(code) if code else NO_COUNTRY)

    def tally(values_of: Any) -> tuple[dict[str, Any], ...]:
        table: dict[str, dict[str, Any]] = {}
        for pk in sorted(involved):
            for value in values_of(pk):
                row = table.setdefault(
                    value,
                    {
                        "name": value,
                        "submitted": 0,
                        "approve": 0,
                        "approve_with_conditions": 0,
                        "return": 0,
                        "reject": 0,
                    },
                )
                row["submitted"] += pk in submitted
                row["return"] += returned.get(pk, 0)
                for outcome, n in decided.get(pk, Counter()).items():
                    row[outcome] += n
        return tuple(sorted(table.values(), key=lambda r: (-r["submitted"], r["name"])))

    return (
        Grouping("agency", tally(lambda pk: [facts[pk]["us_agency__name"] or NO_ENTRY])),
        Grouping("field", tally(lambda pk: [facts[pk]["scientific_field__name"] or NO_ENTRY])),
        Grouping("partner_country", tally(lambda pk: sorted(countries.get(pk, {NO_COUNTRY})))),
    )


def screening_of(period: Period) -> dict[str, dict[str, int]]:
    """New hits found in the period by kind (hits carried into a re-run are not new), and the
    rulings made in the period."""
    found = _zeros(HitKind.values)
    for row in (
        ScreeningHit.objects.filter(period.moments("run__created_at"), carried_from__isnull=True)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found[row["kind"]] = row["n"]
    rulings = _zeros(Adjudication.values)
    for row in (
        ScreeningHit.objects.filter(period.moments("adjudicated_at"))
        .exclude(adjudication="")
        .values("adjudication")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rulings[row["adjudication"]] = row["n"]
    pending = (
        ScreeningHit.objects.filter(period.moments("run__created_at"), carried_from__isnull=True)
        .filter(Q(adjudication="") | Q(adjudicated_at__gte=period.until))
        .count()
    )
    return {"found": found, "rulings": rulings, "unruled_at_end": {PENDING: pending}}


def suspensions_of(period: Period) -> dict[str, Any]:
    """Suspensions, resumptions and terminations in the period, and the grounds they named."""
    events = ProposalEvent.objects.filter(
        period.moments("created_at"), action__in=list(SUSPENSION_ACTIONS)
    )
    counts = _zeros(SUSPENSION_KINDS)
    for action in events.values_list("action", flat=True):
        counts[SUSPENSION_ACTIONS[ProposalAction(action)]] += 1
    grounds: dict[str, dict[str, int]] = {
        what: _zeros([*GroundKind.values, UNSTATED]) for what in counts
    }
    named = dict(ProjectGround.objects.filter(event__in=events).values_list("event_id", "kind"))
    for pk, action in events.values_list("pk", "action"):
        grounds[SUSPENSION_ACTIONS[ProposalAction(action)]][named.get(pk, UNSTATED)] += 1
    return {**counts, "grounds": grounds}


def conditions_of(period: Period) -> dict[str, int]:
    """Conditions set by the period's decisions; met and waived in it; open at its end."""
    made_by_end = ConditionItem.objects.filter(decision__decided_at__lt=period.until)
    return {
        "set": ConditionItem.objects.filter(period.moments("decision__decided_at")).count(),
        "met": made_by_end.filter(
            period.moments("resolved_at"), status=ConditionStatus.MET
        ).count(),
        "waived": made_by_end.filter(
            period.moments("resolved_at"), status=ConditionStatus.WAIVED
        ).count(),
        "open_at_end": made_by_end.filter(
            Q(status=ConditionStatus.OPEN) | Q(resolved_at__gte=period.until)
        ).count(),
    }


def incidents_of(period: Period) -> dict[str, int]:
    counts = _zeros(IncidentKind.values)
    for row in (
        Incident.objects.occurred_between(period.start, period.end)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["kind"]] = row["n"]
    return counts


def trips_of(period: Period) -> dict[str, int]:
    """Trips starting in the period, and those among them not briefed before they started."""
    starting = TravelPlan.objects.filter(period.days("starts_on"))
    return {
        "starting": starting.count(),
        "unbriefed_at_start": starting.filter(
            Q(briefing_given_on__isnull=True) | Q(briefing_given_on__gt=F("starts_on"))
        ).count(),
        "recorded": TravelPlan.objects.filter(period.moments("recorded_at")).count(),
    }


def in_force_during(period: Period) -> tuple[tuple[InForce, ...], tuple[dict[str, Any], ...]]:
    """Every version in force on some day of the period, by the one in-force rule, and the
    lapses overlapping it.

    The answer can change only on a day a version's period or a lapse begins or ends, so the
    rule is asked on the first day and on each such day inside the period.
    """
    versions = list(
        Version.objects.filter(in_force_from__lte=period.end)
        .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gt=period.start))
        .select_related("agreement", "instrument")
    )
    lapses = list(
        AgreementEvent.objects.filter(kind=EventKind.LAPSE, starts_on__lte=period.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=period.start))
        .select_related("agreement")
    )
    days = {period.start}
    for version in versions:
        days.update(d for d in (version.in_force_from, version.in_force_until) if d)
    for lapse in lapses:
        days.update(d for d in (lapse.starts_on, lapse.ends_on) if d)
    chosen: dict[int, Version] = {}
    for day in sorted(d for d in days if period.start <= d <= period.end):
        for version in inforce.versions_in_force(day, versions, lapses):
            chosen.setdefault(version.pk, version)
    rows = tuple(
        InForce(
            agreement=v.agreement.short_title,
            version=v.title,
            label=v.label,
            instrument=v.instrument.title,
            in_force_from=v.in_force_from,
            in_force_until=v.in_force_until,
            text_status=v.text_status,
            text_status_label=TextStatus(v.text_status).label,
        )
        for v in sorted(chosen.values(), key=lambda v: (v.agreement.short_title, v.in_force_from))
    )
    gaps = tuple(
        {
            "agreement": lapse.agreement.short_title,
            "title": lapse.title,
            "starts_on": lapse.starts_on.isoformat(),
            "ends_on": lapse.ends_on.isoformat() if lapse.ends_on else None,
        }
        for lapse in lapses
    )
    return rows, gaps


def _detail(period: Period) -> dict[str, list[dict[str, Any]]]:
    """Per-project rows, for reviewers and administrators only."""
    incidents = [
        {
            "proposal_id": i.proposal_id,
            "proposal": i.proposal.title,
            "kind": IncidentKind(i.kind).label,
            "occurred_on": i.occurred_on.isoformat(),
            "place": i.place,
        }
        for i in Incident.objects.occurred_between(period.start, period.end)
        .select_related("proposal")
        .order_by("occurred_on", "pk")
    ]
    events = (
        ProposalEvent.objects.filter(
            period.moments("created_at"), action__in=list(SUSPENSION_ACTIONS)
        )
        .select_related("proposal", "ground")
        .order_by("created_at", "pk")
    )
    steps = []
    for event in events:
        ground = getattr(event, "ground", None)
        steps.append(
            {
                "proposal_id": event.proposal_id,
                "proposal": event.proposal.title,
                "what": SUSPENSION_ACTIONS[ProposalAction(event.action)],
                "on": timezone.localtime(event.created_at).date().isoformat(),
                "ground": GroundKind(ground.kind).label if ground else UNSTATED,
                "reason": event.reason,
            }
        )
    disputes = [
        {
            "proposal_id": d.proposal_id,
            "proposal": d.proposal.title,
            "ground": DisputeGround(d.ground).label,
            "opened_on": timezone.localtime(d.opened_at).date().isoformat(),
            "status": DisputeStatus(d.status).label,
        }
        for d in Dispute.objects.filter(period.moments("opened_at"))
        .select_related("proposal")
        .order_by("opened_at", "pk")
    ]
    trips = [
        {
            "proposal_id": t.proposal_id,
            "proposal": t.proposal.title,
            "traveller": t.traveller,
            "destination": t.destination,
            "starts_on": t.starts_on.isoformat(),
            "briefed": "yes"
            if t.briefing_given_on and t.briefing_given_on <= t.starts_on
            else "no",
        }
        for t in TravelPlan.objects.filter(period.days("starts_on"))
        .select_related("proposal")
        .order_by("starts_on", "pk")
    ]
    concerns = concerns_of_period(period.start, period.end)
    titles = dict(Proposal.objects.filter(pk__in=concerns).values_list("pk", "title"))
    reciprocity = [
        {"proposal_id": pk, "proposal": titles[pk], "concerns": " ".join(why)}
        for pk, why in concerns.items()
    ]
    return {
        "incidents": incidents,
        "suspensions": steps,
        "disputes": disputes,
        "trips": trips,
        "reciprocity_concerns": reciprocity,
    }


def _without_projects(figures: dict[str, Any]) -> dict[str, Any]:
    """The reciprocity figures with no project named: which projects are of concern is detail."""
    return {key: value for key, value in figures.items() if key != "concern_project_ids"}


def programme_report(start: dt.date, end: dt.date, *, with_detail: bool = False) -> ProgrammeReport:
    """The report of the period from ``start`` to ``end``, both included; ``PeriodError`` when
    it ends before it starts. Per-project rows only ``with_detail``."""
    period = Period(start, end)
    events = _event_counts(period)
    in_force, lapses = in_force_during(period)
    return ProgrammeReport(
        start=start,
        end=end,
        proposals=proposal_states(period),
        flow={
            "submitted": events[ProposalAction.SUBMIT],
            "resubmitted": events[ProposalAction.RESUBMIT],
            "returned": events[ProposalAction.RETURN],
            "withdrawn": events[ProposalAction.WITHDRAW],
        },
        decisions=decisions_of(period),
        groupings=_groupings(period),
        screening=screening_of(period),
        disputes=dispute_figures(start, end),
        suspensions=suspensions_of(period),
        conditions=conditions_of(period),
        incidents=incidents_of(period),
        trips=trips_of(period),
        reciprocity=_without_projects(reciprocity_figures(start, end)),
        in_force=in_force,
        lapses=lapses,
        detail=_detail(period) if with_detail else {},
    )
