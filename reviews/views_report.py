"""The programme report of any period: a page with charts and tables, CSV files, a DOCX."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import permissions
from .forms_safety import PeriodForm
from .pages import refused
from .reporting import programme_report
from .reporting.document import report_docx as build_docx
from .reporting.document import text_notice
from .reporting.tables import Table, all_csv, report_tables, table_csv

# Without a period asked for, the report covers the year up to today.
DEFAULT_DAYS = 365


def _period(request: HttpRequest) -> tuple[PeriodForm, tuple[dt.date, dt.date] | None]:
    today = timezone.localdate()
    data = request.GET if ("start" in request.GET or "end" in request.GET) else None
    form = PeriodForm(
        data,
        initial={"start": today - dt.timedelta(days=DEFAULT_DAYS), "end": today},
    )
    if data is None:
        return form, (today - dt.timedelta(days=DEFAULT_DAYS), today)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None


def _refusal(request: HttpRequest) -> HttpResponse | None:
    reason = permissions.refusal_read_report(request.user)
    return refused(request, reason, status=403) if reason else None


def _tables(request: HttpRequest, period: tuple[dt.date, dt.date]) -> tuple[Any, list[Table]]:
    detail = permissions.can_see_report_detail(request.user)
    report = programme_report(*period, with_detail=detail)
    return report, report_tables(report, with_detail=detail)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    form, period = _period(request)
    context: dict[str, Any] = {"form": form, "nav": "report"}
    status = 200
    if period is None:
        status = 400
    else:
        result, tables = _tables(request, period)
        context.update(
            report=result,
            tables=tables,
            notice=text_notice(result),
            detailed=permissions.can_see_report_detail(request.user),
            query=f"start={period[0].isoformat()}&end={period[1].isoformat()}",
        )
    return render(request, "reviews/report/report.html", context, status=status)


def _file(body: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_csv(request: HttpRequest, section: str) -> HttpResponse:
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    form, period = _period(request)
    if period is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    _, tables = _tables(request, period)
    stem = f"programme-report-{period[0].isoformat()}-{period[1].isoformat()}"
    if section == "all":
        return _file(all_csv(tables), "text/csv; charset=utf-8", f"{stem}.csv")
    chosen = next((t for t in tables if t.slug == section), None)
    if chosen is None:
        raise Http404("The report has no such table.")
    return _file(table_csv(chosen), "text/csv; charset=utf-8", f"{stem}-{section}.csv")


@require_GET
def report_docx(request: HttpRequest) -> HttpResponse:
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    form, period = _period(request)
    if period is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    detail = permissions.can_see_report_detail(request.user)
    result = programme_report(*period, with_detail=detail)
    body = build_docx(result, with_detail=detail)
    return _file(
        body,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"programme-report-{period[0].isoformat()}-{period[1].isoformat()}.docx",
    )
