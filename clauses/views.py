from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Agreement
from .permissions import can_view_agreements


def agreement_list(request: HttpRequest) -> HttpResponse:
    if not can_view_agreements(request.user):
        raise PermissionDenied
    agreements = Agreement.objects.all()
    return render(request, "clauses/agreement_list.html", {"agreements": agreements})
