from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from reviews.screening.completeness import (
    ProposalFacts,
    has_english_name,
    missing_parts,
    without_english_name,
)

COMPLETE = ProposalFacts(
    title="Sediments",
    summary="Cores.",
    scientific_field="Geology",
    us_agency="USGS",
    principal_investigator="Dr. Miller",
    basic_research_declared=True,
    basic_research_explanation="Published openly.",
    data_description="Dates.",
    data_storage="Public repository.",
    data_access="Anyone.",
    data_reciprocity="Core logs.",
    travel_safety_plan="Briefings.",
    funding_amount=Decimal("1"),
    funding_source="Budget",
    start_date=dt.date(2025, 3, 1),
    end_date=dt.date(2026, 3, 1),
    institution_count=1,
    person_count=1,
    cited_clause_count=1,
)


def test_a_complete_proposal_misses_nothing() -> None:
    assert missing_parts(COMPLETE) == ()


def test_missing_parts_are_named_in_form_order() -> None:
    facts = dataclasses.replace(
        COMPLETE,
        summary="  ",
        basic_research_declared=False,
        data_access="",
        funding_amount=None,
        end_date=None,
        person_count=0,
        cited_clause_count=0,
    )
    assert missing_parts(facts) == (
        "Summary",
        "Basic-research declaration",
        "Who can access the data",
        "Funding amount",
        "End date",
        "At least one partner researcher",
        "At least one cited clause of the agreement",
    )


def test_zero_funding_is_stated_funding() -> None:
    assert missing_parts(dataclasses.replace(COMPLETE, funding_amount=Decimal("0"))) == ()


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("Harbin Institute of Technology", True),
        ("Haerbin Gongye Daxue", True),
        ("哈尔滨工业大学", False),
        ("哈工大 HIT", False),
        ("", False),
    ],
)
def test_an_english_name_has_latin_letters_and_no_chinese(name: str, english: bool) -> None:
    assert has_english_name(name) is english


def test_institutions_without_an_english_name_are_named_as_given() -> None:
    assert without_english_name(
        [
            ("Harbin Institute of Technology", "哈尔滨工业大学"),
            ("", "国防科技大学"),
            ("哈尔滨工程大学", ""),
            ("", ""),
        ]
    ) == ("国防科技大学", "哈尔滨工程大学")
