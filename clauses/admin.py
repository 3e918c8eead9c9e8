from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agreement,
    AgreementEvent,
    Clause,
    ImportJob,
    Instrument,
    Version,
    VersionText,
)
from .services import clause_correct


class ReasonForm(forms.ModelForm):  # type: ignore[type-arg]
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=1000,
        help_text="Recorded in the history with your name; corrections are new edits, not reverts.",
    )


class HistoriedAdmin(SimpleHistoryAdmin):
    form = ReasonForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Why: versions and clauses are cited by proposals and decisions; remove nothing.
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Why: simple-history only hides the revert button; a posted form would still revert.
        if request.method != "GET":
            raise PermissionDenied("Reverting is disabled: correct the record with a new edit.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Agreement)
class AgreementAdmin(HistoriedAdmin):
    list_display = ["short_title", "slug"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Instrument)
class InstrumentAdmin(HistoriedAdmin):
    list_display = ["title", "kind", "signed_on", "effective_from", "expires_on", "text_status"]
    list_filter = ["agreement", "kind", "text_status"]
    search_fields = ["title", "signed_at"]


@admin.register(AgreementEvent)
class AgreementEventAdmin(HistoriedAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on"]
    list_filter = ["agreement", "kind"]


@admin.register(Version)
class VersionAdmin(HistoriedAdmin):
    list_display = ["title", "label", "in_force_from", "in_force_until", "text_status"]
    list_filter = ["agreement", "text_status"]
    readonly_fields = ["agreement", "label", "instrument", "previous", "published_at"]


@admin.register(VersionText)
class VersionTextAdmin(HistoriedAdmin):
    list_display = ["version", "language", "text_status", "added_at"]
    list_filter = ["version__agreement", "language", "text_status"]
    readonly_fields = ["version", "language", "added_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Why: language texts come from importing them; the admin only corrects their notes.
        return False


@admin.register(Clause)
class ClauseAdmin(HistoriedAdmin):
    list_display = ["key", "number", "heading", "version", "change"]
    list_filter = ["version__agreement", "version", "change", "kind"]
    search_fields = ["key", "number", "heading", "text"]
    list_select_related = ["version", "version__agreement"]
    readonly_fields = [
        "version",
        "language",
        "key",
        "kind",
        "parent",
        "order",
        "depth",
        "change",
        "changed_by",
        "previous_number",
        "notes",
        "wording",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Why: clauses come from publishing a version; the admin only corrects them.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        clause_correct(
            clause=obj,
            heading=form.cleaned_data["heading"],
            text=form.cleaned_data["text"],
            acting_user=request.user,
            reason=form.cleaned_data["change_reason"],
        )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Uploads are read here; they are created and published from the import page."""

    list_display = ["original_name", "agreement", "label", "status", "progress", "created_at"]
    list_filter = ["status", "agreement"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
