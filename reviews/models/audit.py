"""The audit chain: every decision and every transition event, each link hashing the one before."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from .proposals import AppendOnlyError


class AuditRecordKind(models.TextChoices):
    EVENT = "event", "Transition event"
    DECISION = "decision", "Decision"


class AuditLink(models.Model):
    """One link: which record it seals, the hash of the link before, and its own hash.

    ``hash`` is SHA-256 over the link's position, the previous hash and the record's content,
    so changing, removing or reordering a record or a link breaks every hash after it.
    """

    seq = models.PositiveBigIntegerField(unique=True, help_text="Position in the chain, from 1.")
    kind = models.CharField(max_length=16, choices=AuditRecordKind.choices)
    record_id = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="audit_link_one_per_record")
        ]

    def __str__(self) -> str:
        return f"Link {self.seq}: {self.kind} {self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Links of the audit chain are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Links of the audit chain are never deleted.")
