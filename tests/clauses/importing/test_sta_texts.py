"""Structure detection on the real, partial STA texts in the shared folder (read, never copied)."""

from __future__ import annotations

from pathlib import Path

from clauses.importing.document import read_document
from clauses.importing.matching import normalise
from clauses.importing.structure import ParsedDocument


def read(path: Path) -> ParsedDocument:
    return read_document(path.read_bytes(), path.name)


def test_the_1979_agreement_has_a_preamble_of_four_recitals(shared_sta_dir: Path) -> None:
    doc = read(shared_sta_dir / "1979-agreement.zh.txt")
    preamble = doc.clauses[0]
    assert (preamble.key, preamble.kind, preamble.parent) == ("preamble", "preamble", None)
    recitals = preamble.text.splitlines()
    assert len(recitals) == 4
    assert recitals[0].startswith("中华人民共和国政府和美利坚合众国政府(以下称缔约双方)")
    assert recitals[-1].endswith("达成协议如下:")


def test_the_1979_agreement_title_is_kept_and_the_site_header_dropped(
    shared_sta_dir: Path,
) -> None:
    doc = read(shared_sta_dir / "1979-agreement.zh.txt")
    assert doc.title == "中华人民共和国政府和美利坚合众国政府科学技术合作协定"
    assert doc.dropped == ("(签订日期1979年1月31日", "生效日期1979年1月31日)")
    assert not any("签订日期" in c.text or "生效日期" in c.text for c in doc.clauses)


def test_the_1979_agreement_has_articles_one_to_five_with_paragraphs_and_items(
    shared_sta_dir: Path,
) -> None:
    doc = read(shared_sta_dir / "1979-agreement.zh.txt")
    assert [(c.key, c.kind, c.number, c.parent) for c in doc.clauses[1:]] == [
        ("art_1", "article", "第一条", None),
        ("art_1__para_1", "paragraph", "一、", "art_1"),
        ("art_1__para_2", "paragraph", "二、", "art_1"),
        ("art_2", "article", "第二条", None),
        ("art_3", "article", "第三条", None),
        ("art_3__item_1", "item", "一、", "art_3"),
        ("art_3__item_2", "item", "二、", "art_3"),
        ("art_3__item_3", "item", "三、", "art_3"),
        ("art_3__item_4", "item", "四、", "art_3"),
        ("art_3__item_5", "item", "五、", "art_3"),
        ("art_3__item_6", "item", "六、", "art_3"),
        ("art_4", "article", "第四条", None),
        ("art_5", "article", "第五条", None),
    ]
    by_key = {c.key: c for c in doc.clauses}
    assert by_key["art_1"].text == ""
    assert by_key["art_1__para_1"].text == "缔约双方根据本协定在平等、互利和互惠的基础上发展合作。"
    assert by_key["art_2"].text.startswith("根据本协定可在农业、能源、空间")
    assert by_key["art_3"].text == "根据本协定,合作可包括:"
    assert by_key["art_3__item_1"].text == "互派科学家、学者、专家和留学生;"
    assert by_key["art_3__item_6"].text == "双方同意的其他科学技术合作形式。"
    assert by_key["art_5"].text.endswith("将取决于所")
    assert all(not c.heading for c in doc.clauses)


def test_the_wikisource_copy_gives_the_same_first_three_articles_as_the_fsou_text(
    shared_sta_dir: Path,
) -> None:
    fsou = read(shared_sta_dir / "1979-agreement.zh.txt")
    wikisource = read(shared_sta_dir / "fragments" / "1979-agreement.zh.wikisource-excerpt.txt")

    def first_three(doc: ParsedDocument) -> list[tuple[str, str, str, str, str | None]]:
        wanted = ("art_1", "art_2", "art_3")
        return [
            (c.key, c.kind, c.number, normalise(c.text), c.parent)
            for c in doc.clauses
            if c.key.split("__")[0] in wanted
        ]

    assert len(first_three(fsou)) == 11
    assert first_three(wikisource) == first_three(fsou)
    assert normalise(wikisource.clauses[0].text) == normalise(fsou.clauses[0].text)


def test_the_wikisource_copy_drops_its_metadata_and_repeated_titles(shared_sta_dir: Path) -> None:
    doc = read(shared_sta_dir / "fragments" / "1979-agreement.zh.wikisource-excerpt.txt")
    assert doc.title == "中华人民共和国政府和美利坚合众国政府科学技术合作协定"
    assert "【发布部门】国务院" in doc.dropped
    assert "(1979年1月31日于华盛顿签定)" in doc.dropped
    assert doc.clauses[0].key == "preamble"
    assert "【" not in doc.clauses[0].text


def test_the_exchange_of_letters_is_two_signed_letters_and_an_annex(shared_sta_dir: Path) -> None:
    doc = read(shared_sta_dir / "1979-letters-understandings.zh.txt")
    assert doc.title == "中美两国政府关于在教育、农业和空间技术合作方面达成谅解的换文"
    assert doc.dropped == ("(签订日期1979年1月31日", "生效日期1979年1月31日)")
    assert [(c.key, c.kind, c.number, c.heading, c.parent) for c in doc.clauses] == [
        ("sec_1", "section", "(一)", "对方来文", None),
        ("sec_1__signature", "signature", "", "", "sec_1"),
        ("sec_2", "section", "(二)", "我方去文", None),
        ("sec_2__signature", "signature", "", "", "sec_2"),
        ("annex_1", "annex", "附", "中华人民共和国和美利坚合众国互派", None),
    ]
    by_key = {c.key: c for c in doc.clauses}
    letter = by_key["sec_1"].text.splitlines()
    assert letter[0] == "北京国家科学技术委员会方毅主任阁下主任先生:"
    assert len(letter) == 4
    assert letter[-1].endswith("将构成我们两国政府在这些领域里的协议。")
    assert by_key["sec_1__signature"].text.splitlines() == [
        "科学技术政策办公室主任",
        "弗兰克·普雷斯",
        "(签字)",
        "一九七九年一月三十一日",
    ]
    assert by_key["sec_2"].text.splitlines()[-1] == "顺致最崇高的敬意。"
    assert by_key["sec_2__signature"].text.splitlines() == [
        "中华人民共和国",
        "国家科学技术委员会主任",
        "方 毅",
        "(签字)",
        "一九七九年一月三十一日",
    ]
