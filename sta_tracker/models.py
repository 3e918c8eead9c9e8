"""API tokens (django-rest-knox's token, with a label and a record of its last use) and
background work that failed (kept so that administrators see it and sweeps stop queuing it)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """One API token of one person. Only a digest of the key is kept, never the key itself.

    ``token_key`` holds the key's first characters, which identify it to its owner and to
    administrators; the rest of the key exists only in the answer that created it.
    """

    # Why a numeric id: knox keys a token by its digest, which must not appear in addresses.
    id: models.BigAutoField[int, int] = models.BigAutoField(primary_key=True)
    digest: models.CharField[str, str] = models.CharField(
        max_length=CONSTANTS.DIGEST_LENGTH, unique=True
    )
    label: models.CharField[str, str] = models.CharField(
        max_length=100, blank=True, help_text="What the token is for, in its owner's words."
    )
    last_used_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = (
        models.DateTimeField(null=True, blank=True)
    )
    last_used_from: models.GenericIPAddressField[str | None, str | None] = (
        models.GenericIPAddressField(null=True, blank=True)
    )

    class Meta:
        verbose_name = "API token"
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"{self.token_key}… of {self.user}"


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
