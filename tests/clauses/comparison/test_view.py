"""The compare page: access, the summary, the redline, its views and filters, and bad input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from clauses.models import TextStatus

from .compare_data import build_pair

pytestmark = pytest.mark.django_db

URL = "/agreements/pact/compare/2001...2011/"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    build_pair()
    client.force_login(dana)
    return client


def get(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The compare row with the id ``anchor``."""
    found = re.search(rf'<section class="cmp-row[^"]*" id="{anchor}"(.*?)</section>', html, re.S)
    assert found is not None, anchor
    return found[0]


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    build_pair()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, nobody: Any) -> None:
    build_pair()
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?format=csv").status_code == 403


def test_unknown_versions_and_agreements_are_not_found(reader: Client) -> None:
    assert reader.get("/agreements/pact/compare/2001...1999/").status_code == 404
    assert reader.get("/agreements/pact/compare/1999...2011/").status_code == 404
    assert reader.get("/agreements/nope/compare/2001...2011/").status_code == 404
    assert reader.get("/agreements/pact/compare/2001..2011/").status_code == 404


def test_the_summary_counts_every_kind_of_change(reader: Client) -> None:
    html = get(reader)
    found = re.findall(r'<li class="count count-\w+"><strong>(\d+)</strong> (\w+)</li>', html)
    counts = {name: int(n) for n, name in found}
    assert counts == {
        "added": 2,
        "removed": 1,
        "amended": 1,
        "moved": 1,
        "renumbered": 1,
        "unchanged": 1,
    }
    assert "<strong>15</strong> words inserted and <strong>9</strong> deleted." in html


def test_the_summary_names_both_versions_with_instruments_and_text_status(reader: Client) -> None:
    html = get(reader)
    table = html[
        html.index("<tbody>", html.index('class="compare-versions"')) : html.index("</table>")
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len(rows) == 2
    assert '<th scope="row">From</th>' in rows[0]
    assert '<a href="/agreements/pact/versions/2001/">Version 2001</a>' in rows[0]
    assert "Instrument 2001-instrument" in rows[0]
    assert "from 1 January 2001 until 1 January 2011" in rows[0]
    assert "Official text" in rows[0]
    assert '<a href="/agreements/pact/versions/2011/">Version 2011</a>' in rows[1]
    assert "Instrument 2011-instrument" in rows[1]


def test_official_texts_carry_no_warning(reader: Client) -> None:
    assert 'role="note"' not in get(reader)


def test_an_illustrative_text_on_either_side_is_announced_first(client: Client, dana: Any) -> None:
    build_pair(newer_status=TextStatus.ILLUSTRATIVE)
    client.force_login(dana)
    html = get(client)
    notice = re.search(r'<p class="notice notice-illustrative" role="note">(.*?)</p>', html, re.S)
    assert notice is not None
    assert "Not the official wording: Version 2011 is illustrative." in notice[1]
    assert html.index('role="note"') < html.index("<h1")


def test_an_amended_clause_shows_insertions_underlined_inline(reader: Client) -> None:
    row = section(get(reader), "art_1")
    assert '<span class="badge badge-amended">Amended</span>' in row
    assert (
        '<p class="redline">The parties cooperate in <ins>basic </ins>'
        "science and technology on the basis of equality.</p>"
    ) in row


def test_a_removed_clause_is_struck_through_where_it_stood(reader: Client) -> None:
    html = get(reader)
    row = section(html, "removed-art_2")
    assert "<del>A joint commission meets once a year.</del>" in row
    assert '<span class="clause-heading"><del>Joint Commission</del></span>' in row
    assert html.index('id="art_4"') < html.index('id="removed-art_2"') < html.index('id="art_3"')


def test_moved_and_renumbered_clauses_say_where_they_came_from(reader: Client) -> None:
    html = get(reader)
    moved = section(html, "art_4")
    assert '<span class="clause-number">Article 2</span>' in moved
    assert '<p class="cmp-note">Moved from Article 4</p>' in moved
    renumbered = section(html, "art_5")
    assert '<p class="cmp-note">Renumbered from Article 5</p>' in renumbered
    assert '<span class="clause-number">Article 6</span>' in renumbered


def test_every_change_has_an_anchor_a_visible_link_and_its_neighbours(reader: Client) -> None:
    html = get(reader)
    changes = re.findall(r'id="([\w-]+)" aria-labelledby="[\w-]+" data-change="(\d+)"', html)
    assert changes == [
        ("art_1", "1"),
        ("art_4", "2"),
        ("removed-art_2", "3"),
        ("art_4_2", "4"),
        ("art_5_2", "5"),
        ("art_5", "6"),
    ]
    first = section(html, "art_1")
    assert '<a class="self-link" href="#art_1">Link to this change' in first
    assert "Change 1 of 6" in first
    assert '<a href="#art_4">Next change' in first
    assert "Previous change" not in first
    middle = section(html, "removed-art_2")
    assert '<a href="#art_4">Previous change' in middle
    assert '<a href="#art_4_2">Next change' in middle
    unchanged = section(html, "art_3")
    assert "data-change" not in unchanged
    assert "self-link" not in unchanged


def test_changes_are_focusable_and_named_for_the_keyboard_script(reader: Client) -> None:
    html = get(reader)
    assert 'data-label="Article 2, moved" tabindex="-1"' in section(html, "art_4")
    assert '<script src="/static/js/compare.js" defer></script>' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, "no inline scripts"
    assert '<div class="change-nav no-print" data-change-nav hidden>' in html


def test_the_changed_only_filter_leaves_out_unchanged_clauses(reader: Client) -> None:
    html = get(reader, URL + "?changed=1")
    assert 'id="art_3"' not in html
    for anchor in ("art_1", "art_4", "removed-art_2", "art_4_2", "art_5_2", "art_5"):
        assert f'id="{anchor}"' in html
    assert "Changed clauses (6)" in html
    assert f'<a href="{URL}?changed=1" aria-current="true">Changed clauses only</a>' in html


def test_side_by_side_puts_the_old_text_left_and_the_new_right(reader: Client) -> None:
    html = get(reader, URL + "?view=side&changed=1")
    row = section(html, "art_1")
    old = row[row.index('<div class="side side-old">') : row.index('<div class="side side-new">')]
    new = row[row.index('<div class="side side-new">') :]
    assert "The parties cooperate in science" in old
    assert "<ins>" not in old
    assert "The parties cooperate in <ins>basic </ins>science" in new
    assert "<del>" not in new
    added = section(html, "art_4_2")
    assert '<p class="side-absent">Not in this version.</p>' in added
    assert f'<a href="{URL}?view=side&amp;changed=1" aria-current="true">Side by side</a>' in html
    assert f'<a href="{URL}?changed=1">Inline redline</a>' in html


def test_toggles_and_downloads_keep_the_other_choices(reader: Client) -> None:
    html = get(reader, URL + "?view=side")
    assert f'<a href="{URL}?view=side&amp;changed=1">Changed clauses only</a>' in html
    assert f'<a href="{URL}?view=side&amp;format=csv" download>CSV' in html
    assert f'<a href="{URL}?view=side&amp;format=docx" download>Word' in html


def test_ignoring_whitespace_and_punctuation_hides_changes_to_them_alone(
    client: Client, dana: Any
) -> None:
    from tests.factories import article, make_agreement, make_version

    pact = make_agreement("pact")
    import datetime as dt

    make_version(
        pact, "2001", [article(1, "Each party, in turn, hosts.")], in_force_from=dt.date(2001, 1, 1)
    )
    make_version(
        pact, "2011", [article(1, "Each party in turn  hosts.")], in_force_from=dt.date(2011, 1, 1)
    )
    client.force_login(dana)
    exact = get(client)
    assert "<del>,</del>" in exact
    loose = get(client, URL + "?ignore=1")
    assert "No changes</strong> to the text between these two versions" in loose
    assert "<del>" not in loose


def test_the_same_version_twice_shows_no_changes(reader: Client) -> None:
    html = get(reader, "/agreements/pact/compare/2011...2011/")
    assert "<strong>No changes</strong>: both sides are the same version." in html
    assert "data-change=" not in html
    assert 'id="art_4_2"' in html
    assert "<ins>" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?view=wide", "“view=wide” is not a view: use view=inline or view=side."),
        ("?changed=yes", "“changed=yes” is not understood: use changed=1"),
        ("?ignore=2", "“ignore=2” is not understood: use ignore=1"),
        (
            "?format=xml",
            "“xml” is not an export format: use format=json, format=csv, format=docx "
            "or format=pdf.",
        ),
    ],
)
def test_bad_parameters_get_a_clear_error(reader: Client, query: str, message: str) -> None:
    response = reader.get(URL + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="error" role="alert">{message}' in html
    assert '<form class="compare-picker"' in html
