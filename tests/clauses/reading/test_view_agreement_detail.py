from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from clauses.models import Instrument, TextStatus, system_user
from clauses.record.reference import sta_load
from sta_tracker.history import save_with_history
from tests.factories import article, make_agreement, make_version

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2025, 1, 1))


@pytest.fixture
def page(client: Client, dana: Any) -> str:
    sta = build_sta()
    protocol = Instrument.objects.get(agreement=sta, slug="2024-instrument")
    protocol.signed_at = "Beijing"
    protocol.signatories = [
        "Representative of the United States",
        {"name": "Representative", "party": "PRC"},
    ]
    protocol.date_conflict = "One source says 14 December."
    protocol.sources = [
        {"fact": "signed", "citation": "Xinhua, 13 Dec 2024", "url": "https://example.org/xinhua"}
    ]
    save_with_history(protocol, acting_user=system_user(), reason="test data")
    client.force_login(dana)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_sta()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/agreements/sta/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    build_sta()
    client.force_login(nobody)
    assert client.get(URL).status_code == 403


def test_an_unknown_agreement_is_not_found(client: Client, dana: Any) -> None:
    client.force_login(dana)
    assert client.get("/agreements/nope/").status_code == 404


def test_it_shows_the_instruments_with_their_facts_and_sources(page: str) -> None:
    assert "Instrument 2024-instrument" in page
    assert "13 December 2024 at Beijing" in page
    assert "Representative of the United States; Representative, PRC" in page
    assert "One source says 14 December." in page
    assert (
        '<a href="https://example.org/xinhua" rel="noopener noreferrer">Xinhua, 13 Dec 2024</a>'
        in page
    )
    assert '27 August 2024 <strong class="retro">(retroactive: signed later)</strong>' in page


def test_the_timeline_is_an_inline_svg_with_lapse_and_retroactive_marks(page: str) -> None:
    assert page.count('<svg viewBox="0 0 1100') == 2  # the overview and the close-up
    # Why a group, not an image: its bars are links to their versions.
    assert 'role="group" aria-labelledby="timeline-overview-title timeline-overview-desc"' in page
    assert "<title>The 2024 lapse: 27 August 2024 to 13 December 2024</title>" in page
    assert "Retroactive: signed 13 December 2024, effective from 27 August 2024" in page
    assert 'class="tl-tick-label tl-tick-major">1980</text>' in page
    assert "<script" not in page


def test_the_versions_are_listed_with_links_as_the_timelines_text(page: str) -> None:
    for label in ("1979", "1984", "2018", "2023", "2024-03", "2024"):
        assert f'<a href="/agreements/sta/versions/{label}/">Version {label}</a>' in page
    assert "from 27 August 2024 until 27 August 2029" in page
    assert page.count('<strong class="retro">Retroactive</strong>') == 2
    assert re.search(r'<th scope="row">The 2024 lapse</th>\s*<td>Lapse</td>', page)


def test_the_date_picker_goes_to_the_on_date_page(page: str) -> None:
    assert '<form class="date-picker" method="get" action="/agreements/sta/on/">' in page
    assert '<input type="date" id="on-date" name="date" value="" min="1979-01-31"' in page


def test_it_says_plainly_that_texts_are_illustrative(page: str) -> None:
    assert '<p class="notice notice-illustrative" role="note">' in page


def test_it_says_what_is_in_force_today(page: str) -> None:
    assert "On 1 January 2025 the version in force was “Version 2024”" in page


def test_an_agreement_with_only_official_texts_has_no_warning(client: Client, dana: Any) -> None:
    agreement = make_agreement("official")
    make_version(
        agreement,
        "1",
        [article(1, "Cooperate.")],
        in_force_from=dt.date(2000, 1, 1),
        text_status=TextStatus.OFFICIAL,
    )
    client.force_login(dana)
    html = client.get("/agreements/official/").content.decode()
    assert 'role="note"' not in html
    assert "timeline-detail" not in html  # nothing short enough to need a close-up


def test_an_agreement_without_versions_still_renders(client: Client, dana: Any) -> None:
    make_agreement("empty")
    client.force_login(dana)
    html = client.get("/agreements/empty/").content.decode()
    assert "No versions recorded yet." in html
    assert "<svg" not in html


@pytest.fixture
def sta_page(client: Client, dana: Any) -> str:
    """The agreement page over the project's own STA data, as ``load_sta`` records it."""
    sta_load(acting_user=system_user(), reason="test load")
    client.force_login(dana)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _cell_after(page: str, heading: str) -> str:
    row = page.split(f'">{heading}</a></th>', 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td>(.*?)</td>", row, re.S)[1]


def test_the_version_table_says_which_dates_are_assumed(sta_page: str) -> None:
    assert _cell_after(sta_page, "As extended for a further six months in 2024") == (
        "7 March 2024 (assumed: the announcement date)"
    )
    assert (
        "from 31 January 1984 (assumed: the end of the first five-year term) until 18 April 2006 "
        "(assumed: the date of signature of the 2006 protocol)" in sta_page
    )
    assert _cell_after(sta_page, "As extended for six months in 2023") == (
        '<span class="muted">date not found</span>'
    )
    assert "Assumed date (no source gives it)" in sta_page


def test_events_dated_by_month_or_year_show_only_the_month_or_year(sta_page: str) -> None:
    for title, when in [
        ("U.S. science delegation led by Frank Press visits China", "July 1978"),
        ("First meeting of the Joint Commission on Scientific and Technological Cooperation",
         "January 1980"),
        ("Congress repeals the biennial reporting requirement of section 1207", "2016"),
        ("State Department has published the revised Agreement", "by 21 April 2025"),
    ]:  # fmt: skip
        row = sta_page.split(f'<th scope="row">{title}', 1)[1].split("</tr>", 1)[0]
        assert f"<td>{when}</td>" in row, title
    assert "1 July 1978" not in sta_page
    assert "1 January 2016" not in sta_page


def test_instrument_cards_say_assumed_and_missing_dates(sta_page: str) -> None:
    card = sta_page.split('id="instrument-2024-extension"', 1)[1].split("</article>", 1)[0]
    assert "<dt>Signed</dt><dd>7 March 2024 (assumed: the announcement date)</dd>" in card
    annex = sta_page.split('id="instrument-ip-annex-amendment"', 1)[1].split("</article>", 1)[0]
    assert "Amendment or extension adding the intellectual-property annex (date not found)" in annex
    assert "<dt>Signed</dt><dd>date not found</dd>" in annex
    assert "<dt>Effective from</dt><dd>date not found</dd>" in annex
    assert re.findall(r"(?<![\d.])1991(?![\d.])", sta_page) == []


def test_the_2018_card_shows_the_contradiction_and_no_derived_term(sta_page: str) -> None:
    card = sta_page.split('id="instrument-2018-extension-and-amendment"', 1)[1].split(
        "</article>", 1
    )[0]
    assert "<dt>Term</dt>" not in card
    assert "Signing date, term and expiry do not agree." in card
    assert "27 June 2018 (assumed: the CRS date; other sources give September 2018)" in card
    assert "<dt>Expires</dt><dd>27 August 2023</dd>" in card


def test_the_2024_protocol_cites_the_commentary_on_the_joint_commission(sta_page: str) -> None:
    card = sta_page.split('id="instrument-2024-protocol"', 1)[1].split("</article>", 1)[0]
    assert (
        "<li><strong>The dispute-resolution mechanism replaces the Joint Commission on Science "
        "and Technology, described as outdated</strong>: &quot;Science Could Be a Bright Spot in "
        "U.S.-China Relations&quot;, commentary by former officials, 18 January 2025 (no address "
        "kept)</li>" in card
    )


def test_the_agreement_page_has_a_section_navigation_with_working_anchors(
    client: Client, dana: Any
) -> None:
    """Every link of the in-page contents points at an element of the page."""
    build_sta()
    client.force_login(dana)
    html = client.get("/agreements/sta/").content.decode()
    nav = html.split('<nav class="on-this-page section-nav" aria-label="On this page">', 1)[1]
    nav = nav.split("</nav>", 1)[0]
    targets = re.findall(r'<a href="#([\w-]+)">', nav)
    assert targets[:3] == ["today", "timeline", "versions"]
    assert "instruments" in targets
    assert any(t.startswith("instrument-") for t in targets)
    for target in targets:
        assert f'id="{target}"' in html, target
