"""U.S. agency and scientific field are entries of lists kept in the admin: proposals choose an
active entry; an entry a proposal names is never deleted, only made inactive."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import ProtectedError

from clauses.models import Version, system_user
from reviews.models import Agency, Proposal, ScientificField
from reviews.services import (
    InvalidInput,
    ProposalContent,
    entries_ensure,
    proposal_create,
    proposal_update,
)
from sta_tracker.history import save_with_history
from tests.reviews.factories import content, footprint, listed, proposal_in

from .view_helpers import as_user, draft_data, text

pytestmark = pytest.mark.django_db


def retire(entry: Any) -> None:
    entry.active = False
    save_with_history(entry, acting_user=system_user(), reason="No longer offered")


def test_a_proposal_names_its_agency_and_field_by_list_entry(alice: Any, sta: Version) -> None:
    listed(us_agency="U.S. Geological Survey", scientific_field="Geology")
    proposal = proposal_create(
        content=content(sta, us_agency="u.s. geological  survey", scientific_field="geology"),
        acting_user=alice,
        reason="First draft",
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.us_agency == Agency.objects.get(name="U.S. Geological Survey")
    assert proposal.scientific_field == ScientificField.objects.get(name="Geology")
    assert proposal.history.latest("history_id").us_agency_id == proposal.us_agency_id


def test_a_name_that_is_not_on_the_list_is_refused_and_nothing_is_written(
    alice: Any, sta: Version
) -> None:
    draft = content(sta)
    before = footprint()
    bad = ProposalContent(
        **{**draft.values, "us_agency": "Ministry of Magic"},
        institutions=draft.institutions,
        people=draft.people,
        cited_clause_ids=draft.cited_clause_ids,
    )
    with pytest.raises(InvalidInput) as refused:
        proposal_create(content=bad, acting_user=alice, reason="First draft")
    assert refused.value.errors == {
        "us_agency": ["Choose a U.S. agency from the list; “Ministry of Magic” is not on it."]
    }
    assert footprint() == before
    assert not Proposal.objects.exists()


def test_an_inactive_entry_is_refused_to_new_proposals_but_kept_by_those_naming_it(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    retire(Agency.objects.get(name="U.S. Geological Survey"))
    with pytest.raises(InvalidInput, match=r"“U\.S\. Geological Survey” is not on it"):
        proposal_create(content=content(sta), acting_user=alice, reason="Another")
    kept = proposal_update(
        proposal=proposal,
        content=content(sta, summary="Shorter."),
        acting_user=alice,
        reason="Edited",
    )
    assert kept.us_agency is not None
    assert kept.us_agency.name == "U.S. Geological Survey"


def test_an_entry_a_proposal_names_cannot_be_deleted(alice: Any, sta: Version) -> None:
    proposal_in("draft", submitter=alice, version=sta)
    agency = Agency.objects.get(name="U.S. Geological Survey")
    agency._history_user = system_user()  # type: ignore[attr-defined]
    agency._change_reason = "Try"  # type: ignore[attr-defined]
    with pytest.raises(ProtectedError):
        agency.delete()
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_entries_are_added_once_ignoring_case_with_history(erin: Any) -> None:
    first = entries_ensure(model=Agency, names=["NASA", "NOAA"], acting_user=erin, reason="Setup")
    again = entries_ensure(model=Agency, names=["nasa"], acting_user=erin, reason="Again")
    assert again == first[:1]
    assert [(a.name, a.order, a.active) for a in Agency.objects.all()] == [
        ("NASA", 1, True),
        ("NOAA", 2, True),
    ]
    rows = Agency.history.order_by("history_id")  # type: ignore[attr-defined]
    assert [(r.name, r.history_user, r.history_change_reason) for r in rows] == [
        ("NASA", erin, "Setup"),
        ("NOAA", erin, "Setup"),
    ]
    with pytest.raises(InvalidInput, match="Every entry needs a name"):
        entries_ensure(model=ScientificField, names=["  "], acting_user=erin, reason="Empty")


# --- The form ---------------------------------------------------------------------------------


def test_the_form_offers_active_entries_by_name(alice: Any, sta: Version) -> None:
    data = draft_data()
    entries_ensure(model=Agency, names=["Retired agency"], acting_user=alice, reason="Test")
    retire(Agency.objects.get(name="Retired agency"))
    html = as_user(alice).get("/reviews/proposals/new/").content.decode()
    assert f'<option value="{data["us_agency"]}">' in html
    assert "Retired agency" not in html
    response = as_user(alice).post("/reviews/proposals/new/", data)
    assert response.status_code == 302
    assert Proposal.objects.get().us_agency.name == data["us_agency"]  # type: ignore[union-attr]


def test_the_form_keeps_offering_the_inactive_entry_a_draft_names(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    retire(Agency.objects.get(name="U.S. Geological Survey"))
    html = as_user(alice).get(f"/reviews/proposals/{proposal.pk}/edit/").content.decode()
    assert '<option value="U.S. Geological Survey" selected>' in html


def test_the_form_refuses_a_name_that_is_not_on_the_list(alice: Any, sta: Version) -> None:
    response = as_user(alice).post(
        "/reviews/proposals/new/", {**draft_data(), "us_agency": "Ministry of Magic"}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert not Proposal.objects.exists()


# --- The admin --------------------------------------------------------------------------------


def test_an_administrator_adds_an_agency_in_the_admin_with_a_reason(erin: Any) -> None:
    client = as_user(erin)
    missing = client.post(
        "/admin/reviews/agency/add/", {"name": "Department of Energy", "active": "on", "order": 3}
    )
    assert missing.status_code == 200
    assert not Agency.objects.exists()
    saved = client.post(
        "/admin/reviews/agency/add/",
        {"name": "Department of Energy", "active": "on", "order": 3, "change_reason": "New"},
    )
    assert saved.status_code == 302
    agency = Agency.objects.get()
    record = agency.history.get()  # type: ignore[attr-defined]
    assert (record.history_user, record.history_change_reason) == (erin, "New")
    listing = client.get("/admin/reviews/agency/")
    assert "Department of Energy" in listing.content.decode()
    assert client.get(f"/admin/reviews/agency/{agency.pk}/delete/").status_code == 403


def test_people_without_staff_status_do_not_reach_the_lists_in_the_admin(alice: Any) -> None:
    response = as_user(alice).get("/admin/reviews/scientificfield/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
