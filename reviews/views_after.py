"""Pages after approval: the reciprocity ledger of a project, the reciprocity-concerns queue,
and disputes step by step."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, services
from .forms_after import (
    CorrectionForm,
    DisputeOpenForm,
    DisputeStepForm,
    ExchangeForm,
    LedgerAttachmentForm,
)
from .models import Dispute, DisputeStep, LedgerAttachment, LedgerEntry, ProjectGround, Proposal
from .pages import (
    form_problems,
    guard,
    is_review_staff,
    refused,
    submit_form,
    visible_proposal,
)
from .services.reciprocity import indicators_for, programme_reciprocity, project_indicators
from .workflow import LIVE_STATES, DisputeAction, ProposalAction, ProposalState, dispute_actions

AFTER_APPROVAL_STATES = LIVE_STATES | {ProposalState.TERMINATED}


def _nav(request: HttpRequest) -> str:
    return "proposals" if is_review_staff(request.user) else "my_proposals"


def _entries(proposal: Proposal) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(proposal=proposal)
        .select_related("recorded_by", "corrects", "correction")
        .prefetch_related("attachments")
        .order_by("requested_on", "pk")
    )


def _current(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    replaced = {e.corrects_id for e in entries if e.corrects_id}
    return [e for e in entries if e.pk not in replaced]


def after_approval_context(user: Any, proposal: Proposal) -> dict[str, Any]:
    """What the project page shows of the ledger, disputes and the grounds of its suspensions,
    resumptions and terminations, once it was approved (three queries)."""
    if proposal.state not in AFTER_APPROVAL_STATES:
        return {}
    return {
        "reciprocity": project_indicators(proposal),
        "open_dispute": Dispute.objects.open().filter(proposal=proposal).first(),
        "grounds": list(
            ProjectGround.objects.filter(proposal=proposal)
            .select_related("event", "dispute", "recorded_by")
            .order_by("recorded_at", "pk")
        ),
        "can_record_exchange": permissions.can_record_exchange(user, proposal),
    }


def dashboard_reciprocity() -> dict[str, Any]:
    """The programme's reciprocity indicators over every running project, the number of
    projects of concern and of open disputes: aggregates, for analysts too (two queries)."""
    indicators, concerns = programme_reciprocity()
    return {
        "programme_reciprocity": indicators,
        "concern_count": concerns,
        "open_dispute_count": Dispute.objects.open().count(),
    }


# The ledger ----------------------------------------------------------------------------------


@require_GET
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    entries = _entries(proposal)
    current = _current(entries)
    indicators = indicators_for(current)
    context = {
        "proposal": proposal,
        "nav": _nav(request),
        "entries": current,
        "replaced": [e for e in entries if e not in current],
        "indicators": indicators,
        "can_record": permissions.can_record_exchange(request.user, proposal),
        "can_open_dispute": permissions.can_open_dispute(request.user, proposal),
        "disputes": list(Dispute.objects.filter(proposal=proposal).order_by("-opened_at")),
        "today": timezone.localdate(),
    }
    return render(request, "reviews/after/ledger.html", context)


@require_http_methods(["GET", "POST"])
def ledger_record(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = ExchangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.ledger_entry_record(
                proposal=proposal, data=form.exchange(), acting_user=request.user
            ),
            proposal=proposal,
            done="Recorded in the ledger.",
            then=lambda _: redirect("reviews:ledger", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.RECORD_EXCHANGE,),
            permissions.refusal_record_exchange(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {
        "proposal": proposal,
        "form": form,
        "nav": _nav(request),
        "title": "Record a data exchange",
        "button": "Record",
    }
    return render(request, "reviews/after/ledger_form.html", context, status=status)


@require_GET
def ledger_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    entry = get_object_or_404(
        LedgerEntry.objects.select_related("recorded_by", "correction"),
        pk=entry_pk,
        proposal=proposal,
    )
    # The chain of versions this entry belongs to, oldest first.
    entries = {e.pk: e for e in _entries(proposal)}
    chain = [entries[entry.pk]]
    while chain[0].corrects_id:
        chain.insert(0, entries[chain[0].corrects_id])
    while (nxt := getattr(chain[-1], "correction", None)) is not None:
        chain.append(entries[nxt.pk])
    latest = chain[-1]
    can_record = permissions.can_record_exchange(request.user, proposal)
    context = {
        "proposal": proposal,
        "nav": _nav(request),
        "entry": entries[entry.pk],
        "chain": chain,
        "latest": latest,
        "can_correct": can_record and latest.pk == entry.pk,
        "can_attach": can_record,
        "attachment_form": LedgerAttachmentForm(),
    }
    return render(request, "reviews/after/ledger_entry.html", context)


@require_http_methods(["GET", "POST"])
def ledger_entry_correct(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    entry = get_object_or_404(LedgerEntry, pk=entry_pk, proposal=proposal)
    form = CorrectionForm(request.POST or None, initial=CorrectionForm.initial_from(entry))
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.ledger_entry_correct(
                entry=entry,
                data=form.exchange(),
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Corrected; the earlier entry is kept in the ledger.",
            then=lambda correction: redirect("reviews:ledger_entry", proposal.pk, correction.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.CORRECT_EXCHANGE,),
            permissions.refusal_record_exchange(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {
        "proposal": proposal,
        "form": form,
        "nav": _nav(request),
        "entry": entry,
        "title": f"Correct ledger entry {entry.pk}",
        "button": "Record the correction",
    }
    return render(request, "reviews/after/ledger_form.html", context, status=status)


@require_POST
def ledger_attachment_add(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    entry = get_object_or_404(LedgerEntry, pk=entry_pk, proposal=proposal)
    form = LedgerAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        refusal = permissions.refusal_record_exchange(request.user, proposal)
        if refusal:
            return refused(request, refusal, status=403, proposal=proposal)
        return refused(request, form_problems(form), status=400, proposal=proposal)
    answer = submit_form(
        request,
        form,
        lambda: services.ledger_attachment_add(
            entry=entry,
            upload=form.cleaned_data["file"],
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        proposal=proposal,
        done="The file is kept as evidence of the entry.",
        then=lambda _: redirect("reviews:ledger_entry", proposal.pk, entry.pk),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return refused(request, form_problems(form), status=answer, proposal=proposal)


@require_GET
def ledger_attachment_download(
    request: HttpRequest, pk: int, entry_pk: int, attachment_pk: int
) -> FileResponse:
    proposal = visible_proposal(request, pk)
    attachment = get_object_or_404(
        LedgerAttachment, pk=attachment_pk, entry_id=entry_pk, entry__proposal=proposal
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this attachment is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The queue -----------------------------------------------------------------------------------


@require_GET
def concerns(request: HttpRequest) -> HttpResponse:
    refusal = permissions.refusal_view_concerns(request.user)
    if refusal:
        return refused(request, refusal, status=403)
    found = services.reciprocity_concerns(Proposal.objects.visible_to(request.user))
    context = {"concerns": found, "nav": "concerns"}
    return render(request, "reviews/after/concerns.html", context)


# Disputes ------------------------------------------------------------------------------------


def _dispute_open_form(request: HttpRequest, proposal: Proposal) -> DisputeOpenForm:
    clauses = services.clauses_in_force(timezone.localdate()).select_related("version__agreement")
    entries = _current(_entries(proposal))
    return DisputeOpenForm(
        request.POST or None,
        clauses=list(clauses.order_by("version", "order")),
        entries=entries,
        initial={"evidence_entry_ids": [e.pk for e in entries if e.status != "provided"]},
    )


@require_http_methods(["GET", "POST"])
def dispute_open(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = _dispute_open_form(request, proposal)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.dispute_open(
                proposal=proposal,
                ground=form.cleaned_data["ground"],
                statement=form.cleaned_data["statement"],
                cited_clause_ids=form.cleaned_data["cited_clause_ids"],
                evidence_entry_ids=form.cleaned_data["evidence_entry_ids"],
                acting_user=request.user,
            ),
            proposal=proposal,
            done="The dispute is open and consultation is requested; people are told.",
            then=lambda dispute: redirect("reviews:dispute_detail", proposal.pk, dispute.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.OPEN_DISPUTE,),
            permissions.refusal_open_dispute(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {"proposal": proposal, "form": form, "nav": _nav(request)}
    return render(request, "reviews/after/dispute_open.html", context, status=status)


@require_GET
def dispute_detail(request: HttpRequest, pk: int, dispute_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    dispute = get_object_or_404(
        Dispute.objects.select_related("opened_by").prefetch_related(
            "cited_clauses",
            "evidence_entries",
            Prefetch("steps", queryset=DisputeStep.objects.select_related("actor")),
        ),
        pk=dispute_pk,
        proposal=proposal,
    )
    steps = [
        (
            action,
            permissions.refusal_dispute_step(request.user, proposal, dispute.opened_by_id, action),
        )
        for action in dispute_actions(dispute.status)
    ]
    context = {
        "proposal": proposal,
        "dispute": dispute,
        "nav": _nav(request),
        "next_steps": [
            {"action": action, "label": DisputeAction(action).label, "refusal": refusal}
            for action, refusal in steps
        ],
        "overdue": dispute.is_overdue(),
    }
    return render(request, "reviews/after/dispute_detail.html", context)


STEP_WORDS: dict[str, dict[str, Any]] = {
    DisputeAction.HOLD_CONSULTATION: {
        "title": "Record the consultation held",
        "explanation": "Who met, when, what each side said and agreed.",
    },
    DisputeAction.RESOLVE: {
        "title": "Resolve the dispute",
        "explanation": "The partner has put things right; cooperation continues as approved.",
    },
    DisputeAction.CEASE: {
        "title": "Cease cooperation",
        "explanation": (
            "The project is suspended with this dispute as its ground; the submitter is told."
        ),
    },
    DisputeAction.RESUME: {
        "title": "Resume cooperation",
        "explanation": "The project returns to approved, on this dispute as its ground.",
    },
    DisputeAction.TERMINATE: {
        "title": "Terminate the project",
        "explanation": "Cooperation under this project ends for good, on this dispute.",
    },
}


@require_http_methods(["GET", "POST"])
def dispute_step(request: HttpRequest, pk: int, dispute_pk: int, action: str) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    dispute = get_object_or_404(Dispute, pk=dispute_pk, proposal=proposal)
    words = STEP_WORDS.get(action)
    if words is None:
        raise Http404("No such step.")
    form = DisputeStepForm(request.POST or None)
    status = 200
    if action not in dispute_actions(dispute.status):
        return refused(
            request,
            f"A dispute whose status is “{dispute.get_status_display().lower()}” cannot be given "
            f"the step “{DisputeAction(action).label.lower()}”.",
            status=409,
            proposal=proposal,
        )
    refusal = permissions.refusal_dispute_step(request.user, proposal, dispute.opened_by_id, action)
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.dispute_step_take(
                dispute=dispute,
                action=action,
                notes=form.cleaned_data["notes"],
                acting_user=request.user,
            ),
            proposal=proposal,
            done=f"{words['title']}: recorded; people are told.",
            then=lambda _: redirect("reviews:dispute_detail", proposal.pk, dispute.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    elif refusal:
        return refused(request, refusal, status=403, proposal=proposal)
    context = {
        "proposal": proposal,
        "dispute": dispute,
        "form": form,
        "nav": _nav(request),
        "words": words,
        "action": action,
    }
    return render(request, "reviews/after/dispute_step.html", context, status=status)
