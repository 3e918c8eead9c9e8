"""Numbers are kept as printed, keys are safe in a URL, and skipped numbers are warned about."""

from __future__ import annotations

import re

from clauses.importing.lines import key_segment
from clauses.importing.parse import parse_text

URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def test_roman_section_numbers_keep_their_printed_form() -> None:
    doc = parse_text("ANNEX I\nI. General Obligation\nII. Scope\nA. One.\nB. Two.\nII. C Three.\n")
    assert [(c.key, c.number) for c in doc.clauses] == [
        ("annex_1", "ANNEX I"),
        ("annex_1__sec_I", "I."),
        ("annex_1__sec_II", "II."),
        ("annex_1__sec_II__para_A", "A."),
        ("annex_1__sec_II__para_B", "B."),
        ("annex_1__sec_II__para_C", "II. C"),
    ]


def test_article_numbers_keep_their_printed_form_with_a_period() -> None:
    doc = parse_text("Article 1.\nText.\nSEC. 2.\nText.\nArt. 3 bis\nText.\n")
    assert [(c.key, c.number) for c in doc.clauses] == [
        ("art_1", "Article 1."),
        ("sec_2", "SEC. 2."),
        ("sec_2__art_3bis", "Art. 3 bis"),
    ]


def test_keys_are_url_safe_for_any_numbering() -> None:
    assert key_segment("Ä.1/2") == "xc4x2e1x2f2"
    assert key_segment("sec_II-a") == "sec_II-a"
    doc = parse_text(
        "第十一章 附则\n第四十七条 本条例自公布之日起施行。\n附件一 名录\n一、内容。\n"
    )
    assert all(URL_SAFE.match(c.key) for c in doc.clauses)


def test_a_skipped_article_number_is_warned_about() -> None:
    doc = parse_text("Article 3\nText.\nArticle 5\nText.\nArticle 6\nText.\n")
    assert doc.warnings == (
        "Article 5 follows Article 3: the numbers in between are not in the text. "
        "Check that nothing was left out.",
    )


def test_consecutive_numbers_and_a_new_annex_give_no_warning() -> None:
    doc = parse_text("Article 1\nText.\nArticle 2\nText.\nAnnex I\nArticle 1\nText.\n")
    assert doc.warnings == ()
