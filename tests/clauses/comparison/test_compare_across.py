"""The STA against other real S&T agreements, aligned by similarity (Netherlands–US, –Japan)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from clauses.diffing import align_by_similarity, clause_texts_from_rows
from clauses.importing.services import instrument_import, read_file
from clauses.models import Agreement, Version, system_user
from sta_tracker.history import save_with_history

pytestmark = pytest.mark.django_db

URL = "/agreements/sta/compare/across/"
REAL = {
    "nl-us": ("nl-us-st-homeland-2012.BWBV0006073.md", dt.date(2012, 4, 19), "NL–US S&T"),
    "nl-jp": ("nl-jp-st-1996.BWBV0001290.md", dt.date(1996, 10, 1), "NL–Japan S&T"),
}


def import_real(folder: Path, slug: str) -> Version:
    """One of the real agreements, imported as the import page would publish it."""
    name, signed, short = REAL[slug]
    agreement = Agreement(slug=slug, title=short, short_title=short, parties=["NL", slug[3:]])
    save_with_history(agreement, acting_user=system_user(), reason="test data")
    published = instrument_import(
        agreement=agreement,
        document=read_file(folder / "md" / name),
        label="original",
        kind="agreement",
        signed_on=signed,
        effective_from=signed,
        acting_user=system_user(),
        reason="test data",
        text_status="official",
        source_name=name,
    )
    assert isinstance(published, Version)
    return published


@pytest.fixture
def agreements(real_corpus_dir: Path) -> dict[str, Version]:
    call_command("load_sta", stdout=StringIO())
    return {slug: import_real(real_corpus_dir, slug) for slug in REAL}


@pytest.fixture
def reader(client: Client, dana: Any, agreements: dict[str, Version]) -> Client:
    client.force_login(dana)
    client.get(URL)  # Why: the first request after force_login writes the session.
    return client


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def english(version: Version) -> list[Any]:
    """The version's English text as compared: repealed placeholders are no provision."""
    rows = version.clauses.filter(language="en").order_by("order")
    return [c for c in clause_texts_from_rows(rows) if not c.repealed]


def test_the_ip_annexes_pair_by_their_words(agreements: dict[str, Version]) -> None:
    sta = Version.objects.get(agreement__slug="sta", label="2024-protocol")
    result = align_by_similarity(english(sta), english(agreements["nl-us"]))
    pairs = {(p.left.key, p.right.key): p.text.similarity for p in result.pairs}
    assert pairs[("annex_1__sec_I", "annex_1__sec_I")] == pytest.approx(0.8788)
    assert pairs[("annex_1__sec_II__para_C", "annex_1__sec_II__para_C")] == pytest.approx(0.6897)
    assert pairs[("annex_1__sec_III__para_A", "annex_1__sec_III__para_A")] == pytest.approx(0.5667)
    # The containers pair by what they hold, not by a score of their (absent) words.
    assert ("annex_1", "annex_1") in pairs
    assert all(
        p >= 0.3 for (left, _), p in pairs.items() if sta.clauses.get(key=left, language="en").text
    )


@pytest.mark.parametrize("slug", list(REAL))
def test_every_clause_of_both_sides_appears_exactly_once(
    agreements: dict[str, Version], slug: str
) -> None:
    sta = Version.objects.get(agreement__slug="sta", label="2024-protocol")
    left, right = english(sta), english(agreements[slug])
    result = align_by_similarity(left, right)
    placed_left = [p.left.key for p in result.pairs] + [c.key for c in result.left_only]
    placed_right = [p.right.key for p in result.pairs] + [c.key for c in result.right_only]
    assert sorted(placed_left) == sorted(c.key for c in left)
    assert sorted(placed_right) == sorted(c.key for c in right)
    assert result.pairs, "two S&T agreements share some provisions"


def test_the_page_shows_pairs_with_their_similarity_and_what_is_unmatched(reader: Client) -> None:
    response = reader.get(URL + "?with=nl-us&ours=2024-protocol&theirs=original")
    assert response.status_code == 200
    html = response.content.decode()
    text = words(html)
    assert "Annex 1, section I and Annex I, section I 88% alike" in text
    assert "Annex 1, section II, paragraph C and Annex I, section II, paragraph C 69% alike" in text
    pairs, left_only, right_only = (
        response.context[name] for name in ("pairs", "left_only", "right_only")
    )
    assert len(pairs) + len(left_only) == response.context["left_count"] == 61
    assert len(pairs) + len(right_only) == response.context["right_count"] == 203
    assert "<del>" in html
    assert "<ins>" in html
    assert f"Only in the NL–US S&amp;T ({len(right_only)})" in html
    assert "annex_1__sec" not in text, "labels are places, not keys"


def test_one_provision_of_each_side_can_be_compared(reader: Client) -> None:
    response = reader.get(
        URL + "?with=nl-us&ours=2024-protocol&theirs=original&our_part=annex_1&their_part=annex_1"
    )
    assert response.status_code == 200
    context = response.context
    assert context["left_count"] < 61
    assert context["right_count"] < 203
    assert len(context["pairs"]) >= 6
    assert context["their_part_name"].startswith("Annex")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?with=nope", "“nope” is not another agreement held here"),
        ("?with=nl-jp&theirs=1800", "has no version “1800”"),
        ("?with=nl-jp&their_part=art_99", "has no provision “art_99”"),
    ],
)
def test_bad_choices_are_explained_on_the_form(reader: Client, query: str, message: str) -> None:
    response = reader.get(URL + query)
    assert response.status_code == 200
    assert message in words(response.content.decode())
    assert "Provisions alike" not in response.content.decode()


def test_submitters_cannot_compare_across_agreements(
    client: Client, alice: Any, agreements: dict[str, Version]
) -> None:
    client.force_login(alice)
    assert client.get(URL + "?with=nl-us").status_code == 403


def test_the_page_costs_a_fixed_number_of_queries(
    reader: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        assert reader.get(URL + "?with=nl-jp").status_code == 200
