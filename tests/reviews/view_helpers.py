"""Helpers for the review page tests: a logged-in client and form data as a browser sends it."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

from django.test import Client
from django.utils import timezone

from clauses.models import system_user
from reviews.models import Proposal
from reviews.rubric import Criterion
from sta_tracker.history import save_with_history
from tests.reviews.factories import listed


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed, for asserting what people read."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def draft_data(**overrides: Any) -> dict[str, Any]:
    """The draft form filled in as a submitter would, with one partner and one researcher; the
    agency and scientific field it names are put on their lists."""
    data: dict[str, Any] = {
        "title": "Glacier mass balance in the Qilian Mountains",
        "summary": "Stake and radar measurements on four glaciers.",
        "scientific_field": "Glaciology",
        "us_agency": "National Science Foundation",
        "principal_investigator": "Dr. Sam Okafor",
        "basic_research_declared": "on",
        "basic_research_explanation": "Published openly.",
        "data_description": "Mass balance series.",
        "data_storage": "A public archive.",
        "data_access": "Anyone.",
        "data_reciprocity": "The partner shares its stake readings.",
        "travel_safety_plan": "One trip a year with the agency briefing.",
        "funding_amount": "120000.00",
        "funding_source": "Agency budget",
        "start_date": "2025-06-01",
        "end_date": "2027-06-01",
        "reason": "First draft",
        "institutions-TOTAL_FORMS": "3",
        "institutions-INITIAL_FORMS": "0",
        "institutions-MIN_NUM_FORMS": "0",
        "institutions-MAX_NUM_FORMS": "1000",
        "institutions-0-name": "Qilian Glacier Station",
        "institutions-0-name_local": "祁连冰川站",
        "institutions-0-city": "Zhangye",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
        "people-0-name": "Yang Li",
        "people-0-position": "Glaciologist",
        "people-0-institution": "Qilian Glacier Station",
    }
    data.update(overrides)
    listed(
        scientific_field=data.get("scientific_field") or "", us_agency=data.get("us_agency") or ""
    )
    return {k: v for k, v in data.items() if v is not None}


def rubric_data(score: int = 3, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"recommendation": "approve", "summary": "Sound.", "reason": "Assessed"}
    for criterion in Criterion:
        data[f"{criterion.value}_score"] = str(score)
        data[f"{criterion.value}_rationale"] = f"{criterion.label}: reasoned."
    data.update(overrides)
    return data


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def waited(proposal: Proposal, days: int) -> Proposal:
    """The proposal as if it had entered its state ``days`` ago."""
    proposal = fresh(proposal)
    proposal.state_changed_at = timezone.now() - dt.timedelta(days=days)
    save_with_history(proposal, acting_user=system_user(), reason="test: time has passed")
    return proposal
