from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version
from reviews.errors import PermissionRefused, TransitionNotAllowed
from reviews.models import PartnerInstitution, Proposal
from reviews.services import InstitutionInput, proposal_create, proposal_update
from tests.reviews.factories import clause, content, footprint, proposal_in

pytestmark = pytest.mark.django_db


def _draft(alice: Any, sta: Version) -> Proposal:
    return proposal_create(content=content(sta), acting_user=alice, reason="First draft")


def test_the_submitter_replaces_the_content_of_a_draft(alice: Any, sta: Version) -> None:
    proposal = _draft(alice, sta)
    new = content(
        sta,
        title="Revised",
        institutions=(InstitutionInput("Nanjing Institute of Geography"),),
        people=(),
        cited_clause_ids=(clause(sta, "art_2_2").pk, clause(sta, "art_3").pk),
    )
    proposal_update(proposal=proposal, content=new, acting_user=alice, reason="Fix partners")
    proposal.refresh_from_db()
    assert proposal.title == "Revised"
    assert [i.name for i in proposal.institutions.all()] == ["Nanjing Institute of Geography"]
    assert not proposal.people.exists()
    assert sorted(c.key for c in proposal.cited_clauses.all()) == ["art_2_2", "art_3"]


def test_an_update_writes_one_proposal_history_row_holding_fields_and_clauses(
    alice: Any, sta: Version
) -> None:
    proposal = _draft(alice, sta)
    before = proposal.history.count()
    new = content(sta, cited_clause_ids=(clause(sta, "art_3").pk,))
    proposal_update(proposal=proposal, content=new, acting_user=alice, reason="Cite art 3")
    assert proposal.history.count() == before + 1
    latest = proposal.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (alice, "Cite art 3")
    assert [c.clause_id for c in latest.cited_clauses.all()] == [clause(sta, "art_3").pk]


def test_removed_partners_leave_deletion_history_with_user_and_reason(
    alice: Any, sta: Version
) -> None:
    proposal = _draft(alice, sta)
    old = proposal.institutions.get()
    proposal_update(
        proposal=proposal,
        content=content(sta, institutions=(), people=()),
        acting_user=alice,
        reason="No partners yet",
    )
    deleted = PartnerInstitution.history.get(id=old.pk, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (alice, "No partners yet")


@pytest.mark.parametrize("persona", ["frank", "bob", "charlie", "dana", "erin", "nobody"])
def test_nobody_but_the_submitter_can_edit(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version
) -> None:
    proposal = _draft(alice, sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only the submitter of a proposal can edit it"):
        proposal_update(
            proposal=proposal,
            content=content(sta, title="Hijacked"),
            acting_user=request.getfixturevalue(persona),
            reason="Edit",
        )
    assert footprint() == before
    proposal.refresh_from_db()
    assert proposal.title != "Hijacked"


def test_a_submitted_proposal_cannot_be_edited(alice: Any, sta: Version, lists: Any) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="A proposal that is submitted cannot be edited"):
        proposal_update(
            proposal=proposal, content=content(sta), acting_user=alice, reason="Late edit"
        )
    assert footprint() == before


def test_a_returned_proposal_can_be_edited(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("returned", submitter=alice, reviewer=bob, security=charlie, version=sta)
    proposal_update(
        proposal=proposal,
        content=content(sta, title="Answered"),
        acting_user=alice,
        reason="Answer questions",
    )
    assert Proposal.objects.get(pk=proposal.pk).title == "Answered"
