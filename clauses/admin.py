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
    DocumentClause,
    Effect,
    ImportJob,
    Instrument,
    InstrumentDocument,
    Version,
    VersionText,
)
from .reading.read_models import text_notice
from .record.versions import clause_correct


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
    list_display = ["key", "number", "heading", "version", "change", "version_text"]
    list_filter = ["version__agreement", "version", "change", "kind"]
    search_fields = ["key", "number", "heading", "text"]
    list_select_related = ["version", "version__agreement"]
    readonly_fields = [
        "text_notice",
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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Why: the notice goes first, so nobody edits an illustrative text taking it as official.
        fields = [f for f in super().get_fields(request, obj) if f != "text_notice"]
        return ["text_notice", *fields]

    @admin.display(description="Text")
    def text_notice(self, obj: Clause) -> str:
        return text_notice(obj.version.text_status) or "Official text."

    @admin.display(description="Text", ordering="version__text_status")
    def version_text(self, obj: Clause) -> str:
        return str(obj.version.get_text_status_display())

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        clause_correct(
            clause=obj,
            heading=form.cleaned_data["heading"],
            text=form.cleaned_data["text"],
            acting_user=request.user,
            reason=form.cleaned_data["change_reason"],
        )


class ReadOnlyHistoriedAdmin(HistoriedAdmin):
    """A record made by importing, read here with its history; only ``editable`` is corrected."""

    editable: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Why: these rows come from publishing an instrument; the admin never makes one.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.editable) and super().has_change_permission(request, obj)


@admin.register(Effect)
class EffectAdmin(ReadOnlyHistoriedAdmin):
    # Why only the note: the rest says what an instrument did to the text, which no edit may
    # rewrite; the note is the records team's own wording.
    editable = ("note",)
    list_display = ["instrument", "order", "kind", "affected_label", "effective_from", "applied"]
    list_filter = ["instrument__agreement", "kind", "applied"]
    list_select_related = ["instrument", "instrument__agreement"]
    search_fields = ["affected_key", "affected_label", "affecting_provision", "note"]


@admin.register(InstrumentDocument)
class InstrumentDocumentAdmin(ReadOnlyHistoriedAdmin):
    list_display = ["instrument", "language", "text_status", "added_at"]
    list_filter = ["instrument__agreement", "language", "text_status"]
    list_select_related = ["instrument", "instrument__agreement"]


@admin.register(DocumentClause)
class DocumentClauseAdmin(ReadOnlyHistoriedAdmin):
    list_display = ["key", "number", "heading", "document"]
    list_filter = ["document__instrument__agreement", "document__language"]
    list_select_related = ["document", "document__instrument", "document__instrument__agreement"]
    search_fields = ["key", "number", "heading", "text"]


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    """Uploads are read here; they are created and published from the import page."""

    list_display = [
        "original_name",
        "agreement",
        "mode",
        "language",
        "label",
        "status",
        "progress",
        "created_by",
        "published_by",
        "created_at",
    ]
    list_filter = ["status", "mode", "language", "agreement"]
    list_select_related = ["agreement", "created_by", "published_by"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("Import jobs are changed from the import page only.")
        return super().history_form_view(request, object_id, version_id, extra_context)
