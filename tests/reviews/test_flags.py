"""A new agreement version that amends or repeals a cited clause flags the proposals relying on
it; reviewers see the clause's redline on the proposal page and clear the flag with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clauses.importing.structure import ParsedClause
from clauses.models import Version, system_user
from reviews import tasks
from reviews.models import ClauseChangeFlag, NotificationOutbox
from reviews.services import proposals_flag_for_version
from tests.factories import article, make_agreement, make_version
from tests.reviews.factories import footprint, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db

NEW_FROM = dt.date(2029, 8, 27)


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def publish(sta: Version, clauses: list[ParsedClause], label: str = "2029") -> Version:
    return make_version(sta.agreement, label, clauses, in_force_from=NEW_FROM)


def amending_article_1(sta: Version) -> list[ParsedClause]:
    return [
        article(1, "The parties cooperate in basic research only, with full reciprocity."),
        *(article(int(c.number.split()[-1]), c.text, key=c.key) for c in sta.clauses.all()[1:]),
    ]


def test_publishing_a_version_flags_open_and_approved_proposals_citing_an_amended_clause(
    people: Any, sta: Version, django_capture_on_commit_callbacks: Any
) -> None:
    in_review = proposal_in("in_review", **people)
    approved = proposal_in("approved", **people)
    draft = proposal_in("draft", **people)
    rejected = proposal_in("rejected", **people)
    with django_capture_on_commit_callbacks(execute=True):
        new = publish(sta, amending_article_1(sta))
    flagged = ClauseChangeFlag.objects.order_by("proposal_id")
    assert [f.proposal_id for f in flagged] == [in_review.pk, approved.pk]
    flag = flagged.first()
    assert flag is not None
    assert (flag.version, flag.change, flag.new_clause.key, flag.old_clause.version) == (
        new,
        "amended",
        "art_1",
        sta,
    )
    assert flag.cited_clause == in_review.cited_clauses.get()
    assert flag.history.get().history_user == system_user()
    assert not ClauseChangeFlag.objects.filter(proposal__in=[draft, rejected]).exists()


def test_unchanged_clauses_flag_nothing(people: Any, sta: Version) -> None:
    proposal_in("approved", **people)
    same = [article(int(c.number.split()[-1]), c.text, key=c.key) for c in sta.clauses.all()]
    new = publish(sta, same)
    assert proposals_flag_for_version(version=new, acting_user=system_user(), reason="x") == []


def test_a_repealed_clause_is_flagged_as_repealed(people: Any, sta: Version) -> None:
    proposal = proposal_in("approved", **people)
    remaining = [
        article(int(c.number.split()[-1]), c.text, key=c.key) for c in sta.clauses.all()[1:]
    ]
    new = publish(sta, remaining)
    flags = proposals_flag_for_version(version=new, acting_user=system_user(), reason="Published")
    assert [(f.proposal_id, f.change) for f in flags] == [(proposal.pk, "repealed")]


def paragraphs(second: str) -> list[ParsedClause]:
    return [
        article(1, "", heading="Scope"),
        ParsedClause("art_1__para_1", "paragraph", "1.", "", "Basic research.", "art_1"),
        ParsedClause("art_1__para_2", "paragraph", "2.", "", second, "art_1"),
    ]


def test_a_changed_paragraph_flags_a_proposal_citing_its_article(people: Any, lists: Any) -> None:
    pact = make_agreement("pact", short_title="Pact")
    first = make_version(
        pact, "2020", paragraphs("Open publication."), in_force_from=dt.date(2020, 1, 1)
    )
    proposal = proposal_in("approved", **{**people, "version": first})
    assert proposal.cited_clauses.get().key == "art_1"
    new = make_version(
        pact, "2029", paragraphs("Open publication within a year."), in_force_from=NEW_FROM
    )
    flags = proposals_flag_for_version(version=new, acting_user=system_user(), reason="Published")
    assert [(f.cited_clause.key, f.new_clause.key, f.change, f.old_clause.text) for f in flags] == [
        ("art_1", "art_1__para_2", "amended", "Open publication.")
    ]
    page = as_user(people["reviewer"]).get(f"/reviews/proposals/{proposal.pk}/")
    assert "Article 1, paragraph 2" in text(page)
    assert "Open publication<ins> within a year</ins>." in page.content.decode()


def test_running_again_adds_no_flag_and_no_second_message(
    people: Any, sta: Version, bob: Any
) -> None:
    proposal_in("approved", **people)
    new = publish(sta, amending_article_1(sta))
    first = proposals_flag_for_version(version=new, acting_user=system_user(), reason="Once")
    again = proposals_flag_for_version(version=new, acting_user=system_user(), reason="Twice")
    assert (len(first), again) == (1, [])
    mail = NotificationOutbox.objects.filter(kind="clause_changed")
    # Every reviewer hears of it: Bob, and Judy who decided.
    assert sorted(mail.values_list("email", flat=True)) == ["bob@example.gov", "judy@example.gov"]
    assert all("Article 1: amended" in m.body for m in mail)


def test_a_clause_the_decision_relied_on_flags_the_project(
    people: Any, sta: Version, alice: Any, bob: Any, charlie: Any, judy: Any
) -> None:
    from reviews.services import decision_record
    from tests.reviews.factories import assess

    art_3 = sta.clauses.get(key="art_3")
    proposal = assess(proposal_in("in_review", **people), bob, charlie)
    decision_record(
        proposal=proposal,
        outcome="approve",
        cited_clause_ids=[art_3.pk],
        acting_user=judy,
        reason="Relies on article 3",
    )
    clauses = [
        article(
            int(c.number.split()[-1]), c.text + (" Amended." if c.key == "art_3" else ""), key=c.key
        )
        for c in sta.clauses.all()
    ]
    new = publish(sta, clauses)
    flags = proposals_flag_for_version(version=new, acting_user=system_user(), reason="Published")
    assert [(f.proposal_id, f.cited_clause) for f in flags] == [(proposal.pk, art_3)]


def test_the_task_flags_and_skips_a_missing_version(people: Any, sta: Version) -> None:
    proposal_in("approved", **people)
    new = publish(sta, amending_article_1(sta))
    assert tasks.flag_proposals_for_version(new.pk) == 1
    assert tasks.flag_proposals_for_version(new.pk) == 0
    assert tasks.flag_proposals_for_version(424242) == 0


def test_publishing_enqueues_the_flagging_only_after_commit(
    people: Any,
    sta: Version,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    enqueued: list[int] = []
    monkeypatch.setattr(tasks.flag_proposals_for_version, "delay", enqueued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = publish(sta, amending_article_1(sta))
    assert enqueued == []
    for callback in callbacks:
        callback()
    assert enqueued == [new.pk]


# --- On the proposal page -------------------------------------------------------------------


@pytest.fixture
def flagged(people: Any, sta: Version) -> ClauseChangeFlag:
    proposal_in("approved", **people)
    new = publish(sta, amending_article_1(sta))
    (flag,) = proposals_flag_for_version(version=new, acting_user=system_user(), reason="x")
    return flag


def test_the_proposal_page_shows_the_flag_with_the_clause_redline(
    flagged: ClauseChangeFlag, bob: Any, alice: Any
) -> None:
    url = f"/reviews/proposals/{flagged.proposal_id}/"
    response = as_user(bob).get(url)
    html = response.content.decode()
    assert "A clause this proposal relies on has changed" in text(response)
    assert "The parties cooperate in basic research<ins> only, with full reciprocity</ins>." in html
    assert "Why the proposal still stands" in html
    submitter_view = as_user(alice).get(url)
    assert "A clause this proposal relies on has changed" in text(submitter_view)
    assert "Why the proposal still stands" not in submitter_view.content.decode()


def test_a_reviewer_clears_the_flag_with_a_reason(flagged: ClauseChangeFlag, bob: Any) -> None:
    url = f"/reviews/proposals/{flagged.proposal_id}/flags/{flagged.pk}/clear/"
    response = as_user(bob).post(url, {"reason": "The amendment narrows nothing we do."})
    assert response.status_code == 302
    flag = ClauseChangeFlag.objects.get(pk=flagged.pk)
    assert (flag.cleared_by, flag.clear_reason) == (bob, "The amendment narrows nothing we do.")
    assert flag.history.latest("history_id").history_change_reason == (
        "The amendment narrows nothing we do."
    )
    page = text(as_user(bob).get(f"/reviews/proposals/{flagged.proposal_id}/"))
    assert "A clause this proposal relies on has changed" not in page
    assert "cleared by bob" in page
    again = as_user(bob).post(url, {"reason": "Twice"})
    assert again.status_code == 409
    assert "already cleared" in text(again)


def test_clearing_needs_a_reason(flagged: ClauseChangeFlag, bob: Any) -> None:
    url = f"/reviews/proposals/{flagged.proposal_id}/flags/{flagged.pk}/clear/"
    assert as_user(bob).post(url, {"reason": " "}).status_code == 400
    assert ClauseChangeFlag.objects.get(pk=flagged.pk).is_open


@pytest.mark.parametrize("persona", ["alice", "charlie", "erin"])
def test_only_reviewers_clear_flags(
    persona: str, request: pytest.FixtureRequest, flagged: ClauseChangeFlag
) -> None:
    url = f"/reviews/proposals/{flagged.proposal_id}/flags/{flagged.pk}/clear/"
    before = footprint()
    response = as_user(request.getfixturevalue(persona)).post(url, {"reason": "Mine"})
    assert response.status_code == 403
    assert ClauseChangeFlag.objects.get(pk=flagged.pk).is_open
    assert footprint() == before


def test_other_submitters_cannot_reach_the_flag(flagged: ClauseChangeFlag, frank: Any) -> None:
    url = f"/reviews/proposals/{flagged.proposal_id}/flags/{flagged.pk}/clear/"
    assert as_user(frank).post(url, {"reason": "Mine"}).status_code == 404
