"""Pages show names, never stable keys or version slugs: the real STA, every reading page."""

from __future__ import annotations

import html as html_lib
import itertools
import re
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client

from clauses.models import Clause, Instrument, Version, system_user
from clauses.record.reference import sta_load

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<[^>]*>")
HIDDEN = re.compile(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->")
# Why: a citation to copy shows the page's address, and addresses keep their keys.
ADDRESS = re.compile(r"https?://\S+")


def visible_text(page: str) -> str:
    """The words a reader sees or hears: tags and their attributes gone, addresses dropped."""
    return ADDRESS.sub(" ", html_lib.unescape(TAGS.sub(" ", HIDDEN.sub(" ", page))))


def internal_names(keys: Iterable[str] = (), slugs: Iterable[str] = ()) -> re.Pattern[str]:
    """Every clause key with a part separator and every slug that is not a plain year: those
    held, and ``keys`` and ``slugs`` not written yet (an import's)."""
    keys = {k for k in (*Clause.objects.values_list("key", flat=True), *keys) if "_" in k}
    slugs = {
        *Version.objects.values_list("label", flat=True),
        *Instrument.objects.values_list("slug", flat=True),
        *slugs,
    }
    names = sorted(keys | {s for s in slugs if not s.isdigit()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


@pytest.fixture
def sta(client: Client, dana: Any, shared_sta_dir: Any) -> Client:
    sta_load(acting_user=system_user(), reason="test load")
    client.force_login(dana)
    return client


def pages() -> list[str]:
    versions = list(Version.objects.filter(agreement__slug="sta").order_by("in_force_from"))
    keys = sorted(
        set(Clause.objects.filter(version__agreement__slug="sta").values_list("key", flat=True))
    )
    urls = ["/agreements/sta/", "/agreements/sta/on/", "/agreements/sta/compare/"]
    urls += [f"/agreements/sta/versions/{v.label}/" for v in versions]
    urls += [f"/agreements/sta/versions/{v.label}/?lang=both" for v in versions[:1] + versions[-1:]]
    pairs = [*itertools.pairwise(versions), (versions[0], versions[-1])]
    for older, newer in pairs:
        base = f"/agreements/sta/compare/{older.label}...{newer.label}/"
        urls += [base, base + "?view=side"]
    urls += [f"/agreements/sta/clauses/{key}/" for key in keys]
    days = ["1982-06-01", "1990-06-01", "2007-01-01", "2024-03-01", "2024-10-01", "2030-01-01"]
    urls += [f"/agreements/sta/on/{day}/" for day in days]
    slugs = Instrument.objects.filter(agreement__slug="sta").values_list("slug", flat=True)
    urls += [f"/agreements/sta/instruments/{slug}/" for slug in slugs]
    return urls


def test_no_reading_or_compare_page_shows_a_key_or_a_slug(sta: Client) -> None:
    pattern = internal_names()
    found: dict[str, list[str]] = {}
    urls = pages()
    assert len(urls) > 80
    for url in urls:
        response = sta.get(url)
        assert response.status_code == 200, url
        hits = pattern.findall(visible_text(response.content.decode()))
        if hits:
            found[url] = sorted(set(hits))
    assert found == {}


def test_the_check_sees_a_key_in_the_text_but_not_in_an_address(sta: Client) -> None:
    """The scanner itself: text is caught, attributes and addresses are not."""
    pattern = internal_names()
    assert pattern.findall(visible_text("<li>Clause <code>art_5</code></li>")) == ["art_5"]
    assert pattern.findall(visible_text("<p>Read 2024-protocol</p>")) == ["2024-protocol"]
    assert (
        pattern.findall(visible_text('<a href="/versions/2024-protocol/#art_5">Article 5</a>'))
        == []
    )
    assert pattern.findall(visible_text("<p>cite https://x.test/v/2024-protocol/#art_5</p>")) == []


def test_the_contents_name_the_clauses(sta: Client) -> None:
    html = sta.get("/agreements/sta/versions/2024-protocol/").content.decode()
    contents = html.split('aria-label="Contents"', 1)[1].split("</nav>", 1)[0]
    assert ">Article 5 Critical and emerging technologies" in contents
    assert "art_5" not in visible_text(contents)


def test_the_clause_page_names_a_paragraph_with_its_article(sta: Client) -> None:
    html = sta.get("/agreements/sta/clauses/art_1__para_2/").content.decode()
    assert "<h1>Article 1, paragraph 2 <span" in html
    assert "<title>Article 1, paragraph 2 through time" in html


def test_the_timeline_rows_are_named_and_link_to_their_versions(sta: Client) -> None:
    html = sta.get("/agreements/sta/").content.decode()
    figure = html.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    assert re.search(
        r'<a href="/agreements/sta/versions/2024-protocol/" class="tl-link" aria-label="As amended '
        r"and extended by the 2024 protocol: [^\"]+\">\s*<text [^>]*>2024 protocol</text>",
        figure,
    )
    assert figure.count('class="tl-link"') == Version.objects.filter(agreement__slug="sta").count()
