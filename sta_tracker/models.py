"""Background work that failed: kept so that administrators see it and sweeps stop queuing it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TaskFailureQuerySet(models.QuerySet["TaskFailure"]):
    def given_up(self) -> TaskFailureQuerySet:
        return self.filter(given_up_at__isnull=False)


class TaskFailure(models.Model):
    """A task's work item (``key``: what its arguments name) that failed, and how often.

    Written when a task ends in failure, its own retries spent. Once ``given_up_at`` is set (a
    permanent error, or ``STA_TASK_MAX_ATTEMPTS`` failures) the sweeps no longer queue the item;
    deleting the row, once the cause is mended, lets them try again.
    """

    task = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField()
    first_failed_at = models.DateTimeField(default=timezone.now)
    last_failed_at = models.DateTimeField(default=timezone.now)
    given_up_at = models.DateTimeField(null=True, blank=True)

    objects = TaskFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-last_failed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "key"], name="taskfailure_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.task}({self.key})"

    @property
    def attempts_left(self) -> int:
        return max(settings.STA_TASK_MAX_ATTEMPTS - self.attempts, 0)
