"""Failed background work, for the administrators: what failed, how often and why."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Deleting a row, once its cause is mended, lets the sweeps queue the work again."""

    list_display = ["task", "key", "attempts", "last_failed_at", "given_up_at"]
    list_filter = ["task", ("given_up_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "key", "error"]
    readonly_fields = [
        "task",
        "key",
        "attempts",
        "error",
        "first_failed_at",
        "last_failed_at",
        "given_up_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
