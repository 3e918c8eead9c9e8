"""Mail waiting to be sent: written with the change it reports, delivered after commit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .proposals import Proposal


class NotificationKind(models.TextChoices):
    HITS_TO_ADJUDICATE = "hits_to_adjudicate", "Screening hits to adjudicate"
    ENTERED_REVIEW = "entered_review", "Entered review"
    RETURNED = "returned", "Returned for changes"
    DECIDED = "decided", "Decision recorded"
    SUSPENDED = "suspended", "Suspended"
    RESUMED = "resumed", "Resumed"
    TERMINATED = "terminated", "Terminated"
    REMINDER = "reminder", "Reminder"
    CLAUSE_CHANGED = "clause_changed", "A cited clause changed"
    CONDITION_RESOLVED = "condition_resolved", "A condition met or waived"
    ASSIGNED = "assigned", "Assessment assigned"
    TRIP_RECORDED = "trip_recorded", "A trip to brief"
    INCIDENT_REPORTED = "incident_reported", "A researcher-safety incident"
    DISPUTE = "dispute", "A dispute moved on"


class NotificationQuerySet(models.QuerySet["NotificationOutbox"]):
    def unsent(self) -> NotificationQuerySet:
        return self.filter(sent_at__isnull=True)

    def pending(self) -> NotificationQuerySet:
        """Unsent and not given up: what delivery may still try."""
        return self.unsent().filter(failed_at__isnull=True)

    def failed(self) -> NotificationQuerySet:
        return self.filter(failed_at__isnull=False)


class NotificationOutbox(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Set for messages that must go out once only, such as a day's reminder.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when delivery was given up: a permanent error or too many attempts.",
    )
    error = models.TextField(blank=True, help_text="Why the last attempt failed.")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "notification"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_sent_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"
