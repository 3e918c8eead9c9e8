"""Flags raised on a proposal when a new agreement version changes a clause it relies on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from .proposals import Proposal


class FlagQuerySet(HistoriedQuerySet["ClauseChangeFlag"]):
    def open(self) -> FlagQuerySet:
        return self.filter(cleared_at__isnull=True)


class ClauseChangeFlag(models.Model):
    """A clause the proposal cites (or one inside it) was amended or repealed by ``version``.

    ``old_clause`` is the clause as it read before the change and ``new_clause`` as the new
    version has it (a repealed placeholder when repealed); the page shows the redline between them.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="clause_flags")
    version = models.ForeignKey("clauses.Version", on_delete=models.PROTECT, related_name="+")
    cited_clause = models.ForeignKey(
        "clauses.Clause",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The clause the proposal or its decision cites.",
    )
    old_clause = models.ForeignKey(
        "clauses.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_clause = models.ForeignKey("clauses.Clause", on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    clear_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "new_clause"], name="clause_flag_once_per_change"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    cleared_at__isnull=True, cleared_by__isnull=True, clear_reason=""
                )
                | (
                    models.Q(cleared_at__isnull=False, cleared_by__isnull=False)
                    & ~models.Q(clear_reason="")
                ),
                name="clause_flag_cleared_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["proposal", "cleared_at"])]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.new_clause_id} {self.change}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
