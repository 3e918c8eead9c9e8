"""API tokens (listed by their first characters, revocable, never shown or made) and failed
background work (what failed, how often and why) in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken, TaskFailure


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators see whose tokens exist and revoke them (delete); they cannot make one.

    Why no add or change: a token made or altered here would let an administrator act through
    the API as its owner. The digest is left out too: it is not the key, but nothing needs it.
    """

    list_display = (
        "prefix",
        "user",
        "label",
        "created",
        "expiry",
        "last_used_at",
        "last_used_from",
    )
    list_filter = ("created", "expiry")
    search_fields = ("token_key", "user__username", "label")
    fields = list_display
    readonly_fields = list_display
    list_select_related = ("user",)
    actions = ["delete_selected"]

    @admin.display(description="Key begins", ordering="token_key")
    def prefix(self, token: ApiToken) -> str:
        return f"{token.token_key}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
