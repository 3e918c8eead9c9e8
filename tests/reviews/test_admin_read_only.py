"""The admin shows every review record read-only, with its history, even to superusers."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from clauses.models import Version
from reviews.models import Assignment, Proposal, ProposalEvent
from reviews.services import assignment_set
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

# The lists proposals choose from (agencies, fields) are kept in the admin by design, with a
# reason for each change (tests/reviews/test_reference_lists.py); every other review record is
# read-only.
EDITABLE_LISTS = {"Agency", "ScientificField"}
REVIEW_MODELS = [
    m
    for m in apps.get_app_config("reviews").get_models()
    if not m.__name__.startswith("Historical") and m.__name__ not in EDITABLE_LISTS
]
# Sending given-up mail again changes no record of the review.
ALLOWED_ACTIONS = {"NotificationOutbox": {"deliver_again"}}


@pytest.fixture
def root(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.gov", "pw-root-123!")


@pytest.fixture
def decided(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> Proposal:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    assignment_set(
        proposal=proposal, step="security", assignee=charlie, acting_user=charlie, reason="Mine"
    )
    return proposal


def as_admin(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_review_model_is_registered_and_refuses_changes_even_to_superusers(
    root: Any,
) -> None:
    request = type("Request", (), {"user": root, "GET": {}})()
    assert REVIEW_MODELS
    for model in REVIEW_MODELS:
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model.__name__} is not in the admin"
        assert not model_admin.has_add_permission(request), model.__name__
        assert not model_admin.has_change_permission(request), model.__name__
        assert not model_admin.has_delete_permission(request), model.__name__
        assert model_admin.has_view_permission(request), model.__name__
        actions = set(model_admin.get_actions(request))
        assert actions == ALLOWED_ACTIONS.get(model.__name__, set()), model.__name__


@pytest.mark.parametrize("model", REVIEW_MODELS, ids=lambda m: m.__name__)
def test_every_list_page_renders_for_an_auditor(model: Any, root: Any, decided: Proposal) -> None:
    assert as_admin(root).get(url(model, "changelist")).status_code == 200


def test_a_proposal_is_shown_but_a_posted_change_is_refused(root: Any, decided: Proposal) -> None:
    client = as_admin(root)
    page = client.get(url(Proposal, "change", decided.pk))
    assert page.status_code == 200
    assert decided.title in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    before = Proposal.history.count()
    response = client.post(url(Proposal, "change", decided.pk), {"title": "Rewritten"})
    assert response.status_code == 403
    decided.refresh_from_db()
    assert decided.title != "Rewritten"
    assert Proposal.history.count() == before


@pytest.mark.parametrize("view", ["add", "delete"])
def test_adding_and_deleting_are_refused(view: str, root: Any, decided: Proposal) -> None:
    client = as_admin(root)
    target = (
        url(Assignment, "add")
        if view == "add"
        else url(Assignment, "delete", Assignment.objects.get().pk)
    )
    assert client.get(target).status_code == 403
    assert client.post(target, {"post": "yes"}).status_code == 403
    assert Assignment.objects.count() == 1


def test_an_administrator_reads_the_history_of_an_assignment(
    erin: Any, decided: Proposal, bob: Any, charlie: Any
) -> None:
    assignment = Assignment.objects.get()
    client = as_admin(erin)
    history = client.get(url(Assignment, "history", assignment.pk))
    assert history.status_code == 200
    assert "Mine" in history.content.decode()
    version = assignment.history.get()
    old = client.get(url(Assignment, "simple_history", assignment.pk, version.history_id))
    assert old.status_code == 200
    reverted = client.post(
        url(Assignment, "simple_history", assignment.pk, version.history_id),
        {"assignee": bob.pk, "reason": "Rewritten"},
    )
    assert reverted.status_code == 403
    assignment.refresh_from_db()
    assert (assignment.assignee, assignment.reason) == (charlie, "Mine")


def test_the_audit_trail_is_browsable_and_unchangeable(root: Any, decided: Proposal) -> None:
    event = ProposalEvent.objects.filter(action="assign").get()
    client = as_admin(root)
    page = client.get(url(ProposalEvent, "change", event.pk))
    assert page.status_code == 200
    assert "National-security assessment claimed by charlie: Mine" in page.content.decode()
    assert client.post(url(ProposalEvent, "change", event.pk), {"reason": "x"}).status_code == 403


def test_the_history_page_of_every_historied_record_renders(
    root: Any, decided: Proposal, alice: Any, bob: Any, charlie: Any, sta: Version
) -> None:
    for state in ("approved", "screening"):
        proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    client = as_admin(root)
    shown = []
    for model in REVIEW_MODELS:
        if not hasattr(model, "history"):
            continue
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        response = client.get(url(model, "history", record.pk))
        assert response.status_code == 200, model.__name__
        page = response.content.decode()
        assert "View history" in page, model.__name__
        assert escape(record.history.first().history_change_reason) in page, model.__name__
        shown.append(model.__name__)
    assert {"Proposal", "Assignment", "Decision", "RiskBenefitAssessment", "ScreeningHit"} <= set(
        shown
    )
