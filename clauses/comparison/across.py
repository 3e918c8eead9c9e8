"""One agreement against another: provisions aligned by their words, never by their keys.

"How does their IP annex differ from the STA's?": the diff engine's similarity alignment pairs
the provisions of the two texts (or of one provision of each), and every clause of either side
is shown once, in a pair or alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..diffing import AlignedPair, ClauseText, Op, align_by_similarity, clause_texts_from_rows
from ..models import DEFAULT_LANGUAGE, Agreement, AgreementEvent, Clause, EventKind, Version
from ..permissions import ONLY_DESK_USERS, can_use_desk
from ..reading.views import agreement_and_versions
from ..record.inforce import version_in_force
from .cache import CLAUSE_FIELDS
from .display import clause_places

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


def compare_across(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_use_desk(request.user):
        raise PermissionDenied(ONLY_DESK_USERS)
    agreement, versions = agreement_and_versions(slug)
    others = list(Agreement.objects.exclude(pk=agreement.pk).order_by("short_title", "pk"))
    params = {
        name: request.GET.get(name, "").strip()[:200]
        for name in ("with", "ours", "theirs", "our_part", "their_part")
    }
    context: dict[str, Any] = {
        "agreement": agreement,
        "nav": "agreements",
        "others": others,
        "versions": versions,
        "params": params,
        "errors": [],
    }
    other = next((a for a in others if a.slug == params["with"]), None)
    if not params["with"]:
        lapses = list(agreement.events.filter(kind=EventKind.LAPSE))
        context["ours"] = _pick(versions, params["ours"], lapses)
        return render(request, "clauses/comparison/compare_across.html", context)
    if other is None:
        context["errors"].append(
            f"“{params['with']}” is not another agreement held here: choose one from the list."
        )
        return render(request, "clauses/comparison/compare_across.html", context)
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
    context.update(other=other, their_versions=their_versions, ours=ours, theirs=theirs)
    for version, name, who in ((ours, "ours", agreement), (theirs, "theirs", other)):
        if version is None:
            context["errors"].append(
                f"The {who.short_title} has no version “{params[name]}”: choose one from the list."
                if params[name]
                else f"The {who.short_title} has no text to compare."
            )
    if ours is None or theirs is None:
        return render(request, "clauses/comparison/compare_across.html", context)
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
    our_parts, their_parts = part_choices(our_all), part_choices(their_all)
    context.update(our_parts=our_parts, their_parts=their_parts)
    for key, choices, name in (
        (params["our_part"], our_parts, agreement.short_title),
        (params["their_part"], their_parts, other.short_title),
    ):
        if key not in {k for k, _ in choices}:
            context["errors"].append(
                f"The chosen text of the {name} has no provision “{key}”: choose one from the list."
            )
    if context["errors"]:
        return render(request, "clauses/comparison/compare_across.html", context)
    left = within(our_all, params["our_part"])
    right = within(their_all, params["their_part"])
    alignment = align_by_similarity(left, right)
    left_places, right_places = clause_places(our_all), clause_places(their_all)
    context.update(
        compared=True,
        our_part_name=dict(our_parts)[params["our_part"]],
        their_part_name=dict(their_parts)[params["their_part"]],
        pairs=[pair_row(p, left_places, right_places) for p in alignment.pairs],
        left_only=[AloneRow(left_places.path(c.key), c.text) for c in alignment.left_only],
        right_only=[AloneRow(right_places.path(c.key), c.text) for c in alignment.right_only],
        left_count=len(left),
        right_count=len(right),
    )
    return render(request, "clauses/comparison/compare_across.html", context)


def _pick(
    versions: Sequence[Version], label: str, events: Sequence[AgreementEvent]
) -> Version | None:
    if label:
        return next((v for v in versions if v.label == label), None)
    return _in_force_or_latest(versions, events)
