"""The risk–benefit rubric: what a reviewer scores, each from 1 to 5 with a written rationale."""

from __future__ import annotations

from django.db import models


class Criterion(models.TextChoices):
    SCIENTIFIC_MERIT = "scientific_merit", "Scientific merit"
    US_BENEFIT = "us_benefit", "Benefit to the U.S."
    DATA_RECIPROCITY = "data_reciprocity", "Data access and reciprocity"
    INSIGHT_ABROAD = "insight_abroad", "Insight into research abroad"
    CET_PROXIMITY = "cet_proximity", "Proximity to critical and emerging technologies"
    DUAL_USE = "dual_use", "Dual use and military end use"
    DATA_EXPORT = "data_export", "Data export constraints"
    PARTNER_RISK = "partner_risk", "Partner risk"
    RESEARCHER_SAFETY = "researcher_safety", "Researcher safety"


BENEFITS = (
    Criterion.SCIENTIFIC_MERIT,
    Criterion.US_BENEFIT,
    Criterion.DATA_RECIPROCITY,
    Criterion.INSIGHT_ABROAD,
)
RISKS = (
    Criterion.CET_PROXIMITY,
    Criterion.DUAL_USE,
    Criterion.DATA_EXPORT,
    Criterion.PARTNER_RISK,
    Criterion.RESEARCHER_SAFETY,
)
MIN_SCORE = 1
MAX_SCORE = 5
# Why: for a benefit 5 is best; for a risk 5 is the gravest, so the two sides are never summed.
SCORE_MEANING = {
    "benefit": "1 = negligible benefit, 5 = exceptional benefit",
    "risk": "1 = negligible risk, 5 = severe risk",
}
