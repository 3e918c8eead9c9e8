"""Disputes under the 2024 dispute-resolution mechanism, their steps, and the grounds on which a
project is suspended, resumed or terminated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..workflow import OPEN_DISPUTE_STATUSES, DisputeAction, DisputeStatus
from .flags import ClauseChangeFlag
from .proposals import AppendOnlyError, Proposal, ProposalEvent
from .reciprocity import LedgerEntry

# Sorted, so the constraints below read the same to every migration run.
_OPEN = sorted(OPEN_DISPUTE_STATUSES)


class DisputeGround(models.TextChoices):
    RECIPROCITY = "reciprocity", "Reciprocity"
    DATA_ACCESS = "data_access", "Data access"
    RESEARCHER_SAFETY = "researcher_safety", "Researcher safety"
    SCOPE_CET = "scope_cet", "Scope: critical or emerging technology"
    SCOPE_NON_BASIC = "scope_non_basic", "Scope: not basic research"
    OTHER = "other", "Other"


class DisputeQuerySet(HistoriedQuerySet["Dispute"]):
    def open(self) -> DisputeQuerySet:
        return self.filter(status__in=_OPEN)

    def overdue(self, today: dt.date | None = None) -> DisputeQuerySet:
        """Open disputes whose next step is past its due date."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Dispute(models.Model):
    """One dispute about one project: its ground, the clauses relied on, the evidence, and the
    step it has reached. Ground, clauses and evidence are fixed when it is opened."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="disputes")
    ground = models.CharField(max_length=32, choices=DisputeGround.choices)
    statement = models.TextField(help_text="What the other side failed to do, in a few lines.")
    cited_clauses = models.ManyToManyField("clauses.Clause", blank=True, related_name="+")
    evidence_entries = models.ManyToManyField(LedgerEntry, blank=True, related_name="disputes")
    status = models.CharField(
        max_length=32,
        choices=DisputeStatus.choices,
        default=DisputeStatus.CONSULTATION_REQUESTED,
    )
    due_on = models.DateField(
        null=True, blank=True, help_text="When the next step is due; empty once it is closed."
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ground__in=DisputeGround.values), name="dispute_ground_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DisputeStatus.values), name="dispute_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(statement=""), name="dispute_has_statement"),
            # Why: a closed dispute has no step left to fall due, and an open one always has.
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=_OPEN, closed_at__isnull=True)
                    | models.Q(
                        ~models.Q(status__in=_OPEN),
                        closed_at__isnull=False,
                        due_on__isnull=True,
                    )
                ),
                name="dispute_closed_consistently",
            ),
            # Why: one dispute at a time per project, so the project's state has one cause.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(status__in=_OPEN),
                name="dispute_one_open_per_project",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Dispute {self.pk} ({DisputeGround(self.ground).label.lower()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DISPUTE_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )


class DisputeStep(models.Model):
    """One step of a dispute, written once: who took it, the notes, and the sealed proposal event
    that records it in the audit chain."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=32, choices=DisputeAction.choices)
    from_status = models.CharField(max_length=32, choices=DisputeStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=DisputeStatus.choices)
    notes = models.TextField()
    due_on = models.DateField(null=True, blank=True, help_text="When the next step falls due.")
    event = models.OneToOneField(
        ProposalEvent, on_delete=models.PROTECT, related_name="dispute_step"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dispute", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(notes=""), name="dispute_step_has_notes"),
        ]

    def __str__(self) -> str:
        return f"{DisputeAction(self.action).label} (dispute {self.dispute_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Dispute steps are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Dispute steps are never deleted.")


class GroundKind(models.TextChoices):
    DISPUTE = "dispute", "A dispute"
    INCIDENT = "incident", "An incident"
    CHANGED_CLAUSE = "changed_clause", "A changed clause"
    OTHER = "other", "Other"


class ProjectGround(models.Model):
    """Why a project was suspended, resumed or terminated, attached to that transition's event.

    It names a dispute, an incident, a changed clause the decision relied on, or "other" with
    the reason spelt out; the event's reason says the same in words, sealed in the chain.
    """

    event = models.OneToOneField(ProposalEvent, on_delete=models.PROTECT, related_name="ground")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="grounds")
    kind = models.CharField(max_length=16, choices=GroundKind.choices)
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, null=True, blank=True, related_name="grounds"
    )
    clause_flag = models.ForeignKey(
        ClauseChangeFlag, on_delete=models.PROTECT, null=True, blank=True, related_name="grounds"
    )
    detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=GroundKind.values), name="ground_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=GroundKind.DISPUTE, dispute__isnull=False)
                | (~models.Q(kind=GroundKind.DISPUTE) & models.Q(dispute__isnull=True)),
                name="ground_dispute_named",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=GroundKind.CHANGED_CLAUSE, clause_flag__isnull=False)
                | (~models.Q(kind=GroundKind.CHANGED_CLAUSE) & models.Q(clause_flag__isnull=True)),
                name="ground_changed_clause_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=GroundKind.OTHER) | ~models.Q(detail=""),
                name="ground_other_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{GroundKind(self.kind).label} (event {self.event_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The grounds of a suspension, resumption or termination stay.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The grounds of a suspension, resumption or termination stay.")
