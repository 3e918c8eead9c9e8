"""Pages and search with the real Chinese 1979 text added as the zh text of the 1979 version."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clauses.importing.document import read_document
from clauses.models import TextStatus, Version, system_user
from clauses.record.languages import version_text_add
from sta_tracker.search.query import search

from ..languages_data import load_sta_english_only

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/versions/1979/"


@pytest.fixture
def with_chinese(shared_sta_dir: Path, tmp_path: Path) -> Version:
    version = load_sta_english_only(tmp_path)
    path = shared_sta_dir / "1979-agreement.zh.txt"
    version_text_add(
        version=version,
        document=read_document(path.read_bytes(), path.name),
        language="zh",
        text_status=TextStatus.PARTIAL,
        acting_user=system_user(),
        reason="Chinese text",
    )
    return version


def test_the_version_page_sets_both_texts_side_by_side(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """?lang=both: one row per top-level clause, English and Chinese cells, unique anchors."""
    client.force_login(dana)
    html = client.get(URL + "?lang=both").content.decode()
    assert html.count('class="lang-row"') == 13
    assert '<div class="lang-cell" lang="zh">' in html
    assert 'id="art_1-zh"' in html
    assert 'id="art_1"' in html
    assert "缔约双方根据本协定在平等、互利和互惠的基础上发展合作。" in html
    assert "Chinese text: Partial text" in html
    assert html.count("Not in this text.") == 7


def test_the_version_page_shows_the_chinese_text_alone(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """?lang=zh: the Chinese clauses under the English anchors; the toggle marks 中文."""
    client.force_login(dana)
    html = client.get(URL + "?lang=zh").content.decode()
    assert 'id="art_1"' in html
    assert "第一条" in html
    assert "Principles and objective" not in html
    assert '<a href="?lang=zh" aria-current="true" lang="zh">中文</a>' in html


def test_a_version_without_chinese_says_so_and_shows_english(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """The 2018 version holds no Chinese text: a notice, and the English text."""
    client.force_login(dana)
    html = client.get("/agreements/sta/versions/2018-amended/?lang=zh").content.decode()
    assert "This version has no text in Chinese; the English text is shown." in html
    assert "第一条" not in html


def test_the_text_on_a_date_and_the_clause_page_take_lang(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """The text in force on 1980-01-01 and Article 1's page read in Chinese."""
    client.force_login(dana)
    on_date = client.get("/agreements/sta/on/1980-01-01/?lang=zh").content.decode()
    assert "缔约双方根据本协定" in on_date
    clause = client.get("/agreements/sta/clauses/art_1__para_1/?lang=zh").content.decode()
    assert "缔约双方根据本协定" in clause
    english = client.get("/agreements/sta/clauses/art_1__para_1/").content.decode()
    assert "缔约双方根据本协定" not in english


def test_search_in_chinese_finds_the_chinese_clause_and_says_its_language(
    with_chinese: Version, dana: Any
) -> None:
    """Search covers every language; the hit names zh and links to the Chinese text."""
    results = search(query="互惠", user=dana)
    hits = [(h.version_label, h.key, h.language) for h in results.provisions]
    assert ("1979", "art_1__para_1", "zh") in hits
    hit = next(h for h in results.provisions if h.language == "zh")
    assert hit.url == "/agreements/sta/versions/1979/?lang=zh#art_1-para_1"


def test_the_search_page_says_a_hit_is_in_chinese(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """A Chinese hit is marked as the Chinese text; English hits are not marked."""
    client.force_login(dana)
    html = client.get("/search/?q=互惠").content.decode()
    assert '<span class="hit-language">Chinese text</span>' in html
    english = client.get("/search/?q=reciprocity").content.decode()
    assert "hit-language" not in english


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        # Why: the pages' bound of ten, plus one query for the status of the Chinese text.
        (URL + "?lang=both", 11),
        (URL + "?lang=zh", 11),
        ("/agreements/sta/on/1980-01-01/?lang=both", 11),
        # Why: the clause page's bound of eleven (its effects are one query); no status query.
        ("/agreements/sta/clauses/art_1/?lang=zh", 11),
        ("/agreements/sta/clauses/art_1/?lang=both", 11),
        ("/agreements/sta/compare/1979...2024-protocol/?lang=zh", 10),
    ],
)
def test_pages_in_another_language_keep_their_query_bounds(
    with_chinese: Version,
    client: Client,
    dana: Any,
    url: str,
    bound: int,
    django_assert_max_num_queries: Any,
) -> None:
    """Adding a language costs at most one query more, whatever the size of the text."""
    client.force_login(dana)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_the_compare_page_compares_within_the_chosen_language(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """?lang=zh compares the Chinese texts; the Language control marks 中文; CSV says zh."""
    client.force_login(dana)
    url = "/agreements/sta/compare/1979...1984-extension/"
    html = client.get(url + "?lang=zh").content.decode()
    assert '<a href="' + url + '?lang=zh" lang="zh" aria-current="true">中文</a>' in html
    assert "Compared in the Chinese text" in html

    # Why: the CSV opens with comment rows (agreement, versions, notice), then its header row;
    # a cell may hold several lines of text, so the rows are read as CSV.
    def rows(query: str) -> list[list[str]]:
        body = client.get(url + query).content.decode("utf-8-sig")
        return [row for row in csv.reader(io.StringIO(body)) if row and not row[0].startswith("#")]

    english = rows("?format=csv")
    chinese = rows("?lang=zh&format=csv")[1:]
    assert english[0][-1] == "language"
    assert all(row[-1] == "zh" for row in chinese)
    assert chinese != []
    bad = client.get(url + "?lang=chinese")
    assert bad.status_code == 400
    assert "“lang=chinese” is not a language" in bad.content.decode()


def test_the_api_version_answer_carries_its_language_and_the_languages_held(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """/api/…/versions/1979/?lang=zh gives the Chinese clauses, language zh, languages [en, zh]."""
    client.force_login(dana)
    url = "/api/agreements/sta/versions/1979/"
    data = client.get(url + "?lang=zh").json()
    assert (data["language"], data["languages"]) == ("zh", ["en", "zh"])
    assert [c["language"] for c in data["clauses"]] == ["zh"] * 14
    assert client.get(url).json()["clauses"][1]["number"] == "Article 1"
    assert client.get(url + "?lang=ZH").status_code == 400
    clause = data["clauses"][2]
    detail = client.get(f"/api/clauses/{clause['id']}/").json()
    assert (detail["language"], detail["languages"], detail["key"]) == (
        "zh",
        ["en", "zh"],
        "art_1__para_1",
    )


def test_the_clause_page_sets_each_version_s_wording_side_by_side(
    with_chinese: Version, client: Client, dana: Any
) -> None:
    """?lang=both: each version's row has an English and a Chinese cell; a version without a
    Chinese text says so in its cell; the toggle marks Both."""
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_1__para_1/?lang=both").content.decode()
    rows = html.split('<li class="through-row')[1:]
    assert len(rows) == Version.objects.filter(agreement__slug="sta").count()
    assert all(r.count('<div class="lang-cell" lang="en">') == 1 for r in rows)
    assert all(r.count('<div class="lang-cell" lang="zh">') == 1 for r in rows)
    first, *later = rows
    assert "缔约双方根据本协定" in first
    assert "no Chinese text of this clause" not in first
    assert all(
        "This version has no Chinese text of this clause." in r and "缔约双方根据本协定" not in r
        for r in later
    )
    assert '<li><a href="?lang=both" aria-current="true">Both</a></li>' in html
    assert 'aria-current="true" lang=' not in html.split("</nav>", 2)[1]
    assert "style=" not in html


def test_the_clause_page_without_chinese_asked_for_both_shows_english_alone(
    shared_sta_dir: Path, tmp_path: Path, client: Client, dana: Any
) -> None:
    """No version holds Chinese: one column, the notice, no side-by-side cells."""
    load_sta_english_only(tmp_path)
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_1/?lang=both").content.decode()
    assert "This clause has no text in Chinese; the English text is shown." in html
    assert "lang-cell" not in html
