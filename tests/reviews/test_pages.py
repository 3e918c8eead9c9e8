"""submit_form: what a posted review form comes to on success and on each kind of refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory

from clauses.models import Version
from reviews import services
from reviews.models import Proposal, ProposalEvent
from reviews.pages import submit_form
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db


class ReturnForm(forms.Form):
    """Blank questions pass the form, so the service is the one to refuse them."""

    questions = forms.CharField(required=False)
    reason = forms.CharField()


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def posted(user: Any, data: dict[str, str]) -> tuple[HttpRequest, ReturnForm]:
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request, ReturnForm(request.POST)


def said(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def events(proposal: Proposal) -> int:
    return ProposalEvent.objects.filter(proposal=proposal).count()


def send_back(request: HttpRequest, form: ReturnForm, proposal: Proposal, **kwargs: Any) -> Any:
    kwargs.setdefault("done", "Returned.")
    return submit_form(
        request,
        form,
        lambda: services.proposal_return(
            proposal=proposal,
            questions=form.cleaned_data["questions"],
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        proposal=proposal,
        then=lambda _: redirect("reviews:proposal_detail", proposal.pk),
        **kwargs,
    )


def test_on_success_it_says_done_and_answers_then(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = events(proposal)
    request, form = posted(bob, {"questions": "Which glaciers?", "reason": "Unclear scope"})
    answer = send_back(request, form, proposal, done=lambda event: f"Event {event.pk} recorded.")
    assert isinstance(answer, HttpResponse)
    assert answer.status_code == 302
    assert answer["Location"] == f"/reviews/proposals/{proposal.pk}/"
    assert Proposal.objects.get(pk=proposal.pk).state == "returned"
    assert events(proposal) == before + 1
    latest = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert said(request) == [f"Event {latest.pk} recorded."]


def test_an_invalid_form_answers_400_without_running_the_action(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = events(proposal)
    request, form = posted(bob, {"questions": "Which glaciers?"})
    calls: list[str] = []
    answer = submit_form(
        request,
        form,
        lambda: calls.append("ran"),
        done="Returned.",
        then=lambda _: redirect("/"),
    )
    assert answer == 400
    assert calls == []
    assert "reason" in form.errors
    assert events(proposal) == before
    assert said(request) == []


def test_a_wrong_state_answers_409_with_the_reason_on_the_form(people: Any, bob: Any) -> None:
    proposal = proposal_in("approved", **people)
    before = events(proposal)
    request, form = posted(bob, {"questions": "Which glaciers?", "reason": "Unclear scope"})
    assert send_back(request, form, proposal) == 409
    assert form.non_field_errors()
    assert Proposal.objects.get(pk=proposal.pk).state == "approved"
    assert events(proposal) == before
    assert said(request) == []


def test_bad_input_found_by_the_service_answers_400_on_its_field(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = events(proposal)
    request, form = posted(bob, {"questions": "   ", "reason": "Unclear scope"})
    assert send_back(request, form, proposal) == 400
    assert form.errors["questions"] == ["Say what the submitter must change or answer."]
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"
    assert events(proposal) == before
    assert said(request) == []


def test_place_puts_the_services_input_errors_where_the_view_says(people: Any, bob: Any) -> None:
    proposal = proposal_in("in_review", **people)
    request, form = posted(bob, {"questions": "", "reason": "Unclear scope"})
    placed: list[tuple[str, str]] = []
    answer = send_back(request, form, proposal, place=lambda f, m: placed.append((f, m)))
    assert answer == 400
    assert placed == [("questions", "Say what the submitter must change or answer.")]
    assert "questions" not in form.errors


def test_a_person_who_may_not_act_gets_the_403_page(people: Any, alice: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = events(proposal)
    request, form = posted(alice, {"questions": "Which glaciers?", "reason": "Unclear scope"})
    answer = send_back(request, form, proposal)
    assert isinstance(answer, HttpResponse)
    assert answer.status_code == 403
    assert "Not allowed" in answer.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"
    assert events(proposal) == before
    assert said(request) == []
