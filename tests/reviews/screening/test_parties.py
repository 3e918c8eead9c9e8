from __future__ import annotations

import pytest

from reviews.screening.parties import (
    CONTAINED_SCORE,
    ListedParty,
    PartyIndex,
    PartyKind,
    PartyMatch,
    normalise,
    party_kind,
    screen_names,
)


def brief(matches: tuple[PartyMatch, ...]) -> list[tuple[str, int, str, float]]:
    return [(m.screened, m.key, m.matched_name, m.score) for m in matches]


INDEX = PartyIndex(
    [
        ListedParty(
            1,
            "National University of Defense Technology",
            ("NUDT", "Guofang Keji Daxue"),
            PartyKind.ENTITY,
        ),
        ListedParty(2, "Harbin Institute of Technology", (), PartyKind.ENTITY),
        ListedParty(3, "ZHANG, Wei", (), PartyKind.INDIVIDUAL),
        ListedParty(4, "Beijing Computational Science Research Center"),
    ]
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nat'l Univ. of Defense Tech.", "national university of defense technology"),
        (
            "Inst. of Physics, Chinese Acad. of Sci.",
            "institute of physics chinese academy of science",
        ),
        ("Zhōngguó Kēxuéyuàn", "zhongguo kexueyuan"),
        ("R&D Ctr. (Shenzhen) Co., Ltd.", "r and d center shenzhen company limited"),
        ("  ", ""),
    ],
)
def test_names_are_normalised_for_case_accents_punctuation_and_abbreviations(
    raw: str, expected: str
) -> None:
    assert normalise(raw) == expected


def test_an_abbreviated_name_matches_the_listed_name_exactly() -> None:
    assert brief(INDEX.search("Nat'l Univ. of Defense Tech.", kind=PartyKind.ENTITY)) == [
        ("Nat'l Univ. of Defense Tech.", 1, "National University of Defense Technology", 100.0)
    ]


def test_an_alternative_name_is_matched_and_reported() -> None:
    (match,) = INDEX.search("Guofang Keji Daxue")
    assert (match.key, match.matched_name, match.score) == (1, "Guofang Keji Daxue", 100.0)
    assert (match.form, match.listed_as) == ("as written", "alias")


def test_word_order_of_a_persons_name_does_not_matter() -> None:
    assert brief(INDEX.search("Wei Zhang", kind=PartyKind.INDIVIDUAL)) == [
        ("Wei Zhang", 3, "ZHANG, Wei", 100.0)
    ]


def test_a_person_is_not_compared_with_listed_entities_and_vice_versa() -> None:
    assert INDEX.search("Harbin Institute of Technology", kind=PartyKind.INDIVIDUAL) == ()
    assert INDEX.search("Wei Zhang", kind=PartyKind.ENTITY) == ()


def test_a_party_of_unknown_kind_is_compared_with_everyone() -> None:
    (match,) = INDEX.search("Beijing Computational Sci. Research Ctr.", kind=PartyKind.INDIVIDUAL)
    assert (match.key, match.score) == (4, 100.0)


def test_a_campus_of_a_listed_party_scores_the_containment_score() -> None:
    assert brief(INDEX.search("Harbin Institute of Technology (Shenzhen)")) == [
        (
            "Harbin Institute of Technology (Shenzhen)",
            2,
            "Harbin Institute of Technology",
            CONTAINED_SCORE,
        )
    ]


def test_a_small_misspelling_scores_below_100_but_above_the_threshold() -> None:
    (match,) = INDEX.search("Harbin Institute of Tecnology")
    assert match.key == 2
    assert 88 <= match.score < 100


def test_an_unrelated_institution_matches_nothing() -> None:
    assert INDEX.search("Tsinghua University") == ()
    assert INDEX.search("Beijing Institute of Technology") == ()


def test_the_threshold_decides_what_counts_as_a_match() -> None:
    assert INDEX.search("Harbin Institute of Tecnology", threshold=99.5) == ()


def test_screen_names_keeps_one_match_per_name_and_party() -> None:
    found = screen_names([("NUDT", PartyKind.ENTITY), ("Wei Zhang", PartyKind.INDIVIDUAL)], INDEX)
    assert [(m.screened, m.key) for m in found] == [("NUDT", 1), ("Wei Zhang", 3)]


@pytest.mark.parametrize(
    ("entry_type", "kind"),
    [("Individual", "individual"), ("Entity", "entity"), ("Vessel", ""), ("", "")],
)
def test_list_entry_types_map_to_party_kinds(entry_type: str, kind: str) -> None:
    assert party_kind(entry_type) == kind


def test_names_that_share_only_generic_words_do_not_match() -> None:
    index = PartyIndex([ListedParty(9, "University of Electronic Science and Technology of China")])
    assert index.search("University of Science and Technology of China") == ()
    assert index.search("Univ. of Electronic Sci. and Tech. of China")[0].score == 100.0
