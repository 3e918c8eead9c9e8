"""Two versions of an agreement compared: the page, and its exports at the same address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString

from ..diffing import VersionDiff
from ..fragments import fragment_get, fragment_key, fragment_set, fragments_on
from ..models import DEFAULT_LANGUAGE, Agreement, Version, language_name
from ..permissions import can_view_agreements
from ..reading.views import agreement_and_versions
from ..record.languages import LANGUAGE_CODE
from .cache import version_diff_keyed
from .display import (
    CompareRow,
    compare_picker,
    compare_rows,
    summary_counts,
    unofficial_notice,
    version_facts,
)
from .exports import EXPORT_FORMATS, export_response
from .pdfprint import TooLargeForPdf
from .print_requests import too_large_page
from .redline_html import rows_html

VIEWS = ("inline", "side")
FLAGS = {"": False, "0": False, "1": True}


class BadOptions(ValueError):
    """A query parameter the page does not understand; the message says what would work."""


@dataclass(frozen=True)
class CompareOptions:
    side: bool = False
    changed_only: bool = False
    ignore: bool = False
    export: str = ""
    language: str = DEFAULT_LANGUAGE
    tracked: bool = False

    def params(self, **changes: bool) -> tuple[tuple[str, str], ...]:
        """The query parameters for these options with ``changes`` applied, defaults left out."""
        values = {"side": self.side, "changed_only": self.changed_only, "ignore": self.ignore}
        values.update(changes)
        return tuple(
            (name, value)
            for name, value, on in (
                ("view", "side", values["side"]),
                ("changed", "1", values["changed_only"]),
                ("ignore", "1", values["ignore"]),
                ("lang", self.language, self.language != DEFAULT_LANGUAGE),
            )
            if on
        )

    def query(self, export: str = "", lang: str = "", **changes: bool) -> str:
        """``params`` as a query string, asking for the ``export`` format if one is given."""
        params = [*self.params(**changes), *([("format", export)] if export else [])]
        if lang:
            params = [p for p in params if p[0] != "lang"]
            params += [("lang", lang)] if lang != DEFAULT_LANGUAGE else []
        return f"?{urlencode(params)}" if params else ""


def _flag(params: QueryDict, name: str, meaning: str) -> bool:
    value = params.get(name, "")
    if value not in FLAGS:
        raise BadOptions(f"“{name}={value}” is not understood: use {name}=1 to {meaning}.")
    return FLAGS[value]


def compare_options(params: QueryDict) -> CompareOptions:
    """Read the page's query parameters; raises ``BadOptions`` with a message for a person."""
    view = params.get("view", "") or "inline"
    if view not in VIEWS:
        raise BadOptions(f"“view={view}” is not a view: use view=inline or view=side.")
    export = params.get("format", "")
    if export not in ("", "html", *EXPORT_FORMATS):
        raise BadOptions(
            f"“{export}” is not an export format: use format=json, format=csv, format=docx "
            "or format=pdf."
        )
    language = params.get("lang", "") or DEFAULT_LANGUAGE
    if not LANGUAGE_CODE.match(language):
        raise BadOptions(f"“lang={language}” is not a language: use lang=en or lang=zh.")
    return CompareOptions(
        language=language,
        side=view == "side",
        changed_only=_flag(params, "changed", "show only the changed clauses"),
        ignore=_flag(params, "ignore", "ignore changes of whitespace and punctuation only"),
        export="" if export == "html" else export,
        tracked=_flag(params, "tracked", "write the Word print as tracked changes"),
    )


def _require_reader(request: HttpRequest) -> None:
    if not can_view_agreements(request.user):
        raise PermissionDenied


def _error(
    request: HttpRequest,
    agreement: Agreement,
    versions: list[Version],
    message: str,
    chosen: tuple[str, str] = ("", ""),
    *,
    status: int = 400,
) -> HttpResponse:
    """The picker with the message (if any), keeping whatever choice was valid.

    A bad address answers 400; the picker's own form answers 200, as a form shown again does.
    """
    by_label = {v.label: v for v in versions}
    picker = compare_picker(
        versions,
        action=reverse("clauses:compare_pick", args=[agreement.slug]),
        older=by_label.get(chosen[0]),
        newer=by_label.get(chosen[1]),
    )
    return render(
        request,
        "clauses/comparison/compare_error.html",
        {"agreement": agreement, "nav": "agreements", "message": message, "picker": picker},
        status=status,
    )


def compare(request: HttpRequest, slug: str, older: str, newer: str) -> HttpResponse:
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    by_label = {v.label: v for v in versions}
    old, new = by_label.get(older), by_label.get(newer)
    if old is None or new is None:
        raise Http404("No such version.")
    try:
        options = compare_options(request.GET)
    except BadOptions as exc:
        return _error(request, agreement, versions, str(exc), (old.label, new.label))
    diff_key, diff = version_diff_keyed(
        older=old,
        newer=new,
        ignore_whitespace_and_punctuation=options.ignore,
        language=options.language,
    )
    url = reverse("clauses:compare", args=[slug, old.label, new.label])
    if options.export:
        try:
            return export_response(
                options.export,
                agreement=agreement,
                older=old,
                newer=new,
                diff=diff,
                changed_only=options.changed_only,
                page_url=request.build_absolute_uri(url),
                language=options.language,
                tracked=options.tracked,
            )
        except TooLargeForPdf as exc:
            back = url + options.query(export="pdf")
            return too_large_page(request, str(exc), back=back)
    links = {
        "inline": url + options.query(side=False),
        "side": url + options.query(side=True),
        "all": url + options.query(changed_only=False),
        "changed": url + options.query(changed_only=True),
        "exact": url + options.query(ignore=False),
        "ignore": url + options.query(ignore=True),
        **{f: url + options.query(export=f) for f in EXPORT_FORMATS},
    }
    language_links = [
        {"code": code, "label": label, "url": url + options.query(lang=code),
         "current": code == options.language}
        for code, label in (("en", "English"), ("zh", "中文"))
    ]  # fmt: skip
    older_facts = version_facts(old, reverse("clauses:version_detail", args=[slug, old.label]))
    newer_facts = version_facts(new, reverse("clauses:version_detail", args=[slug, new.label]))
    rows, html = _rows(diff_key, diff, options, old, new)
    return render(
        request,
        "clauses/comparison/compare.html",
        {
            "agreement": agreement,
            "nav": "agreements",
            "older": older_facts,
            "newer": newer_facts,
            "sides": ({"name": "From", "facts": older_facts}, {"name": "To", "facts": newer_facts}),
            "same": old == new,
            "stats": diff.stats,
            "counts": summary_counts(diff.stats),
            "change_count": len(diff.changes),
            "rows": rows,
            "rows_html": html,
            "options": options,
            "links": links,
            "language_links": language_links,
            "language_name": language_name(options.language),
            "page_url": request.build_absolute_uri(url + options.query()),
            "notice": unofficial_notice([old, new]),
            "export_form": _export_form(url, options),
            "picker": compare_picker(
                versions,
                action=reverse("clauses:compare_pick", args=[slug]),
                older=old,
                newer=new,
                keep=options.params(),
            ),
        },
    )


def _export_form(url: str, options: CompareOptions) -> dict[str, Any]:
    """The download form: a format, whether to leave out unchanged clauses, tracked changes.

    It carries the page's other choices (whitespace, language) as hidden fields.
    """
    keep = [(n, v) for n, v in options.params() if n in ("ignore", "lang")]
    return {"action": url, "keep": keep, "changed_only": options.changed_only}


def _rows(
    diff_key: str, diff: VersionDiff, options: CompareOptions, old: Version, new: Version
) -> tuple[Sequence[CompareRow], SafeString]:
    """The page's rows and their HTML (empty when no row is shown), the HTML rendered once per
    pair of texts and kept when fragments are on; no rows when it was found kept."""
    key = ""
    if fragments_on():
        key = fragment_key(
            "compare-rows",
            diff_key,
            options.side,
            options.changed_only,
            (old.label, new.label),
        )
        found = fragment_get(key)
        if found is not None:
            return (), SafeString(str(found["html"]))  # nosec B703 - the escaped rows, as kept
    rows = compare_rows(diff, changed_only=options.changed_only)
    html = (
        rows_html(
            rows,
            side=options.side,
            older=old.short_name,
            newer=new.short_name,
            change_count=len(diff.changes),
        )
        if rows
        else SafeString("")
    )
    return rows, fragment_set(key, html) if key else html


def compare_pick(request: HttpRequest, slug: str) -> HttpResponse:
    """The compare form: without a choice it is offered; a bad choice shows it with the error."""
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    labels = {v.label for v in versions}
    chosen = (request.GET.get("from", "").strip(), request.GET.get("to", "").strip())
    if not any(chosen):
        return _error(request, agreement, versions, "", chosen, status=200)
    if not all(chosen):
        message = "Choose two versions to compare."
        return _error(request, agreement, versions, message, chosen, status=200)
    for label in chosen:
        if label not in labels:
            message = f"The {agreement.short_title} has no version “{label}”. Choose one below."
            return _error(request, agreement, versions, message, chosen, status=200)
    try:
        options = compare_options(request.GET)
    except BadOptions as exc:
        return _error(request, agreement, versions, str(exc), chosen, status=200)
    url = reverse("clauses:compare", args=[slug, *chosen])
    return redirect(url + options.query())
