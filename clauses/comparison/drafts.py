"""A draft an analyst compares with the record: kept apart from it, for a set time.

A draft is parsed as an import would be, and its clauses are kept as JSON on the draft, never
as Version or Clause rows: comparing a draft publishes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..diffing import ClauseText


class CompareDraftQuerySet(models.QuerySet["CompareDraft"]):
    def live(self) -> CompareDraftQuerySet:
        return self.filter(expires_at__gt=timezone.now())

    def visible_to(self, user: Any) -> CompareDraftQuerySet:
        """Drafts ``user`` may open: their own, shared with them, or shared with every analyst."""
        from ..permissions import can_use_desk

        if not can_use_desk(user):
            return self.none()
        return (
            self.live()
            .filter(Q(owner=user) | Q(shared_with_all=True) | Q(shared_with=user))
            .distinct()
        )


class CompareDraft(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compare_drafts"
    )
    agreement = models.ForeignKey(
        "clauses.Agreement", on_delete=models.CASCADE, related_name="compare_drafts"
    )
    title = models.CharField(max_length=300)
    original_name = models.CharField(max_length=255)
    source_format = models.CharField(max_length=20)
    clauses = models.JSONField(help_text="The parsed clauses, in reading order.")
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="drafts_shared_with_me"
    )
    shared_with_all = models.BooleanField(default=False)

    objects = CompareDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clauses:draft_compare", args=[self.pk])

    def clause_texts(self) -> list[ClauseText]:
        """The draft's clauses as the diff engine reads them."""
        return [
            ClauseText(
                key=str(row["key"]),
                kind=str(row["kind"]),
                number=str(row["number"]),
                heading=str(row["heading"]),
                text=str(row["text"]),
                parent=row.get("parent"),
                order=order,
            )
            for order, row in enumerate(self.clauses)
        ]
