"""What every review page shares: fetching a proposal the person may see, turning the services'
refusals into answers (403 not allowed, 409 wrong state, 400 bad input), handling a posted
form, and paging lists."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sta_tracker.roles import Role, has_role

from .errors import InvalidInput, NotReady, PermissionRefused, PolicyRefused, TransitionNotAllowed
from .models import LISTED_FIELDS, AppendOnlyError, Proposal
from .services.core import require_transition
from .workflow import ProposalAction

T = TypeVar("T")
PAGE_SIZE = 25
REVIEW_STAFF = (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)


def is_review_staff(user: Any) -> bool:
    """Reviewers, security reviewers and administrators see screening results and assessments."""
    return any(has_role(user, role) for role in REVIEW_STAFF)


def visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    """The proposal, if the person may see it; anyone else gets 404."""
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("submitter", *LISTED_FIELDS),
        pk=pk,
    )


def refused(
    request: HttpRequest, message: str, *, status: int, proposal: Proposal | None = None
) -> HttpResponse:
    """A page saying why the action was refused, with the status that says how."""
    title = {403: "Not allowed", 409: "Not possible now"}.get(status, "Refused")
    context = {"title": title, "message": message, "proposal": proposal}
    return render(request, "reviews/refused.html", context, status=status)


def guard(
    request: HttpRequest,
    proposal: Proposal,
    actions: tuple[ProposalAction, ...],
    refusal: str | None,
) -> HttpResponse | None:
    """Refuse an action before showing its form: the state first (409), then the person (403),
    in the order the services check them."""
    problem: str | None = None
    for action in actions:
        try:
            require_transition(proposal, action)
        except TransitionNotAllowed as exc:
            problem = problem or str(exc)
        else:
            problem = None
            break
    if problem:
        return refused(request, problem, status=409, proposal=proposal)
    if refusal:
        return refused(request, refusal, status=403, proposal=proposal)
    return None


@dataclass
class Outcome:
    """What a service call came to: its result, or the status of the refusal shown on the form."""

    result: Any = None
    status: int = 200
    response: HttpResponse | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


def call_service(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    *,
    proposal: Proposal | None = None,
    place: Callable[[str, str], None] | None = None,
) -> Outcome:
    """Run one service call; its refusals become form errors or a refusal page.

    Invalid input goes on the named fields (or ``place`` puts it); a wrong state, missing
    prerequisites or a policy refusal go at the top of the form with 409; a person who may not
    act gets the 403 page with the service's reason.
    """
    try:
        return Outcome(result=action())
    except PermissionRefused as exc:
        return Outcome(
            status=403, response=refused(request, str(exc), status=403, proposal=proposal)
        )
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                if place is not None:
                    place(field, message)
                elif field in form.fields:
                    form.add_error(field, message)
                else:
                    form.add_error(None, message)
        return Outcome(status=400)
    except (TransitionNotAllowed, NotReady, PolicyRefused, AppendOnlyError) as exc:
        form.add_error(None, str(exc))
        return Outcome(status=409)


def form_problems(form: forms.BaseForm) -> str:
    """Every error of the form, as one sentence for a refusal page."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    proposal: Proposal | None = None,
    place: Callable[[str, str], None] | None = None,
) -> HttpResponse | int:
    """A posted form: validate it, run ``action`` through ``call_service``; on success say
    ``done`` and answer ``then(result)`` (a redirect).

    Otherwise the answer is the 403 refusal page, or the status to show the form again with its
    errors: 400 when the form or the service finds the input wrong (``action`` is not run on an
    invalid form), 409 when the service refuses for the state or the rules.
    """
    if not form.is_valid():
        return 400
    outcome = call_service(request, form, action, proposal=proposal, place=place)
    if outcome.response is not None:
        return outcome.response
    if not outcome.ok:
        return outcome.status
    messages.success(request, done(outcome.result) if callable(done) else done)
    return then(outcome.result)


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """One page of ``items``; a page number out of range shows the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(params: Mapping[str, Any]) -> str:
    """The current filters as a query string, for links to other pages of the same list."""
    return urlencode([(k, v) for k, v in params.items() if k != "page" and v not in ("", None)])
