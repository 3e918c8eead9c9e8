"""Structure detection on small synthetic texts, one pattern at a time, with exact results."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clauses.importing.errors import TextImportError
from clauses.importing.numerals import chinese_to_int, roman_to_int
from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedDocument

Row = tuple[str, str, str, str, str, str | None]


def rows(doc: ParsedDocument) -> list[Row]:
    return [(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in doc.clauses]


def test_english_articles_with_numbered_paragraphs_and_a_heading_after_a_dash() -> None:
    doc = parse_text(
        "Article 1\n"
        "1. The Parties shall cooperate.\n"
        "2. Cooperation is based on equality.\n"
        "Article 2 — Scope\n"
        "Cooperation covers basic research.\n"
    )
    assert rows(doc) == [
        ("art_1", "article", "Article 1", "", "", None),
        ("art_1__para_1", "paragraph", "1.", "", "The Parties shall cooperate.", "art_1"),
        ("art_1__para_2", "paragraph", "2.", "", "Cooperation is based on equality.", "art_1"),
        ("art_2", "article", "Article 2", "Scope", "Cooperation covers basic research.", None),
    ]


def test_roman_article_numbers_give_arabic_keys_and_a_title_on_the_next_line_is_the_heading() -> (
    None
):
    doc = parse_text(
        "ARTICLE I\nPurpose\nThe Parties cooperate.\nARTICLE IV SCOPE\nBasic research only.\n"
    )
    assert rows(doc) == [
        ("art_1", "article", "ARTICLE I", "Purpose", "The Parties cooperate.", None),
        ("art_4", "article", "ARTICLE IV", "SCOPE", "Basic research only.", None),
    ]


def test_an_inserted_article_5_bis_gets_its_own_key() -> None:
    doc = parse_text(
        "Article 5\nEach Party bears its costs.\nArticle 5 bis\nResearchers are kept safe.\n"
    )
    assert [(c.key, c.number, c.text) for c in doc.clauses] == [
        ("art_5", "Article 5", "Each Party bears its costs."),
        ("art_5bis", "Article 5 bis", "Researchers are kept safe."),
    ]


def test_a_sentence_that_starts_with_a_reference_to_an_article_is_text() -> None:
    doc = parse_text("Article 1\nThe Parties cooperate\nArticle 5 of the Agreement applies.\n")
    assert rows(doc) == [
        (
            "art_1",
            "article",
            "Article 1",
            "",
            "The Parties cooperate Article 5 of the Agreement applies.",
            None,
        ),
    ]


def test_the_first_words_of_a_wrapped_sentence_after_the_number_are_text_not_a_heading() -> None:
    doc = parse_text("Article 2 The Parties shall cooperate in\nagriculture and energy.\n")
    assert rows(doc) == [
        (
            "art_2",
            "article",
            "Article 2",
            "",
            "The Parties shall cooperate in agriculture and energy.",
            None,
        )
    ]


def test_chinese_articles_alone_on_their_line_or_followed_by_text() -> None:
    doc = parse_text("第一条\n缔约双方发展合作。\n第二条 合作包括农业。\n")
    assert rows(doc) == [
        ("art_1", "article", "第一条", "", "缔约双方发展合作。", None),
        ("art_2", "article", "第二条", "", "合作包括农业。", None),
    ]


def test_chinese_articles_written_with_spaces_get_the_same_number_and_key() -> None:
    doc = parse_text("第 一 条\n缔约双方发展合作。\n第 十 一 条 本协定自签字之日起生效。\n")
    assert rows(doc) == [
        ("art_1", "article", "第一条", "", "缔约双方发展合作。", None),
        ("art_11", "article", "第十一条", "", "本协定自签字之日起生效。", None),
    ]


@pytest.mark.parametrize(
    ("numeral", "key"),
    [("九", "art_9"), ("十", "art_10"), ("十二", "art_12"), ("二十", "art_20"),
     ("四十五", "art_45"), ("九十九", "art_99")],
)  # fmt: skip
def test_chinese_article_numbers_up_to_ninety_nine_become_arabic_keys(
    numeral: str, key: str
) -> None:
    doc = parse_text(f"第{numeral}条 合作。\n")
    assert [c.key for c in doc.clauses] == [key]


def test_chinese_numerals_are_read_in_both_positional_and_counting_forms() -> None:
    assert [chinese_to_int(n) for n in ("一", "十", "十一", "二十", "九十九", "一百零三")] == [
        1, 10, 11, 20, 99, 103,
    ]  # fmt: skip
    assert chinese_to_int("一九七九") == 1979
    assert [roman_to_int(n) for n in ("I", "IV", "IX", "XIV", "XL")] == [1, 4, 9, 14, 40]
    with pytest.raises(ValueError, match="not a Roman numeral"):
        roman_to_int("IIV")


def test_chinese_enumeration_is_paragraphs_in_one_article_and_items_after_a_colon() -> None:
    doc = parse_text(
        "第一条\n一、平等互利。\n二、促进进步。\n"
        "第三条 合作可包括:\n一、互派学者;\n二、交换情报。\n"
    )
    assert rows(doc) == [
        ("art_1", "article", "第一条", "", "", None),
        ("art_1__para_1", "paragraph", "一、", "", "平等互利。", "art_1"),
        ("art_1__para_2", "paragraph", "二、", "", "促进进步。", "art_1"),
        ("art_3", "article", "第三条", "", "合作可包括:", None),
        ("art_3__item_1", "item", "一、", "", "互派学者;", "art_3"),
        ("art_3__item_2", "item", "二、", "", "交换情报。", "art_3"),
    ]


def test_full_width_colon_also_turns_a_numbered_list_into_items() -> None:
    doc = parse_text("第三条 合作可包括：\n一、互派学者；\n")
    assert [(c.key, c.kind) for c in doc.clauses] == [
        ("art_3", "article"),
        ("art_3__item_1", "item"),
    ]


def test_lettered_items_nest_under_numbered_paragraphs_and_roman_items_under_letters() -> None:
    doc = parse_text(
        "Article 3\n"
        "1. Cooperation may include:\n"
        "(a) exchanges of scientists;\n"
        "(b) joint projects, such as:\n"
        "(i) workshops;\n"
        "(ii) courses;\n"
        "(c) other forms.\n"
        "2. The Parties consult each other.\n"
    )
    assert [(c.key, c.kind, c.number, c.parent) for c in doc.clauses] == [
        ("art_3", "article", "Article 3", None),
        ("art_3__para_1", "paragraph", "1.", "art_3"),
        ("art_3__para_1__item_a", "item", "(a)", "art_3__para_1"),
        ("art_3__para_1__item_b", "item", "(b)", "art_3__para_1"),
        ("art_3__para_1__item_b__item_i", "item", "(i)", "art_3__para_1__item_b"),
        ("art_3__para_1__item_b__item_ii", "item", "(ii)", "art_3__para_1__item_b"),
        ("art_3__para_1__item_c", "item", "(c)", "art_3__para_1"),
        ("art_3__para_2", "paragraph", "2.", "art_3"),
    ]


def test_letter_i_after_letter_h_is_a_letter_not_a_roman_numeral() -> None:
    lines = "".join(f"({letter}) item {letter};\n" for letter in "abcdefghi")
    doc = parse_text(f"Article 1\nThe Parties shall:\n{lines}")
    assert doc.clauses[-1].key == "art_1__item_i"
    assert doc.clauses[-1].parent == "art_1"


def test_numbered_annexes_and_a_single_unnumbered_annex() -> None:
    doc = parse_text("Article 1\nText.\nAnnex I\nIntellectual Property\n1. Rights are shared.\n")
    assert rows(doc) == [
        ("art_1", "article", "Article 1", "", "Text.", None),
        ("annex_1", "annex", "Annex I", "Intellectual Property", "", None),
        ("annex_1__para_1", "paragraph", "1.", "", "Rights are shared.", "annex_1"),
    ]
    single = parse_text("Article 1\nText.\nANNEX\nData management rules apply.\n")
    assert [(c.key, c.kind, c.number, c.text) for c in single.clauses][1:] == [
        ("annex_1", "annex", "ANNEX", "Data management rules apply."),
    ]


def test_chinese_annexes_are_numbered_by_their_chinese_numeral() -> None:
    doc = parse_text("第一条 合作。\n附件一 知识产权\n一、共享权利。\n附件二\n数据管理。\n")
    assert rows(doc) == [
        ("art_1", "article", "第一条", "", "合作。", None),
        ("annex_1", "annex", "附件一", "知识产权", "", None),
        ("annex_1__para_1", "paragraph", "一、", "", "共享权利。", "annex_1"),
        ("annex_2", "annex", "附件二", "", "数据管理。", None),
    ]


def test_roman_sections_with_letters_written_inconsistently() -> None:
    doc = parse_text(
        "ANNEX I\n"
        "I. General Obligation\n"
        "A. Each Party protects rights.\n"
        "B. Rights follow the rules below.\n"
        "II. C Rights in publications stay with the authors.\n"
        "III. A. Each Party notifies the other.\n"
    )
    assert rows(doc) == [
        ("annex_1", "annex", "ANNEX I", "", "", None),
        ("annex_1__sec_I", "section", "I.", "General Obligation", "", "annex_1"),
        (
            "annex_1__sec_I__para_A",
            "paragraph",
            "A.",
            "",
            "Each Party protects rights.",
            "annex_1__sec_I",
        ),
        (
            "annex_1__sec_I__para_B",
            "paragraph",
            "B.",
            "",
            "Rights follow the rules below.",
            "annex_1__sec_I",
        ),
        ("annex_1__sec_II", "section", "", "", "", "annex_1"),
        (
            "annex_1__sec_II__para_C",
            "paragraph",
            "II. C",
            "",
            "Rights in publications stay with the authors.",
            "annex_1__sec_II",
        ),
        ("annex_1__sec_III", "section", "", "", "", "annex_1"),
        (
            "annex_1__sec_III__para_A",
            "paragraph",
            "III. A.",
            "",
            "Each Party notifies the other.",
            "annex_1__sec_III",
        ),
    ]


def test_a_second_letter_in_the_same_roman_section_continues_that_section() -> None:
    doc = parse_text("ANNEX\nII. A First rule.\nII. B Second rule.\n")
    assert [c.key for c in doc.clauses] == [
        "annex_1",
        "annex_1__sec_II",
        "annex_1__sec_II__para_A",
        "annex_1__sec_II__para_B",
    ]


def test_preamble_and_signature_block_are_kept_apart_from_the_articles() -> None:
    doc = parse_text(
        "AGREEMENT ON COOPERATION IN SCIENCE AND TECHNOLOGY\n"
        "\n"
        "The Government of the United States of America and the Government of the People's "
        "Republic of China (the Parties),\n"
        "Recognizing that cooperation benefits both countries;\n"
        "Have agreed as follows:\n"
        "Article 1\n"
        "The Parties cooperate.\n"
        "Done at Washington this thirty-first day of January, 1979, in duplicate.\n"
        "For the Government of the United States of America:\n"
        "Jimmy Carter\n"
        "For the Government of the People's Republic of China:\n"
        "Deng Xiaoping\n"
    )
    assert doc.title == "AGREEMENT ON COOPERATION IN SCIENCE AND TECHNOLOGY"
    assert rows(doc) == [
        (
            "preamble",
            "preamble",
            "",
            "",
            "The Government of the United States of America and the Government of the People's "
            "Republic of China (the Parties),\n"
            "Recognizing that cooperation benefits both countries;\n"
            "Have agreed as follows:",
            None,
        ),
        ("art_1", "article", "Article 1", "", "The Parties cooperate.", None),
        (
            "signature",
            "signature",
            "",
            "",
            "Done at Washington this thirty-first day of January, 1979, in duplicate.\n"
            "For the Government of the United States of America:\n"
            "Jimmy Carter\n"
            "For the Government of the People's Republic of China:\n"
            "Deng Xiaoping",
            None,
        ),
    ]


def test_a_title_in_capitals_over_several_lines_and_a_wrapped_witness_clause() -> None:
    doc = parse_text(
        "AGREEMENT\nBETWEEN\nTHE GOVERNMENT OF THE UNITED STATES OF AMERICA\nAND\n"
        "THE GOVERNMENT OF THE PEOPLE'S REPUBLIC OF CHINA\n\n"
        "The Parties have agreed as follows:\n"
        "ARTICLE 1\nThe Parties cooperate.\n"
        "IN WITNESS WHEREOF, the undersigned, duly authorized,\nhave signed this Agreement.\n"
        "FOR THE GOVERNMENT OF THE\nUNITED STATES OF AMERICA:\nJimmy Carter\n"
    )
    assert doc.title == (
        "AGREEMENT BETWEEN THE GOVERNMENT OF THE UNITED STATES OF AMERICA AND THE GOVERNMENT OF "
        "THE PEOPLE'S REPUBLIC OF CHINA"
    )
    assert doc.clauses[0].text == "The Parties have agreed as follows:"
    assert doc.clauses[-1].text.splitlines() == [
        "IN WITNESS WHEREOF, the undersigned, duly authorized, have signed this Agreement.",
        "FOR THE GOVERNMENT OF THE",
        "UNITED STATES OF AMERICA:",
        "Jimmy Carter",
    ]


def test_a_chinese_signature_block_takes_the_title_and_name_above_the_signed_mark() -> None:
    doc = parse_text(
        "第一条 合作。\n顺致敬意。\n国家科学技术委员会主任\n方 毅\n(签字)\n一九七九年一月三十一日\n"
    )
    assert rows(doc) == [
        ("art_1", "article", "第一条", "", "合作。\n顺致敬意。", None),
        (
            "signature",
            "signature",
            "",
            "",
            "国家科学技术委员会主任\n方 毅\n(签字)\n一九七九年一月三十一日",
            None,
        ),
    ]


def test_a_date_in_chinese_numerals_alone_on_its_line_opens_a_signature_block() -> None:
    doc = parse_text("第一条 合作。\n中华人民共和国政府\n一九七九年一月三十一日\n")
    assert rows(doc)[-1] == (
        "signature",
        "signature",
        "",
        "",
        "中华人民共和国政府\n一九七九年一月三十一日",
        None,
    )


def test_a_site_header_with_dates_and_metadata_lines_are_dropped_and_reported() -> None:
    doc = parse_text(
        "某某协定\n【发布部门】国务院\n(签订日期1979年1月31日\n生效日期1979年1月31日)\n"
        "缔约双方,达成协议如下:\n第一条 合作。\n"
    )
    assert doc.title == "某某协定"
    assert doc.dropped == ("【发布部门】国务院", "(签订日期1979年1月31日", "生效日期1979年1月31日)")
    assert rows(doc) == [
        ("preamble", "preamble", "", "", "缔约双方,达成协议如下:", None),
        ("art_1", "article", "第一条", "", "合作。", None),
    ]


def test_wrapped_lines_are_joined_and_sentences_keep_their_own_lines() -> None:
    doc = parse_text(
        "Article 1\nThe Parties shall develop\ncooperation on the basis of\nequality.\n"
        "They meet yearly.\n"
    )
    assert doc.clauses[0].text == (
        "The Parties shall develop cooperation on the basis of equality.\nThey meet yearly."
    )


def test_chinese_lines_broken_inside_a_sentence_are_joined_without_a_space() -> None:
    doc = parse_text("第一条 缔约双方根据本协定\n发展合作。\n")
    assert doc.clauses[0].text == "缔约双方根据本协定发展合作。"


def test_markdown_headings_and_emphasis_are_read_as_plain_text() -> None:
    doc = parse_text(
        "# Agreement on Cooperation\n\n## Article 1 — Scope\n\n**Basic research** only.\n\n"
        "- (a) exchanges;\n",
        markdown=True,
    )
    assert doc.title == "Agreement on Cooperation"
    assert rows(doc) == [
        ("art_1", "article", "Article 1", "Scope", "Basic research only.", None),
        ("art_1__para_a", "paragraph", "(a)", "", "exchanges;", "art_1"),
    ]


def test_an_article_number_that_appears_twice_gets_a_distinct_key() -> None:
    doc = parse_text("Article 1\nFirst.\nArticle 1\nAgain.\n")
    assert [c.key for c in doc.clauses] == ["art_1", "art_1_2"]


def test_as_json_gives_exactly_the_documented_fields() -> None:
    doc = parse_text("第一条\n一、合作。\n")
    assert doc.as_json() == {
        "clauses": [
            {"key": "art_1", "number": "第一条", "heading": "", "text": "", "parent": None},
            {
                "key": "art_1__para_1",
                "number": "一、",
                "heading": "",
                "text": "合作。",
                "parent": "art_1",
            },
        ]
    }


def test_text_without_any_structure_is_refused_with_a_clear_message() -> None:
    with pytest.raises(TextImportError, match="No structure was found"):
        parse_text("Dear Sir,\nThank you for your letter of 3 March.\nYours sincerely,\n")


def test_a_text_of_blank_lines_is_refused_as_empty() -> None:
    with pytest.raises(TextImportError, match="contains no text"):
        parse_text("\n  \n\u3000\n")


_LINES = st.sampled_from(
    [
        "Article 1", "ARTICLE IV SCOPE", "Article 5 bis", "第一条", "第 十 一 条 合作。", "附件一",
        "ANNEX", "Annex I", "II. C Text.", "III. A. Text.", "I. General", "A. Rule.", "1.",
        "1. Text.",
        "(a) item;", "(i) sub;", "一、内容。", "(一)对方来文", "(签字)", "一九七九年一月三十一日",
        "Done at Washington.", "For the Government of China:", "合作可包括:", "Plain text line",
        "", "附: 谅解", "【发布部门】国务院", "(签订日期1979年1月31日", "生效日期1979年1月31日)",
    ]
)  # fmt: skip


@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_well_formed_tree_or_a_clear_refusal(lines: list[str]) -> None:
    try:
        doc = parse_text("\n".join(lines))
    except TextImportError:
        return
    keys = [c.key for c in doc.clauses]
    assert len(keys) == len(set(keys))
    seen: set[str] = set()
    for clause in doc.clauses:
        assert clause.parent is None or clause.parent in seen
        assert clause.kind in {"preamble", "article", "paragraph", "item", "annex", "section",
                               "signature"}  # fmt: skip
        seen.add(clause.key)
