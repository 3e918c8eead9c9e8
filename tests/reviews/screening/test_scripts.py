from __future__ import annotations

import pytest

from reviews.screening.scripts import (
    cjk_text,
    has_cjk,
    has_latin,
    person_orders,
    respell,
    syllables,
)


def test_chinese_characters_are_found_among_latin_and_punctuation() -> None:
    assert has_cjk("哈尔滨工业大学（威海）")
    assert not has_cjk("Harbin Institute of Technology")
    assert cjk_text("HIT 哈尔滨工业大学（威海）") == "哈尔滨工业大学威海"


@pytest.mark.parametrize(
    ("text", "latin"), [("Harbin", True), ("Zhōngguó", True), ("哈尔滨", False), ("123", False)]
)
def test_latin_letters_are_recognised_with_accents(text: str, latin: bool) -> None:
    assert has_latin(text) is latin


def test_an_institution_name_is_read_as_pinyin_syllables_without_tones() -> None:
    assert syllables("哈尔滨工业大学") == ("ha", "er", "bin", "gong", "ye", "da", "xue")
    assert syllables("国防科技大学") == ("guo", "fang", "ke", "ji", "da", "xue")
    assert syllables("Harbin") == ()


def test_u_with_umlaut_is_written_u() -> None:
    assert syllables("吕") == ("lu",)


def test_a_personal_name_is_read_both_ways_with_the_given_name_as_one_word() -> None:
    assert person_orders("张小明") == (("zhang", "xiaoming"), ("xiaoming", "zhang"))
    assert person_orders("张伟") == (("zhang", "wei"), ("wei", "zhang"))
    assert person_orders("Zhang Wei") is None


def test_a_compound_family_name_takes_two_characters() -> None:
    assert person_orders("欧阳健") == (("ouyang", "jian"), ("jian", "ouyang"))
    assert person_orders("司马光") == (("sima", "guang"), ("guang", "sima"))


@pytest.mark.parametrize(
    ("word", "pinyin"),
    [("tsinghua", "qinghua"), ("peking", "beijing"), ("tientsin", "tianjin"), ("hsu", "xu")],
)
def test_older_spellings_are_read_as_pinyin(word: str, pinyin: str) -> None:
    assert respell(word) == pinyin


@pytest.mark.parametrize("word", ["chang", "chou", "beijing", "university"])
def test_pinyin_syllables_and_other_words_are_left_alone(word: str) -> None:
    assert respell(word) == word
