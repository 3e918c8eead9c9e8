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
from .audit import AuditLink, AuditRecordKind
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
)

__all__ = [
    "LISTED_FIELDS",
    "PROPOSAL_FIELDS",
    "Adjudication",
    "Agency",
    "AppendOnlyError",
    "AuditLink",
    "AuditRecordKind",
    "CetCategory",
    "CetEdition",
    "CetInvolvement",
    "CetTerm",
    "ClauseChangeFlag",
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
    "ReferenceEntry",
    "RiskBenefitAssessment",
    "RubricScore",
    "ScientificField",
    "ScreeningHit",
    "ScreeningList",
    "ScreeningListEntry",
    "ScreeningRun",
    "SecurityAssessment",
    "SecurityFinding",
    "declared_field",
]
