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
from .reporting import ProgrammeReport, programme_report
from .reporting.document import report_docx as build_docx
from .reporting.document import text_notice
from .reporting.tables import EMPTY, all_csv, report_tables, table_csv

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


def _report(request: HttpRequest, period: tuple[dt.date, dt.date]) -> tuple[ProgrammeReport, bool]:
    """The period's report with the detail the reader may see, and whether they may see it."""
    detail = permissions.can_see_report_detail(request.user)
    return programme_report(*period, with_detail=detail), detail


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
        result, detail = _report(request, period)
        context.update(
            report=result,
            tables=report_tables(result, with_detail=detail),
            empty=EMPTY,
            notice=text_notice(result),
            detailed=detail,
            query=f"start={period[0].isoformat()}&end={period[1].isoformat()}",
        )
    return render(request, "reviews/report/report.html", context, status=status)


def _file_period(request: HttpRequest) -> HttpResponse | tuple[dt.date, dt.date]:
    """The period a download is asked for, or the response refusing it."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    form, period = _period(request)
    if period is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    return period


def _file(body: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stem(period: tuple[dt.date, dt.date]) -> str:
    return f"programme-report-{period[0].isoformat()}-{period[1].isoformat()}"


@require_GET
def report_csv(request: HttpRequest, section: str) -> HttpResponse:
    period = _file_period(request)
    if isinstance(period, HttpResponse):
        return period
    result, detail = _report(request, period)
    tables = report_tables(result, with_detail=detail)
    if section == "all":
        return _file(all_csv(tables), "text/csv; charset=utf-8", f"{_stem(period)}.csv")
    chosen = next((t for t in tables if t.slug == section), None)
    if chosen is None:
        raise Http404("The report has no such table.")
    return _file(table_csv(chosen), "text/csv; charset=utf-8", f"{_stem(period)}-{section}.csv")


@require_GET
def report_docx(request: HttpRequest) -> HttpResponse:
    period = _file_period(request)
    if isinstance(period, HttpResponse):
        return period
    result, detail = _report(request, period)
    return _file(
        build_docx(result, with_detail=detail),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{_stem(period)}.docx",
    )
