from __future__ import annotations

import pytest

from reviews.screening.cet import Category, CetList, CetListError, CetMatch, parse_cet_list, screen

CATEGORIES = (
    Category("Artificial Intelligence", ("artificial intelligence", "AI", "machine learning")),
    Category("Semiconductors and Microelectronics", ("semiconductor", "integrated circuit")),
    Category("Hypersonics", ("hypersonic", "scramjet")),
)


def test_it_returns_each_category_with_its_matched_terms_and_fields_in_order() -> None:
    texts = {
        "Title": "Machine-learning models of river floods",
        "Summary": "We train machine learning models on semiconductor sensor data.",
    }
    assert screen(texts, CATEGORIES) == (
        CetMatch("Artificial Intelligence", ("machine learning",), ("Title", "Summary")),
        CetMatch("Semiconductors and Microelectronics", ("semiconductor",), ("Summary",)),
    )


def test_terms_match_whole_words_only() -> None:
    texts = {"Summary": "Supersemiconductors and chainsaws; a scramjetty idea."}
    assert screen(texts, CATEGORIES) == ()


def test_a_plural_and_a_different_case_still_match() -> None:
    texts = {"Summary": "Integrated Circuits and HYPERSONIC flight."}
    assert screen(texts, CATEGORIES) == (
        CetMatch("Semiconductors and Microelectronics", ("integrated circuit",), ("Summary",)),
        CetMatch("Hypersonics", ("hypersonic",), ("Summary",)),
    )


def test_an_acronym_matches_only_in_capitals() -> None:
    assert screen({"People": "Professor Ai Qing and Dr. Wang"}, CATEGORIES) == ()
    assert screen({"Summary": "Uses AI to sort cores."}, CATEGORIES) == (
        CetMatch("Artificial Intelligence", ("AI",), ("Summary",)),
    )


def test_several_terms_of_one_category_are_listed_in_the_categorys_order() -> None:
    texts = {"Summary": "AI, that is artificial intelligence, including machine learning."}
    (match,) = screen(texts, CATEGORIES)
    assert match.terms == ("artificial intelligence", "AI", "machine learning")


def test_empty_texts_match_nothing() -> None:
    assert screen({"Title": "", "Summary": ""}, CATEGORIES) == ()


def test_the_list_file_gives_notes_and_categories_in_order() -> None:
    text = "# CET list, 2024.\n# 18 categories.\n\nAdvanced Computing\n  Hypersonics \n"
    assert parse_cet_list(text) == CetList(
        notes=("CET list, 2024.", "18 categories."),
        categories=("Advanced Computing", "Hypersonics"),
    )


def test_a_category_listed_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(
        CetListError, match=r"Line 3: category 'hypersonics' already appears on line 1"
    ):
        parse_cet_list("Hypersonics\nAdvanced Computing\nhypersonics\n")


def test_a_file_without_categories_is_refused() -> None:
    with pytest.raises(CetListError, match="lists no categories"):
        parse_cet_list("# only a comment\n\n")
