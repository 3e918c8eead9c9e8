"""Reviewers' pages: the queues, adjudicating screening hits, both assessments, the decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clauses.models import Clause
from sta_tracker.roles import Role, has_role

from . import compiled, permissions, services
from .compliance import compliance_summary
from .deadlines import Stage, service_days
from .forms import (
    AdjudicationForm,
    BatchAssignForm,
    ConditionFormSet,
    DecisionConfirmForm,
    DecisionForm,
    HitFilterForm,
    QueueFilterForm,
    QueueSortForm,
    RiskBenefitForm,
    SecurityForm,
)
from .forms_safety import TripSortForm
from .models import (
    ClauseChangeFlag,
    ConditionItem,
    ConditionQuerySet,
    Decision,
    DecisionOutcome,
    HitKind,
    Proposal,
    ProposalQuerySet,
    RiskBenefitAssessment,
    ScreeningHit,
    SecurityAssessment,
    TravelPlan,
    TravelPlanQuerySet,
    ruling_effects,
)
from .pages import (
    call_service,
    guard,
    is_review_staff,
    paginate,
    query_without_page,
    refused,
    submit_form,
    visible_proposal,
)
from .queues import filter_choices, named_filters_as_ids, queue_filter, queue_rows
from .services import ConditionInput
from .views_assign import assignable_people
from .workflow import OPEN_STATES, ProposalAction, ProposalState

HIT_SORTS = {
    "oldest": ("run__created_at", "pk"),
    "newest": ("-run__created_at", "-pk"),
    "score": ("-score", "run__created_at", "pk"),
}


def _tab_counters(user: Any, today: dt.date) -> list[tuple[str, str, Callable[[], int]]]:
    """The queue tabs this person has: each one's key, label and how to count its work."""
    tabs: list[tuple[str, str, Callable[[], int]]] = []
    proposals = Proposal.objects.all()
    reviewer = has_role(user, Role.REVIEWER)
    security = has_role(user, Role.SECURITY_REVIEWER)
    if reviewer or security:
        tabs.append(
            ("assessments", "Awaiting my assessment", lambda: _awaiting(user, proposals).count())
        )
    if security:
        tabs.append(
            (
                "hits",
                "Screening hits to adjudicate",
                lambda: ScreeningHit.objects.to_adjudicate_by(user).count(),
            )
        )
        tabs.append(
            (
                "trips",
                "Trips without a briefing",
                lambda: _unbriefed_trips(user, today).count(),
            )
        )
    if reviewer:
        tabs.append(
            ("decisions", "Decisions due", lambda: proposals.decision_due_for(user).count())
        )
        tabs.append(
            (
                "flags",
                "Changed clauses",
                lambda: _flags(user).values("proposal").distinct().count(),
            )
        )
        tabs.append(
            (
                "conditions",
                "Overdue conditions",
                lambda: _overdue_conditions(user, today).count(),
            )
        )
    if reviewer or security:
        tabs.append(
            (
                "work",
                "All open work",
                lambda: proposals.filter(state__in=OPEN_STATES).count(),
            )
        )
    return tabs


def _tabs(user: Any) -> list[dict[str, Any]]:
    """The queue tabs this person has, each with its count (all counted in one query)."""
    today = timezone.localdate()
    tabs = _tab_counters(user, today)

    def counters(values: Mapping[str, Any]) -> list[Callable[[], int]]:
        stand_in = compiled.stand_in_user(user, values["user"])
        return [count for _, _, count in _tab_counters(stand_in, values["today"])]

    counts = compiled.scalars(
        ("queue tabs", compiled.roles_of(user)),
        {"user": user.pk, "today": today},
        counters,
        using=Proposal.objects.db,
    )
    return [
        {"key": key, "label": label, "count": count}
        for (key, label, _), count in zip(tabs, counts, strict=True)
    ]


def _unbriefed_trips(user: Any, today: dt.date | None = None) -> TravelPlanQuerySet:
    return TravelPlan.objects.unbriefed(today).exclude(proposal__submitter_id=user.pk)


def _overdue_conditions(user: Any, today: dt.date | None = None) -> ConditionQuerySet:
    return ConditionItem.objects.overdue(today).exclude(proposal__submitter_id=user.pk)


def _awaiting(user: Any, proposals: ProposalQuerySet) -> ProposalQuerySet:
    wanted = proposals.none()
    if has_role(user, Role.REVIEWER):
        wanted = wanted | proposals.awaiting_risk_benefit_by(user)
    if has_role(user, Role.SECURITY_REVIEWER):
        wanted = wanted | proposals.awaiting_security_by(user)
    return wanted


def _flags(user: Any) -> QuerySet[ClauseChangeFlag]:
    return ClauseChangeFlag.objects.open().exclude(proposal__submitter_id=user.pk)


def _refuse_non_reviewers(request: HttpRequest) -> HttpResponse | None:
    if has_role(request.user, Role.REVIEWER) or has_role(request.user, Role.SECURITY_REVIEWER):
        return None
    return refused(request, permissions.ONLY_QUEUE_HOLDERS, status=403)


@require_GET
def queue(request: HttpRequest, tab: str = "") -> HttpResponse:
    refusal = _refuse_non_reviewers(request)
    if refusal is not None:
        return refusal
    if (by_id := named_filters_as_ids(request.GET)) is not None:
        return redirect(f"{request.path}?{by_id}")
    user = request.user
    tabs = _tabs(user)
    keys = [t["key"] for t in tabs]
    if not tab:
        # Why: land on the first tab with work in it, so the queue opens on something to do.
        busy = [t["key"] for t in tabs if t["count"]]
        return redirect("reviews:queue_tab", (busy or keys)[0])
    if tab not in keys:
        raise Http404("No such queue for your roles.")
    context: dict[str, Any] = {"tabs": tabs, "tab": tab, "nav": "queue"}
    if tab == "hits":
        context.update(_hit_queue(request))
    elif tab == "conditions":
        context.update(_condition_queue(request))
    elif tab == "trips":
        context.update(_trip_queue(request))
    else:
        context.update(_proposal_queue(request, tab, tabs))
    context["query"] = query_without_page(request.GET)
    return render(request, "reviews/queue.html", context)


def _tab_proposals(user: Any, tab: str) -> ProposalQuerySet:
    base = Proposal.objects.all()
    if tab == "assessments":
        return _awaiting(user, base)
    if tab == "decisions":
        return base.decision_due_for(user)
    if tab == "flags":
        return base.filter(pk__in=_flags(user).values("proposal"))
    return base


def _proposal_queue(request: HttpRequest, tab: str, tabs: list[dict[str, Any]]) -> dict[str, Any]:
    user: Any = request.user
    work_list = tab == "work"
    form = QueueFilterForm(request.GET or None, choices=filter_choices(), work_list=work_list)
    data: dict[str, Any] = {"state": ""} if work_list else {}
    if form.is_bound:
        form.is_valid()
        # Why: a filter with an unknown value is reported on the form; the others still apply.
        data.update(form.cleaned_data)
    sort = data.get("sort") or "waiting"
    rows: Any
    if _filtered(data):
        rows = queue_filter(queue_rows(_tab_proposals(user, tab), sort), data, user=user)
    else:
        # Why: without filters a tab lists the work its count counted, so the count is known
        # and the rows' SQL is the same for every person with these roles.
        def build(values: Mapping[str, Any]) -> ProposalQuerySet:
            stand_in = compiled.stand_in_user(user, values.get("user"))
            return queue_filter(
                queue_rows(_tab_proposals(stand_in, tab), sort), data, user=stand_in
            )

        shape = ("queue rows", tab, sort, work_list, compiled.roles_of(user), *_sla().items())
        rows = compiled.CountedRows(
            lambda limit, offset: compiled.rows(
                shape,
                # Why: the work list is everyone's, whoever looks.
                {} if work_list else {"user": user.pk},
                build,
                using=Proposal.objects.db,
                limit=limit,
                offset=offset,
            ),
            next(t["count"] for t in tabs if t["key"] == tab),
        )
    context: dict[str, Any] = {
        "filter_form": form,
        "page": paginate(request, rows),
        "now": timezone.now(),
        "sla": _sla(),
    }
    if tab in ("work", "assessments"):
        # Why: its own ids, so its labels never point at the filters' fields of the same name.
        context["batch_form"] = BatchAssignForm(
            people=assignable_people(),
            people_shown=compiled.rows(
                ("queue people",),
                {},
                lambda _: assignable_people(),
                using=Proposal.objects.db,
                limit=None,
            ),
            initial={"next": request.get_full_path()},
            auto_id="batch-%s",
        )
    return context


def _filtered(data: Mapping[str, Any]) -> bool:
    """Whether the queue's filters leave out any of the tab's work (sorting leaves out none)."""
    return any(
        value is not None and value != "" and value is not False
        for name, value in data.items()
        if name != "sort"
    )


def _sla() -> dict[str, int]:
    return {stage.value: service_days(stage) for stage in Stage}


def _condition_queue(request: HttpRequest) -> dict[str, Any]:
    """Conditions past their due date, longest overdue first."""
    form = QueueSortForm(request.GET or None)
    sort = form.cleaned_data["sort"] if form.is_valid() and form.cleaned_data["sort"] else "waiting"
    order = {
        "waiting": ("due_on", "proposal_id", "number"),
        "recent": ("-due_on", "-proposal_id", "number"),
        "title": ("proposal__title", "number"),
    }[sort]
    items = _overdue_conditions(request.user).select_related("proposal__submitter").order_by(*order)
    return {"filter_form": form, "page": paginate(request, items)}


def _trip_queue(request: HttpRequest) -> dict[str, Any]:
    """Trips with no briefing recorded that have not started, soonest first."""
    form = TripSortForm(request.GET or None)
    sort = form.cleaned_data["sort"] if form.is_valid() and form.cleaned_data["sort"] else "soonest"
    order = {
        "soonest": ("starts_on", "pk"),
        "recent": ("-recorded_at", "-pk"),
        "title": ("proposal__title", "starts_on", "pk"),
    }[sort]
    trips = _unbriefed_trips(request.user).select_related("proposal").order_by(*order)
    page = paginate(request, trips)
    today = timezone.localdate()
    for trip in page.object_list:
        trip.days_ahead = trip.days_to_start(today)
    return {"filter_form": form, "page": page}


def _hit_queue(request: HttpRequest) -> dict[str, Any]:
    form = HitFilterForm(request.GET or None)
    hits = ScreeningHit.objects.to_adjudicate_by(request.user).select_related(
        "run__proposal", "cet_category", "cet_edition", "list_entry"
    )
    sort = "oldest"
    if form.is_valid():
        if form.cleaned_data["kind"]:
            hits = hits.filter(kind=form.cleaned_data["kind"])
        sort = form.cleaned_data["sort"] or sort
    return {"filter_form": form, "page": paginate(request, hits.order_by(*HIT_SORTS[sort]))}


# --- Screening hits -------------------------------------------------------------------------


def _visible_hit(request: HttpRequest, pk: int) -> ScreeningHit:
    visible = Proposal.objects.visible_to(request.user)
    return get_object_or_404(
        ScreeningHit.objects.select_related(
            "run__proposal__submitter",
            "run__screening_list",
            "cet_edition",
            "cet_category",
            "list_entry__screening_list",
            "adjudicated_by",
            "clause__version__agreement",
            "clause__parent__parent",
        ),
        pk=pk,
        run__proposal__in=visible,
    )


def _party_evidence(hit: ScreeningHit) -> dict[str, Any]:
    """The hit's score parts and, from its run's record, the partner's forms and near misses.

    Near misses are stored with the run (bounded per partner), so the page reads them without
    screening again or querying the list.
    """
    if hit.kind != HitKind.RESTRICTED_PARTY or hit.list_entry_id is None:
        return {}
    names = hit.details.get("partner_names") or [hit.screened_text]
    partner = next(
        (p for p in hit.run.partners_screened if p.get("names") == names),
        None,
    )
    counted = [p for p in hit.score_parts if p.get("score") is not None and p.get("weight")]
    return {
        "score_parts": hit.score_parts,
        "weight_counted": round(sum(p["weight"] for p in counted), 2),
        "partner_screened": partner,
        "near_misses": partner.get("near_misses", []) if partner else [],
        "near_miss_threshold": settings.STA_SCREENING_NEAR_MISS_THRESHOLD,
        "match_threshold": settings.STA_SCREENING_MATCH_THRESHOLD,
    }


@require_http_methods(["GET", "POST"])
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hit = _visible_hit(request, pk)
    proposal = hit.run.proposal
    if not is_review_staff(request.user):
        return refused(
            request,
            permissions.ONLY_STAFF_SEE_EVIDENCE,
            status=403,
            proposal=proposal,
        )
    form = AdjudicationForm(request.POST or None)

    def next_hit(_: ScreeningHit) -> HttpResponse:
        following = (
            ScreeningHit.objects.pending().filter(run__proposal=proposal).order_by("pk").first()
        )
        if following is not None:
            return redirect("reviews:hit_detail", following.pk)
        return redirect("reviews:proposal_detail", proposal.pk)

    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.hit_adjudicate(
                hit=hit,
                adjudication=form.cleaned_data["adjudication"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done=lambda ruled: f"Ruled a {ruled.get_adjudication_display().lower()}.",
            then=next_hit,
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    pending = ScreeningHit.objects.pending().filter(run__proposal=proposal).count()
    context = {
        **_party_evidence(hit),
        "ruling_effects": ruling_effects(hit.kind),
        "hit": hit,
        "proposal": proposal,
        "form": form,
        "can_adjudicate": (
            not hit.adjudication
            and hit.run.is_current
            and permissions.can_adjudicate(request.user, proposal)
        ),
        "pending": pending,
        "nav": "queue" if has_role(request.user, Role.SECURITY_REVIEWER) else "proposals",
    }
    return render(request, "reviews/hit_detail.html", context, status=status)


# --- Assessments ----------------------------------------------------------------------------


def _rb_initial(assessment: RiskBenefitAssessment | None) -> dict[str, Any]:
    if assessment is None:
        return {}
    initial: dict[str, Any] = {
        "recommendation": assessment.recommendation,
        "summary": assessment.summary,
        "reason": "Revised the risk–benefit assessment",
    }
    for score in assessment.scores.all():
        initial[f"{score.criterion}_score"] = score.score
        initial[f"{score.criterion}_rationale"] = score.rationale
    return initial


@require_http_methods(["GET", "POST"])
def assess_risk_benefit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    existing = (
        RiskBenefitAssessment.objects.filter(proposal=proposal, round=proposal.round)
        .prefetch_related("scores")
        .first()
    )
    form = RiskBenefitForm(request.POST or None, initial=_rb_initial(existing))
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.risk_benefit_assess(
                proposal=proposal,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            place=form.add_service_error,
            done="Your risk–benefit assessment is recorded.",
            then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.ASSESS_RISK_BENEFIT,),
            permissions.refusal_assess_risk_benefit(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {
        "proposal": proposal,
        "form": form,
        "existing": existing,
        "summary": compliance_summary(proposal),
        "nav": "queue",
    }
    return render(request, "reviews/assess_risk_benefit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assess_security(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    existing = SecurityAssessment.objects.filter(proposal=proposal, round=proposal.round).first()
    summary = compliance_summary(proposal)
    true_matches = [m.hit for m in summary.true_matches]
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "cet_involvement": existing.cet_involvement,
            "finding": existing.finding,
            "mitigations": existing.mitigations,
            "rationale": existing.rationale,
            "cleared_hit_ids": [m.hit.pk for m in summary.true_matches if m.cleared],
            "reason": "Revised the national-security assessment",
        }
    form = SecurityForm(request.POST or None, initial=initial, true_matches=true_matches)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.security_assess(
                proposal=proposal,
                cet_involvement=form.cleaned_data["cet_involvement"],
                finding=form.cleaned_data["finding"],
                mitigations=form.cleaned_data["mitigations"],
                rationale=form.cleaned_data["rationale"],
                cleared_hit_ids=form.cleaned_data["cleared_hit_ids"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Your national-security assessment is recorded.",
            then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.ASSESS_SECURITY,),
            permissions.refusal_assess_security(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    hits = [m.hit for m in summary.true_matches] + summary.other_hits
    context = {
        "proposal": proposal,
        "form": form,
        "existing": existing,
        "run": summary.run,
        "hits": hits,
        "pending": summary.pending_hits,
        "summary": summary,
        "nav": "queue",
    }
    return render(request, "reviews/assess_security.html", context, status=status)


# --- The decision ---------------------------------------------------------------------------


def _draft_key(proposal: Proposal) -> str:
    return f"decision-draft-{proposal.pk}-{proposal.round}"


def _decision_clauses(proposal: Proposal) -> list[Any]:
    day = proposal.start_date or timezone.localdate()
    return list(
        services.clauses_in_force(day)
        .select_related("version__agreement")
        .order_by("version__agreement__short_title", "version", "order")
    )


def _refuse_deciding(request: HttpRequest, proposal: Proposal) -> HttpResponse | None:
    if proposal.state != ProposalState.IN_REVIEW:
        return refused(
            request,
            f"A proposal that is {proposal.state_label.lower()} cannot be decided; only "
            "proposals in review can.",
            status=409,
            proposal=proposal,
        )
    refusal = permissions.refusal_decide(request.user, proposal)
    if refusal:
        return refused(request, refusal, status=403, proposal=proposal)
    return None


def _condition_json(item: ConditionInput) -> dict[str, Any]:
    """A condition as the draft decision keeps it in the session (JSON)."""
    due = item.due_on.isoformat() if item.due_on else None
    return {"text": item.text, "owner": item.owner, "due_on": due}


def _condition_inputs(rows: list[dict[str, Any]]) -> list[ConditionInput]:
    return [
        ConditionInput(
            text=row["text"],
            owner=row["owner"],
            due_on=dt.date.fromisoformat(row["due_on"]) if row.get("due_on") else None,
        )
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision form. A return is recorded at once; approving, approving with conditions
    and rejecting are final, so the form leads to the confirmation page (``decide_confirm``)
    after every rule has been checked."""
    proposal = visible_proposal(request, pk)
    clauses = _decision_clauses(proposal)
    draft = request.session.get(_draft_key(proposal))
    cited = list(proposal.cited_clauses.values_list("pk", flat=True))
    initial = draft if request.method == "GET" and draft else {"cited_clause_ids": cited}
    form = DecisionForm(
        request.POST or None,
        clauses=clauses,
        initial={k: v for k, v in initial.items() if k != "condition_items"},
    )
    rows = draft.get("condition_items", []) if request.method == "GET" and draft else []
    conditions = ConditionFormSet(request.POST or None, prefix="conditions", initial=rows or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and conditions.is_valid():
            data = form.cleaned_data
            items = conditions.items()
            fields: dict[str, Any] = {
                "outcome": data["outcome"],
                "condition_items": items,
                "questions": data["questions"],
                "cited_clause_ids": [int(pk) for pk in data["cited_clause_ids"]],
                "reason": data["reason"],
            }
            final = data["outcome"] != DecisionOutcome.RETURN
            service = services.decision_check if final else services.decision_record

            def place(field: str, message: str) -> None:
                if field in ("conditions", "condition_items"):
                    conditions.add_service_error(message)
                else:
                    form.add_error(field if field in form.fields else None, message)

            outcome = call_service(
                request,
                form,
                lambda: service(proposal=proposal, acting_user=request.user, **fields),
                proposal=proposal,
                place=place,
            )
            if outcome.response is not None:
                return outcome.response
            if outcome.ok and final:
                request.session[_draft_key(proposal)] = {
                    **fields,
                    "condition_items": [_condition_json(item) for item in items],
                }
                return redirect("reviews:decide_confirm", proposal.pk)
            if outcome.ok:
                messages.success(
                    request, "Returned for changes; the submitter has been sent your questions."
                )
                return redirect("reviews:proposal_detail", proposal.pk)
            status = outcome.status
    else:
        refusal = _refuse_deciding(request, proposal)
        if refusal is not None:
            return refusal
    context = {
        "proposal": proposal,
        "form": form,
        "conditions": conditions,
        "summary": compliance_summary(proposal),
        "nav": "queue",
    }
    return render(request, "reviews/decide.html", context, status=status)


@require_http_methods(["GET", "POST"])
def decide_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Repeat the decision and the compliance summary, say that it is final, and record it
    only when the decider confirms (naming every true restricted-party match approved)."""
    proposal = visible_proposal(request, pk)
    refusal = _refuse_deciding(request, proposal)
    if refusal is not None:
        return refusal
    draft = request.session.get(_draft_key(proposal))
    if not draft:
        messages.info(request, "Fill in the decision first; then confirm it here.")
        return redirect("reviews:decide", proposal.pk)
    summary = compliance_summary(proposal)
    approving = draft["outcome"] in (
        DecisionOutcome.APPROVE,
        DecisionOutcome.APPROVE_WITH_CONDITIONS,
    )
    true_matches = [m.hit for m in summary.true_matches] if approving else []
    # Why: not "request.POST or None": an empty POST must be a bound form that says what is
    # missing, not an unbound one.
    bound = request.POST if request.method == "POST" else None
    form = DecisionConfirmForm(bound, true_matches=true_matches)

    def recorded(_: Decision) -> HttpResponse:
        del request.session[_draft_key(proposal)]
        return redirect("reviews:proposal_detail", proposal.pk)

    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.decision_record(
                proposal=proposal,
                acting_user=request.user,
                confirmed_match_ids=form.cleaned_data["confirmed_match_ids"],
                **{
                    **draft,
                    "condition_items": _condition_inputs(draft.get("condition_items", [])),
                },
            ),
            proposal=proposal,
            done=lambda decision: (
                f"Decision recorded: {decision.get_outcome_display().lower()}. "
                "The submitter has been told."
            ),
            then=recorded,
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    cited = Clause.objects.filter(pk__in=draft["cited_clause_ids"]).select_related(
        "version__agreement"
    )
    context = {
        "proposal": proposal,
        "form": form,
        "draft": draft,
        "outcome_label": DecisionOutcome(draft["outcome"]).label,
        "condition_items": _condition_inputs(draft.get("condition_items", [])),
        "cited": list(cited.order_by("version", "order")),
        "summary": summary,
        "true_matches": true_matches,
        "nav": "queue",
    }
    return render(request, "reviews/decide_confirm.html", context, status=status)
