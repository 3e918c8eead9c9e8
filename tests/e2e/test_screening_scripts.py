"""A partner named in Chinese: the submit page asks for its English name; the hit page explains."""

from __future__ import annotations

from typing import Any

import pytest

from clauses.models import system_user
from reviews import services
from reviews.models import Proposal, ScreeningHit
from reviews.services import InstitutionInput
from sta_tracker.roles import Role
from tests.factories import PASSWORD, make_user
from tests.reviews.factories import content, csl_csv, load_lists, make_sta
from tests.reviews.test_screening_scripts import CJK_LISTED

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: Any) -> Any:
    version = make_sta()
    load_lists()
    services.screening_list_import(
        file_name="csl-cjk.csv",
        data=csl_csv(*CJK_LISTED),
        acting_user=system_user(),
        reason="test data",
    )
    alice = make_user("alice", Role.SUBMITTER, first_name="Alice", last_name="Submitter")
    make_user("charlie", Role.SECURITY_REVIEWER, first_name="Charlie", last_name="Security")
    return version, alice


def test_a_chinese_only_partner_blocks_submission_and_the_hit_page_explains_its_score(
    page: Any, world: Any
) -> None:
    from playwright.sync_api import expect

    version, alice = world
    proposal = services.proposal_create(
        content=content(
            version,
            institutions=(InstitutionInput("", "哈尔滨工业大学", "Weihai"),),
            people=(),
        ),
        acting_user=alice,
        reason="First draft",
    )
    log_in(page, "alice", PASSWORD)
    page.goto(f"/reviews/proposals/{proposal.pk}/submit/")
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("Not screened: give the English name of “哈尔滨工业大学”.")
    screenshot(page, "screening-submit-needs-english-name")
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_text("Partner institution “哈尔滨工业大学”: not screened: give its English")
    ).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"

    page.get_by_role("link", name="Edit the proposal").click()
    page.get_by_label("Name in English, institution 1").fill("Harbin Gongye Daxue")
    page.get_by_role("button", name="Save the draft").click()
    page.goto(f"/reviews/proposals/{proposal.pk}/submit/")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted.")

    hit = ScreeningHit.objects.get(run__proposal=proposal, kind="restricted_party")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "charlie", PASSWORD)
    page.goto(f"/reviews/hits/{hit.pk}/")
    parts = page.get_by_role("table", name="How the score was made")
    expect(parts).to_contain_text("Older and postal spellings read as pinyin: Harbin → Haerbin.")
    expect(parts).to_contain_text("none is in Weihai, the partner's city")
    near = page.locator(".near-misses")
    expect(near).to_contain_text("Haerbin Gongcheng Daxue")
    expect(near).to_contain_text("They differ in a distinctive part")
    expect(page.get_by_text("A true match blocks approval unless the security")).to_be_visible()
    screenshot(page, "screening-hit-breakdown")
    page.get_by_label("True match").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("True match")).to_be_checked()
