"""Assigning assessments: one proposal's page for assigning and claiming, and the queue's batch
assignment of many proposals at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sta_tracker.roles import Role, has_role

from . import permissions, services
from .deadlines import assessment_due
from .forms import AssignForm, BatchAssignForm
from .models import Assignment, Proposal, ReviewStep
from .pages import refused, submit_form, visible_proposal
from .services.assignments import MADE_BY


def assignable_people(*steps: ReviewStep) -> QuerySet[Any]:
    """Active people holding the role of any of ``steps`` (both when none is named)."""
    roles = [step.role.value for step in (steps or tuple(ReviewStep))]
    return (
        get_user_model()
        .objects.filter(groups__name__in=roles, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class StepRow:
    """One assessment of a proposal as the assignment table shows it."""

    step: ReviewStep
    assignment: Assignment | None
    made: bool
    due: dt.datetime | None
    can_assign: bool
    can_claim: bool

    @property
    def overdue(self) -> bool:
        return self.due is not None and not self.made and self.due < timezone.now()


def step_rows(user: Any, proposal: Proposal) -> list[StepRow]:
    """Both assessments of the proposal's round: who has them, whether made, when due.

    Two queries; the claim button follows the rules ``assignee_problem`` applies on use.
    """
    assignments = {
        a.step: a for a in Assignment.objects.filter(proposal=proposal).select_related("assignee")
    }
    this_round = {"proposal": OuterRef("pk"), "round": OuterRef("round")}
    assessors = (
        Proposal.objects.filter(pk=proposal.pk)
        .annotate(
            **{
                step.value: Subquery(
                    MADE_BY[step].objects.filter(**this_round).values("assessor_id")[:1]
                )
                for step in ReviewStep
            }
        )
        .values(*ReviewStep.values)
        .get()
    )
    rows = []
    for step in ReviewStep:
        other = ReviewStep.SECURITY if step == ReviewStep.RISK_BENEFIT else ReviewStep.RISK_BENEFIT
        made = assessors[step.value] is not None
        held = assignments.get(step.value)
        other_held = assignments.get(other.value)
        may = not made and permissions.can_assign(user, proposal, step)
        rows.append(
            StepRow(
                step=step,
                assignment=held,
                made=made,
                due=assessment_due(proposal, step),
                can_assign=may,
                can_claim=may
                and (held is None or held.assignee_id != user.pk)
                and (other_held is None or other_held.assignee_id != user.pk)
                and assessors[other.value] != user.pk,
            )
        )
    return rows


@require_http_methods(["GET", "POST"])
def proposal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Who makes each assessment: assign a colleague holding its role, or claim it."""
    proposal = visible_proposal(request, pk)
    user = request.user
    if not (has_role(user, Role.REVIEWER) or has_role(user, Role.SECURITY_REVIEWER)):
        return refused(request, permissions.ONLY_QUEUE_HOLDERS_ASSIGN, status=403)
    people = assignable_people()
    form = AssignForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        answer = submit_form(
            request,
            form,
            lambda: services.assignment_set(
                proposal=proposal,
                step=form.cleaned_data["step"],
                assignee=form.cleaned_data["assignee"],
                acting_user=user,
                reason=form.cleaned_data["reason"],
            ),
            proposal=proposal,
            done=lambda assignment: _assigned(assignment, user),
            then=lambda _: redirect("reviews:proposal_assign", proposal.pk),
        )
        if isinstance(answer, HttpResponse):
            return answer
        status = answer
    history = (
        Assignment.history.filter(proposal_id=proposal.pk)
        .select_related("assignee", "history_user")
        .order_by("-history_date", "-history_id")
    )
    context = {
        "proposal": proposal,
        "form": form,
        "rows": step_rows(user, proposal),
        "history": list(history),
        "nav": "queue",
    }
    return render(request, "reviews/proposal_assign.html", context, status=status)


def _assigned(assignment: Assignment, user: Any) -> str:
    who = "you" if assignment.assignee_id == user.pk else str(assignment.assignee)
    return f"{assignment.get_step_display()} assigned to {who}."


def _back(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reviews:queue_tab", args=["work"])


@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """Assign one assessment of every ticked proposal to one person; each proposal is assigned
    or refused on its own, and the queue says which and why."""
    user = request.user
    if not (has_role(user, Role.REVIEWER) or has_role(user, Role.SECURITY_REVIEWER)):
        return refused(request, permissions.ONLY_QUEUE_HOLDERS_ASSIGN, status=403)
    form = BatchAssignForm(request.POST, people=assignable_people())
    form.fields["proposals"].queryset = Proposal.objects.visible_to(user)  # type: ignore[attr-defined]
    back = _back(request, request.POST.get("next", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Nothing was assigned: {error}")
        return redirect(back)
    data = form.cleaned_data
    try:
        result = services.assignments_batch(
            proposals=data["proposals"].order_by("pk"),
            step=data["step"],
            assignee=data["assignee"],
            acting_user=user,
            reason=data["reason"],
        )
    except services.InvalidInput as exc:
        messages.error(request, f"Nothing was assigned: {exc}")
        return redirect(back)
    step = ReviewStep(data["step"]).label.lower()
    name = data["assignee"].get_full_name() or data["assignee"].get_username()
    if result.assigned:
        count = len(result.assigned)
        messages.success(
            request,
            f"The {step} of {count} proposal{'s' if count != 1 else ''} assigned to {name}.",
        )
    for proposal, why in result.refused:
        messages.error(request, f"Not assigned: “{proposal.title}”. {why}")
    return redirect(back)
