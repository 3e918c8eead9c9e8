"""One agreement against another: provisions aligned by their words, never by their keys.

"How does their IP annex differ from the STA's?": the diff engine's similarity alignment pairs
the provisions of the two texts (or of one provision of each), and every clause of either side
is shown once, in a pair or alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ..diffing import (
    AlignedPair,
    ClauseText,
    Op,
    SimilarityAlignment,
    align_by_similarity,
    clause_texts_from_rows,
)
from ..models import DEFAULT_LANGUAGE, Agreement, AgreementEvent, Clause, EventKind, Version
from ..permissions import ONLY_DESK_USERS, can_use_desk
from ..reading.views import agreement_and_versions
from ..record.inforce import version_in_force
from .across_prints import across_diff, across_texts
from .cache import CLAUSE_FIELDS
from .display import clause_places
from .print_requests import export_or_refusal, print_request
from .views import BadOptions

WHOLE = ""


@dataclass(frozen=True)
class PairRow:
    left_path: str
    right_path: str
    percent: int
    by_contents: bool
    ops: tuple[Op, ...]
    heading_ops: tuple[Op, ...]
    changed: bool


@dataclass(frozen=True)
class AloneRow:
    path: str
    text: str


def within(clauses: Sequence[ClauseText], key: str) -> tuple[ClauseText, ...]:
    """The clause ``key`` and everything under it, in reading order (the whole text for "")."""
    if key == WHOLE:
        return tuple(clauses)
    keep = {key}
    for clause in clauses:
        if clause.parent in keep:
            keep.add(clause.key)
    return tuple(c for c in clauses if c.key in keep)


def part_choices(clauses: Sequence[ClauseText]) -> list[tuple[str, str]]:
    """The provisions a reader may pick: the whole text, then each clause that holds others."""
    places = clause_places(clauses)
    parents = {c.parent for c in clauses if c.parent is not None}
    return [(WHOLE, "The whole text")] + [
        (c.key, places.path(c.key)) for c in clauses if c.key in parents
    ]


def pair_row(pair: AlignedPair, left: Any, right: Any) -> PairRow:
    by_contents = not pair.left.text and not pair.right.text
    return PairRow(
        left_path=left.path(pair.left.key),
        right_path=right.path(pair.right.key),
        percent=round(pair.text.similarity * 100),
        by_contents=by_contents,
        ops=pair.text.ops,
        heading_ops=pair.heading.ops,
        changed=pair.text.changed or pair.heading.changed,
    )


def _in_force_or_latest(
    versions: Sequence[Version], events: Sequence[AgreementEvent]
) -> Version | None:
    return version_in_force(timezone.localdate(), versions, events) or (
        versions[-1] if versions else None
    )


PARAMS = ("with", "ours", "theirs", "our_part", "their_part")


@dataclass
class AcrossComparison:
    """What the page, its downloads and the API need: the choices made and, when valid, the
    alignment of the two texts."""

    agreement: Agreement
    others: list[Agreement]
    params: dict[str, str]
    errors: list[str] = field(default_factory=list)
    other: Agreement | None = None
    their_versions: list[Version] = field(default_factory=list)
    ours: Version | None = None
    theirs: Version | None = None
    our_parts: list[tuple[str, str]] = field(default_factory=list)
    their_parts: list[tuple[str, str]] = field(default_factory=list)
    alignment: SimilarityAlignment | None = None
    left: tuple[ClauseText, ...] = ()
    right: tuple[ClauseText, ...] = ()
    left_places: Any = None
    right_places: Any = None

    @property
    def our_part_name(self) -> str:
        return dict(self.our_parts).get(self.params["our_part"], "")

    @property
    def their_part_name(self) -> str:
        return dict(self.their_parts).get(self.params["their_part"], "")


def across_compared(
    agreement: Agreement, versions: list[Version], raw: Mapping[str, str]
) -> AcrossComparison:
    """Align ``agreement``'s text (or a provision of it) with another agreement's.

    ``raw`` holds the query's choices; what is wrong with them is in ``errors``, and no
    alignment is made then. Without ``with``, only the defaults are chosen.
    """
    params = {name: str(raw.get(name, "")).strip()[:200] for name in PARAMS}
    others = list(Agreement.objects.exclude(pk=agreement.pk).order_by("short_title", "pk"))
    result = AcrossComparison(agreement, others, params)
    if not params["with"]:
        lapses = list(agreement.events.filter(kind=EventKind.LAPSE))
        result.ours = _pick(versions, params["ours"], lapses)
        return result
    other = next((a for a in others if a.slug == params["with"]), None)
    if other is None:
        result.errors.append(
            f"“{params['with']}” is not another agreement held here: choose one from the list."
        )
        return result
    _, their_versions = agreement_and_versions(other.slug)
    events = list(
        AgreementEvent.objects.filter(
            agreement__in=[agreement, other], kind=EventKind.LAPSE
        ).order_by("starts_on")
    )
    ours = _pick(versions, params["ours"], [e for e in events if e.agreement_id == agreement.pk])
    theirs = _pick(
        their_versions, params["theirs"], [e for e in events if e.agreement_id == other.pk]
    )
    result.other, result.their_versions, result.ours, result.theirs = (
        other,
        their_versions,
        ours,
        theirs,
    )
    for version, name, who in ((ours, "ours", agreement), (theirs, "theirs", other)):
        if version is None:
            result.errors.append(
                f"The {who.short_title} has no version “{params[name]}”: choose one from the list."
                if params[name]
                else f"The {who.short_title} has no text to compare."
            )
    if ours is None or theirs is None:
        return result
    rows = list(
        Clause.objects.filter(version__in=[ours, theirs], language=DEFAULT_LANGUAGE)
        .only(*CLAUSE_FIELDS, "order", "change")
        .order_by("version_id", "order")
    )
    # Why without repealed placeholders: a provision repealed is not in the text compared.
    our_all = [
        c
        for c in clause_texts_from_rows(r for r in rows if r.version_id == ours.pk)
        if not c.repealed
    ]
    their_all = [
        c
        for c in clause_texts_from_rows(r for r in rows if r.version_id == theirs.pk)
        if not c.repealed
    ]
    result.our_parts, result.their_parts = part_choices(our_all), part_choices(their_all)
    for key, choices, name in (
        (params["our_part"], result.our_parts, agreement.short_title),
        (params["their_part"], result.their_parts, other.short_title),
    ):
        if key not in {k for k, _ in choices}:
            result.errors.append(
                f"The chosen text of the {name} has no provision “{key}”: choose one from the list."
            )
    if result.errors:
        return result
    result.left = within(our_all, params["our_part"])
    result.right = within(their_all, params["their_part"])
    result.alignment = align_by_similarity(result.left, result.right)
    result.left_places, result.right_places = clause_places(our_all), clause_places(their_all)
    return result


def compare_across(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_use_desk(request.user):
        raise PermissionDenied(ONLY_DESK_USERS)
    agreement, versions = agreement_and_versions(slug)
    result = across_compared(agreement, versions, request.GET)
    context: dict[str, Any] = {
        "agreement": agreement,
        "nav": "agreements",
        "others": result.others,
        "versions": versions,
        "params": result.params,
        "errors": result.errors,
        "ours": result.ours,
    }
    if result.other is not None:
        context.update(
            other=result.other,
            their_versions=result.their_versions,
            theirs=result.theirs,
            our_parts=result.our_parts,
            their_parts=result.their_parts,
        )
    alignment = result.alignment
    if alignment is None:
        return render(request, "clauses/comparison/compare_across.html", context)
    try:
        export = print_request(request.GET)
    except BadOptions as exc:
        context["errors"] = [str(exc)]
        return render(request, "clauses/comparison/compare_across.html", context, status=400)
    chosen = {k: v for k, v in result.params.items() if v}
    url = reverse("clauses:compare_across", args=[slug])
    query = f"?{urlencode(chosen)}"
    api_url = reverse("api-diff-across", args=[slug]) + query
    if export.format == "json":
        return redirect(api_url)
    if export.format:
        return export_or_refusal(
            request,
            export,
            texts=across_texts(result),
            diff=across_diff(result),
            page_url=request.build_absolute_uri(url + query),
            back=url + query,
        )
    left_places, right_places = result.left_places, result.right_places
    context.update(
        compared=True,
        our_part_name=result.our_part_name,
        their_part_name=result.their_part_name,
        pairs=[pair_row(p, left_places, right_places) for p in alignment.pairs],
        left_only=[AloneRow(left_places.path(c.key), c.text) for c in alignment.left_only],
        right_only=[AloneRow(right_places.path(c.key), c.text) for c in alignment.right_only],
        left_count=len(result.left),
        right_count=len(result.right),
        export_form={"action": url, "keep": list(chosen.items()), "api": api_url},
    )
    return render(request, "clauses/comparison/compare_across.html", context)


def _pick(
    versions: Sequence[Version], label: str, events: Sequence[AgreementEvent]
) -> Version | None:
    if label:
        return next((v for v in versions if v.label == label), None)
    return _in_force_or_latest(versions, events)
