"""Completeness screening: which required parts of a proposal are missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProposalFacts:
    """What completeness looks at, copied out of a proposal."""

    title: str
    summary: str
    scientific_field: str
    us_agency: str
    principal_investigator: str
    basic_research_declared: bool
    basic_research_explanation: str
    data_description: str
    data_storage: str
    data_access: str
    data_reciprocity: str
    travel_safety_plan: str
    funding_amount: Decimal | None
    funding_source: str
    start_date: dt.date | None
    end_date: dt.date | None
    institution_count: int
    person_count: int
    cited_clause_count: int


# In the order a reviewer reads the form.
REQUIRED_TEXT = (
    ("title", "Title"),
    ("summary", "Summary"),
    ("scientific_field", "Scientific field"),
    ("us_agency", "U.S. agency"),
    ("principal_investigator", "Principal investigator"),
    ("basic_research_explanation", "Explanation of why the work is basic research"),
    ("data_description", "Data to be shared"),
    ("data_storage", "Where the data is stored"),
    ("data_access", "Who can access the data"),
    ("data_reciprocity", "What the partner shares in return"),
    ("travel_safety_plan", "Researcher travel and safety plan"),
    ("funding_source", "Funding source"),
)


def missing_parts(facts: ProposalFacts) -> tuple[str, ...]:
    """Labels of the required parts that are absent, in form order; empty when complete."""
    missing = [label for field, label in REQUIRED_TEXT if not str(getattr(facts, field)).strip()]
    if not facts.basic_research_declared:
        missing.insert(5, "Basic-research declaration")
    if facts.funding_amount is None:
        missing.append("Funding amount")
    if facts.start_date is None:
        missing.append("Start date")
    if facts.end_date is None:
        missing.append("End date")
    if facts.institution_count == 0:
        missing.append("At least one partner institution")
    if facts.person_count == 0:
        missing.append("At least one partner researcher")
    if facts.cited_clause_count == 0:
        missing.append("At least one cited clause of the agreement")
    return tuple(missing)
