"""The outbox, read in the admin: what was sent, what waits, and what was given up and why."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import NotificationOutbox


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("sent", "Sent"), ("waiting", "Waiting"), ("failed", "Given up")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        return queryset


@admin.register(NotificationOutbox)
class NotificationOutboxAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Messages are written by the workflow; here they are read, and given up ones sent again."""

    list_display = ["subject", "email", "sent_at", "attempts", "failed_at"]
    list_filter = [DeliveryFilter, "kind"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "email"]
    readonly_fields = [
        "proposal",
        "kind",
        "recipient",
        "email",
        "subject",
        "body",
        "dedupe_key",
        "created_at",
        "sent_at",
        "attempts",
        "failed_at",
        "error",
    ]
    actions = ["deliver_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Deliver the selected given-up messages again")
    def deliver_again(self, request: HttpRequest, queryset: QuerySet[NotificationOutbox]) -> None:
        queued = sum(
            services.notification_retry(notification_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, f"{queued} message(s) queued again.", messages.SUCCESS)
