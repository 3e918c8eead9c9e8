"""The import modes on the real, partial STA texts in the shared folder (read, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.matching import PreviousClause
from clauses.importing.modes import (
    ImportPlan,
    PlanCounts,
    plan_amending,
    plan_consolidated,
    plan_document,
    plan_partial,
)
from clauses.importing.structure import ParsedDocument

# Articles 6 to 11 of an earlier text, of our own writing: the real text stops in Article 5.
LATER_ARTICLES = [
    PreviousClause(f"art_{n}", "article", f"第{numeral}条", "", f"第{numeral}条的条文。", None)
    for n, numeral in zip(range(6, 12), "六七八九十", strict=False)
] + [PreviousClause("art_11", "article", "第十一条", "", "第十一条的条文。", None)]


def read(path: Path) -> ParsedDocument:
    return read_document(path.read_bytes(), path.name)


def earlier_text(document: ParsedDocument) -> list[PreviousClause]:
    """A version of the agreement that the real text partly restates.

    Its items of Article 3 carry keys of their own (so only their numbers can pair them), its
    Article 2 an earlier wording, and it goes on to Article 11.
    """
    clauses = []
    for c in document.clauses:
        key = c.key.replace("__item_", "__subpara_")
        parent = c.parent.replace("__item_", "__subpara_") if c.parent else None
        text = c.text.split("以及教育")[0] + "。" if c.key == "art_2" else c.text
        clauses.append(PreviousClause(key, c.kind, c.number, c.heading, text, parent, c.notes))
    return clauses + LATER_ARTICLES


def test_the_1979_text_as_a_partial_text_replaces_articles_1_to_5_and_keeps_6_to_11(
    shared_sta_dir: Path,
) -> None:
    document = read(shared_sta_dir / "1979-agreement.zh.txt")
    previous = earlier_text(document)
    plan = plan_partial(previous, document, previous_label="the 1979 version")
    assert [c.key for c in plan.clauses] == [c.key for c in previous]
    assert [(c.key, c.change) for c in plan.clauses if c.change != "unchanged"] == [
        ("art_2", "amended")
    ]
    by_key = {c.key: c for c in plan.clauses}
    assert by_key["art_2"].text == next(c.text for c in document.clauses if c.key == "art_2")
    assert by_key["art_3__subpara_6"].text == "双方同意的其他科学技术合作形式。"
    assert by_key["art_11"].text == "第十一条的条文。"
    wording = plan.wording_by_key
    assert [k for k, w in wording.items() if w == "carried_over"] == [
        "art_6", "art_7", "art_8", "art_9", "art_10", "art_11",
    ]  # fmt: skip
    assert sum(1 for w in wording.values() if w == "partial") == 14
    assert plan.counts == PlanCounts(
        added=0, amended=1, repealed=0, renumbered=0, unchanged=19,
        effects_applied=1, effects_not_applied=0,
    )  # fmt: skip


def test_the_1979_text_as_a_first_consolidated_text_adds_every_provision(
    shared_sta_dir: Path,
) -> None:
    document = read(shared_sta_dir / "1979-agreement.zh.txt")
    plan = plan_consolidated([], document)
    assert [c.key for c in plan.clauses] == [c.key for c in document.clauses]
    assert {c.change for c in plan.clauses} == {"added"}
    assert [(e.kind, e.affected_key) for e in plan.effects] == [
        ("insertion", c.key) for c in document.clauses
    ]


def test_the_1979_text_is_no_amending_instrument(shared_sta_dir: Path) -> None:
    document = read(shared_sta_dir / "1979-agreement.zh.txt")
    with pytest.raises(TextImportError, match="No amending instruction was recognised"):
        plan_amending(earlier_text(document), document)


def test_the_exchange_of_letters_is_a_side_document(shared_sta_dir: Path) -> None:
    document = read(shared_sta_dir / "1979-letters-understandings.zh.txt")
    assert plan_document(document) == ImportPlan(mode="document")
    assert [c.key for c in document.clauses] == [
        "sec_1", "sec_1__signature", "sec_2", "sec_2__signature", "annex_1",
    ]  # fmt: skip


def test_the_exchange_of_letters_matches_no_clause_of_the_agreement_as_a_partial_text(
    shared_sta_dir: Path,
) -> None:
    agreement = read(shared_sta_dir / "1979-agreement.zh.txt")
    letters = read(shared_sta_dir / "1979-letters-understandings.zh.txt")
    with pytest.raises(TextImportError, match="matches no clause of the 1979 version"):
        plan_partial(earlier_text(agreement), letters, previous_label="the 1979 version")
