"""Actions on a proposal that need only a reason (submit, resubmit, withdraw, suspend, resume,
terminate), returning it with questions, screening it again, clearing a changed-clause flag, and
following up the conditions of an approval."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import permissions, services
from .forms import (
    ConditionAcknowledgeForm,
    ConditionResolveForm,
    FlagClearForm,
    ReasonForm,
    ReturnForm,
)
from .forms_after import GroundedReasonForm
from .models import ClauseChangeFlag, ConditionItem, Proposal, ScreeningRun
from .pages import (
    form_problems,
    guard,
    is_review_staff,
    refused,
    submit_form,
    visible_proposal,
)
from .workflow import ProposalAction


@dataclass(frozen=True)
class ReasonAction:
    """A page with one reason box that calls one service."""

    title: str
    button: str
    explanation: str
    actions: tuple[ProposalAction, ...]
    refusal: Callable[[Any, Proposal], str | None]
    service: Callable[..., Any]
    done: str
    initial: str = ""
    # Suspension, resumption and termination name their ground as well as a reason.
    grounded: bool = False


REASON_ACTIONS: dict[str, ReasonAction] = {
    "submit": ReasonAction(
        title="Submit for review",
        button="Submit",
        explanation=(
            "Screening starts as soon as you submit. You cannot edit the proposal again unless "
            "the reviewers return it to you."
        ),
        actions=(ProposalAction.SUBMIT,),
        refusal=permissions.refusal_submit,
        service=services.proposal_submit,
        done="Submitted. Screening has started.",
        initial="Ready for review",
    ),
    "resubmit": ReasonAction(
        title="Resubmit after changes",
        button="Resubmit",
        explanation="The proposal is screened again and reviewed in a new round.",
        actions=(ProposalAction.RESUBMIT,),
        refusal=permissions.refusal_resubmit,
        service=services.proposal_resubmit,
        done="Resubmitted. Screening has started again.",
        initial="Answered the reviewers' questions",
    ),
    "withdraw": ReasonAction(
        title="Withdraw the proposal",
        button="Withdraw",
        explanation="A withdrawn proposal leaves the process for good.",
        actions=(ProposalAction.WITHDRAW,),
        refusal=permissions.refusal_withdraw,
        service=services.proposal_withdraw,
        done="Withdrawn.",
    ),
    "suspend": ReasonAction(
        title="Suspend the project",
        button="Suspend",
        explanation=(
            "Cooperation pauses, for instance because the partner does not reciprocate on data. "
            "The submitter is told why."
        ),
        actions=(ProposalAction.SUSPEND,),
        refusal=permissions.refusal_suspend,
        service=services.proposal_suspend,
        done="Suspended.",
        grounded=True,
    ),
    "resume": ReasonAction(
        title="Resume the project",
        button="Resume",
        explanation="The project returns to approved, with its conditions if it had any.",
        actions=(ProposalAction.RESUME, ProposalAction.RESUME_WITH_CONDITIONS),
        refusal=permissions.refusal_resume,
        service=services.proposal_resume,
        done="Resumed.",
        grounded=True,
    ),
    "terminate": ReasonAction(
        title="Terminate the project",
        button="Terminate",
        explanation="Cooperation ends for good. The submitter is told why.",
        actions=(ProposalAction.TERMINATE,),
        refusal=permissions.refusal_terminate,
        service=services.proposal_terminate,
        done="Terminated.",
        grounded=True,
    ),
}


@require_http_methods(["GET", "POST"])
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = REASON_ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    proposal = visible_proposal(request, pk)
    form: ReasonForm | GroundedReasonForm
    if spec.grounded:
        form = GroundedReasonForm(request.POST or None, proposal=proposal)
    else:
        form = ReasonForm(request.POST or None, initial={"reason": spec.initial})
    status = 200
    if request.method == "POST":
        # Why: as the services do, the state first and then the person, before the input.
        refusal = guard(request, proposal, spec.actions, spec.refusal(request.user, proposal))
        if refusal is not None:
            return refusal
        answer = submit_form(
            request,
            form,
            lambda: spec.service(
                proposal=proposal,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                **({"ground": form.ground()} if isinstance(form, GroundedReasonForm) else {}),
            ),
            proposal=proposal,
            done=spec.done,
            then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(request, proposal, spec.actions, spec.refusal(request.user, proposal))
        if refusal is not None:
            return refusal
    context = {
        "proposal": proposal,
        "form": form,
        "spec": spec,
        "nav": _nav(request),
        "unscreened": (
            services.unscreenable_institutions(proposal) if action in {"submit", "resubmit"} else ()
        ),
    }
    return render(request, "reviews/proposal_action.html", context, status=status)


@require_http_methods(["GET", "POST"])
def proposal_return(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = ReturnForm(request.POST or None, initial={"reason": "Changes needed before review"})
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.proposal_return(
                proposal=proposal,
                questions=form.cleaned_data["questions"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done="Returned to the submitter with your questions.",
            then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    else:
        refusal = guard(
            request,
            proposal,
            (ProposalAction.RETURN,),
            permissions.refusal_return(request.user, proposal),
        )
        if refusal is not None:
            return refusal
    context = {"proposal": proposal, "form": form, "nav": _nav(request)}
    return render(request, "reviews/proposal_return.html", context, status=status)


@require_POST
def proposal_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """Run screening again now, as the person asking (for instance after a list update)."""
    proposal = visible_proposal(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for screening again.")
        return redirect("reviews:proposal_detail", proposal.pk)
    answer = submit_form(
        request,
        form,
        lambda: services.screening_run(
            proposal=proposal, acting_user=request.user, reason=form.cleaned_data["reason"]
        ),
        proposal=proposal,
        done=_screened,
        then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return refused(request, " ".join(str(e) for e in form.non_field_errors()), status=answer)


def _screened(run: ScreeningRun) -> str:
    pending = run.hits.filter(adjudication="").count()
    if pending:
        return f"Screened again: {pending} hit{'s' if pending != 1 else ''} to adjudicate."
    return "Screened again: nothing to adjudicate."


@require_POST
def flag_clear(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    flag = get_object_or_404(ClauseChangeFlag, pk=flag_pk, proposal=proposal)
    form = FlagClearForm(request.POST)
    if form.is_valid():
        answer = submit_form(
            request,
            form,
            lambda: services.flag_clear(
                flag=flag, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
            proposal=proposal,
            done="The flag is cleared; your reason is on record.",
            then=lambda _: redirect(
                reverse("reviews:proposal_detail", args=[proposal.pk]) + "#flags"
            ),
        )
        if isinstance(answer, HttpResponse):
            return answer
        return refused(request, " ".join(str(e) for e in form.non_field_errors()), status=answer)
    refusal = permissions.refusal_clear_flag(request.user, proposal)
    if refusal:
        return refused(request, refusal, status=403, proposal=proposal)
    return refused(
        request,
        "Say why the proposal still stands before clearing the flag.",
        status=400,
        proposal=proposal,
    )


@require_POST
def conditions_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitter acknowledges the conditions of the approval, once."""
    proposal = visible_proposal(request, pk)
    form = ConditionAcknowledgeForm(request.POST)
    if not form.is_valid():
        refusal = permissions.refusal_acknowledge_conditions(request.user, proposal)
        if refusal:
            return refused(request, refusal, status=403, proposal=proposal)
        return refused(request, form_problems(form), status=400, proposal=proposal)
    answer = submit_form(
        request,
        form,
        lambda: services.conditions_acknowledge(
            proposal=proposal, acting_user=request.user, reason=form.cleaned_data["reason"]
        ),
        proposal=proposal,
        done="You have acknowledged the conditions; the reviewers can see it.",
        then=lambda _: _to_conditions(proposal),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return refused(request, form_problems(form), status=answer, proposal=proposal)


@require_POST
def condition_resolve(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    """A reviewer marks one condition met or waived, with a reason and an evidence note."""
    proposal = visible_proposal(request, pk)
    condition = get_object_or_404(ConditionItem, pk=condition_pk, proposal=proposal)
    form = ConditionResolveForm(request.POST)
    if not form.is_valid():
        refusal = permissions.refusal_resolve_condition(request.user, proposal)
        if refusal:
            return refused(request, refusal, status=403, proposal=proposal)
        return refused(
            request,
            f"Condition {condition.number} was not ruled on: {form_problems(form)}",
            status=400,
            proposal=proposal,
        )
    data = form.cleaned_data
    answer = submit_form(
        request,
        form,
        lambda: services.condition_resolve(
            condition=condition,
            status=data["status"],
            reason=data["reason"],
            evidence=data["evidence"],
            acting_user=request.user,
        ),
        proposal=proposal,
        done=lambda resolved: (
            f"Condition {condition.number} is marked {resolved.get_status_display().lower()}; "
            "the submitter has been told."
        ),
        then=lambda _: _to_conditions(proposal),
    )
    if isinstance(answer, HttpResponse):
        return answer
    return refused(request, form_problems(form), status=answer, proposal=proposal)


def _to_conditions(proposal: Proposal) -> HttpResponse:
    return redirect(reverse("reviews:proposal_detail", args=[proposal.pk]) + "#conditions")


def _nav(request: HttpRequest) -> str:
    return "proposals" if is_review_staff(request.user) else "my_proposals"
