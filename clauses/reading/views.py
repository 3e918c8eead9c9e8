"""Browsing pages: agreements, versions, one clause through time, and the text on a date.

Every page loads its rows in a fixed number of queries and builds trees and timelines in Python
(see ``read_models`` and ``timeline``), so its cost does not grow with clauses or versions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from sta_tracker.prepared import PreparedQuery

from ..addresses import ClauseAddresses, VersionAddresses
from ..comparison.cache import text_tokens
from ..comparison.display import clause_redlines, compare_picker, version_badges
from ..diffing import VersionDiff, clause_texts_from_rows, diff_versions
from ..fragments import (
    fragment_get,
    fragment_key,
    fragment_set,
    fragments_on,
    rows_shown,
    versions_shown,
)
from ..models import (
    DEFAULT_LANGUAGE,
    Agreement,
    AgreementEvent,
    Clause,
    EventKind,
    Instrument,
    TextStatus,
    Version,
)
from ..names import clause_place
from ..permissions import can_view_agreements
from ..record.effects import Effect
from ..record.pointintime import long_date, state_from
from .agreement_html import event_rows_html, instruments_html, version_rows_html
from .clause_html import clause_versions_html, corrections_html, creations_html
from .download import version_akn_response
from .languages import language_choice, language_column, side_by_side
from .read_models import (
    TEXT_CLAUSE_COLUMNS,
    ClauseInVersion,
    TextClause,
    citation_name,
    citation_note,
    clause_through_versions,
    clause_tree,
    editorial_history,
    period_text,
    text_notice,
)
from .text_html import version_text_parts
from .timeline import Timeline, detail_window, overview_window, timeline_build
from .timeline_svg import timeline_svg

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _require_reader(request: HttpRequest) -> None:
    if not can_view_agreements(request.user):
        raise PermissionDenied


AGREEMENT_VERSIONS = PreparedQuery(
    lambda slug: (
        Version.objects.filter(agreement__slug=slug)
        .select_related("agreement", "instrument")
        .order_by("in_force_from", "label")
    )
)


def agreement_and_versions(slug: str) -> tuple[Agreement, list[Version]]:
    """The agreement named by ``slug`` and its versions in order, in one query when it has any.

    Raises ``Http404`` for an unknown slug.
    """
    versions: list[Version] = AGREEMENT_VERSIONS(slug=slug)
    if not versions:
        return get_object_or_404(Agreement, slug=slug), []
    agreement = versions[0].agreement
    for version in versions:
        # Why: one object for the agreement, as the page would have had from its own query.
        version.agreement = agreement
    return agreement, versions


ChangedRow = TypeVar("ChangedRow", Clause, TextClause)


def with_changed_by(clauses: Iterable[ChangedRow], versions: Sequence[Version]) -> list[ChangedRow]:
    """``clauses``, each with its ``changed_by`` set from the instruments of ``versions``.

    A clause is changed by the instrument that made its version, which the versions were loaded
    with; joining it to every clause row decoded its JSON fields once per clause. An instrument
    outside ``versions`` costs one query for all of them.
    """
    rows = list(clauses)
    known = {v.instrument_id: v.instrument for v in versions}
    missing = {c.changed_by_id for c in rows if c.changed_by_id is not None} - known.keys()
    if missing:
        known.update(Instrument.objects.in_bulk(missing))
    for clause in rows:
        if clause.changed_by_id is not None:
            clause.changed_by = known[clause.changed_by_id]
    return rows


def _version_url(slug: str, label: str) -> str:
    return reverse("clauses:version_detail", args=[slug, label])


def parse_day(value: str) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` that exists in the calendar, else ``None``."""
    if not ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


AGREEMENTS_PER_PAGE = 25


def _placed_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.annotate(
        place=Window(RowNumber(), order_by=("short_title", "pk")), total=Window(Count("*"))
    ).order_by("short_title", "pk")


# Why the place and the total in the query: the page of agreements and how many there are in
# all come in one query, where the paginator counted them in a query of its own.
_AGREEMENTS = PreparedQuery(
    lambda first, last: _placed_agreements().filter(
        place__gte=first,  # type: ignore[misc]
        place__lte=last,
    )
)
# The last page, for an address past it.
_LAST_AGREEMENTS = PreparedQuery(
    lambda: _placed_agreements().filter(
        place__gt=(F("total") - 1) / AGREEMENTS_PER_PAGE * AGREEMENTS_PER_PAGE  # type: ignore[misc]
    )
)
_VERSIONS_OF = PreparedQuery(
    lambda ids: Version.objects.filter(agreement_id__in=ids).select_related("instrument")
)
_LAPSES_OF = PreparedQuery(
    lambda ids: AgreementEvent.objects.filter(agreement_id__in=ids, kind=EventKind.LAPSE)
)


class _AgreementRows:
    """Every agreement, for Django's paginator, read a page at a time.

    The page asked for is read first, with the count of all agreements, which the paginator
    asks for before the page; an address past the last page then reads the last page, and one
    before the first (page 0) the page the paginator names: as many queries as the paginator's
    own count and read.
    """

    def __init__(self, asked: object) -> None:
        try:
            number = max(int(str(asked)), 1)
        except ValueError:
            number = 1
        first = (number - 1) * AGREEMENTS_PER_PAGE
        self._read = {first: self._window(first)}

    def _window(self, first: int) -> list[Agreement]:
        return _AGREEMENTS(first=first + 1, last=first + AGREEMENTS_PER_PAGE)

    def count(self) -> int:
        rows = next((rows for rows in self._read.values() if rows), None)
        if rows is None:
            if 0 in self._read:
                return 0
            rows = _LAST_AGREEMENTS()
            if not rows:
                return 0
            self._read[rows[0].place - 1] = rows  # type: ignore[attr-defined]
        return int(rows[0].total)  # type: ignore[attr-defined]

    def __getitem__(self, window: slice) -> list[Agreement]:
        # Why by the first row: the paginator ends the last page's slice at the count.
        if window.start not in self._read:
            self._read[window.start] = self._window(window.start)
        return self._read[window.start][: window.stop - window.start]


def agreement_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    today = timezone.localdate()
    # Why get_page: a page number past the end or not a number shows the nearest page.
    asked = request.GET.get("page")
    paginator: Paginator[Agreement] = Paginator(
        _AgreementRows(asked),  # type: ignore[arg-type]
        AGREEMENTS_PER_PAGE,
    )
    page = paginator.get_page(asked)
    agreements: list[Agreement] = list(page.object_list)
    versions_of: dict[int, list[Version]] = {a.pk: [] for a in agreements}
    lapses_of: dict[int, list[AgreementEvent]] = {a.pk: [] for a in agreements}
    if agreements:
        ids = tuple(a.pk for a in agreements)
        for version in _VERSIONS_OF(ids=ids):
            versions_of[version.agreement_id].append(version)
        for lapse in _LAPSES_OF(ids=ids):
            lapses_of[lapse.agreement_id].append(lapse)
    rows = []
    for a in agreements:
        a.version_count = len(versions_of[a.pk])  # type: ignore[attr-defined]
        rows.append(
            {
                "agreement": a,
                "state": state_from(today, versions_of[a.pk], lapses_of[a.pk], today=today),
            }
        )
    return render(
        request,
        "clauses/reading/agreement_list.html",
        {"rows": rows, "page": page, "today": today, "nav": "agreements"},
    )


def _signatories(value: Any) -> list[str]:
    names: list[str] = []
    for item in value or []:
        if isinstance(item, dict):
            parts = [str(item.get(k, "")) for k in ("name", "title", "party") if item.get(k)]
            names.append(", ".join(parts))
        else:
            names.append(str(item))
    return names


def _sources(value: Any) -> list[dict[str, str]]:
    return [
        {
            "fact": str(s.get("fact", "")),
            "citation": str(s.get("citation", "") or s.get("url", "")),
            "url": str(s.get("url", "")),
        }
        for s in value or []
        if isinstance(s, dict)
    ]


_EVENTS = PreparedQuery(
    lambda agreement_id: AgreementEvent.objects.filter(agreement_id=agreement_id)
)
_INSTRUMENTS = PreparedQuery(
    lambda agreement_id: Instrument.objects.filter(agreement_id=agreement_id)
)


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    events = _EVENTS(agreement_id=agreement.pk)
    # Why: undated instruments (extensions whose date was never found) go last, not first.
    instruments = sorted(
        _INSTRUMENTS(agreement_id=agreement.pk),
        key=lambda i: (i.effective_from or i.signed_on or dt.date.max, i.slug),
    )
    today = timezone.localdate()
    body_key = None
    if fragments_on():
        # Why these parts: every stored field of the rows the body prints (the agreement, its
        # versions with their instruments, its events and instruments) and the day it is
        # drawn for, so any write to them, by whatever way, gives another key.
        body_key = fragment_key(
            "agreement-body",
            rows_shown([agreement, *versions, *events, *instruments]),
            today,
            get_language(),
        )
        found = fragment_get(body_key)
        if found is not None:
            return render(
                request,
                "clauses/reading/agreement_detail.html",
                {
                    "agreement": agreement,
                    "nav": "agreements",
                    "body_html": SafeString(found["html"]),  # nosec B703 - our escaped render
                },
            )
    urls = {v.pk: _version_url(slug, v.label) for v in versions}
    timelines = []
    if versions:
        start, end = overview_window(versions, events)
        timelines.append(
            timeline_build(
                dom_id="timeline-overview",
                caption=f"{agreement.short_title}, {start.year}–{end.year - 1}",
                versions=versions,
                events=events,
                instruments=instruments,
                start=start,
                end=end,
                today=today,
                urls=urls,
            )
        )
        close_up = detail_window(versions, events)
        if close_up is not None:
            timelines.append(
                timeline_build(
                    dom_id="timeline-detail",
                    caption=f"Close-up, {long_date(close_up[0])} to {long_date(close_up[1])}",
                    versions=versions,
                    events=events,
                    instruments=instruments,
                    start=close_up[0],
                    end=close_up[1],
                    today=today,
                    urls=urls,
                )
            )
    version_rows = [
        {
            "version": v,
            "url": urls[v.pk],
            "period": period_text(v),
            "retroactive": v.instrument.signed_on and v.instrument.signed_on > v.in_force_from,
        }
        for v in versions
    ]
    instrument_rows = [
        {
            "instrument": i,
            "signatories": _signatories(i.signatories),
            "sources": _sources(i.sources),
        }
        for i in instruments
    ]
    event_rows = [{"event": e, "sources": _sources(e.sources)} for e in events]
    context = {
        "agreement": agreement,
        "nav": "agreements",
        "timelines": timelines,
        "timelines_html": _timelines_html(timelines),
        "version_rows": version_rows,
        "version_rows_html": version_rows_html(version_rows),
        "instrument_rows": instrument_rows,
        "instruments_html": instruments_html(slug, instrument_rows),
        "event_rows": event_rows,
        "event_rows_html": event_rows_html(event_rows),
        "lapses": [e for e in events if e.kind == EventKind.LAPSE],
        "today_state": state_from(today, versions, events, today=today, instruments=instruments),
        "picker_min": versions[0].in_force_from.isoformat() if versions else "",
        "has_unofficial": any(v.text_status != TextStatus.OFFICIAL for v in versions),
        "compare_picker": compare_picker(
            versions, action=reverse("clauses:compare_pick", args=[slug])
        ),
    }
    if body_key is not None:
        html = render_to_string(AGREEMENT_BODY_TEMPLATE, context)
        context["body_html"] = fragment_set(body_key, html)
    return render(request, "clauses/reading/agreement_detail.html", context)


AGREEMENT_BODY_TEMPLATE = "clauses/reading/partials/agreement_body.html"


def _timelines_html(timelines: list[Timeline]) -> list[SafeString]:
    """Each timeline's SVG, rendered once per layout.

    The key is the laid-out timeline itself (every bar, label and tick the partial prints, and
    today's line), so any change to a version, an event or an instrument, or another day, gives
    another key.
    """
    if not fragments_on():
        return [timeline_svg(timeline) for timeline in timelines]
    rendered = []
    for timeline in timelines:
        key = fragment_key("timeline", repr(timeline), get_language())
        found = fragment_get(key)
        if found is not None:
            rendered.append(SafeString(found["html"]))  # nosec B703 - our escaped render
            continue
        rendered.append(fragment_set(key, timeline_svg(timeline)))
    return rendered


def _diff_in_language(older: list[TextClause], newer: list[TextClause]) -> VersionDiff:
    """The comparison the compare page shows for these two versions (same engine, same input)."""
    return diff_versions(
        clause_texts_from_rows(c for c in older if c.language == DEFAULT_LANGUAGE),
        clause_texts_from_rows(c for c in newer if c.language == DEFAULT_LANGUAGE),
    )


def _text_context(
    request: HttpRequest,
    agreement: Agreement,
    version: Version,
    versions: list[Version],
    addresses: VersionAddresses,
) -> dict[str, Any]:
    """The text of ``version`` in the languages ``?lang`` asks for, rendered once per token.

    On a cache hit this costs one query (the text tokens) and no rendering; the page shows
    ``version_text``. On a miss, see ``_text_tree_context``; the English text is then kept.
    """
    previous = next((v for v in versions if v.pk == version.previous_id), None)
    version_url = addresses(agreement.slug, version.label)
    page_url = request.build_absolute_uri(version_url)
    tree = partial(
        _text_tree_context,
        request,
        agreement,
        version,
        versions,
        previous,
        page_url=page_url,
        previous_url=addresses(agreement.slug, previous.label) if previous else "",
    )
    common = {
        "notice": text_notice(version.text_status),
        "version_url": version_url,
        "page_url": page_url,
    }
    if not fragments_on():
        return {**common, **tree()}
    shown = [version] if previous is None else [version, previous]
    tokens = text_tokens(shown)
    key = fragment_key(
        "version-text",
        agreement.pk,
        agreement.slug,
        agreement.short_title,
        [(v.pk, tokens[v.pk]) for v in shown],
        versions_shown(versions),
        page_url,
        request.GET.get("lang", ""),
    )
    found = fragment_get(key)
    if found is not None:
        return {**common, "clause_count": found["clause_count"], "version_text": found["html"]}
    context = {**common, **tree()}
    html = render_to_string("clauses/reading/partials/version_text.html", context)
    # Why English only: another language's status lives in a version text the key does not
    # follow, so those renders are not kept.
    if context["languages"].shown == (DEFAULT_LANGUAGE,):
        return {
            **context,
            "version_text": fragment_set(key, html, clause_count=context["clause_count"]),
        }
    return {**context, "version_text": SafeString(html)}  # nosec B703 - our escaped render


# Why values: a clause's footnotes are not on the page, and the page reads no model method.
VERSION_CLAUSES = PreparedQuery(
    lambda version, previous: (
        Clause.objects.filter(version_id__in=[version, previous])
        .order_by("order")
        .values_list(*TEXT_CLAUSE_COLUMNS)
    )
)


def _text_tree_context(
    request: HttpRequest,
    agreement: Agreement,
    version: Version,
    versions: list[Version],
    previous: Version | None,
    *,
    page_url: str,
    previous_url: str,
) -> dict[str, Any]:
    """The clause tree of ``version`` in the languages ``?lang`` asks for.

    One query for the clauses of every language (which also says the languages held), and one
    more for the status of a language text other than English, only when one is shown.
    """
    # Why: the previous version's clauses come in the same query, for the badges.
    rows = with_changed_by(
        [
            TextClause(*row)
            for row in VERSION_CLAUSES(
                version=version.pk, previous=version.previous_id or version.pk
            )
        ],
        versions,
    )
    every = [c for c in rows if c.version_id == version.pk]
    choice = language_choice(request.GET.get("lang"), {c.language for c in every})
    clauses = [c for c in every if c.language in choice.shown]
    # Why: a change belongs to the provision, whose key every language text shares, so the
    # badges come from the English comparison (the compare page's) for every column.
    badges = None
    if previous is not None:
        older = [c for c in rows if c.version_id == previous.pk]
        badges = version_badges(_diff_in_language(older, every))
    texts = (
        {t.language: t for t in version.texts.filter(language__in=choice.shown)}
        if choice.shown != (DEFAULT_LANGUAGE,)
        else {}
    )
    clause_url = partial(ClauseAddresses(), agreement.slug)
    columns = [
        language_column(
            code,
            texts.get(code),
            clause_tree(
                [c for c in clauses if c.language == code],
                cite_as=citation_name(agreement, version),
                page_url=page_url,
                history_url=clause_url,
                badges=previous is not None,
                previous_url=previous_url,
                anchor_suffix=f"-{code}" if n else "",
                change_badges=badges,
                cite_note=citation_note(
                    texts[code].text_status if code in texts else version.text_status
                ),
            ),
        )
        for n, code in enumerate(choice.shown)
    ]
    side_rows = side_by_side(columns) if choice.both else ()
    return {
        **version_text_parts(columns[0].tree, side_rows, both=choice.both),
        "tree": columns[0].tree,
        "clause_count": sum(1 for c in clauses if c.language == choice.lead),
        "languages": choice,
        "lead_column": columns[0],
        "columns": columns,
        "rows": side_rows,
    }


def version_detail(request: HttpRequest, slug: str, label: str) -> HttpResponse:
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    version = next((v for v in versions if v.label == label), None)
    if version is None:
        raise Http404("No such version.")
    if request.GET.get("format") == "akn":
        return version_akn_response(
            version, request.GET.get("language") or request.GET.get("lang", "")
        )
    index = versions.index(version)
    addresses = VersionAddresses()
    context = {
        "agreement": agreement,
        "nav": "agreements",
        "version": version,
        "period": period_text(version),
        "previous": versions[index - 1] if index > 0 else None,
        "next": versions[index + 1] if index + 1 < len(versions) else None,
        "previous_url": addresses(slug, versions[index - 1].label) if index > 0 else "",
        "next_url": addresses(slug, versions[index + 1].label) if index + 1 < len(versions) else "",
        "switcher": [
            {"version": v, "url": addresses(slug, v.label), "current": v is version}
            for v in versions
        ],
        **_text_context(request, agreement, version, versions, addresses),
        "compare_picker": compare_picker(
            versions,
            action=reverse("clauses:compare_pick", args=[slug]),
            older=versions[index - 1] if index > 0 else version,
            newer=version if index > 0 else None,
        ),
    }
    return render(request, "clauses/reading/version_detail.html", context)


# Why: sub-clauses nest at most three deep (annex, section, paragraph, item), so one query
# fetches the clause and everything under it in every version; the parents come with it because
# the page names the clause with its place ("Article 5, paragraph 2").
_CLAUSE_AND_PARTS = PreparedQuery(
    lambda agreement_id, key: (
        Clause.objects.filter(version__agreement_id=agreement_id)
        .filter(
            Q(key=key)
            | Q(parent__key=key)
            | Q(parent__parent__key=key)
            | Q(parent__parent__parent__key=key)
        )
        .select_related("parent__parent__parent")
    )
)
# Why by key and language: the clause's own rows in the language its history is followed in,
# as the clause query read them, without a query whose length varies with the versions.
_CLAUSE_HISTORY = PreparedQuery(
    lambda agreement_id, key, language: (
        Clause.history.filter(
            id__in=Clause.objects.filter(
                version__agreement_id=agreement_id, key=key, language=language
            ).values("pk")
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
)
_EFFECTS_ON = PreparedQuery(
    lambda agreement_id, key: Effect.objects.on_key(agreement_id, key).select_related(
        "instrument", "version__agreement"
    )
)


def _through_html(
    agreement: Agreement,
    through: Sequence[ClauseInVersion],
    beside: Sequence[ClauseInVersion],
    other: str,
) -> SafeString:
    """The clause in each version with its redline, and ``beside`` it in the language ``other``."""
    rows = [
        (row, redline, beside[n] if beside else None)
        for n, (row, redline) in enumerate(clause_redlines(through))
    ]
    return clause_versions_html(
        agreement, rows, language_column(other, None, ()) if other else None
    )


def clause_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    every = with_changed_by(_CLAUSE_AND_PARTS(agreement_id=agreement.pk, key=key), versions)
    # Why: the clause's history is followed in one language; English where it has no other.
    languages = language_choice(request.GET.get("lang"), {c.language for c in every})
    rows = [c for c in every if c.language == languages.lead]
    if not any(c.key == key for c in rows):
        raise Http404("No such clause.")
    through = clause_through_versions(
        versions, rows, key=key, version_url=lambda v: _version_url(slug, v.label)
    )
    # Why: the other language's wording comes from the same query; a version without it gets
    # an empty cell, which the page turns into a notice.
    other = languages.shown[1] if languages.both else ""
    beside = (
        clause_through_versions(
            versions,
            [c for c in every if c.language == other],
            key=key,
            version_url=lambda v: f"{_version_url(slug, v.label)}?lang={other}",
        )
        if other
        else ()
    )
    records = _CLAUSE_HISTORY(agreement_id=agreement.pk, key=key, language=languages.lead)
    edits = editorial_history(records, {v.pk: v.title for v in versions})
    corrections = [e for e in edits if e.correction]
    creations = [e for e in edits if not e.correction]
    latest = next(r.clause for r in reversed(through) if r.clause is not None)
    unofficial = [
        r.version.title
        for r in through
        if r.clause is not None and r.version.text_status != TextStatus.OFFICIAL
    ]
    if fragments_on():
        # Why these parts: the rows (every stored field of each clause and its instrument) and
        # the versions are all the section prints; ?lang chooses which rows it shows.
        fragment = fragment_key(
            "clause-versions",
            agreement.pk,
            agreement.slug,
            key,
            request.GET.get("lang", ""),
            versions_shown(versions),
            rows_shown(every),
            get_language(),
        )
        found = fragment_get(fragment)
        if found is not None:
            through_html = SafeString(found["html"])  # nosec B703 - our escaped render
        else:
            through_html = fragment_set(fragment, _through_html(agreement, through, beside, other))
    else:
        through_html = _through_html(agreement, through, beside, other)
    return render(
        request,
        "clauses/reading/clause_detail.html",
        {
            "agreement": agreement,
            "through_html": through_html,
            "nav": "agreements",
            "key": key,
            "latest": latest,
            "place": clause_place(latest),
            "corrections": corrections,
            "corrections_html": corrections_html(corrections),
            "creations": creations,
            "creations_html": creations_html(creations),
            "unofficial_labels": unofficial,
            "effects": _EFFECTS_ON(agreement_id=agreement.pk, key=key),
            "languages": languages,
        },
    )


def _date_error(
    request: HttpRequest, agreement: Agreement, value: str, message: str, *, status: int = 400
) -> HttpResponse:
    """The date form with ``message``: 400 for a bad address, 200 for the form shown again."""
    return render(
        request,
        "clauses/reading/date_error.html",
        {"agreement": agreement, "nav": "agreements", "value": value, "message": message},
        status=status,
    )


BAD_DATE = "“{value}” is not a date. Write it as YYYY-MM-DD, for example 2024-10-01."


LAPSES = PreparedQuery(
    lambda agreement: AgreementEvent.objects.filter(agreement_id=agreement, kind=EventKind.LAPSE)
)
UNDATED_INSTRUMENTS = PreparedQuery(
    lambda agreement: Instrument.objects.filter(
        agreement_id=agreement, signed_on=None, effective_from=None
    )
)


def on_date(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    _require_reader(request)
    agreement, versions = agreement_and_versions(slug)
    parsed = parse_day(day)
    if parsed is None:
        return _date_error(request, agreement, day, BAD_DATE.format(value=day))
    lapses: list[AgreementEvent] = LAPSES(agreement=agreement.pk)
    # Why: instruments never found (no dates) make a day's text presumed, not established.
    missing: list[Instrument] = UNDATED_INSTRUMENTS(agreement=agreement.pk)
    state = state_from(parsed, versions, lapses, today=timezone.localdate(), instruments=missing)
    context: dict[str, Any] = {
        "agreement": agreement,
        "nav": "agreements",
        "state": state,
        "day": parsed,
        "day_text": long_date(parsed),
        "picker_min": versions[0].in_force_from.isoformat() if versions else "",
    }
    if state.version is not None:
        context["period"] = period_text(state.version)
        context.update(
            _text_context(request, agreement, state.version, versions, VersionAddresses())
        )
    return render(request, "clauses/reading/on_date.html", context)


def on_date_pick(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    agreement = get_object_or_404(Agreement, slug=slug)
    value = request.GET.get("date", "")
    if "date" not in request.GET:
        return _date_error(request, agreement, "", "", status=200)
    if not value.strip():
        message = "Choose a date to see the text in force."
        return _date_error(request, agreement, value, message, status=200)
    parsed = parse_day(value)
    if parsed is None:
        return _date_error(request, agreement, value, BAD_DATE.format(value=value), status=200)
    return redirect("clauses:on_date", slug=slug, day=parsed.isoformat())
