"""Screening partners named in Chinese and pinyin, and the English name submission needs."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import Version, system_user
from reviews import services
from reviews.errors import NotReady
from reviews.models import Proposal, ProposalEvent, ScreeningHit, ScreeningList, ScreeningRun
from reviews.services import InstitutionInput, PersonInput, proposal_submit, screening_run
from sta_tracker.history import save_with_history
from tests.api.conftest import post_json
from tests.reviews.factories import csl_csv, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db

EL = "Entity List (EL) - Bureau of Industry and Security"
CJK_LISTED = (
    {
        "_id": "11",
        "source": EL,
        "entity_number": "EL-11",
        "type": "Entity",
        "name": "Harbin Institute of Technology",
        "alt_names": "HIT; Haerbin Gongye Daxue; 哈尔滨工业大学",
        "addresses": "92 West Dazhi Street, Nangang District, Harbin, Heilongjiang, CN",
        "start_date": "2020-06-05",
    },
    {
        "_id": "12",
        "source": EL,
        "entity_number": "EL-12",
        "type": "Entity",
        "name": "Harbin Engineering University",
        "alt_names": "Haerbin Gongcheng Daxue",
        "addresses": "145 Nantong Street, Harbin, Heilongjiang, CN",
    },
    {
        "_id": "13",
        "source": "Specially Designated Nationals (SDN) - Treasury Department",
        "entity_number": "SDN-13",
        "type": "Individual",
        "name": "LIU, Xiaoming",
        "alt_names": "刘晓明",
    },
)
CHINESE_ONLY = "not screened: give its English name"


@pytest.fixture
def cjk_list(lists: Any) -> ScreeningList:
    return services.screening_list_import(
        file_name="csl-cjk.csv",
        data=csl_csv(*CJK_LISTED),
        acting_user=system_user(),
        reason="test data",
    )


def _run(proposal: Proposal) -> ScreeningRun:
    return screening_run(proposal=proposal, acting_user=system_user(), reason="Screening")


def test_a_partner_named_in_pinyin_and_chinese_is_found_through_the_lists_aliases(
    alice: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("Haerbin Gongye Daxue", "哈尔滨工业大学", "Harbin"),),
        people=(PersonInput("刘晓明", institution="Haerbin Gongye Daxue"),),
    )
    run = _run(proposal)
    institution_hit, person_hit = run.hits.order_by("pk")
    assert (institution_hit.list_entry.entity_number, institution_hit.matched_name) == (
        "EL-11",
        "Haerbin Gongye Daxue",
    )
    assert (institution_hit.score, institution_hit.details["form"]) == (100.0, "as written")
    assert [p["score"] for p in institution_hit.score_parts] == [100.0, 100.0, 100.0, None]
    assert institution_hit.score_parts[1]["explanation"] == (
        "A listed address is in China, in Harbin, the partner's city."
    )
    assert (person_hit.matched_name, person_hit.details["form"], person_hit.score) == (
        "刘晓明",
        "Chinese characters",
        100.0,
    )


def test_the_run_records_each_partners_forms_and_near_misses(
    alice: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("Haerbin Gongye Daxue", "哈尔滨工业大学"),),
        people=(PersonInput("Xiaoming Liu"),),
    )
    run = _run(proposal)
    institution, person = run.partners_screened
    assert (institution["partner"], institution["names"], institution["hits"]) == (
        "institution",
        ["Haerbin Gongye Daxue", "哈尔滨工业大学"],
        1,
    )
    assert institution["forms"] == [
        "“Haerbin Gongye Daxue” as written",
        "“哈尔滨工业大学” in Chinese characters",
        "“ha er bin gong ye da xue” (pinyin of the Chinese)",
    ]
    (near,) = institution["near_misses"]
    assert (near["matched_name"], near["entity_number"], near["score"], near["name_score"]) == (
        "Haerbin Gongcheng Daxue",
        "EL-12",
        84.0,
        80.0,
    )
    assert [p["part"] for p in near["parts"]] == ["name", "country", "type", "program"]
    assert (person["partner"], person["hits"], person["near_misses"]) == ("person", 1, [])


def test_an_institution_named_only_in_chinese_before_the_rule_leaves_a_completeness_hit(
    alice: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("Harbin Institute of Technology", "哈尔滨工业大学"),),
        people=(),
    )
    # A proposal submitted before English names were required.
    institution = proposal.institutions.get()
    institution.name = ""
    save_with_history(institution, acting_user=alice, reason="Before the rule")
    hits = list(_run(proposal).hits.order_by("pk"))
    assert [(h.kind, h.summary) for h in hits] == [
        ("completeness", "Missing: At least one partner researcher."),
        ("completeness", f"哈尔滨工业大学: {CHINESE_ONLY}."),
        (
            "restricted_party",
            "哈尔滨工业大学 resembles “哈尔滨工业大学” on the "
            "Entity List (EL) - Bureau of Industry and Security (score 100).",
        ),
    ]
    assert hits[1].details == {"not_screened": "哈尔滨工业大学"}


# --- Submission needs the English name ---------------------------------------------------


def _draft_named(alice: Any, sta: Version, *institutions: InstitutionInput) -> Proposal:
    return proposal_in("draft", submitter=alice, version=sta, institutions=institutions, people=())


def test_a_draft_may_name_an_institution_only_in_chinese(alice: Any, sta: Version) -> None:
    proposal = _draft_named(alice, sta, InstitutionInput("", "国防科技大学"))
    institution = proposal.institutions.get()
    assert (institution.name, institution.name_local, str(institution)) == (
        "",
        "国防科技大学",
        "国防科技大学",
    )
    assert not institution.has_english_name


@pytest.mark.parametrize(
    "institution",
    [InstitutionInput("", "国防科技大学"), InstitutionInput("国防科技大学", "")],
)
def test_submission_is_refused_while_an_institution_has_no_english_name(
    alice: Any, sta: Version, institution: InstitutionInput
) -> None:
    proposal = _draft_named(alice, sta, InstitutionInput("Lanzhou University"), institution)
    with pytest.raises(NotReady) as caught:
        proposal_submit(proposal=proposal, acting_user=alice, reason="Ready")
    assert str(caught.value) == (
        f"Partner institution “国防科技大学”: {CHINESE_ONLY}. Screening lists name parties "
        "in English, so edit the proposal and give the English name (keep the Chinese name too)."
    )
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()
    assert not ScreeningRun.objects.filter(proposal=proposal).exists()


def test_with_the_english_name_given_the_proposal_is_submitted(alice: Any, sta: Version) -> None:
    proposal = _draft_named(
        alice, sta, InstitutionInput("National University of Defense Technology", "国防科技大学")
    )
    proposal_submit(proposal=proposal, acting_user=alice, reason="Ready")
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


def test_resubmission_is_refused_while_an_institution_has_no_english_name(
    alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any
) -> None:
    proposal = proposal_in("returned", submitter=alice, reviewer=bob, security=charlie, version=sta)
    institution = proposal.institutions.get()
    institution.name = ""
    institution.name_local = "中国科学院地理科学与资源研究所"
    save_with_history(institution, acting_user=alice, reason="Before the rule")
    with pytest.raises(NotReady, match=CHINESE_ONLY):
        services.proposal_resubmit(proposal=proposal, acting_user=alice, reason="Answered")
    assert Proposal.objects.get(pk=proposal.pk).state == "returned"


def test_the_submit_page_names_the_institution_and_refuses_with_409(
    alice: Any, sta: Version
) -> None:
    proposal = _draft_named(alice, sta, InstitutionInput("", "国防科技大学"))
    client = as_user(alice)
    page = text(client.get(f"/reviews/proposals/{proposal.pk}/submit/"))
    assert "Not screened: give the English name of “国防科技大学”." in page
    assert "Edit the proposal and give each institution's English name" in page
    response = client.post(f"/reviews/proposals/{proposal.pk}/submit/", {"reason": "Ready"})
    assert response.status_code == 409
    assert f"Partner institution “国防科技大学”: {CHINESE_ONLY}." in text(response)
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"


def test_the_api_refuses_submission_with_409_and_the_reason(alice: Any, sta: Version) -> None:
    proposal = _draft_named(alice, sta, InstitutionInput("", "国防科技大学"))
    response = post_json(
        as_user(alice), f"/api/proposals/{proposal.pk}/submit/", {"reason": "Ready"}
    )
    assert response.status_code == 409
    assert CHINESE_ONLY in response.json()["detail"]
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"


def test_the_proposal_page_flags_the_unscreened_institution(alice: Any, sta: Version) -> None:
    proposal = _draft_named(alice, sta, InstitutionInput("", "国防科技大学"))
    page = text(as_user(alice).get(f"/reviews/proposals/{proposal.pk}/"))
    assert "— Not screened: give its English name. 国防科技大学" in page


def test_the_draft_form_asks_for_both_names(alice: Any) -> None:
    page = text(as_user(alice).get("/reviews/proposals/new/"))
    assert "Name in English (needed to submit) Name in Chinese (when known)" in page
    assert "the proposal cannot be submitted until the English name is given" in page


def test_a_researcher_may_name_their_institution_by_its_chinese_name(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_in(
        "draft",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("", "兰州大学"),),
        people=(PersonInput("Li Hua", institution="兰州大学"),),
    )
    assert str(proposal.people.get().institution) == "兰州大学"
    assert not ScreeningHit.objects.exists()


# --- The hit page explains the score --------------------------------------------------------


def _pinyin_hit(alice: Any, charlie: Any, sta: Version) -> ScreeningHit:
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("Harbin Gongye Daxue", "哈尔滨工业大学", "Weihai"),),
        people=(),
    )
    run = _run(proposal)
    return run.hits.get(kind="restricted_party")


def test_the_hit_page_shows_the_score_parts_near_misses_and_what_rulings_do(
    alice: Any,
    charlie: Any,
    sta: Version,
    cjk_list: ScreeningList,
    django_assert_max_num_queries: Any,
) -> None:
    hit = _pinyin_hit(alice, charlie, sta)
    client = as_user(charlie)
    with django_assert_max_num_queries(12):
        response = client.get(f"/reviews/hits/{hit.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Screened name Harbin Gongye Daxue (read as written)" in page
    assert "Matched name Haerbin Gongye Daxue (the list's alias)" in page
    assert "Score 97.5 out of 100 (a hit from 88)" in page
    assert (
        "Name 100 0.8 “Harbin Gongye Daxue” matches the list's alias “Haerbin Gongye Daxue”: "
        "100 of 100. Older and postal spellings read as pinyin: Harbin → Haerbin."
    ) in page
    assert (
        "Country and address 75 0.1 A listed address is in China, but none is in Weihai, "
        "the partner's city."
    ) in page
    assert "Type 100 0.1 Listed as an entity, as the partner." in page
    assert "List and program not compared none On the Entity List" in page
    assert "Score 97.5 1 The weighted mean of the parts that could be compared." in page
    assert "Near misses below the threshold" in page
    assert (
        "This partner was screened as “Harbin Gongye Daxue” as written; “哈尔滨工业大学” in "
        "Chinese characters; “ha er bin gong ye da xue” (pinyin of the Chinese)."
    ) in page
    assert (
        "Haerbin Gongcheng Daxue (alias) Entity List (EL) - Bureau of Industry and Security, "
        "entry EL-12 81.5"
    ) in page
    assert (
        "Name: “Harbin Gongye Daxue” resembles the list's alias “Haerbin Gongcheng Daxue”: 80 "
        "of 100. They differ in a distinctive part (“gongye” and “gongcheng”)"
    ) in page
    assert (
        "True match A true match blocks approval unless the security assessment clears it "
        "with mitigations."
    ) in page
    assert "False positive A false positive sets the match aside" in page


def test_a_hit_without_near_misses_says_so(
    alice: Any, charlie: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    proposal = proposal_in(
        "submitted", submitter=alice, version=sta, people=(PersonInput("刘晓明"),)
    )
    hit = _run(proposal).hits.get(kind="restricted_party")
    page = text(as_user(charlie).get(f"/reviews/hits/{hit.pk}/"))
    assert "No other listed party scored 70 or more." in page
    assert "“刘晓明” in Chinese characters matches the list's alias in Chinese characters" in page


def test_the_submitter_does_not_see_the_breakdown(
    alice: Any, charlie: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    hit = _pinyin_hit(alice, charlie, sta)
    response = as_user(alice).get(f"/reviews/hits/{hit.pk}/")
    assert response.status_code == 403
    assert "Near misses" not in text(response)


def test_the_proposal_page_lists_each_partners_forms_and_near_misses_for_staff(
    alice: Any, charlie: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    proposal = proposal_in(
        "submitted",
        submitter=alice,
        version=sta,
        institutions=(InstitutionInput("Haerbin Gongcheng University", "", ""),),
        people=(PersonInput("Li Hua"),),
    )
    _run(proposal)
    page = text(as_user(charlie).get(f"/reviews/proposals/{proposal.pk}/"))
    assert (
        "Names screened and near misses Haerbin Gongcheng University (institution; screened as "
        "“Haerbin Gongcheng University” as written) — 0 hits; near misses: Harbin Engineering "
        "University (Entity List (EL) - Bureau of Industry and Security, EL-12), 86.2; Haerbin "
        "Gongye Daxue (Entity List (EL) - Bureau of Industry and Security, EL-11), 70.9."
    ) in page
    assert (
        "Li Hua (person; screened as “Li Hua” as written; “hua li” (family name moved)) — 0 "
        "hits; no near miss."
    ) in page
    assert "Names screened and near misses" not in text(
        as_user(alice).get(f"/reviews/proposals/{proposal.pk}/")
    )


def test_the_api_gives_staff_the_score_parts_and_the_partners_screened(
    alice: Any, charlie: Any, sta: Version, cjk_list: ScreeningList
) -> None:
    hit = _pinyin_hit(alice, charlie, sta)
    proposal = hit.run.proposal
    (run,) = as_user(charlie).get(f"/api/proposals/{proposal.pk}/screening/").json()["results"]
    party = next(h for h in run["hits"] if h["kind"] == "restricted_party")
    assert [(p["part"], p["score"], p["weight"]) for p in party["score_parts"]] == [
        ("name", 100.0, 0.8),
        ("country", 75.0, 0.1),
        ("type", 100.0, 0.1),
        ("program", None, 0.0),
    ]
    (partner,) = run["partners_screened"]
    assert [m["matched_name"] for m in partner["near_misses"]] == ["Haerbin Gongcheng Daxue"]
    assert as_user(alice).get(f"/api/proposals/{proposal.pk}/screening/").status_code == 403
