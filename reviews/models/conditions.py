"""Conditions of an approval, each tracked on its own until it is met or waived."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..workflow import ProposalState
from .assessments import Decision
from .proposals import Proposal


class ConditionOwner(models.TextChoices):
    SUBMITTER = "submitter", "The submitter"
    AGENCY = "agency", "The agency"


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    WAIVED = "waived", "Waived"


class ConditionQuerySet(HistoriedQuerySet["ConditionItem"]):
    def open(self) -> ConditionQuerySet:
        return self.filter(status=ConditionStatus.OPEN)

    def overdue(self, today: dt.date | None = None) -> ConditionQuerySet:
        """Open, due before ``today``, on a project that still runs (approved or suspended)."""
        return self.open().filter(
            due_on__lt=today or timezone.localdate(),
            proposal__state__in=[ProposalState.APPROVED_WITH_CONDITIONS, ProposalState.SUSPENDED],
        )


class ConditionItem(models.Model):
    """One condition of an approval: who must fulfil it, by when, and what became of it.

    The text, owner and due date are set with the decision and never change; the submitter's
    acknowledgement and the reviewer's ruling (met or waived, with a reason) are recorded on it.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="conditions")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="condition_items")
    number = models.PositiveSmallIntegerField(help_text="Its place in the decision, from 1.")
    text = models.TextField()
    owner = models.CharField(max_length=16, choices=ConditionOwner.choices)
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Empty only for conditions recorded as plain text before they were tracked.",
    )
    status = models.CharField(
        max_length=16, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_reason = models.TextField(blank=True)
    evidence = models.TextField("evidence note", blank=True)
    history = HistoricalRecords()

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="condition_numbered_once"),
            models.CheckConstraint(condition=~models.Q(text=""), name="condition_has_text"),
            models.CheckConstraint(
                condition=models.Q(owner__in=ConditionOwner.values), name="condition_owner_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | models.Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="condition_acknowledged_by_someone",
            ),
            # Why: a condition is closed only by a named person giving a reason; an open one
            # carries no ruling.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=ConditionStatus.OPEN,
                        resolved_by__isnull=True,
                        resolved_at__isnull=True,
                        resolution_reason="",
                    )
                    | (
                        models.Q(
                            status__in=[ConditionStatus.MET, ConditionStatus.WAIVED],
                            resolved_by__isnull=False,
                            resolved_at__isnull=False,
                        )
                        & ~models.Q(resolution_reason="")
                    )
                ),
                name="condition_resolved_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Condition {self.number} of decision {self.decision_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ConditionStatus.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )
