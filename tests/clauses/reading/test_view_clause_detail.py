from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from clauses.models import Clause, TextStatus, system_user
from clauses.record.reference import sta_load
from clauses.record.versions import clause_correct
from tests.factories import article, make_agreement, make_version

from ..pages_data import build_sta, paragraph

pytestmark = pytest.mark.django_db


def rows(html: str) -> dict[str, str]:
    """Each version's entry on the page, by version title."""
    found = re.findall(r'<li class="through-row[^"]*">(.*?)</li>', html, re.S)
    return {re.search(r">(Version [^<]+)</a>", row)[1]: row for row in found}  # type: ignore[index]


@pytest.fixture
def sta() -> Any:
    return build_sta()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, sta: Any) -> None:
    response = client.get("/agreements/sta/clauses/art_2/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, sta: Any, nobody: Any) -> None:
    client.force_login(nobody)
    assert client.get("/agreements/sta/clauses/art_2/").status_code == 403


def test_unknown_keys_and_agreements_are_not_found(client: Client, sta: Any, dana: Any) -> None:
    client.force_login(dana)
    assert client.get("/agreements/sta/clauses/art_99/").status_code == 404
    assert client.get("/agreements/nope/clauses/art_2/").status_code == 404


def test_a_repealed_clause_shows_its_text_until_the_repeal(
    client: Client, sta: Any, bob: Any
) -> None:
    client.force_login(bob)
    html = client.get("/agreements/sta/clauses/art_2/").content.decode()
    by_version = rows(html)
    assert list(by_version) == [
        f"Version {v}" for v in ("1979", "1984", "2018", "2023", "2024-03", "2024")
    ]
    assert "A joint commission meets once a year" in by_version["Version 1979"]
    assert '<span class="badge badge-unchanged">Unchanged</span>' in by_version["Version 1984"]
    repeal = by_version["Version 2024"]
    assert '<span class="badge badge-repealed">Repealed</span>' in repeal
    assert 'Repealed by <a href="/agreements/sta/#instrument-2024-instrument">' in repeal
    assert "A joint commission meets once a year" in repeal
    assert 'href="/agreements/sta/versions/2024/#art_2"' in repeal


def test_a_new_clause_is_not_present_before_it_was_added(
    client: Client, sta: Any, dana: Any
) -> None:
    client.force_login(dana)
    by_version = rows(client.get("/agreements/sta/clauses/art_4/").content.decode())
    assert '<span class="badge badge-absent">Not present</span>' in by_version["Version 2018"]
    assert "not part of this version" in by_version["Version 2018"]
    assert "Added by <a" in by_version["Version 2024"]


def test_an_amended_clause_keeps_the_previous_text_at_hand(client: Client, dana: Any) -> None:
    agreement = make_agreement("amend")
    make_version(
        agreement,
        "one",
        [article(1, "Each party designates an executive agent.")],
        in_force_from=dt.date(2000, 1, 1),
        text_status=TextStatus.OFFICIAL,
    )
    make_version(
        agreement,
        "two",
        [article(1, "Each party designates one executive agent.")],
        in_force_from=dt.date(2005, 1, 1),
        text_status=TextStatus.OFFICIAL,
    )
    client.force_login(dana)
    html = client.get("/agreements/amend/clauses/art_1/").content.decode()
    two = rows(html)["Version two"]
    assert "Amended by <a" in two
    assert "<summary>Text in the previous version</summary>" in two
    assert "designates an executive agent." in two
    assert 'role="note"' not in html


def test_it_says_when_the_text_shown_is_illustrative(client: Client, sta: Any, dana: Any) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_1/").content.decode()
    assert '<p class="notice notice-illustrative" role="note">' in html
    assert (
        "the wording shown for Version 1979; Version 1984; Version 2018; Version 2023; "
        "Version 2024-03; Version 2024 was written" in html
    )


def test_corrections_name_who_when_and_why(client: Client, sta: Any, erin: Any, dana: Any) -> None:
    clause = Clause.objects.get(version__label="2024", key="art_3")
    clause_correct(
        clause=clause,
        heading="Costs",
        text="Each party bears its own costs.",
        acting_user=erin,
        reason="Matches the signed copy",
    )
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_3/").content.decode()
    table = html[html.index('<table class="history">') : html.index("</table>")]
    assert "<td>Version 2024</td><td>erin</td><td>Matches the signed copy</td><td>text" in table
    assert "Each party bears its own costs of participation." in table  # the text before
    assert table.count("<tr>") == 2  # header and the one correction, not the publications
    assert "No corrections." not in html


def test_a_clause_never_corrected_says_so_and_lists_its_publication(
    client: Client, sta: Any, dana: Any
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_3/").content.decode()
    assert "<strong>No corrections.</strong>" in html
    assert "published (6)</summary>" in html
    assert html.count("<td>sta-system</td><td>test data</td>") == 0
    assert html.count("<td>STA Tracker (system)</td><td>test data</td>") == 6


def test_an_article_shows_its_paragraphs_and_folds_unchanged_versions(
    client: Client, sta: Any, dana: Any
) -> None:
    client.force_login(dana)
    by_version = rows(client.get("/agreements/sta/clauses/art_1/").content.decode())
    first = by_version["Version 1979"]
    assert '<span class="clause-number">1.</span> Cooperation covers agriculture' in first
    assert "Same text as in the previous version" not in first
    assert "<summary>Same text as in the previous version</summary>" in by_version["Version 1984"]
    assert "Cooperation covers agriculture" in by_version["Version 1984"]


def test_a_changed_paragraph_marks_its_unchanged_article_as_changed_within(
    client: Client, dana: Any
) -> None:
    agreement = make_agreement("within")
    head = article(1, "The parties cooperate.")
    make_version(
        agreement,
        "one",
        [head, paragraph("art_1", 1, "Agents meet every year in May.")],
        in_force_from=dt.date(2000, 1, 1),
    )
    make_version(
        agreement,
        "two",
        [head, paragraph("art_1", 1, "Agents meet every year in June.")],
        in_force_from=dt.date(2005, 1, 1),
    )
    client.force_login(dana)
    two = rows(client.get("/agreements/within/clauses/art_1/").content.decode())["Version two"]
    assert '<span class="badge badge-amended">Changed within</span>' in two
    assert "Agents meet every year in June." in two
    assert '<span class="badge badge-amended">Amended</span>' in two
    assert "Same text" not in two


def test_the_repeal_of_the_joint_commission_cites_its_source(client: Client, dana: Any) -> None:
    sta_load(acting_user=system_user(), reason="test load")
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_10/").content.decode()
    entry = html.split("As amended and extended by the 2024 protocol</a>", 1)[1].split("</li>")[0]
    assert (
        'Repealed by <a href="/agreements/sta/#instrument-2024-protocol">Protocol to Amend and '
        "Extend the Agreement on Cooperation in Science and Technology (2024)</a>; previously "
        "numbered Article 10. "
        '<span class="change-source">Source: <cite>&quot;Science Could Be a Bright Spot in '
        "U.S.-China Relations&quot;, commentary by former officials, 18 January 2025 (no address "
        "kept)</cite>.</span>" in entry
    )
    earlier = html.split("As extended and amended in 2018</a>", 1)[1].split("</li>")[0]
    assert "change-source" not in earlier
