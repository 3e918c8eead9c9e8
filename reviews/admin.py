"""The lists proposals choose from, kept by administrators: U.S. agencies and scientific fields.

An entry is never deleted (proposals point at it); one no longer offered is made inactive.
Every change asks for a reason and is kept in the entry's history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from clauses.admin import HistoriedAdmin

from .models import Agency, ScientificField


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
