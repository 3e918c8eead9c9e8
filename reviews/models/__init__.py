"""Review models, one module per part of the workflow."""

from __future__ import annotations

from .assessments import (
    CetInvolvement,
    Decision,
    DecisionOutcome,
    RiskBenefitAssessment,
    RubricScore,
    SecurityAssessment,
    SecurityFinding,
)
from .assignments import Assignment, ReviewStep
from .audit import AuditLink, AuditRecordKind
from .conditions import ConditionItem, ConditionOwner, ConditionQuerySet, ConditionStatus
from .flags import ClauseChangeFlag
from .notifications import NotificationKind, NotificationOutbox
from .proposals import (
    LISTED_FIELDS,
    PROPOSAL_FIELDS,
    Agency,
    AppendOnlyError,
    PartnerInstitution,
    PartnerPerson,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalQuerySet,
    ReferenceEntry,
    ScientificField,
    declared_field,
)
from .safety import (
    TRAVEL_STATES,
    Incident,
    IncidentKind,
    IncidentQuerySet,
    TravelPlan,
    TravelPlanQuerySet,
)
from .screening import (
    Adjudication,
    CetCategory,
    CetEdition,
    CetTerm,
    HitKind,
    ScreeningHit,
    ScreeningList,
    ScreeningListEntry,
    ScreeningRun,
    ruling_effects,
)

__all__ = [
    "LISTED_FIELDS",
    "PROPOSAL_FIELDS",
    "TRAVEL_STATES",
    "Adjudication",
    "Agency",
    "AppendOnlyError",
    "Assignment",
    "AuditLink",
    "AuditRecordKind",
    "CetCategory",
    "CetEdition",
    "CetInvolvement",
    "CetTerm",
    "ClauseChangeFlag",
    "ConditionItem",
    "ConditionOwner",
    "ConditionQuerySet",
    "ConditionStatus",
    "Decision",
    "DecisionOutcome",
    "HitKind",
    "Incident",
    "IncidentKind",
    "IncidentQuerySet",
    "NotificationKind",
    "NotificationOutbox",
    "PartnerInstitution",
    "PartnerPerson",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalQuerySet",
    "ReferenceEntry",
    "ReviewStep",
    "RiskBenefitAssessment",
    "RubricScore",
    "ScientificField",
    "ScreeningHit",
    "ScreeningList",
    "ScreeningListEntry",
    "ScreeningRun",
    "SecurityAssessment",
    "SecurityFinding",
    "TravelPlan",
    "TravelPlanQuerySet",
    "declared_field",
    "ruling_effects",
]
