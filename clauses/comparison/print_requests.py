"""A download asked of a comparison page: which print, and the page that refuses a PDF too long.

Every comparison (two versions, two dates, a draft, two agreements) reads the same query
parameters (``format``, ``changed``, ``tracked``) and refuses a PDF past its bound the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from ..diffing import VersionDiff
from .exports import print_response
from .pdfprint import MAX_PDF_ROWS, TooLargeForPdf
from .sides import ComparedTexts


@dataclass(frozen=True)
class PrintRequest:
    format: str = ""
    changed_only: bool = False
    tracked: bool = False


def print_request(params: QueryDict) -> PrintRequest:
    """The download asked for, if any; raises ``BadOptions`` with a message for a person."""
    from .views import compare_options

    options = compare_options(params)
    return PrintRequest(options.export, options.changed_only, options.tracked)


def _with(back: str, **params: str) -> str:
    parts = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in params]
    query += [(k, v) for k, v in params.items() if v]
    return f"{parts.path}?{urlencode(query)}" if query else parts.path


def too_large_page(request: HttpRequest, message: str, *, back: str) -> HttpResponse:
    """The page a PDF past its bound answers: why, and the downloads that hold any number."""
    return render(
        request,
        "clauses/comparison/export_refused.html",
        {
            "nav": "agreements",
            "message": message,
            "limit": MAX_PDF_ROWS,
            "back": _with(back, format="", changed="", tracked=""),
            "docx": _with(back, format="docx"),
            "csv": _with(back, format="csv"),
            "changed_pdf": _with(back, format="pdf", changed="1"),
        },
        status=400,
    )


def export_or_refusal(
    request: HttpRequest,
    export: PrintRequest,
    *,
    texts: ComparedTexts,
    diff: VersionDiff,
    page_url: str,
    back: str,
) -> HttpResponse:
    """The file ``export`` asks for, or the page that says why a PDF is not made."""
    try:
        return print_response(
            export.format,
            texts=texts,
            diff=diff,
            changed_only=export.changed_only,
            page_url=page_url,
            tracked=export.tracked,
        )
    except TooLargeForPdf as exc:
        return too_large_page(request, str(exc), back=back)
