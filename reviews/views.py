"""Proposal pages: lists, the proposal itself, the draft form, and the actions that need
nothing but a reason (submit, withdraw, return, suspend, resume, terminate, screen again)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clauses.diffing import diff_texts
from clauses.models import Clause
from sta_tracker.roles import Role, has_role
from sta_tracker.views import landing_for

from . import permissions, services
from .compliance import compliance_summary
from .forms import (
    REQUIRED_FOR_SUBMISSION,
    AttachmentForm,
    ConditionAcknowledgeForm,
    ConditionResolveForm,
    InstitutionFormSet,
    PersonFormSet,
    ProposalFilterForm,
    ProposalForm,
    ReasonForm,
    proposal_content,
)
from .models import (
    INSTITUTION_FIELDS,
    PROPOSAL_FIELDS,
    ClauseChangeFlag,
    ConditionItem,
    Decision,
    HitKind,
    Proposal,
    ProposalAttachment,
    RiskBenefitAssessment,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
    declared_field,
)
from .pages import (
    call_service,
    is_review_staff,
    paginate,
    query_without_page,
    refused,
    visible_proposal,
)
from .queues import by_agency_and_field
from .rubric import BENEFITS, RISKS
from .views_after import after_approval_context
from .views_assign import step_rows
from .workflow import LIVE_STATES, ProposalState

SAFETY_PAGE_STATES = LIVE_STATES | {ProposalState.TERMINATED}

PROPOSAL_SORTS = {
    "-updated": ("-updated_at", "-pk"),
    "updated": ("updated_at", "pk"),
    "waiting": ("state_changed_at", "pk"),
    "title": ("title", "pk"),
    "state": ("state", "-updated_at", "pk"),
    "-created": ("-created_at", "-pk"),
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their work, as the site's home does (``sta_tracker.views``)."""
    if not any(has_role(request.user, role) for role in Role):
        return refused(request, permissions.NO_REVIEW_ROLE, status=403)
    return redirect(landing_for(request.user))


def _filtered(request: HttpRequest, proposals: QuerySet[Proposal]) -> tuple[Any, Any]:
    form = ProposalFilterForm(request.GET or None)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        # Why: a filter with an unknown value is reported on the form; the others still apply.
        data = form.cleaned_data
    if data.get("q"):
        proposals = proposals.filter(title__icontains=data["q"])
    if data.get("state"):
        proposals = proposals.filter(state=data["state"])
    proposals = by_agency_and_field(proposals, data.get("agency"), data.get("field"))
    if data.get("flagged"):
        proposals = proposals.flagged()  # type: ignore[attr-defined]
    sort = data.get("sort") or "-updated"
    return form, proposals.order_by(*PROPOSAL_SORTS[sort])


@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.SUBMITTER):
        return refused(request, permissions.ONLY_SUBMITTERS_HAVE_OWN, status=403)
    mine = Proposal.objects.visible_to(request.user).filter(submitter_id=request.user.pk)
    form, proposals = _filtered(request, mine)
    context = {
        "filter_form": form,
        "page": paginate(request, proposals),
        "query": query_without_page(request.GET),
        "can_create": permissions.can_create(request.user),
        "mine": True,
        "nav": "my_proposals",
    }
    return render(request, "reviews/proposal_list.html", context)


@require_GET
def all_proposals(request: HttpRequest) -> HttpResponse:
    if not is_review_staff(request.user):
        return refused(request, permissions.ONLY_STAFF_SEE_ALL, status=403)
    everything = Proposal.objects.visible_to(request.user).select_related(
        "submitter", "us_agency", "scientific_field"
    )
    form, proposals = _filtered(request, everything)
    context = {
        "filter_form": form,
        "page": paginate(request, proposals),
        "query": query_without_page(request.GET),
        "mine": False,
        "nav": "proposals",
    }
    return render(request, "reviews/proposal_list.html", context)


# --- The proposal page ----------------------------------------------------------------------


def action_flags(user: Any, proposal: Proposal) -> dict[str, bool]:
    """Which buttons the person gets; the services check the same rules again on use."""
    return {
        "can_edit": permissions.can_edit(user, proposal),
        "can_submit": permissions.can_submit(user, proposal),
        "can_resubmit": permissions.can_resubmit(user, proposal),
        "can_withdraw": permissions.can_withdraw(user, proposal),
        "can_screen": permissions.can_screen(user, proposal),
        "can_adjudicate": permissions.can_adjudicate(user, proposal),
        "can_assess_risk_benefit": permissions.can_assess_risk_benefit(user, proposal),
        "can_assess_security": permissions.can_assess_security(user, proposal),
        "can_return": permissions.can_return(user, proposal),
        "can_decide": permissions.can_decide(user, proposal),
        "can_suspend": permissions.can_suspend(user, proposal),
        "can_resume": permissions.can_resume(user, proposal),
        "can_terminate": permissions.can_terminate(user, proposal),
        # Researcher safety: trips and incidents of a project once approved.
        "has_safety_page": proposal.state in SAFETY_PAGE_STATES,
        "can_clear_flag": permissions.can_clear_flag(user, proposal),
        "can_acknowledge_conditions": permissions.can_acknowledge_conditions(user, proposal),
        "can_resolve_condition": permissions.can_resolve_condition(user, proposal),
    }


@dataclass(frozen=True)
class ConditionView:
    item: ConditionItem
    overdue: bool


@dataclass
class FlagView:
    flag: ClauseChangeFlag
    heading_ops: Any
    text_ops: Any
    words_inserted: int
    words_deleted: int


def flag_views(flags: list[ClauseChangeFlag]) -> list[FlagView]:
    views = []
    for flag in flags:
        old = flag.old_clause
        new = flag.new_clause
        text = diff_texts(old.text if old else "", new.text)
        heading = diff_texts(old.heading if old else "", new.heading)
        views.append(
            FlagView(
                flag=flag,
                heading_ops=heading.ops,
                text_ops=text.ops,
                words_inserted=text.words_inserted + heading.words_inserted,
                words_deleted=text.words_deleted + heading.words_deleted,
            )
        )
    return views


_CLAUSE_LINK = ("version__agreement", "parent__parent")


def _staff_context(proposal: Proposal) -> dict[str, Any]:
    hits = ScreeningHit.objects.select_related(
        "cet_edition",
        "cet_category",
        "list_entry",
        "adjudicated_by",
        "clause__version__agreement",
        "clause__parent__parent",
    ).order_by("kind", "pk")
    runs = list(
        ScreeningRun.objects.filter(proposal=proposal)
        .select_related("cet_edition", "screening_list", "started_by")
        .prefetch_related(Prefetch("hits", queryset=hits))
        .order_by("-created_at", "-pk")
    )
    risk_benefit = list(
        RiskBenefitAssessment.objects.filter(proposal=proposal)
        .select_related("assessor")
        .prefetch_related("scores")
        .order_by("-round")
    )
    for assessment in risk_benefit:
        by_criterion = {s.criterion: s for s in assessment.scores.all()}
        assessment.benefit_scores = [by_criterion.get(c) for c in BENEFITS]  # type: ignore[attr-defined]
        assessment.risk_scores = [by_criterion.get(c) for c in RISKS]  # type: ignore[attr-defined]
    security = list(
        SecurityAssessment.objects.filter(proposal=proposal)
        .select_related("assessor", "screening_run")
        .order_by("-round")
    )
    current = next((r for r in runs if r.is_current), None)
    pending = [h for h in current.hits.all() if not h.adjudication] if current else []
    return {
        "pending_hits": pending,
        "current_run": current,
        "earlier_runs": [r for r in runs if not r.is_current],
        "risk_benefit_assessments": risk_benefit,
        "security_assessments": security,
        "summary": compliance_summary(proposal),
    }


def _submitter_screening(proposal: Proposal) -> dict[str, Any]:
    """What screening found, as counts: the evidence itself is the reviewers' working material."""
    run = ScreeningRun.objects.filter(proposal=proposal, is_current=True).first()
    if run is None:
        return {"screening_summary": None}
    hits = list(run.hits.only("kind", "adjudication", "summary"))
    return {
        "screening_summary": {
            "run": run,
            "total": len(hits),
            "pending": sum(1 for h in hits if not h.adjudication),
            "missing": [h.summary for h in hits if h.kind == HitKind.COMPLETENESS],
        }
    }


@dataclass(frozen=True)
class FieldRow:
    """One declared proposal field as the proposal page shows it; ``kind`` picks the format."""

    label: str
    value: Any
    kind: str


def _kind(field: Any) -> str:
    if isinstance(field, models.TextField):
        return "prose"
    if isinstance(field, models.BooleanField):
        return "yes_no"
    if isinstance(field, models.DecimalField):
        return "money"
    if isinstance(field, models.DateField):
        return "date"
    return "text"


def field_rows(proposal: Proposal) -> list[FieldRow]:
    """Every declared field but the title (the page's heading), in the form's order."""
    rows = []
    for name in PROPOSAL_FIELDS[1:]:
        field = declared_field(name)
        label = capfirst(str(field.verbose_name))
        rows.append(FieldRow(label=label, value=getattr(proposal, name), kind=_kind(field)))
    return rows


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    user = request.user
    staff = is_review_staff(user)
    flags = list(
        ClauseChangeFlag.objects.filter(proposal=proposal)
        .select_related(
            "version",
            "cleared_by",
            "old_clause",
            "new_clause__version__agreement",
            "new_clause__parent__parent",
            "cited_clause__version",
            "cited_clause__parent__parent",
        )
        .order_by("cleared_at", "created_at", "pk")
    )
    decisions = list(
        Decision.objects.filter(proposal=proposal)
        .select_related("decided_by")
        .prefetch_related(
            Prefetch("cited_clauses", queryset=Clause.objects.select_related(*_CLAUSE_LINK))
        )
        .order_by("-round")
    )
    conditions = list(
        ConditionItem.objects.filter(proposal=proposal)
        .select_related("acknowledged_by", "resolved_by")
        .order_by("decision__round", "number")
    )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "proposal": proposal,
        "conditions": [ConditionView(item, item.is_overdue(today)) for item in conditions],
        "conditions_acknowledged": next(
            (c for c in conditions if c.acknowledged_at is not None), None
        ),
        "open_condition_count": sum(1 for c in conditions if c.is_open),
        "acknowledge_form": ConditionAcknowledgeForm(),
        "resolve_form": ConditionResolveForm(),
        "field_rows": field_rows(proposal),
        "institutions": list(proposal.institutions.all()),
        "people": list(proposal.people.select_related("institution")),
        "attachments": list(proposal.attachments.all()),
        "cited_clauses": list(
            proposal.cited_clauses.select_related(*_CLAUSE_LINK).order_by("version", "order")
        ),
        "events": list(proposal.events.select_related("actor").order_by("created_at", "pk")),
        "history": list(
            Proposal.history.filter(id=proposal.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        ),
        "open_flags": flag_views([f for f in flags if f.is_open]),
        "cleared_flags": [f for f in flags if not f.is_open],
        "decisions": decisions,
        "staff": staff,
        "is_submitter": proposal.submitter_id == user.pk,
        "nav": "proposals" if staff else "my_proposals",
        **action_flags(user, proposal),
    }
    context.update(_staff_context(proposal) if staff else _submitter_screening(proposal))
    if staff:
        context["rows"] = step_rows(user, proposal)
        context["can_open_assign"] = has_role(user, Role.REVIEWER) or has_role(
            user, Role.SECURITY_REVIEWER
        )
    this_round = [
        a
        for a in (
            *context.get("risk_benefit_assessments", ()),
            *context.get("security_assessments", ()),
        )
        if a.round == proposal.round and a.assessor_id == user.pk
    ]
    context["risk_benefit_mine"] = any(isinstance(a, RiskBenefitAssessment) for a in this_round)
    context["security_mine"] = any(isinstance(a, SecurityAssessment) for a in this_round)
    context.update(after_approval_context(user, proposal))
    return render(request, "reviews/proposal_detail.html", context)


# --- Drafts ---------------------------------------------------------------------------------


def _clauses_in_force() -> list[Clause]:
    return list(
        services.clauses_in_force(timezone.localdate())
        .select_related("version__agreement")
        .order_by("version__agreement__short_title", "version", "order")
    )


def _partners_initial(proposal: Proposal) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    institutions = [
        {name: getattr(i, name) for name in INSTITUTION_FIELDS} for i in proposal.institutions.all()
    ]
    people = [
        {
            "name": p.name,
            "position": p.position,
            "institution": str(p.institution) if p.institution else "",
        }
        for p in proposal.people.select_related("institution")
    ]
    return institutions, people


def _draft_form(request: HttpRequest, proposal: Proposal | None) -> tuple[ProposalForm, Any, Any]:
    clauses = _clauses_in_force()
    instance = proposal if proposal is not None else Proposal()
    if request.method == "POST":
        return (
            ProposalForm(request.POST, instance=instance, clauses=clauses),
            InstitutionFormSet(request.POST, prefix="institutions"),
            PersonFormSet(request.POST, prefix="people"),
        )
    if proposal is None:
        return (
            ProposalForm(instance=instance, clauses=clauses),
            InstitutionFormSet(prefix="institutions"),
            PersonFormSet(prefix="people"),
        )
    institutions, people = _partners_initial(proposal)
    initial = {
        "cited_clause_ids": list(proposal.cited_clauses.values_list("pk", flat=True)),
        "reason": "Edited the draft",
    }
    return (
        ProposalForm(instance=proposal, initial=initial, clauses=clauses),
        InstitutionFormSet(initial=institutions, prefix="institutions"),
        PersonFormSet(initial=people, prefix="people"),
    )


def _save_draft(
    request: HttpRequest,
    proposal: Proposal | None,
    save: Callable[..., Proposal],
) -> HttpResponse:
    form, institutions, people = _draft_form(request, proposal)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and institutions.is_valid() and people.is_valid():
            content = proposal_content(form, institutions, people)
            outcome = call_service(
                request,
                form,
                lambda: save(content=content, reason=form.cleaned_data["reason"]),
                proposal=proposal,
            )
            if outcome.response is not None:
                return outcome.response
            if outcome.ok:
                saved: Proposal = outcome.result
                messages.success(request, "The draft is saved.")
                return redirect("reviews:proposal_detail", saved.pk)
            status = outcome.status
    names = sorted(
        {
            f.initial.get("name", "") if not f.is_bound else f.data.get(f.add_prefix("name"), "")
            for f in institutions.forms
        }
        - {""}
    )
    context = {
        "proposal": proposal,
        "form": form,
        "institutions": institutions,
        "people": people,
        "institution_names": names,
        "attachment_form": AttachmentForm() if proposal is not None else None,
        "attachments": list(proposal.attachments.all()) if proposal is not None else [],
        "needed_to_submit": REQUIRED_FOR_SUBMISSION,
        "nav": "my_proposals",
    }
    return render(request, "reviews/proposal_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    refusal = permissions.refusal_create(request.user)
    if refusal:
        return refused(request, refusal, status=403)

    def save(*, content: Any, reason: str) -> Proposal:
        return services.proposal_create(content=content, acting_user=request.user, reason=reason)

    return _save_draft(request, None, save)


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    if proposal.state not in (ProposalState.DRAFT, ProposalState.RETURNED):
        message = (
            f"A proposal that is {proposal.state_label.lower()} cannot be edited; only drafts "
            "and proposals returned for changes can."
        )
        return refused(request, message, status=409, proposal=proposal)
    refusal = permissions.refusal_edit(request.user, proposal)
    if refusal:
        return refused(request, refusal, status=403, proposal=proposal)

    def save(*, content: Any, reason: str) -> Proposal:
        return services.proposal_update(
            proposal=proposal, content=content, acting_user=request.user, reason=reason
        )

    return _save_draft(request, proposal, save)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        outcome = call_service(
            request,
            form,
            lambda: services.attachment_add(
                proposal=proposal,
                upload=form.cleaned_data["file"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
        )
        if outcome.response is not None:
            return outcome.response
        if outcome.ok:
            messages.success(request, f"Attached {outcome.result.name}.")
            return redirect("reviews:proposal_edit", proposal.pk)
        status = outcome.status
    else:
        status = 400
    errors = [str(e) for errors in form.errors.values() for e in errors]
    context = {"proposal": proposal, "form": form, "errors": errors}
    return render(request, "reviews/attachment_error.html", context, status=status)


@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    form = ReasonForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            request,
            form,
            lambda: services.attachment_remove(
                attachment=attachment, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
            proposal=proposal,
        )
        if outcome.response is not None:
            return outcome.response
        if outcome.ok:
            messages.success(request, f"Removed {attachment.name}.")
            return redirect("reviews:proposal_edit", proposal.pk)
        status = outcome.status
    else:
        status = 400
    errors = [str(e) for errors in form.errors.values() for e in errors]
    context = {"proposal": proposal, "form": form, "errors": errors}
    return render(request, "reviews/attachment_error.html", context, status=status)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    proposal = visible_proposal(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this attachment is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
