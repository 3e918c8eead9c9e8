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
    AppendOnlyError,
    PartnerInstitution,
    PartnerPerson,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalQuerySet,
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
    "Adjudication",
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
    "NotificationKind",
    "NotificationOutbox",
    "PartnerInstitution",
    "PartnerPerson",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalQuerySet",
    "ReviewStep",
    "RiskBenefitAssessment",
    "RubricScore",
    "ScreeningHit",
    "ScreeningList",
    "ScreeningListEntry",
    "ScreeningRun",
    "SecurityAssessment",
    "SecurityFinding",
    "ruling_effects",
]
