"""Screening names across scripts: Chinese, pinyin, older spellings, initials, name order.

The list below is written for these tests. Its entries carry aliases as the Entity List does
(a pinyin alias and a Chinese alias for some), and addresses in the CSL's form.
"""

from __future__ import annotations

import pytest

from reviews.screening.parties import (
    DIFFERING_CAP,
    Form,
    ListedAs,
    ListedParty,
    PartnerScreening,
    PartyIndex,
    PartyKind,
)

E, P = PartyKind.ENTITY, PartyKind.INDIVIDUAL
EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"

NUDT, HIT, HEU, QUANTUM, TIENTSIN, ZHANG, LIU, OUYANG, BIT = range(1, 10)
INDEX = PartyIndex(
    [
        ListedParty(
            NUDT,
            "National University of Defense Technology",
            ("NUDT", "Guofang Keji Daxue", "国防科技大学"),
            E,
            "109 Deya Road, Kaifu District, Changsha, Hunan, CN",
            EL,
        ),
        ListedParty(
            HIT,
            "Harbin Institute of Technology",
            ("HIT", "Haerbin Gongye Daxue", "哈尔滨工业大学"),
            E,
            "92 West Dazhi Street, Nangang District, Harbin, Heilongjiang, CN",
            EL,
        ),
        ListedParty(
            HEU,
            "Harbin Engineering University",
            ("Haerbin Gongcheng Daxue",),
            E,
            "145 Nantong Street, Harbin, Heilongjiang, CN",
            EL,
        ),
        ListedParty(
            QUANTUM,
            "Tsinghua Quantum Devices Laboratory",
            (),
            E,
            "Haidian District, Beijing, CN",
            EL,
        ),
        ListedParty(TIENTSIN, "Tientsin Precision Instruments", (), E, "Kowloon, Hong Kong", EL),
        ListedParty(ZHANG, "ZHANG, Wei", (), P, "", SDN),
        ListedParty(LIU, "LIU, Xiaoming", ("刘晓明",), P, "", SDN),
        ListedParty(OUYANG, "OUYANG, Jian", (), P, "", SDN),
        ListedParty(
            BIT,
            "Beijing Institute of Technology",
            ("Beijing Ligong Daxue", "北京理工大学"),
            E,
            "5 South Zhongguancun Street, Beijing, CN",
            EL,
        ),
    ]
)

Row = tuple[int, float, str, str, str]


def rows(result: PartnerScreening) -> tuple[list[Row], list[Row]]:
    """Hits and near misses as (listed key, score, form, listed as, matched name)."""

    def row(m: object) -> Row:
        return (m.key, m.score, m.form, m.listed_as, m.matched_name)  # type: ignore[attr-defined]

    return [row(m) for m in result.hits], [row(m) for m in result.near_misses]


def screen(*names: str, kind: str = E, city: str = "") -> tuple[list[Row], list[Row]]:
    return rows(INDEX.screen(list(names), kind=kind, city=city))


def test_an_institution_in_chinese_matches_the_lists_chinese_alias() -> None:
    assert screen("哈尔滨工业大学") == (
        [(HIT, 100.0, Form.CHINESE, ListedAs.ALIAS_CHINESE, "哈尔滨工业大学")],
        [(HEU, 84.0, Form.PINYIN, ListedAs.ALIAS, "Haerbin Gongcheng Daxue")],
    )


def test_an_institution_in_pinyin_matches_the_lists_pinyin_alias() -> None:
    assert screen("Haerbin Gongye Daxue") == (
        [(HIT, 100.0, Form.AS_WRITTEN, ListedAs.ALIAS, "Haerbin Gongye Daxue")],
        [(HEU, 84.0, Form.AS_WRITTEN, ListedAs.ALIAS, "Haerbin Gongcheng Daxue")],
    )


@pytest.mark.parametrize("spelling", ["Harbin Gongye Daxue", "Ha'erbin Gongye Daxue"])
def test_the_postal_spelling_and_an_apostrophe_meet_the_pinyin(spelling: str) -> None:
    hits, _ = screen(spelling)
    assert hits == [(HIT, 100.0, Form.AS_WRITTEN, ListedAs.ALIAS, "Haerbin Gongye Daxue")]


def test_chinese_is_read_as_pinyin_to_meet_a_pinyin_alias_when_the_list_has_no_chinese() -> None:
    assert screen("哈尔滨工程大学") == (
        [(HEU, 100.0, Form.PINYIN, ListedAs.ALIAS, "Haerbin Gongcheng Daxue")],
        [(HIT, 84.0, Form.CHINESE, ListedAs.ALIAS_CHINESE, "哈尔滨工业大学")],
    )


def test_traditional_characters_meet_a_simplified_alias_through_pinyin() -> None:
    hits, _ = screen("國防科技大學")
    # The pinyin alias and the simplified Chinese alias read as pinyin tie; the first is kept.
    assert hits == [(NUDT, 100.0, Form.PINYIN, ListedAs.ALIAS, "Guofang Keji Daxue")]


def test_pinyin_does_not_match_an_english_name_without_a_pinyin_or_chinese_alias() -> None:
    index = PartyIndex([ListedParty(HIT, "Harbin Institute of Technology", ("HIT",), E)])
    assert rows(index.screen(["Haerbin Gongye Daxue"], kind=E)) == ([], [])
    assert rows(index.screen(["哈尔滨工业大学"], kind=E)) == ([], [])


def test_a_campus_in_chinese_contains_the_listed_chinese_name() -> None:
    assert screen("哈尔滨工业大学（威海）") == (
        [(HIT, 92.0, Form.CHINESE, ListedAs.ALIAS_CHINESE, "哈尔滨工业大学")],
        [(HEU, 74.9, Form.PINYIN, ListedAs.ALIAS, "Haerbin Gongcheng Daxue")],
    )


def test_both_names_of_an_institution_are_screened_and_the_best_form_is_reported() -> None:
    result = INDEX.screen(["Harbin Institute of Technology", "哈尔滨工业大学"], kind=E)
    assert result.forms == (
        "“Harbin Institute of Technology” as written",
        "“哈尔滨工业大学” in Chinese characters",
        "“ha er bin gong ye da xue” (pinyin of the Chinese)",
    )
    assert rows(result) == (
        [(HIT, 100.0, Form.AS_WRITTEN, ListedAs.PRIMARY, "Harbin Institute of Technology")],
        [(HEU, 84.0, Form.PINYIN, ListedAs.ALIAS, "Haerbin Gongcheng Daxue")],
    )


@pytest.mark.parametrize(
    ("name", "key", "matched"),
    [
        ("Qinghua Quantum Devices Laboratory", QUANTUM, "Tsinghua Quantum Devices Laboratory"),
        ("Tianjin Precision Instruments", TIENTSIN, "Tientsin Precision Instruments"),
    ],
)
def test_wade_giles_and_postal_spellings_meet_pinyin(name: str, key: int, matched: str) -> None:
    (hit,) = INDEX.screen([name], kind=E).hits
    assert (hit.key, hit.matched_name, hit.name_score) == (key, matched, 100.0)
    assert "Older and postal spellings read as pinyin: " in hit.parts[0].explanation


def test_the_respelling_is_explained_in_the_name_part() -> None:
    (hit,) = INDEX.screen(["Qinghua Quantum Devices Laboratory"], kind=E).hits
    assert hit.parts[0].explanation == (
        "“Qinghua Quantum Devices Laboratory” matches the list's primary name “Tsinghua "
        "Quantum Devices Laboratory”: 100 of 100. Older and postal spellings read as pinyin: "
        "Tsinghua → Qinghua."
    )


def test_universities_that_differ_in_one_distinctive_word_are_near_misses_not_hits() -> None:
    assert screen("北京工业大学") == (
        [],
        [
            (BIT, 84.0, Form.PINYIN, ListedAs.ALIAS, "Beijing Ligong Daxue"),
            (HIT, 75.4, Form.PINYIN, ListedAs.ALIAS, "Haerbin Gongye Daxue"),
        ],
    )
    (near, _) = INDEX.screen(["Beijing Gongye Daxue"], kind=E).near_misses
    assert near.name_score == DIFFERING_CAP
    assert near.parts[0].explanation.endswith(
        "They differ in a distinctive part (“gongye” and “ligong”), so the names score at most 80."
    )


def test_characters_that_differ_are_named_in_the_explanation() -> None:
    index = PartyIndex([ListedParty(BIT, "北京理工大学", (), E)])
    (near,) = index.screen(["北京工业大学"], kind=E).near_misses
    assert near.parts[0].explanation == (
        "“北京工业大学”, read as “bei jing gong ye da xue” (pinyin of the Chinese), resembles "
        "the list's primary name in Chinese, read as pinyin “北京理工大学” (“bei jing li gong da "
        "xue”): 80 of 100. They differ in a distinctive part (“gong ye” and “li gong”), so the "
        "names score at most 80."
    )


def test_an_unrelated_university_is_neither_a_hit_nor_a_near_miss() -> None:
    assert screen("Tsinghua University") == ([], [])
    assert screen("清华大学") == ([], [])


@pytest.mark.parametrize("name", ["Wei Zhang", "Zhang Wei", "ZHANG Wei", "张伟"])
def test_a_persons_name_matches_in_either_order_and_in_chinese(name: str) -> None:
    hits, near = screen(name, kind=P)
    assert [(key, score, listed) for key, score, _, listed, _ in hits] == [
        (ZHANG, 100.0, ListedAs.PRIMARY)
    ]
    assert near == []


def test_a_chinese_personal_name_is_read_family_name_first() -> None:
    (hit,) = INDEX.screen(["张伟"], kind=P).hits
    assert hit.form == Form.PINYIN_FAMILY_FIRST
    assert INDEX.screen(["张伟"], kind=P).forms == (
        "“张伟” in Chinese characters",
        "“zhang wei” (pinyin, family name first)",
        "“wei zhang” (pinyin, family name last)",
    )


def test_a_compound_family_name_is_kept_whole() -> None:
    assert screen("欧阳健", kind=P) == (
        [(OUYANG, 100.0, Form.PINYIN_FAMILY_FIRST, ListedAs.PRIMARY, "OUYANG, Jian")],
        [],
    )


@pytest.mark.parametrize("name", ["Xiaoming Liu", "Liu Xiao Ming", "刘晓明"])
def test_a_given_name_in_one_word_or_two_meets_the_listed_name(name: str) -> None:
    hits, _ = screen(name, kind=P)
    assert [h[0] for h in hits] == [LIU]
    assert hits[0][1] == 100.0


def test_a_name_with_the_family_name_moved_is_found_run_together() -> None:
    assert screen("Xiao-Ming Liu", kind=P) == (
        [(LIU, 100.0, Form.REORDERED, ListedAs.PRIMARY, "LIU, Xiaoming")],
        [],
    )


@pytest.mark.parametrize(("name", "key"), [("Z. Wei", ZHANG), ("W. Zhang", ZHANG), ("X. Liu", LIU)])
def test_initials_stand_for_the_listed_persons_names(name: str, key: int) -> None:
    (hit,) = INDEX.screen([name], kind=P).hits
    assert (hit.key, hit.form, hit.name_score, hit.score) == (key, Form.INITIALS, 90.0, 91.1)
    assert " agrees by initials with the list's primary name " in hit.parts[0].explanation


def test_initials_that_stand_for_no_listed_name_match_nothing() -> None:
    assert screen("Q. Wei", kind=P) == ([], [])


@pytest.mark.parametrize("name", ["张伟明", "Weiming Zhang"])
def test_a_longer_given_name_is_a_near_miss(name: str) -> None:
    assert screen(name, kind=P)[0] == []
    (near,) = INDEX.screen([name], kind=P).near_misses
    assert (near.key, near.score, near.name_score) == (ZHANG, 83.8, 81.8)


def test_a_different_given_name_of_one_letter_more_or_less_is_a_near_miss() -> None:
    (near,) = INDEX.screen(["Zhang Wen"], kind=P).near_misses
    assert (near.key, near.score, near.name_score) == (ZHANG, 82.2, DIFFERING_CAP)


def test_people_are_not_screened_against_entities_in_any_script() -> None:
    assert screen("哈尔滨工业大学", kind=P) == ([], [])
    assert screen("刘晓明", kind=E) == ([], [])


def test_the_country_part_weighs_a_listed_address_outside_mainland_china() -> None:
    (hit,) = INDEX.screen(["Tianjin Precision Instruments"], kind=E, city="Tianjin").hits
    country = hit.parts[1]
    assert (country.part, country.score, country.weight) == ("country", 50.0, 0.1)
    assert hit.score == 95.0


def test_the_partners_city_is_compared_with_the_listed_address_in_any_script() -> None:
    (hit,) = INDEX.screen(["哈尔滨工业大学"], kind=E, city="哈尔滨").hits
    assert (
        hit.parts[1].explanation == "A listed address is in China, in 哈尔滨, the partner's city."
    )
    (other,) = INDEX.screen(["哈尔滨工业大学"], kind=E, city="Weihai").hits
    assert (other.parts[1].score, other.score) == (75.0, 97.5)


def test_near_misses_are_limited_and_best_first() -> None:
    result = INDEX.screen(["Haerbin Ligong Daxue"], kind=E)
    assert [(m.key, m.score) for m in result.near_misses] == [
        (HIT, 84.0),
        (HEU, 80.7),
        (BIT, 75.4),
    ]
    assert INDEX.screen(["Haerbin Ligong Daxue"], kind=E, near_miss_threshold=80).near_misses
    assert [
        m.key
        for m in INDEX.screen(["Haerbin Ligong Daxue"], kind=E, near_miss_threshold=82).near_misses
    ] == [HIT]
