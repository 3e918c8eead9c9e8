"""Reading an amending instrument's instructions into effects, in English and in Chinese."""

from __future__ import annotations

from clauses.importing.amending import (
    ParsedEffect,
    UnparsedInstruction,
    chinese_numeral,
    parse_instruction_text,
    parse_instructions,
)
from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedClause

ENGLISH_PROTOCOL = """Protocol amending the Agreement

Article 1

Article 5 of the Agreement is replaced by the following:

“Article 5

Executive Agents

Each Party shall designate an Executive Agent.”

Article 2

The following Article is inserted after Article 3:

“Article 3A

Joint projects may be funded by either Party.”

Article 3

Article 10 is deleted.

Articles 6 to 8 are renumbered as Articles 5 to 7.

Article 11 is renumbered Article 9.

Article 4

The Agreement is extended for a period of five years from 27 August 2024.

In Article 7, the words “scientists” are replaced by “researchers”.
"""

CHINESE_PROTOCOL = """关于修改协定的议定书

第一条
第五条修改为：“第五条 缔约双方应各自指定执行机构。”

第二条
在第三条后增加一条：“第三条之一 联合项目可由任何一方资助。”

第三条
增加一条，作为第七条：“合作成果应予公开。”

第四条
删去第十条。

第五条
第六条改为第五条。

第六条
本协定有效期延长五年。

第七条
第八条第二款中的“五年”替换为“十年”。
"""


def test_english_instructions_are_read_as_effects_in_reading_order() -> None:
    parsed = parse_instructions(parse_text(ENGLISH_PROTOCOL).clauses)
    assert parsed.effects == (
        ParsedEffect(
            "substitution", (("article", 5),), "Article 5", "Article 1", "Article 5",
            "Executive Agents", "Each Party shall designate an Executive Agent.",
        ),
        ParsedEffect(
            "insertion", (), "Article 3A", "Article 2", "Article 3A", "",
            "Joint projects may be funded by either Party.", (("article", 3),), "Article 3",
        ),
        ParsedEffect("repeal", (("article", 10),), "Article 10", "Article 3"),
        ParsedEffect("renumbering", (("article", 6),), "Article 6", "Article 3", "Article 5"),
        ParsedEffect("renumbering", (("article", 7),), "Article 7", "Article 3", "Article 6"),
        ParsedEffect("renumbering", (("article", 8),), "Article 8", "Article 3", "Article 7"),
        ParsedEffect("renumbering", (("article", 11),), "Article 11", "Article 3", "Article 9"),
        ParsedEffect(
            "extension", (), "", "Article 4",
            term="for a period of five years from 27 August 2024",
        ),
    )  # fmt: skip
    assert parsed.unparsed == (
        UnparsedInstruction(
            "In Article 7, the words “scientists” are replaced by “researchers”.", "Article 4"
        ),
    )


def test_chinese_instructions_are_read_as_effects_in_reading_order() -> None:
    parsed = parse_instructions(parse_text(CHINESE_PROTOCOL).clauses)
    assert parsed.effects == (
        ParsedEffect(
            "substitution", (("article", 5),), "第五条", "第一条", "第五条", "",
            "缔约双方应各自指定执行机构。",
        ),
        ParsedEffect(
            "insertion", (), "第三条之一", "第二条", "第三条之一", "",
            "联合项目可由任何一方资助。", (("article", 3),), "第三条",
        ),
        ParsedEffect(
            "insertion", (), "第七条", "第三条", "第七条", "", "合作成果应予公开。",
            (("article", 6),), "第六条",
        ),
        ParsedEffect("repeal", (("article", 10),), "第十条", "第四条"),
        ParsedEffect("renumbering", (("article", 6),), "第六条", "第五条", "第五条"),
        ParsedEffect("extension", (), "", "第六条", term="五年"),
    )  # fmt: skip
    assert parsed.unparsed == (
        UnparsedInstruction("第八条第二款中的“五年”替换为“十年”。", "第七条"),
    )


def test_the_other_english_forms_are_read() -> None:
    text = "\n".join(
        [
            "Article 5 shall be amended to read as follows:",
            "“Each Party shall designate an Executive Agent.”",
            "Paragraph 2 of Article 4 is deleted.",
            "Annex I is repealed.",
            "Article 4 is renumbered Article 5.",
            "The Agreement is extended until 27 August 2029.",
        ]
    )
    assert parse_instruction_text(text, "Article 1").effects == (
        ParsedEffect(
            "substitution", (("article", 5),), "Article 5", "Article 1", "", "",
            "Each Party shall designate an Executive Agent.",
        ),
        ParsedEffect("repeal", (("article", 4), ("paragraph", 2)), "Article 4(2)", "Article 1"),
        ParsedEffect("repeal", (("annex", 1),), "Annex I", "Article 1"),
        ParsedEffect("renumbering", (("article", 4),), "Article 4", "Article 1", "Article 5"),
        ParsedEffect("extension", (), "", "Article 1", term="until 27 August 2029"),
    )  # fmt: skip


def test_a_substitution_without_quotes_takes_the_lines_up_to_the_next_instruction() -> None:
    text = "Article 5 is replaced by the following:\n1. First.\n2. Second.\nArticle 6 is deleted."
    effects = parse_instruction_text(text, "Article 1").effects
    assert [(e.kind, e.new_text) for e in effects] == [
        ("substitution", "1. First.\n2. Second."),
        ("repeal", ""),
    ]


def test_a_renumbering_of_ranges_of_different_lengths_is_left_unparsed() -> None:
    parsed = parse_instruction_text("Articles 6 to 11 are renumbered as Articles 5 to 9.", "Art 1")
    assert parsed.effects == ()
    assert parsed.unparsed == (
        UnparsedInstruction("Articles 6 to 11 are renumbered as Articles 5 to 9.", "Art 1"),
    )


def test_a_text_that_instructs_nothing_yields_nothing() -> None:
    parsed = parse_instruction_text("The Parties shall cooperate in basic research.", "Article 1")
    assert parsed.effects == ()
    assert parsed.unparsed == ()


def test_chinese_numerals_are_written_as_in_article_numbers() -> None:
    assert [chinese_numeral(n) for n in (6, 10, 11, 20, 25)] == [
        "六",
        "十",
        "十一",
        "二十",
        "二十五",
    ]


def test_an_instruction_read_as_a_provision_of_its_own_is_read_as_its_articles_instruction() -> (
    None
):
    def zh(key: str, number: str, text: str) -> ParsedClause:
        return ParsedClause(key=key, kind="article", number=number, heading="", text=text)

    # Why: a reader may take the 第五条 opening 第五条修改为 for the heading of an article.
    clauses = [
        zh("art_1", "第一条", ""),
        zh("art_5", "第五条", "修改为：“缔约双方应各自指定执行机构。”"),
        zh("art_2", "第二条", ""),
        zh("art_6", "第六条", "改为第五条。"),
        zh("art_3", "第三条", "删去第十条。"),
    ]
    assert parse_instructions(clauses).effects == (
        ParsedEffect(
            "substitution", (("article", 5),), "第五条", "第一条", "", "",
            "缔约双方应各自指定执行机构。",
        ),
        ParsedEffect("renumbering", (("article", 6),), "第六条", "第二条", "第五条"),
        ParsedEffect("repeal", (("article", 10),), "第十条", "第三条"),
    )  # fmt: skip
