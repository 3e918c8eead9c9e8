"""The instrument page: its facts, the effects it had and its own text."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..models import Instrument
from ..permissions import can_view_agreements
from .effects import DocumentClause, InstrumentDocument


def instrument_detail(request: HttpRequest, slug: str, instrument_slug: str) -> HttpResponse:
    if not can_view_agreements(request.user):
        raise PermissionDenied
    instrument = get_object_or_404(
        Instrument.objects.select_related("agreement"), agreement__slug=slug, slug=instrument_slug
    )
    agreement = instrument.agreement
    effects = list(
        instrument.effects.select_related("instrument", "version__agreement").order_by("order")
    )
    documents = list(
        InstrumentDocument.objects.filter(instrument=instrument).prefetch_related(
            Prefetch("clauses", queryset=DocumentClause.objects.order_by("order"))
        )
    )
    return render(
        request,
        "clauses/record/instrument_detail.html",
        {
            "agreement": agreement,
            "instrument": instrument,
            "nav": "agreements",
            "versions": list(instrument.versions.order_by("in_force_from", "label")),
            "effects": effects,
            "documents": documents,
            "not_applied": sum(1 for e in effects if not e.applied),
        },
    )
