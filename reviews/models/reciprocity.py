"""The data-reciprocity ledger of an approved project: what was asked of whom, and what came of it.

Entries are never changed: a correction, or the answer to a request recorded later, is a new
entry that names the one it replaces and says why. The ledger in force is the entries nobody
has replaced since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from .proposals import AppendOnlyError, Proposal


class LedgerDirection(models.TextChoices):
    # Which way the request went: "to the partner" is ours to them, for their data, samples or
    # access; "from the partner" is theirs to us.
    TO_PARTNER = "to_partner", "Request to the partner"
    FROM_PARTNER = "from_partner", "Request from the partner"


class LedgerItem(models.TextChoices):
    DATASET = "dataset", "Dataset"
    SAMPLES = "samples", "Samples"
    RESULTS = "results", "Results"
    PUBLICATIONS = "publications", "Publications"
    FACILITY_ACCESS = "facility_access", "Access to a facility"


class LedgerStatus(models.TextChoices):
    OPEN = "open", "Open"
    PROVIDED = "provided", "Provided"
    REFUSED = "refused", "Refused"


def ledger_status(provided_on: dt.date | None, refused_on: dt.date | None) -> LedgerStatus:
    """Where a request stands from its two answer dates: met, refused, or still open."""
    if provided_on is not None:
        return LedgerStatus.PROVIDED
    if refused_on is not None:
        return LedgerStatus.REFUSED
    return LedgerStatus.OPEN


class LedgerEntryQuerySet(HistoriedQuerySet["LedgerEntry"]):
    def current(self) -> LedgerEntryQuerySet:
        """The entries in force: those no later entry corrects."""
        return self.filter(correction__isnull=True)

    def open(self) -> LedgerEntryQuerySet:
        return self.filter(provided_on__isnull=True, refused_on__isnull=True)

    def requests_to_partner(self) -> LedgerEntryQuerySet:
        return self.filter(direction=LedgerDirection.TO_PARTNER)

    def open_longer_than(self, days: int, today: dt.date | None = None) -> LedgerEntryQuerySet:
        """Open requests asked more than ``days`` days before ``today``."""
        day = today or timezone.localdate()
        return self.open().filter(requested_on__lt=day - dt.timedelta(days=days))


class LedgerEntry(models.Model):
    """One request in one direction, and whether it was met (provided) or refused, and when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="ledger_entries")
    direction = models.CharField(max_length=16, choices=LedgerDirection.choices)
    item = models.CharField("what", max_length=32, choices=LedgerItem.choices)
    description = models.TextField(help_text="What exactly was asked for.")
    requested_on = models.DateField()
    provided_on = models.DateField(null=True, blank=True)
    refused_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField("reason given for the refusal", blank=True)
    channel = models.CharField(
        max_length=200, help_text="How it was asked and answered: letter, e-mail, portal, meeting."
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        help_text="The entry this one replaces.",
    )
    correction_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "requested_on", "pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction__in=LedgerDirection.values),
                name="ledger_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(item__in=LedgerItem.values), name="ledger_item_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(description="") & ~models.Q(channel=""),
                name="ledger_entry_described",
            ),
            # Why: a request is met or refused, never both; a refusal keeps the reason given.
            models.CheckConstraint(
                condition=models.Q(provided_on__isnull=True) | models.Q(refused_on__isnull=True),
                name="ledger_provided_or_refused",
            ),
            models.CheckConstraint(
                condition=models.Q(refused_on__isnull=True, refusal_reason="")
                | (models.Q(refused_on__isnull=False) & ~models.Q(refusal_reason="")),
                name="ledger_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(provided_on__isnull=True)
                | models.Q(provided_on__gte=models.F("requested_on")),
                name="ledger_provided_after_request",
            ),
            models.CheckConstraint(
                condition=models.Q(refused_on__isnull=True)
                | models.Q(refused_on__gte=models.F("requested_on")),
                name="ledger_refused_after_request",
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True, correction_reason="")
                | (models.Q(corrects__isnull=False) & ~models.Q(correction_reason="")),
                name="ledger_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["proposal", "direction", "requested_on"])]

    def __str__(self) -> str:
        return f"{LedgerDirection(self.direction).label}: {LedgerItem(self.item).label.lower()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are never changed; record a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Ledger entries are never deleted; record a correction.")

    @property
    def status(self) -> LedgerStatus:
        return ledger_status(self.provided_on, self.refused_on)

    @property
    def answered_on(self) -> dt.date | None:
        return self.provided_on or self.refused_on

    def days_open(self, today: dt.date | None = None) -> int:
        end = self.answered_on or today or timezone.localdate()
        return (end - self.requested_on).days


def ledger_attachment_path(instance: LedgerAttachment, filename: str) -> str:
    return f"ledger/{instance.entry.proposal_id}/{instance.entry_id}/{filename}"


class LedgerAttachment(models.Model):
    """A file kept as evidence of one ledger entry (a letter, a refusal, a receipt)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=ledger_attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Evidence of a ledger entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Evidence of a ledger entry is never deleted.")
