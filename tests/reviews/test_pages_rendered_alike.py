"""The review and search pages are the same whichever way their parts are rendered: Django's
widget templates or the widgets built in Python (sta_tracker/form_rendering.py), the templates
kept under tests/reference_templates/ or the HTML built in their place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.reference_pages import use_reference_templates, without_tokens
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

MARKUP = '<b class="x">Tom & "Jerry"</b>'


def _pages(client: Client, paths: list[str]) -> list[str]:
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(without_tokens(response.content.decode()))
    return pages


def test_pages_with_forms_are_the_same_with_either_renderer(
    settings: Any, alice: Any, bob: Any, charlie: Any, sta: Any, lists: Any
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    marked = proposal_in(
        "in_review", title=MARKUP, us_agency=MARKUP, scientific_field="Geology", **people
    )
    proposal_in("screening", title="Second", us_agency="NASA", **people)
    submitter = Client()
    submitter.force_login(alice)
    client = Client()
    client.force_login(bob)
    forms = ["/reviews/proposals/new/", f"/reviews/proposals/{marked.pk}/"]
    paths = [
        "/reviews/queue/assessments/",
        "/reviews/queue/work/",
        "/reviews/queue/work/?state=any&sort=title&agency=999",
        "/reviews/queue/decisions/",
        "/reviews/proposals/",
        "/reviews/dashboard/",
        "/search/",
        "/search/?q=parties",
    ]
    ours = _pages(client, paths), _pages(submitter, forms)
    # Why no cache to clear: Django's settings signal forgets the renderer it made before.
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    assert (_pages(client, paths), _pages(submitter, forms)) == ours


def test_the_dashboard_and_report_charts_are_written_as_their_template_wrote_them(
    settings: Any, alice: Any, bob: Any, charlie: Any, dana: Any, sta: Any, lists: Any
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    proposal_in("in_review", title=MARKUP, us_agency=MARKUP, scientific_field="Geology", **people)
    proposal_in("screening", title="Second", us_agency="NASA", **people)
    proposal_in("approved", title="Third", us_agency="NASA", scientific_field=MARKUP, **people)
    reviewer, analyst = Client(), Client()
    reviewer.force_login(bob)
    analyst.force_login(dana)
    paths = ["/reviews/dashboard/", "/reviews/report/"]
    ours = _pages(reviewer, paths), _pages(analyst, paths)
    assert all("<svg" in page for page in ours[0])
    use_reference_templates(settings)
    assert (_pages(reviewer, paths), _pages(analyst, paths)) == ours
