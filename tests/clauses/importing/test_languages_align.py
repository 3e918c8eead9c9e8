"""The alignment engine: a further language text against a version's text, by number path."""

from __future__ import annotations

import pytest

from clauses.importing.languages import (
    AlignedPair,
    AlignmentError,
    ExistingClause,
    align_language,
)
from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedClause

ENGLISH = (
    ExistingClause("preamble", "preamble", ""),
    ExistingClause("chp_1", "section", "Chapter 1"),
    # Why: a clause keeps its key when renumbered, so the key says nothing of the number.
    ExistingClause("art_6", "article", "Article 3", "chp_1"),
    ExistingClause("art_6__para_1", "paragraph", "1.", "art_6"),
    ExistingClause("art_6__para_1__item_a", "item", "(a)", "art_6__para_1"),
    ExistingClause("art_6__para_1__item_b", "item", "(b)", "art_6__para_1"),
    ExistingClause("art_7", "article", "Article IV", "chp_1"),
    ExistingClause("annex_1", "annex", "Annex I"),
    ExistingClause("annex_1__sec_2", "section", "Section 2", "annex_1"),
    ExistingClause("signature", "signature", ""),
)

CHINESE = """前言一段,缔约双方达成协议如下:
第一章 总则
第三条
一、第一款的文字如下:
(一)第一项;
(二)第二项。
第四条 本条的文字。
第五条 只在中文本中的一条。
本协定于一九七九年一月三十一日在华盛顿签订。
附件一
第二节 附件的一节
本附件的文字。
"""


def test_it_aligns_chinese_numbers_with_english_ones_by_number_path() -> None:
    """第三条 ↔ Article 3, 一、↔ 1., (一) ↔ (a), 第一章 ↔ Chapter 1, 附件一 ↔ Annex I."""
    document = parse_text(CHINESE)
    result = align_language(ENGLISH, document.clauses, language="zh")
    assert result.pairs == (
        AlignedPair("preamble", "preamble", "", ""),
        AlignedPair("chp_1", "chp_1", "第一章", "Chapter 1"),
        AlignedPair("chp_1__art_3", "art_6", "第三条", "Article 3"),
        AlignedPair("chp_1__art_3__para_1", "art_6__para_1", "一、", "1."),
        AlignedPair("chp_1__art_3__para_1__item_1", "art_6__para_1__item_a", "(一)", "(a)"),
        AlignedPair("chp_1__art_3__para_1__item_2", "art_6__para_1__item_b", "(二)", "(b)"),
        AlignedPair("chp_1__art_4", "art_7", "第四条", "Article IV"),
        AlignedPair("signature", "signature", "", ""),
        AlignedPair("annex_1", "annex_1", "附件一", "Annex I"),
        AlignedPair("annex_1__sec_2", "annex_1__sec_2", "第二节", "Section 2"),
    )


def test_clauses_take_the_existing_key_and_unaligned_ones_a_key_of_their_own() -> None:
    """The written clauses carry final keys; an unaligned article avoids every taken key."""
    document = parse_text(CHINESE)
    result = align_language(
        ENGLISH, document.clauses, language="zh", taken={"chp_1__art_5_zh", "art_9"}
    )
    assert result.unaligned_new == ("chp_1__art_5",)
    assert dict(result.keys)["chp_1__art_5"] == "chp_1__art_5_zh_2"
    assert [(c.key, c.parent) for c in result.clauses][2:4] == [
        ("art_6", "chp_1"),
        ("art_6__para_1", "art_6"),
    ]
    assert result.unaligned_existing == ()


def test_it_aligns_paragraphs_with_items_and_letters_after_h_with_letters() -> None:
    """``(i)`` after ``(h)`` is the ninth letter; alone it is Roman one."""
    existing = [ExistingClause("art_1", "article", "Article 1")] + [
        ExistingClause(f"art_1__item_{c}", "item", f"({c})", "art_1") for c in "abcdefghi"
    ]
    new = [ParsedClause("art_1", "article", "第一条", "", "")] + [
        ParsedClause(f"art_1__para_{n}", "paragraph", f"{n}.", "", "", "art_1") for n in (1, 9)
    ]
    result = align_language(existing, new, language="zh")
    assert [(p.new_key, p.key) for p in result.pairs] == [
        ("art_1", "art_1"),
        ("art_1__para_1", "art_1__item_a"),
        ("art_1__para_9", "art_1__item_i"),
    ]
    roman = align_language(
        [ExistingClause("art_1", "article", "Article 1"), *[
            ExistingClause("art_1__item_i", "item", "(i)", "art_1"),
        ]],
        [ParsedClause("art_1", "article", "第一条", "", ""),
         ParsedClause("art_1__item_1", "item", "(一)", "", "", "art_1")],
        language="zh",
    )  # fmt: skip
    assert [p.key for p in roman.pairs] == ["art_1", "art_1__item_i"]


def test_a_persons_pairs_come_before_the_number_path() -> None:
    """A pairing moves a clause; ``None`` leaves one unaligned; the displaced one is unaligned."""
    new = [
        ParsedClause("art_1", "article", "第一条", "", "甲"),
        ParsedClause("art_2", "article", "第二条", "", "乙"),
    ]
    existing = [
        ExistingClause("art_1", "article", "Article 1"),
        ExistingClause("art_2", "article", "Article 2"),
    ]
    result = align_language(existing, new, language="zh", pairs={"art_2": "art_1", "art_1": None})
    assert result.pairs == (AlignedPair("art_2", "art_1", "第二条", "Article 1", by_person=True),)
    assert result.unaligned_new == ("art_1",)
    assert result.unaligned_existing == ("art_2",)
    assert dict(result.keys) == {"art_1": "art_1_zh", "art_2": "art_1"}
    assert result.as_json() == {
        "pairs": [
            {
                "new_key": "art_2",
                "key": "art_1",
                "number": "第二条",
                "existing_number": "Article 1",
                "by_person": True,
            }
        ],
        "unaligned_new": [{"new_key": "art_1", "key": "art_1_zh"}],
        "unaligned_existing": ["art_2"],
    }


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"art_1": "art_9"}, "The version has no clause 'art_9' to pair 'art_1' with."),
        ({"art_7": "art_1"}, "The new text has no clause 'art_7' to pair."),
        ({"art_1": "art_1", "art_2": "art_1"}, "Two clauses of the new text are paired with"),
    ],
)
def test_it_refuses_a_pairing_that_names_a_missing_clause(
    pairs: dict[str, str | None], message: str
) -> None:
    """The message names the clause that is not there."""
    new = [
        ParsedClause("art_1", "article", "第一条", "", ""),
        ParsedClause("art_2", "article", "第二条", "", ""),
    ]
    with pytest.raises(AlignmentError, match=message.replace("(", r"\(")):
        align_language([ExistingClause("art_1", "article", "Article 1")], new, pairs=pairs,
                       language="zh")  # fmt: skip
