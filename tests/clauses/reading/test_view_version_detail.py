from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from clauses.models import TextStatus, system_user
from clauses.record.reference import sta_load
from tests.factories import article, make_agreement, make_version

from ..pages_data import build_sta, paragraph

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/versions/2024/"


@pytest.fixture
def page(client: Client, dana: Any) -> str:
    build_sta()
    client.force_login(dana)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_sta()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    build_sta()
    client.force_login(nobody)
    assert client.get(URL).status_code == 403


def test_unknown_agreements_and_labels_are_not_found(client: Client, dana: Any) -> None:
    build_sta()
    client.force_login(dana)
    assert client.get("/agreements/sta/versions/1999/").status_code == 404
    assert client.get("/agreements/nope/versions/2024/").status_code == 404


def test_it_says_plainly_that_the_text_is_illustrative(page: str) -> None:
    notice = re.search(r'<p class="notice notice-illustrative" role="note">(.*?)</p>', page)
    assert notice is not None
    assert "Illustrative text — written for this product, not the official wording" in notice[1]
    assert page.index('role="note"') < page.index("<h1>")


def test_every_clause_has_an_anchor_and_a_visible_link_to_itself(page: str) -> None:
    for anchor in ("art_1", "art_1-para_1", "art_1-para_2", "art_2", "art_3", "art_4", "annex_1"):
        assert f'id="{anchor}"' in page
        assert f'<a class="self-link" href="#{anchor}">' in page


def test_the_contents_are_nested_and_link_to_the_anchors(page: str) -> None:
    toc = page[page.index('<nav class="toc" aria-label="Contents">') :]
    toc = toc[: toc.index("</nav>")]
    assert '<a href="#art_4">Article 4 Scope</a>' in toc
    repealed = '<a href="#art_2">Article 2 Joint Commission</a> <span class="toc-repealed">'
    assert f"{repealed}(repealed)</span>" in toc


def test_each_clause_carries_a_citation_visible_without_javascript(page: str) -> None:
    citation = (
        "STA (2024 protocol), Article 4, http://testserver/agreements/sta/versions/2024/#art_4 "
        "(illustrative text)"
    )
    assert f'<span class="citation">{citation}</span>' in page
    assert f'data-citation="{citation}" hidden>Copy citation' in page
    assert (
        "STA (2024 protocol), Article 1, 2, http://testserver/agreements/sta/versions/2024/#art_1-para_2"
        " (illustrative text)" in page
    )


def test_the_copy_script_is_a_static_file_and_nothing_is_inline(page: str) -> None:
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="/static/js/copy-citation.js" defer>']
    assert "<script>" not in page
    assert " onclick=" not in page


def test_changes_against_the_previous_version_carry_badges(page: str) -> None:
    assert '<span class="badge badge-added">Added</span>' in page
    assert '<span class="badge badge-repealed">Repealed</span>' in page
    assert (
        'href="/agreements/sta/versions/2024-03/#art_2">Read its text in the previous version'
        in page
    )
    assert "Repealed</strong> by Instrument 2024-instrument." in page


def test_the_first_version_has_no_badges(client: Client, dana: Any) -> None:
    build_sta()
    client.force_login(dana)
    html = client.get("/agreements/sta/versions/1979/").content.decode()
    assert 'class="badge' not in html
    assert 'rel="next">Next: Version 1984' in html


def test_amended_and_renumbered_clauses_say_so(client: Client, dana: Any) -> None:
    agreement = make_agreement("amend")
    make_version(
        agreement,
        "one",
        [
            article(1, "Each party designates an executive agent for cooperation."),
            article(2, "The parties meet every year to review the programme of cooperation."),
            article(3, "Disputes are resolved by consultation between the parties."),
            paragraph("art_3", 1, "Consultation begins within thirty days."),
        ],
        in_force_from=dt.date(2000, 1, 1),
        text_status=TextStatus.OFFICIAL,
    )
    make_version(
        agreement,
        "two",
        [
            article(1, "Each party designates an executive agent for basic research cooperation."),
            article(2, "Disputes are resolved by consultation between the parties."),
            paragraph("art_2", 1, "Consultation begins within thirty days."),
        ],
        in_force_from=dt.date(2005, 1, 1),
        text_status=TextStatus.OFFICIAL,
    )
    client.force_login(dana)
    html = client.get("/agreements/amend/versions/two/").content.decode()
    assert '<span class="badge badge-amended">Amended</span>' in html
    assert '<span class="badge badge-renumbered">Renumbered (was Article 3)</span>' in html
    assert 'role="note"' not in html


def test_the_repealed_joint_commission_cites_its_source_and_dates_read_as_recorded(
    client: Client, dana: Any
) -> None:
    sta_load(acting_user=system_user(), reason="test load")
    client.force_login(dana)
    html = client.get("/agreements/sta/versions/2024-protocol/").content.decode()
    article = html.split('id="art_10"', 1)[1].split('id="art_10-para_1"', 1)[0]
    assert '<span class="change-source">Source: <cite>&quot;Science Could Be a Bright Spot' in (
        article
    )
    assert html.count('class="change-source"') == 1
    older = client.get("/agreements/sta/versions/2024-extension/").content.decode()
    assert "signed 7 March 2024 (assumed: the announcement date)" in older
    older = client.get("/agreements/sta/versions/1984-extension/").content.decode()
    assert (
        "in force from 31 January 1984 (assumed: the end of the first five-year term) until "
        "18 April 2006 (assumed: the date of signature of the 2006 protocol)" in older
    )


@pytest.mark.parametrize(
    ("status", "ending"),
    [
        (TextStatus.ILLUSTRATIVE, "#art_1 (illustrative text)"),
        (TextStatus.PARTIAL, "#art_1 (partial text)"),
        (TextStatus.OFFICIAL, "#art_1"),
    ],
)
def test_every_copied_citation_says_when_the_text_is_not_official(
    client: Client, dana: Any, status: str, ending: str
) -> None:
    pact = make_agreement("pact")
    make_version(pact, "2001", [article(1, "One.")], in_force_from=dt.date(2001, 1, 1),
                 text_status=status)  # fmt: skip
    client.force_login(dana)
    html = client.get("/agreements/pact/versions/2001/").content.decode()
    cited = re.findall(r'data-citation="([^"]*)"', html)
    assert cited
    assert all(c.endswith(ending) for c in cited), cited
    on_day = client.get("/agreements/pact/on/2001-06-01/").content.decode()
    assert re.findall(r'data-citation="([^"]*)"', on_day) == cited
