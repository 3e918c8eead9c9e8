"""Every write of the review workflow. Views, commands, the API and tasks all call these."""

from __future__ import annotations

from ..errors import (
    InvalidInput,
    NotReady,
    PermissionRefused,
    PolicyRefused,
    ReviewError,
    TransitionNotAllowed,
)
from .assessments import Score, risk_benefit_assess, security_assess
from .decisions import (
    DecisionBasis,
    decision_check,
    decision_record,
    match_label,
    proposal_resume,
    proposal_suspend,
    proposal_terminate,
    true_matches_of,
)
from .flags import flag_clear, proposals_flag_for_version
from .lists import (
    cet_edition_load,
    cet_edition_put_in_force,
    cet_terms_set,
    default_cet_terms,
    screening_list_import,
)
from .notifications import notification_deliver, notifications_sweep, reminders_send
from .proposals import (
    InstitutionInput,
    PersonInput,
    ProposalContent,
    attachment_add,
    attachment_remove,
    clauses_in_force,
    proposal_create,
    proposal_resubmit,
    proposal_return,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .screening import hit_adjudicate, proposals_rescreen, screening_run, screenings_sweep

__all__ = [
    "DecisionBasis",
    "InstitutionInput",
    "InvalidInput",
    "NotReady",
    "PermissionRefused",
    "PersonInput",
    "PolicyRefused",
    "ProposalContent",
    "ReviewError",
    "Score",
    "TransitionNotAllowed",
    "attachment_add",
    "attachment_remove",
    "cet_edition_load",
    "cet_edition_put_in_force",
    "cet_terms_set",
    "clauses_in_force",
    "decision_check",
    "decision_record",
    "default_cet_terms",
    "flag_clear",
    "hit_adjudicate",
    "match_label",
    "notification_deliver",
    "notifications_sweep",
    "proposal_create",
    "proposal_resubmit",
    "proposal_resume",
    "proposal_return",
    "proposal_submit",
    "proposal_suspend",
    "proposal_terminate",
    "proposal_update",
    "proposal_withdraw",
    "proposals_flag_for_version",
    "proposals_rescreen",
    "reminders_send",
    "risk_benefit_assess",
    "screening_list_import",
    "screening_run",
    "screenings_sweep",
    "security_assess",
    "true_matches_of",
]
