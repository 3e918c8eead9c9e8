"""The two assessments of each review round and the decision that follows them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..rubric import MAX_SCORE, MIN_SCORE, Criterion
from .proposals import AppendOnlyError, Proposal
from .screening import ScreeningRun


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    RETURN = "return", "Return for changes"
    REJECT = "reject", "Reject"


class RiskBenefitAssessment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="risk_benefit_assessments"
    )
    round = models.PositiveSmallIntegerField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(max_length=32, choices=DecisionOutcome.choices)
    summary = models.TextField()
    assessed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="risk_benefit_one_per_round")
        ]

    def __str__(self) -> str:
        return f"Risk–benefit assessment of {self.proposal_id}, round {self.round}"


class RubricScore(models.Model):
    assessment = models.ForeignKey(
        RiskBenefitAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.CharField(max_length=32, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="rubric_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="rubric_score_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="rubric_score_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{Criterion(self.criterion).label}: {self.score}"


class CetInvolvement(models.TextChoices):
    NONE = "none", "None"
    ADJACENT = "adjacent", "Adjacent"
    DIRECT = "direct", "Direct"


class SecurityFinding(models.TextChoices):
    NO_CONCERNS = "no_concerns", "No concerns"
    MITIGATIONS_REQUIRED = "mitigations_required", "Mitigations required"
    UNACCEPTABLE = "unacceptable", "Unacceptable"


class SecurityAssessment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="security_assessments"
    )
    round = models.PositiveSmallIntegerField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screening_run = models.ForeignKey(
        ScreeningRun,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The screening run whose adjudicated hits the assessment relied on.",
    )
    adjudications_complete = models.BooleanField(
        default=False, help_text="Every hit of that run was adjudicated when the finding was made."
    )
    cet_involvement = models.CharField(max_length=16, choices=CetInvolvement.choices)
    mitigations = models.TextField(blank=True)
    cleared_matches = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Fingerprints of the true restricted-party matches this assessment clears with its "
            "mitigations; an approval needs every true match cleared here."
        ),
    )
    finding = models.CharField(max_length=32, choices=SecurityFinding.choices)
    rationale = models.TextField()
    assessed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="security_one_per_round"),
            # Why: a finding made while screening hits were still open would rest on nothing.
            models.CheckConstraint(
                condition=models.Q(adjudications_complete=True),
                name="security_after_adjudication",
            ),
            models.CheckConstraint(
                condition=~models.Q(finding=SecurityFinding.MITIGATIONS_REQUIRED)
                | ~models.Q(mitigations=""),
                name="security_mitigations_named",
            ),
        ]

    def __str__(self) -> str:
        return f"Security assessment of {self.proposal_id}, round {self.round}"


class Decision(models.Model):
    """The outcome of one review round. Recorded once; never edited or deleted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=32, choices=DecisionOutcome.choices)
    conditions = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    reason = models.TextField()
    cited_clauses = models.ManyToManyField("clauses.Clause", blank=True, related_name="+")
    risk_benefit_assessment = models.ForeignKey(
        RiskBenefitAssessment, on_delete=models.PROTECT, related_name="+"
    )
    security_assessment = models.ForeignKey(
        SecurityAssessment, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="decision_one_per_round"),
            models.CheckConstraint(
                condition=~models.Q(outcome=DecisionOutcome.APPROVE_WITH_CONDITIONS)
                | ~models.Q(conditions=""),
                name="decision_conditions_stated",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=DecisionOutcome.RETURN) | ~models.Q(questions=""),
                name="decision_questions_stated",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{DecisionOutcome(self.outcome).label}: {self.proposal_id}, round {self.round}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("A recorded decision cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("A recorded decision cannot be deleted.")
