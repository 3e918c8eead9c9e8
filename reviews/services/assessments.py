"""The two assessments of a review round, by two different people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history

from .. import permissions
from ..errors import InvalidInput, NotReady, PermissionRefused
from ..models import (
    Adjudication,
    CetInvolvement,
    DecisionOutcome,
    HitKind,
    Proposal,
    RiskBenefitAssessment,
    RubricScore,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
    SecurityFinding,
)
from ..rubric import MAX_SCORE, MIN_SCORE, Criterion
from ..workflow import ProposalAction
from .core import clean_reason, lock, move, require_action


@dataclass(frozen=True)
class Score:
    score: int
    rationale: str


def _check_scores(scores: Mapping[str, Score]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(scores) - set(Criterion.values))
    if unknown:
        errors[""] = [f"Unknown criteria: {', '.join(unknown)}."]
    for criterion in Criterion:
        given = scores.get(criterion.value)
        if given is None:
            errors[criterion.value] = [f"Score “{criterion.label}”."]
            continue
        problems = []
        if (
            isinstance(given.score, bool)
            or not isinstance(given.score, int)
            or not (MIN_SCORE <= given.score <= MAX_SCORE)
        ):
            problems.append(f"“{criterion.label}” needs a score from {MIN_SCORE} to {MAX_SCORE}.")
        if not given.rationale.strip():
            problems.append(f"Explain the score for “{criterion.label}”.")
        if problems:
            errors[criterion.value] = problems
    return errors


def risk_benefit_assess(
    *,
    proposal: Proposal,
    scores: Mapping[str, Score],
    recommendation: str,
    summary: str,
    acting_user: Any,
    reason: str,
) -> RiskBenefitAssessment:
    """A reviewer scores every benefit and risk with a rationale and recommends an outcome.

    The assessor may revise their own assessment until the round is decided; nobody else may.
    """
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.ASSESS_RISK_BENEFIT,
            permissions.refusal_assess_risk_benefit(acting_user, locked),
        )
        errors = _check_scores(scores)
        if recommendation not in DecisionOutcome.values:
            errors["recommendation"] = ["Recommend an outcome."]
        if not summary.strip():
            errors["summary"] = ["Sum up the assessment."]
        if errors:
            raise InvalidInput(errors)
        assessment = RiskBenefitAssessment.objects.filter(
            proposal=locked, round=locked.round
        ).first()
        if assessment is not None and assessment.assessor_id != acting_user.pk:
            raise PermissionRefused(
                "This round's risk–benefit assessment was made by "
                f"{assessment.assessor.get_username()}; only they can revise it."
            )
        if assessment is None:
            assessment = RiskBenefitAssessment(
                proposal=locked, round=locked.round, assessor=acting_user
            )
        assessment.recommendation = recommendation
        assessment.summary = summary.strip()
        assessment.assessed_at = timezone.now()
        save_with_history(assessment, acting_user=acting_user, reason=reason)
        existing = {row.criterion: row for row in assessment.scores.all()}
        for criterion in Criterion:
            given = scores[criterion.value]
            row = existing.get(criterion.value) or RubricScore(
                assessment=assessment, criterion=criterion.value
            )
            if row.pk and row.score == given.score and row.rationale == given.rationale.strip():
                continue
            row.score = given.score
            row.rationale = given.rationale.strip()
            save_with_history(row, acting_user=acting_user, reason=reason)
        move(locked, ProposalAction.ASSESS_RISK_BENEFIT, acting_user=acting_user, reason=reason)
    return assessment


def security_assess(
    *,
    proposal: Proposal,
    cet_involvement: str,
    finding: str,
    rationale: str,
    acting_user: Any,
    reason: str,
    mitigations: str = "",
    cleared_hit_ids: Sequence[int] = (),
) -> SecurityAssessment:
    """A security reviewer's finding, once every screening hit is adjudicated.

    ``cleared_hit_ids`` names the true restricted-party matches of the current run that the
    finding clears with its mitigations (the finding must then require mitigations); without
    that clearance no decision can approve the proposal.
    """
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.ASSESS_SECURITY,
            permissions.refusal_assess_security(acting_user, locked),
        )
        errors: dict[str, list[str]] = {}
        if cet_involvement not in CetInvolvement.values:
            errors["cet_involvement"] = [
                "Say how far the project involves CET: none, adjacent or direct."
            ]
        if finding not in SecurityFinding.values:
            errors["finding"] = ["Give a finding."]
        if not rationale.strip():
            errors["rationale"] = ["Explain the finding."]
        if finding == SecurityFinding.MITIGATIONS_REQUIRED and not mitigations.strip():
            errors["mitigations"] = ["Name the mitigations the finding requires."]
        if cet_involvement == CetInvolvement.DIRECT and finding != SecurityFinding.UNACCEPTABLE:
            errors["finding"] = [
                "Direct involvement of a critical or emerging technology is outside the "
                "agreement's scope; the finding must be unacceptable."
            ]
        if errors:
            raise InvalidInput(errors)
        run = ScreeningRun.objects.filter(proposal=locked, is_current=True).first()
        if run is None:
            raise NotReady("The proposal has not been screened yet.")
        pending = ScreeningHit.objects.pending().filter(run=run).count()
        if pending:
            raise NotReady(
                f"{pending} screening hit{'s' if pending != 1 else ''} still await"
                f"{'' if pending != 1 else 's'} adjudication."
            )
        true_matches = {
            hit.pk: hit
            for hit in run.hits.filter(
                kind=HitKind.RESTRICTED_PARTY, adjudication=Adjudication.TRUE_MATCH
            )
        }
        cleared = list(dict.fromkeys(cleared_hit_ids))
        clearing: dict[str, list[str]] = {}
        if any(pk not in true_matches for pk in cleared):
            clearing["cleared_hit_ids"] = [
                "Only true restricted-party matches of the latest screening can be cleared."
            ]
        elif cleared and finding != SecurityFinding.MITIGATIONS_REQUIRED:
            clearing["cleared_hit_ids"] = [
                "A true match is cleared only with mitigations: make the finding “mitigations "
                "required” and name them."
            ]
        if clearing:
            raise InvalidInput(clearing)
        assessment = SecurityAssessment.objects.filter(proposal=locked, round=locked.round).first()
        if assessment is not None and assessment.assessor_id != acting_user.pk:
            raise PermissionRefused(
                "This round's national-security assessment was made by "
                f"{assessment.assessor.get_username()}; only they can revise it."
            )
        if assessment is None:
            assessment = SecurityAssessment(
                proposal=locked, round=locked.round, assessor=acting_user
            )
        assessment.screening_run = run
        assessment.adjudications_complete = True
        assessment.cet_involvement = cet_involvement
        assessment.finding = finding
        assessment.mitigations = mitigations.strip()
        assessment.cleared_matches = sorted({true_matches[pk].fingerprint for pk in cleared})
        assessment.rationale = rationale.strip()
        assessment.assessed_at = timezone.now()
        save_with_history(assessment, acting_user=acting_user, reason=reason)
        move(locked, ProposalAction.ASSESS_SECURITY, acting_user=acting_user, reason=reason)
    return assessment
