"""Completeness screening: which required parts of a proposal are missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .scripts import has_cjk, has_latin

NOT_SCREENED = "not screened: give its English name"


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


# In the order a reviewer reads the form; each part with the fact it reads, its name, and the
# test that it is present.
REQUIRED: tuple[tuple[str, str, Callable[[ProposalFacts], bool]], ...] = (
    ("title", "Title", lambda f: _given(f.title)),
    ("summary", "Summary", lambda f: _given(f.summary)),
    ("scientific_field", "Scientific field", lambda f: _given(f.scientific_field)),
    ("us_agency", "U.S. agency", lambda f: _given(f.us_agency)),
    (
        "principal_investigator",
        "Principal investigator",
        lambda f: _given(f.principal_investigator),
    ),
    ("basic_research_declared", "Basic-research declaration", lambda f: f.basic_research_declared),
    (
        "basic_research_explanation",
        "Explanation of why the work is basic research",
        lambda f: _given(f.basic_research_explanation),
    ),
    ("data_description", "Data to be shared", lambda f: _given(f.data_description)),
    ("data_storage", "Where the data is stored", lambda f: _given(f.data_storage)),
    ("data_access", "Who can access the data", lambda f: _given(f.data_access)),
    ("data_reciprocity", "What the partner shares in return", lambda f: _given(f.data_reciprocity)),
    (
        "travel_safety_plan",
        "Researcher travel and safety plan",
        lambda f: _given(f.travel_safety_plan),
    ),
    ("funding_amount", "Funding amount", lambda f: f.funding_amount is not None),
    ("funding_source", "Funding source", lambda f: _given(f.funding_source)),
    ("start_date", "Start date", lambda f: f.start_date is not None),
    ("end_date", "End date", lambda f: f.end_date is not None),
    ("institution_count", "At least one partner institution", lambda f: f.institution_count > 0),
    ("person_count", "At least one partner researcher", lambda f: f.person_count > 0),
    (
        "cited_clause_count",
        "At least one cited clause of the agreement",
        lambda f: f.cited_clause_count > 0,
    ),
)


# The facts submission needs, by name: the proposal form marks the fields of these names.
REQUIRED_FACTS = frozenset(name for name, _, _ in REQUIRED)


def _given(text: str) -> bool:
    return bool(text.strip())


def missing_parts(facts: ProposalFacts) -> tuple[str, ...]:
    """Labels of the required parts that are absent, in form order; empty when complete."""
    return tuple(label for _, label, present in REQUIRED if not present(facts))


def has_english_name(name: str) -> bool:
    """Whether a partner institution's English name is given: Latin letters, no Chinese."""
    return has_latin(name) and not has_cjk(name)


def without_english_name(institutions: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The ``(name, name_local)`` institutions that have no English name, as they are named.

    Screening lists name parties in English (with a few aliases in Chinese or pinyin), so an
    institution given only in Chinese cannot be screened against most of a list.
    """
    return tuple(
        (name or name_local).strip()
        for name, name_local in institutions
        if (name or name_local).strip() and not has_english_name(name)
    )
