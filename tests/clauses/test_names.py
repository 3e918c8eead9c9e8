"""Names for clauses and versions, made from numbers, headings and kinds (never shown keys)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from clauses.names import clause_name, clause_place, key_name, places_by_key


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("art_5", "Article 5"),
        ("preamble", "Preamble"),
        ("preamble_2", "Preamble, paragraph 2"),
        ("annex_1__sec_II__para_C", "Annex 1, Section II, paragraph C"),
        ("art_3__item_4", "Article 3, item 4"),
        ("art_5_2", "Article 5"),
        ("signature", "Signature"),
        ("chapter_4__odd_x", "Chapter 4, odd x"),
    ],
)
def test_a_key_is_spelled_out_as_a_name(key: str, name: str) -> None:
    assert key_name(key) == name


def test_a_bare_number_gets_its_kind_and_a_named_one_stands_alone() -> None:
    assert clause_name(key="art_1__para_2", kind="paragraph", number="2.", heading="") == (
        "paragraph 2"
    )
    assert clause_name(key="art_1", kind="article", number="Article 1", heading="X") == "Article 1"
    assert clause_name(key="preamble", kind="preamble", number="", heading="Preamble") == (
        "Preamble"
    )
    assert clause_name(key="preamble_2", kind="paragraph", number="", heading="") == (
        "Preamble, paragraph 2"
    )


@dataclass
class Node:
    key: str
    kind: str
    number: str
    heading: str
    parent: Node | None = None


def test_a_place_runs_from_the_outermost_parent() -> None:
    annex = Node("annex_1", "annex", "Annex 1", "Intellectual property")
    section = Node("annex_1__sec_II", "section", "II.", "", annex)
    para = Node("annex_1__sec_II__para_C", "paragraph", "C.", "Ownership", section)
    assert clause_place(para) == "Annex 1, section II, paragraph C"


@dataclass
class Row:
    key: str
    kind: str
    number: str
    heading: str
    parent: str | None = None


def test_places_by_key_follow_parents_named_by_their_keys() -> None:
    rows = [
        Row("annex_1", "annex", "Annex 1", "Intellectual property"),
        Row("annex_1__sec_II", "section", "II.", "", "annex_1"),
        Row("annex_1__sec_II__para_C", "paragraph", "C.", "Ownership", "annex_1__sec_II"),
        Row("preamble_2", "paragraph", "", ""),
        Row("art_9", "article", "Article 9", "", "art_missing"),
    ]
    assert places_by_key(rows) == {
        "annex_1": "Annex 1",
        "annex_1__sec_II": "Annex 1, section II",
        "annex_1__sec_II__para_C": "Annex 1, section II, paragraph C",
        "preamble_2": "Preamble, paragraph 2",
        "art_9": "Article 9",
    }


def test_places_by_key_stop_on_a_parent_loop() -> None:
    rows = [Row("a_1", "item", "1.", "", "a_2"), Row("a_2", "item", "2.", "", "a_1")]
    assert places_by_key(rows)["a_1"] == ", ".join(["item 2", "item 1"] * 4)
