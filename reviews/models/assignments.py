"""Who is to make each assessment of a proposal: assigned by a colleague or claimed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet
from sta_tracker.roles import Role

from .proposals import Proposal


class ReviewStep(models.TextChoices):
    RISK_BENEFIT = "risk_benefit", "Risk–benefit assessment"
    SECURITY = "security", "National-security assessment"

    @property
    def role(self) -> Role:
        """The role a person needs to be assigned this step."""
        return Role.REVIEWER if self is ReviewStep.RISK_BENEFIT else Role.SECURITY_REVIEWER


class Assignment(models.Model):
    """The person a step of a proposal's review waits on; one per proposal and step.

    A reassignment changes the row, so its history lists every assignee with who assigned them
    and why; each change is also a sealed ``assign`` event of the proposal.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    step = models.CharField(max_length=32, choices=ReviewStep.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    assigned_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "step"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "step"], name="assignment_one_per_step"),
            models.CheckConstraint(
                condition=models.Q(step__in=ReviewStep.values), name="assignment_step_valid"
            ),
        ]
        indexes = [models.Index(fields=["assignee", "step"])]

    def __str__(self) -> str:
        return f"{self.get_step_display()} of {self.proposal_id}: {self.assignee}"
