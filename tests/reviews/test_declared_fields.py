"""The proposal's fields are declared once, on the model and in ``PROPOSAL_FIELDS``: the form,
the API's input and output, the service's content and the proposal page all follow that list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils.text import capfirst

from clauses.models import Version
from reviews.forms import ProposalForm
from reviews.models import PROPOSAL_FIELDS, Proposal
from reviews.serializers import ProposalContentSerializer, ProposalDetailSerializer
from reviews.services import ProposalContent
from tests.reviews.factories import proposal_in

from .view_helpers import as_user

pytestmark = pytest.mark.django_db


def label(name: str) -> str:
    return str(capfirst(Proposal._meta.get_field(name).verbose_name))


def test_the_form_asks_for_exactly_the_declared_fields_in_their_order() -> None:
    form = ProposalForm(clauses=[])
    assert list(form.fields) == [*PROPOSAL_FIELDS, "reason", "cited_clause_ids"]
    for name in PROPOSAL_FIELDS:
        if name != "basic_research_declared":
            assert form.fields[name].label == label(name), name


def test_the_api_takes_and_gives_exactly_the_declared_fields() -> None:
    taken = list(ProposalContentSerializer().fields)
    assert taken == ["reason", *PROPOSAL_FIELDS, "institutions", "people", "cited_clause_ids"]
    given = list(ProposalDetailSerializer().fields)
    assert [name for name in given if name in PROPOSAL_FIELDS] == list(PROPOSAL_FIELDS)


def test_the_service_content_holds_the_declared_fields_with_the_model_defaults() -> None:
    content = ProposalContent(title="Cores")
    assert list(content.values) == list(PROPOSAL_FIELDS)
    assert content.values["summary"] == ""
    assert content.values["basic_research_declared"] is False
    assert content.values["us_agency"] is None
    assert content.values["funding_amount"] is None


def test_the_service_content_refuses_a_field_that_is_not_declared() -> None:
    with pytest.raises(TypeError, match="Not a proposal field: colour"):
        ProposalContent(title="Cores", colour="blue")


def test_the_proposal_page_shows_every_declared_field_by_its_name_in_order(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    html = as_user(alice).get(f"/reviews/proposals/{proposal.pk}/").content.decode()
    section = html[html.index('<section id="proposal"') : html.index('<section id="partners"')]
    terms = re.findall(r"<dt>([^<]+)</dt>", section)
    declared = [label(name) for name in PROPOSAL_FIELDS[1:]]
    assert terms[: len(declared)] == declared
    assert terms[len(declared) :] == ["STA clauses cited", "Attachments"]
