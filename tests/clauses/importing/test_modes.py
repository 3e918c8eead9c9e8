"""Import plans for the four modes, on texts of our own writing: exact clauses and effects."""

from __future__ import annotations

import pytest

from clauses.importing.errors import TextImportError
from clauses.importing.matching import MatchedClause, PreviousClause
from clauses.importing.modes import (
    AmendmentError,
    ImportPlan,
    ManualEffect,
    PlanCounts,
    PlannedEffect,
    plan_amending,
    plan_consolidated,
    plan_document,
    plan_partial,
)
from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedClause, ParsedDocument


def old(n: int, text: str = "", **kw: str) -> PreviousClause:
    return PreviousClause(
        key=kw.get("key", f"art_{n}"),
        kind="article",
        number=f"Article {n}",
        heading=kw.get("heading", ""),
        text=text or f"Text of article {n}.",
        parent=None,
    )


def kept(n: int, **kw: str) -> MatchedClause:
    return MatchedClause(
        key=kw.get("key", f"art_{n}"),
        kind="article",
        number=kw.get("number", f"Article {n}"),
        heading=kw.get("heading", ""),
        text=kw.get("text", f"Text of article {n}."),
        parent=None,
        change=kw.get("change", "unchanged"),
        previous_number=kw.get("previous_number", ""),
    )


def new(n: int, text: str, key: str = "") -> ParsedClause:
    return ParsedClause(key=key or f"art_{n}", kind="article", number=f"Article {n}", heading="",
                        text=text)  # fmt: skip


ELEVEN = [old(n) for n in range(1, 12)]


def test_a_consolidated_text_is_matched_and_its_effects_read_from_the_diff() -> None:
    previous = [old(1), old(2, "Each Party may terminate cooperation."), old(3)]
    document = ParsedDocument(
        title="",
        clauses=(
            new(1, "Text of article 1."),
            new(2, "Each Party may terminate cooperation on notice."),
            new(3, "Joint projects may be funded by either Party."),
        ),
    )
    plan = plan_consolidated(previous, document)
    assert plan == ImportPlan(
        mode="consolidated",
        clauses=(
            kept(1),
            kept(2, text="Each Party may terminate cooperation on notice.", change="amended"),
            MatchedClause("art_3", "article", "Article 3", "", "", None, "repealed", "Article 3"),
            kept(3, key="art_3_2", text="Joint projects may be funded by either Party.",
                 change="added"),
        ),
        effects=(
            PlannedEffect("substitution", "art_2", "Article 2", "the consolidated text", True,
                          new_number="Article 2",
                          new_text="Each Party may terminate cooperation on notice."),
            PlannedEffect("repeal", "art_3", "Article 3", "the consolidated text", True),
            PlannedEffect("insertion", "art_3_2", "Article 3", "the consolidated text", True,
                          new_number="Article 3",
                          new_text="Joint projects may be funded by either Party.",
                          after_key="art_2"),
        ),
    )  # fmt: skip
    assert plan.counts == PlanCounts(1, 1, 1, 0, 1, 3, 0)


def test_a_partial_text_replaces_its_clauses_by_key_or_number_and_keeps_the_rest() -> None:
    previous = [old(1), old(2), old(3, key="art_3_jc"), old(4)]
    document = ParsedDocument(
        title="",
        clauses=(
            new(2, "Text of article 2, in its official wording."),
            new(3, "Text of article 3."),
            new(5, "A fifth article the previous version lacked."),
        ),
    )
    plan = plan_partial(previous, document, previous_label="the 2018 version")
    assert plan.clauses == (
        kept(1),
        kept(2, text="Text of article 2, in its official wording.", change="amended"),
        kept(3, key="art_3_jc"),
        MatchedClause("art_5", "article", "Article 5", "",
                      "A fifth article the previous version lacked.", None, "added"),
        kept(4),
    )  # fmt: skip
    assert plan.wording_by_key == {
        "art_1": "carried_over",
        "art_2": "partial",
        "art_3_jc": "partial",
        "art_5": "partial",
        "art_4": "carried_over",
    }
    assert [(e.kind, e.affected_key) for e in plan.effects] == [
        ("substitution", "art_2"),
        ("insertion", "art_5"),
    ]
    assert plan.counts == PlanCounts(1, 1, 0, 0, 3, 2, 0)


def test_a_partial_text_matching_no_clause_is_refused_naming_what_it_holds() -> None:
    document = ParsedDocument(title="", clauses=(new(12, "An article nobody has.", "x_12"),))
    with pytest.raises(TextImportError) as error:
        plan_partial(ELEVEN, document, previous_label="the 2018 version")
    assert str(error.value) == (
        "The partial text matches no clause of the 2018 version: none of its provisions "
        "(Article 12) is found there by key or number."
    )


PROTOCOL = """Protocol amending the Agreement

Article 1

Article 5 of the Agreement is replaced by the following:

“Article 5

Each Party shall designate an Executive Agent.”

Article 2

The following Article is inserted after Article 3:

“Article 3A

Joint projects may be funded by either Party.”

Article 3

Article 10 is deleted.

Articles 6 to 9 are renumbered as Articles 5 to 8.

Article 11 is renumbered Article 9.

Article 4

The Agreement is extended for a period of five years.

In Article 7, the words “scientists” are replaced by “researchers”.
"""


def test_an_amending_instrument_applies_its_effects_to_the_previous_version() -> None:
    plan = plan_amending(ELEVEN, parse_text(PROTOCOL))
    assert plan.clauses == (
        kept(1), kept(2), kept(3),
        MatchedClause("art_3a", "article", "Article 3A", "",
                      "Joint projects may be funded by either Party.", None, "added"),
        kept(4),
        kept(5, text="Each Party shall designate an Executive Agent.", change="amended"),
        kept(6, number="Article 5", change="renumbered", previous_number="Article 6"),
        kept(7, number="Article 6", change="renumbered", previous_number="Article 7"),
        kept(8, number="Article 7", change="renumbered", previous_number="Article 8"),
        kept(9, number="Article 8", change="renumbered", previous_number="Article 9"),
        kept(10, text="", change="repealed", previous_number="Article 10"),
        kept(11, number="Article 9", change="renumbered", previous_number="Article 11"),
    )  # fmt: skip
    assert plan.effects[0] == PlannedEffect(
        "substitution", "art_5", "Article 5", "Article 1", True, new_number="Article 5",
        new_text="Each Party shall designate an Executive Agent.",
    )  # fmt: skip
    assert plan.effects[1] == PlannedEffect(
        "insertion", "art_3a", "Article 3A", "Article 2", True, new_number="Article 3A",
        new_text="Joint projects may be funded by either Party.", after_key="art_3",
    )  # fmt: skip
    assert plan.effects[2] == PlannedEffect("repeal", "art_10", "Article 10", "Article 3", True)
    assert [(e.kind, e.affected_key, e.new_number) for e in plan.effects[3:8]] == [
        ("renumbering", "art_6", "Article 5"),
        ("renumbering", "art_7", "Article 6"),
        ("renumbering", "art_8", "Article 7"),
        ("renumbering", "art_9", "Article 8"),
        ("renumbering", "art_11", "Article 9"),
    ]
    assert plan.effects[8:] == (
        PlannedEffect("extension", "", "", "Article 4", True,
                      term="for a period of five years"),
        PlannedEffect("other", "", "", "Article 4", False,
                      why_not="Not understood: apply it by hand or leave it unapplied.",
                      new_text="In Article 7, the words “scientists” are replaced by "
                      "“researchers”."),
    )  # fmt: skip
    assert plan.counts == PlanCounts(1, 1, 1, 5, 4, 9, 1)
    assert plan.wording_by_key["art_5"] == "official"
    assert plan.wording_by_key["art_1"] == "carried_over"
    assert "art_10" not in plan.wording_by_key


def test_an_unparsed_instruction_can_be_applied_by_hand() -> None:
    instruction = "In Article 7, the words “scientists” are replaced by “researchers”."
    hand = ManualEffect(instruction, "art_7", "Text of article 7, for researchers.")
    plan = plan_amending(ELEVEN, parse_text(PROTOCOL), manual=[hand])
    by_key = {c.key: c for c in plan.clauses}
    assert by_key["art_7"] == kept(
        7, number="Article 6", text="Text of article 7, for researchers.", change="amended",
        previous_number="Article 7",
    )  # fmt: skip
    assert plan.unparsed == ()
    assert plan.effects[-1] == PlannedEffect(
        "substitution", "art_7", "Article 6", f"{instruction} (applied by hand)", True,
        new_text="Text of article 7, for researchers.",
        note=f"Applied by hand on the import preview: “{instruction}”",
    )  # fmt: skip
    assert plan.counts.effects_not_applied == 0


def test_an_unparsed_instruction_inserted_by_hand_follows_the_clause_picked() -> None:
    instruction = "In Article 7, the words “scientists” are replaced by “researchers”."
    hand = ManualEffect(
        instruction, "art_2", "Researchers may visit.", kind="insertion",
        new_number="Article 2A", by="grace",
    )  # fmt: skip
    plan = plan_amending(ELEVEN, parse_text(PROTOCOL), manual=[hand])
    keys = [c.key for c in plan.clauses]
    assert keys[:4] == ["art_1", "art_2", "art_2a", "art_3"]
    assert plan.effects[-1] == PlannedEffect(
        "insertion", "art_2a", "Article 2A", f"{instruction} (applied by hand by grace)", True,
        new_number="Article 2A", new_text="Researchers may visit.", after_key="art_2",
        note=f"Applied by hand by grace on the import preview: “{instruction}”",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("hand", "message"),
    [
        (ManualEffect("x", "art_7", "", kind="substitution"), "Paste the new text for “x”"),
        (ManualEffect("x", "art_7", "New.", kind="insertion"), "Give the number of the"),
        (ManualEffect("x", "art_77", "New."), "The clause chosen by hand for “x” \\(art_77\\)"),
        (ManualEffect("x", "art_7", "New.", kind="renumbering"), "not 'renumbering'"),
    ],
)
def test_an_instruction_applied_by_hand_badly_is_refused(hand: ManualEffect, message: str) -> None:
    with pytest.raises(AmendmentError, match=message):
        plan_amending(ELEVEN, parse_text(PROTOCOL), manual=[hand])


CHINESE_PROTOCOL = """议定书

第一条
第五条修改为：“第五条 缔约双方应各自指定执行机构。”

第二条
在第三条后增加一条：“第三条之一 联合项目可由任何一方资助。”

第三条
删去第四条。

第四条
第六条改为第五条。

第五条
本协定有效期延长五年。

第六条
第二条中的“科学”替换为“科学技术”。
"""


def zh(n: int, text: str) -> PreviousClause:
    numbers = "一二三四五六"
    return PreviousClause(f"art_{n}", "article", f"第{numbers[n - 1]}条", "", text, None)


def test_a_chinese_amending_instrument_applies_its_effects() -> None:
    previous = [zh(n, f"第{n}条的条文。") for n in range(1, 7)]
    plan = plan_amending(previous, parse_text(CHINESE_PROTOCOL))
    assert plan.clauses == (
        MatchedClause("art_1", "article", "第一条", "", "第1条的条文。", None, "unchanged"),
        MatchedClause("art_2", "article", "第二条", "", "第2条的条文。", None, "unchanged"),
        MatchedClause("art_3", "article", "第三条", "", "第3条的条文。", None, "unchanged"),
        MatchedClause("art_3_1", "article", "第三条之一", "", "联合项目可由任何一方资助。",
                      None, "added"),
        MatchedClause("art_4", "article", "第四条", "", "", None, "repealed", "第四条"),
        MatchedClause("art_5", "article", "第五条", "", "缔约双方应各自指定执行机构。", None,
                      "amended"),
        MatchedClause("art_6", "article", "第五条", "", "第6条的条文。", None, "renumbered",
                      "第六条"),
    )  # fmt: skip
    assert [(e.kind, e.affected_key, e.affecting, e.applied) for e in plan.effects] == [
        ("substitution", "art_5", "第一条", True),
        ("insertion", "art_3_1", "第二条", True),
        ("repeal", "art_4", "第三条", True),
        ("renumbering", "art_6", "第四条", True),
        ("extension", "", "第五条", True),
        ("other", "", "第六条", False),
    ]
    assert plan.effects[4].term == "五年"


def test_an_instruction_naming_a_missing_clause_is_refused_naming_it() -> None:
    document = parse_text("Protocol\n\nArticle 2\n\nArticle 14 is deleted.\n")
    with pytest.raises(AmendmentError) as error:
        plan_amending(
            ELEVEN, document, previous_label="the 2018 version", instrument_name="the protocol"
        )
    assert str(error.value) == (
        "The protocol's Article 2 amends Article 14, which the 2018 version does not have."
    )


def test_an_instruction_naming_a_clause_repealed_earlier_in_the_text_is_refused() -> None:
    document = parse_text("Protocol\n\nArticle 1\n\nArticle 4 is deleted.\n\nArticle 4 is deleted.")
    with pytest.raises(AmendmentError, match="amends Article 4, which the previous version"):
        plan_amending(ELEVEN, document)


def test_a_substitution_of_an_article_replaces_its_paragraphs_too() -> None:
    previous = [
        old(1, "", key="art_1"),
        PreviousClause("art_1__para_1", "paragraph", "1.", "", "First.", "art_1"),
        PreviousClause("art_1__para_2", "paragraph", "2.", "", "Second.", "art_1"),
    ]
    document = parse_text("Protocol\n\nArticle 1\n\nArticle 1 is replaced by the following: "
                          "“The Parties cooperate.”")  # fmt: skip
    plan = plan_amending(previous, document)
    assert [(c.key, c.change, c.text) for c in plan.clauses] == [
        ("art_1", "amended", "The Parties cooperate."),
        ("art_1__para_1", "repealed", ""),
        ("art_1__para_2", "repealed", ""),
    ]


def test_a_paragraph_is_found_by_its_number_path() -> None:
    previous = [
        old(5, "Article text."),
        PreviousClause("art_5__para_1", "paragraph", "1.", "", "First.", "art_5"),
        PreviousClause("art_5__para_2", "paragraph", "2.", "", "Second.", "art_5"),
    ]
    document = parse_text("Protocol\n\nArticle 1\n\nParagraph 2 of Article 5 is deleted.")
    plan = plan_amending(previous, document)
    assert [(c.key, c.change) for c in plan.clauses] == [
        ("art_5", "unchanged"),
        ("art_5__para_1", "unchanged"),
        ("art_5__para_2", "repealed"),
    ]


def test_a_text_without_any_instruction_is_refused_as_an_amending_instrument() -> None:
    document = parse_text("Agreed minutes\n\nArticle 1\n\nThe Parties met in Beijing.")
    with pytest.raises(TextImportError, match="No amending instruction was recognised"):
        plan_amending(ELEVEN, document)


def test_a_side_document_makes_no_version_and_changes_nothing() -> None:
    plan = plan_document(parse_text("Agreed minutes\n\nArticle 1\n\nThe Parties met."))
    assert plan == ImportPlan(mode="document")
    assert plan.makes_version is False
    assert plan.counts == PlanCounts(0, 0, 0, 0, 0, 0, 0)


def test_an_empty_text_is_refused_in_every_mode() -> None:
    empty = ParsedDocument(title="", clauses=())
    for plan in (
        lambda: plan_consolidated(ELEVEN, empty),
        lambda: plan_partial(ELEVEN, empty),
        lambda: plan_amending(ELEVEN, empty),
        lambda: plan_document(empty),
    ):
        with pytest.raises(TextImportError, match="No clauses were found"):
            plan()


def test_a_plan_reads_as_json_for_the_preview() -> None:
    plan = plan_amending(ELEVEN, parse_text("Protocol\n\nArticle 1\n\nArticle 10 is deleted."))
    data = plan.as_json()
    assert data["mode"] == "amending"
    assert data["counts"] == {
        "added": 0, "amended": 0, "repealed": 1, "renumbered": 0, "unchanged": 10,
        "effects_applied": 1, "effects_not_applied": 0,
    }  # fmt: skip
    assert data["effects"] == [
        {
            "kind": "repeal", "affected_key": "art_10", "affected_label": "Article 10",
            "affecting": "Article 1", "applied": True, "why_not": "", "new_number": "",
            "new_heading": "", "new_text": "", "after_key": "", "term": "", "note": "",
        }
    ]  # fmt: skip
    assert data["clauses"][9] == {
        "key": "art_10", "kind": "article", "number": "Article 10", "heading": "", "text": "",
        "parent": None, "change": "repealed", "previous_number": "Article 10", "notes": (),
    }  # fmt: skip
    assert data["unparsed"] == []
    assert len(data["wording"]) == 10


def test_a_paragraph_inserted_without_a_number_gets_a_key_under_its_article() -> None:
    previous = [
        old(5, "Article text."),
        PreviousClause("art_5__para_1", "paragraph", "1.", "", "First.", "art_5"),
    ]
    document = parse_text(
        "Protocol\n\nArticle 1\n\nThe following paragraph is inserted after paragraph 1 of "
        "Article 5: “Each Party bears its own costs.”"
    )
    plan = plan_amending(previous, document)
    assert plan.clauses[2] == MatchedClause(
        "art_5__para_new", "paragraph", "", "", "Each Party bears its own costs.", "art_5",
        "added",
    )  # fmt: skip
