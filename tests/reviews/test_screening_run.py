from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews.errors import PermissionRefused, TransitionNotAllowed
from reviews.models import (
    CetEdition,
    NotificationOutbox,
    Proposal,
    ProposalEvent,
    ScreeningHit,
    ScreeningList,
    ScreeningRun,
)
from reviews.services import (
    InstitutionInput,
    PersonInput,
    hit_adjudicate,
    screening_run,
)
from tests.reviews.factories import LISTED_PARTNER, clause, footprint, proposal_in, screen

pytestmark = pytest.mark.django_db


def _run(proposal: Proposal, user: Any = None, **kwargs: Any) -> ScreeningRun:
    return screening_run(
        proposal=proposal, acting_user=user or system_user(), reason="Screening", **kwargs
    )


def test_a_clean_proposal_goes_straight_to_review_and_reviewers_are_told(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    run = _run(proposal)
    proposal.refresh_from_db()
    assert proposal.state == "in_review"
    assert not run.hits.exists()
    event = ProposalEvent.objects.get(action="screen_clear")
    assert (event.from_state, event.to_state, event.actor) == (
        "submitted",
        "in_review",
        system_user(),
    )
    mails = NotificationOutbox.objects.filter(kind="entered_review")
    assert sorted(m.recipient.username for m in mails) == ["bob", "charlie"]


def test_a_listed_partner_leaves_a_hit_with_its_evidence(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    _edition, screening_list = lists
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(
            InstitutionInput("Institute of Geographic Sciences and Natural Resources"),
            LISTED_PARTNER,
        ),
    )
    run = _run(proposal)
    (hit,) = run.hits.all()
    entry = screening_list.entries.get(name="Harbin Institute of Technology")
    assert (hit.kind, hit.list_entry, hit.matched_name, hit.score) == (
        "restricted_party",
        entry,
        "Harbin Institute of Technology",
        91.1,
    )
    # The name part (90, a listed name inside the partner's) and the type part (an entity, as
    # the partner) are weighed; the list gives no address, and the program weighs nothing.
    assert [(p["part"], p["score"], p["weight"]) for p in hit.score_parts] == [
        ("name", 90.0, 0.8),
        ("country", None, 0.1),
        ("type", 100.0, 0.1),
        ("program", None, 0.0),
    ]
    assert hit.score_parts[0]["explanation"] == (
        "“Harbin Institute of Technology (Weihai)” contains the list's primary name “Harbin "
        "Institute of Technology”: 90 of 100."
    )
    assert (hit.details["form"], hit.details["listed_as"]) == ("as written", "primary name")
    assert hit.list_imported_at == screening_list.imported_at
    assert hit.screened_text == "Harbin Institute of Technology (Weihai)"
    assert hit.summary == (
        "Harbin Institute of Technology (Weihai) resembles “Harbin Institute of Technology” on "
        "the Entity List (EL) - Bureau of Industry and Security (score 91.1)."
    )
    assert hit.adjudication == ""
    assert Proposal.objects.get(pk=proposal.pk).state == "screening"
    (mail,) = NotificationOutbox.objects.filter(kind="hits_to_adjudicate")
    assert mail.recipient == charlie


def test_a_person_is_matched_against_listed_individuals_regardless_of_name_order(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "submitted", submitter=alice, version=sta, people=(PersonInput("Wei Zhang"),)
    )
    (hit,) = _run(proposal).hits.all()
    assert (hit.matched_name, hit.score, hit.details["partner"]) == ("ZHANG, Wei", 100.0, "person")


def test_cet_terms_in_the_text_leave_a_hit_naming_category_terms_and_edition(
    alice: Any, sta: Version, lists: Any
) -> None:
    edition, _ = lists
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        summary="We apply machine learning to sediment cores.",
        scientific_field="Artificial intelligence for geology",
    )
    (hit,) = _run(proposal).hits.all()
    assert (hit.kind, hit.cet_edition, hit.cet_category.name, hit.matched_terms) == (
        "cet",
        edition,
        "Artificial Intelligence",
        ["artificial intelligence", "machine learning"],
    )
    assert hit.details == {"fields": ["Summary", "Scientific field"], "edition": "2024"}
    assert hit.summary == (
        "Artificial Intelligence: “artificial intelligence”, “machine learning” in summary, "
        "scientific field (2024)."
    )


def test_missing_parts_leave_one_completeness_hit(alice: Any, sta: Version, lists: Any) -> None:
    proposal = proposal_in(
        "submitted", submitter=alice, version=sta, travel_safety_plan="", funding_amount=None
    )
    (hit,) = _run(proposal).hits.all()
    assert (hit.kind, hit.details) == (
        "completeness",
        {"missing": ["Researcher travel and safety plan", "Funding amount"]},
    )


def test_a_start_date_before_the_cited_version_leaves_a_scope_hit(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(
        "submitted", submitter=alice, version=sta, start_date=dt.date(2024, 1, 2)
    )
    (hit,) = _run(proposal).hits.all()
    assert (hit.kind, hit.clause) == ("clause_scope", clause(sta, "art_1"))
    assert hit.summary == (
        "Article 1 (STA, version 2024) is not from the version in force on 2024-01-02 "
        "(version 1979, where this clause exists (added))."
    )


def test_without_lists_screening_says_it_could_not_run(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    from tests.reviews.factories import submit

    run = _run(submit(proposal))
    assert sorted(run.hits.values_list("fingerprint", flat=True)) == [
        "cet:unavailable",
        "party:unavailable",
    ]
    assert (run.cet_edition, run.screening_list) == (None, None)


def test_a_repeated_request_runs_once(alice: Any, sta: Version, lists: Any) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    first = _run(proposal, request_key="event:1")
    before = footprint()
    again = _run(proposal, request_key="event:1")
    assert again == first
    assert footprint() == before


def test_a_new_run_supersedes_the_last_and_keeps_adjudications_of_identical_hits(
    alice: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("screening", submitter=alice, version=sta)
    (hit,) = ScreeningHit.objects.all()
    hit_adjudicate(
        hit=hit,
        adjudication="false_positive",
        acting_user=charlie,
        reason="Weihai campus is a different legal person",
    )
    run = _run(Proposal.objects.get(pk=proposal.pk))
    old_run = ScreeningRun.objects.exclude(pk=run.pk).get()
    assert not old_run.is_current
    assert run.is_current
    (carried,) = run.hits.all()
    assert (carried.adjudication, carried.adjudicated_by, carried.carried_from) == (
        "false_positive",
        charlie,
        hit,
    )
    assert carried.adjudication_reason == "Weihai campus is a different legal person"


def test_an_approved_project_is_screened_again_without_changing_state(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("approved", submitter=alice, reviewer=bob, security=charlie, version=sta)
    _run(proposal)
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    assert (event.action, event.from_state, event.to_state) == ("screen", "approved", "approved")
    assert Proposal.objects.get(pk=proposal.pk).state == "approved"


@pytest.mark.parametrize("state", ["draft", "returned", "withdrawn", "rejected"])
def test_proposals_not_open_or_approved_are_not_screened(
    state: str, alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in(state, submitter=alice, reviewer=bob, security=charlie, version=sta)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="cannot be given the action “screen"):
        _run(proposal)
    assert footprint() == before


@pytest.mark.parametrize("persona", ["bob", "charlie", "erin"])
def test_reviewers_and_administrators_may_run_screening_again(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version, lists: Any
) -> None:
    proposal = screen(proposal_in("submitted", submitter=alice, version=sta))
    user = request.getfixturevalue(persona)
    run = _run(proposal, user)
    assert run.started_by == user


@pytest.mark.parametrize("persona", ["alice", "dana", "nobody"])
def test_others_may_not_run_screening(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only reviewers, security reviewers and admin"):
        _run(proposal, request.getfixturevalue(persona))
    assert footprint() == before


def test_hits_are_written_with_history_naming_user_and_reason(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal_in("screening", submitter=alice, version=sta)
    (hit,) = ScreeningHit.objects.all()
    (row,) = hit.history.all()
    assert (row.history_user, row.history_change_reason) == (system_user(), "Screening")


def test_screening_uses_the_edition_in_force_and_the_current_list(
    alice: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    run = _run(proposal)
    assert run.cet_edition == CetEdition.objects.get(in_force=True)
    assert run.screening_list == ScreeningList.objects.get(is_current=True)
