"""Every review record in the admin, read-only and with its history, for auditors to browse.

Changes to proposals, screening, assessments and decisions go through the workflow's services,
which check the rules and write the audit trail; the admin adds, changes and deletes nothing,
not even for superusers. The one action it offers sends given-up mail again.

The lists proposals choose from (U.S. agencies, scientific fields) are the exception: kept by
administrators, every change with a reason and kept in the entry's history; an entry is never
deleted (proposals point at it), one no longer offered is made inactive.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from clauses.admin import HistoriedAdmin

from . import services
from .models import (
    Agency,
    Assignment,
    AuditLink,
    CetCategory,
    CetEdition,
    CetTerm,
    ClauseChangeFlag,
    ConditionItem,
    Decision,
    Dispute,
    DisputeStep,
    Incident,
    IncidentFollowUp,
    LedgerAttachment,
    LedgerEntry,
    NotificationOutbox,
    PartnerInstitution,
    PartnerPerson,
    ProjectGround,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    RiskBenefitAssessment,
    RubricScore,
    ScientificField,
    ScreeningHit,
    ScreeningList,
    ScreeningListEntry,
    ScreeningRun,
    SecurityAssessment,
    TravelPlan,
)


class ReadOnly:
    """Viewing only: the view permission shows the records, nothing else is allowed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Why: the bulk "delete selected" action would otherwise be listed for anyone.
        return {}


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Records with no history of their own: the append-only trail and the mail outbox."""


class ReadOnlyHistoryAdmin(ReadOnly, SimpleHistoryAdmin):
    """Records kept with their history, each version browsable, none restorable."""

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Why: simple-history saves a posted old version with only the view permission.
        if request.method != "GET":
            raise PermissionDenied("Review records are read-only in the admin.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "state", "round", "submitter", "us_agency", "state_changed_at"]
    list_filter = ["state", "us_agency", "scientific_field"]
    search_fields = ["title", "summary", "principal_investigator"]
    list_select_related = ["submitter"]


@admin.register(PartnerInstitution)
class PartnerInstitutionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "name_local", "city", "country", "proposal"]
    list_filter = ["country"]
    search_fields = ["name", "name_local", "city"]
    list_select_related = ["proposal"]


@admin.register(PartnerPerson)
class PartnerPersonAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "position", "institution", "proposal"]
    search_fields = ["name"]
    list_select_related = ["proposal", "institution"]


@admin.register(ProposalAttachment)
class ProposalAttachmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "content_type", "size", "proposal", "uploaded_by", "uploaded_at"]
    list_select_related = ["proposal", "uploaded_by"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "step", "assignee", "assigned_by", "assigned_at"]
    list_filter = ["step"]
    list_select_related = ["proposal", "assignee", "assigned_by"]


@admin.register(ConditionItem)
class ConditionItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "number", "owner", "due_on", "status", "resolved_at"]
    list_filter = ["status", "owner"]
    list_select_related = ["proposal"]


@admin.register(RiskBenefitAssessment)
class RiskBenefitAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "round", "assessor", "recommendation", "assessed_at"]
    list_filter = ["recommendation"]
    list_select_related = ["proposal", "assessor"]


@admin.register(RubricScore)
class RubricScoreAdmin(ReadOnlyHistoryAdmin):
    list_display = ["assessment", "criterion", "score"]
    list_filter = ["criterion"]


@admin.register(SecurityAssessment)
class SecurityAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "round", "assessor", "finding", "cet_involvement", "assessed_at"]
    list_filter = ["finding", "cet_involvement"]
    list_select_related = ["proposal", "assessor"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "round", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["proposal", "decided_by"]


@admin.register(ScreeningList)
class ScreeningListAdmin(ReadOnlyHistoryAdmin):
    pass


@admin.register(ScreeningHit)
class ScreeningHitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["summary", "kind", "score", "adjudication", "run"]
    list_filter = ["kind", "adjudication"]
    list_select_related = ["run"]


@admin.register(CetEdition)
class CetEditionAdmin(ReadOnlyHistoryAdmin):
    pass


@admin.register(CetCategory)
class CetCategoryAdmin(ReadOnlyHistoryAdmin):
    list_select_related = ["edition"]


@admin.register(CetTerm)
class CetTermAdmin(ReadOnlyHistoryAdmin):
    pass


@admin.register(ClauseChangeFlag)
class ClauseChangeFlagAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "version", "change", "created_at", "cleared_at"]
    list_select_related = ["proposal", "version"]


@admin.register(ProposalEvent)
class ProposalEventAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "action", "from_state", "to_state", "round", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["proposal", "actor"]


@admin.register(AuditLink)
class AuditLinkAdmin(ReadOnlyAdmin):
    list_display = ["seq", "kind", "record_id", "hash", "created_at"]
    list_filter = ["kind"]


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "created_at", "is_current"]
    list_select_related = ["proposal"]


@admin.register(ScreeningListEntry)
class ScreeningListEntryAdmin(ReadOnlyAdmin):
    search_fields = ["name"]


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
class NotificationOutboxAdmin(ReadOnlyAdmin):
    """Messages are written by the workflow; here they are read, and given up ones sent again."""

    list_display = ["subject", "kind", "email", "created_at", "sent_at", "attempts", "failed_at"]
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

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Why only this one: sending a given-up message again changes no record of the review.
        return {
            name: action
            for name, action in admin.ModelAdmin.get_actions(self, request).items()
            if name == "deliver_again"
        }

    @admin.action(description="Deliver the selected given-up messages again")
    def deliver_again(self, request: HttpRequest, queryset: QuerySet[NotificationOutbox]) -> None:
        queued = sum(
            services.notification_retry(notification_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, f"{queued} message(s) queued again.", messages.SUCCESS)


class EntryAdmin(HistoriedAdmin):
    list_display = ["name", "active", "order", "proposal_count"]
    list_filter = ["active"]
    search_fields = ["name"]
    ordering = ["order", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    @admin.display(description="proposals", ordering="proposal_total")
    def proposal_count(self, obj: Any) -> int:
        return int(obj.proposal_total)


@admin.register(Agency)
class AgencyAdmin(EntryAdmin):
    pass


@admin.register(ScientificField)
class ScientificFieldAdmin(EntryAdmin):
    pass


# --- After approval: reciprocity ledger, disputes and grounds (issue 16) ---------------------


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "direction", "item", "requested_on", "provided_on", "refused_on"]
    list_filter = ["direction", "item"]
    list_select_related = ["proposal"]


@admin.register(LedgerAttachment)
class LedgerAttachmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["entry", "name", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["entry", "uploaded_by"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["proposal", "ground", "status", "due_on", "opened_by", "opened_at"]
    list_filter = ["ground", "status"]
    list_select_related = ["proposal", "opened_by"]


@admin.register(DisputeStep)
class DisputeStepAdmin(ReadOnlyAdmin):
    list_display = ["dispute", "action", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["dispute", "actor"]


@admin.register(ProjectGround)
class ProjectGroundAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "kind", "dispute", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["proposal", "dispute", "recorded_by"]


# --- Researcher safety (issue 16) -------------------------------------------------------------


@admin.register(TravelPlan)
class TravelPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["traveller", "destination", "starts_on", "ends_on", "briefing_given_on"]
    list_filter = ["device_guidance_given"]
    list_select_related = ["proposal"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["kind", "occurred_on", "place", "proposal", "reported_by"]
    list_filter = ["kind"]
    list_select_related = ["proposal", "reported_by"]


@admin.register(IncidentFollowUp)
class IncidentFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["incident", "dispute", "ground", "recorded_by", "recorded_at"]
    list_select_related = ["incident", "dispute", "ground", "recorded_by"]
