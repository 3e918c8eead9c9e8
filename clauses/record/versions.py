"""Writes to agreements, versions and clauses. Every write records who and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from sta_tracker.history import save_with_history
from sta_tracker.text import strip_bidi_controls
from sta_tracker.transactions import after_commit

from ..hooks import version_published
from ..importing.matching import MatchedClause, PreviousClause, carry_forward, match_clauses
from ..importing.structure import ParsedClause
from ..models import (
    DEFAULT_LANGUAGE,
    Agreement,
    ChangeKind,
    Clause,
    Instrument,
    Version,
    VersionText,
    Wording,
)
from .tree import write_tree


class VersionError(Exception):
    """A version cannot be published as asked; the message says why, for the person asking."""


def previous_clauses(version: Version, language: str = DEFAULT_LANGUAGE) -> list[PreviousClause]:
    """The clauses of ``version`` in ``language`` still in force (repealed ones left out)."""
    rows = (
        version.clauses.filter(language=language)
        .exclude(change=ChangeKind.REPEALED)
        .select_related("parent")
        .order_by("order")
    )
    return [
        PreviousClause(
            key=c.key,
            kind=c.kind,
            number=c.number,
            heading=c.heading,
            text=c.text,
            parent=c.parent.key if c.parent_id and c.parent else None,
            notes=tuple(c.notes),
        )
        for c in rows
    ]


def version_publish(
    *,
    agreement: Agreement,
    instrument: Instrument,
    label: str,
    title: str,
    in_force_from: dt.date,
    in_force_until: dt.date | None,
    text_status: str,
    clauses: Sequence[ParsedClause] | None,
    acting_user: Any,
    reason: str,
    previous: Version | None = None,
    notes: str = "",
    date_notes: dict[str, Any] | None = None,
    matched: Sequence[MatchedClause] | None = None,
    wording: Mapping[str, str] | None = None,
    period_reason: str = "",
) -> Version:
    """Publish a new version of ``agreement``, matched clause by clause with ``previous``.

    ``clauses=None`` publishes a version that changes no text (an extension): the previous
    version's clauses are carried forward unchanged into a new in-force period. ``previous``
    defaults to the latest version in force before ``in_force_from``. ``matched`` gives the
    clauses already matched with ``previous`` (an import plan), so ``clauses`` is not read;
    ``wording`` says, by key, where each clause's wording comes from (official by default).
    ``period_reason`` says why the version before stops being in force, where it does; it is
    kept in that version's history row.
    """
    reason = reason.strip()
    if not reason:
        raise VersionError("Say why the version is published; the reason is kept in the history.")
    if Version.objects.filter(agreement=agreement, label=label).exists():
        raise VersionError(f"{agreement.short_title} already has a version labelled {label!r}.")
    if in_force_until is not None and in_force_until <= in_force_from:
        raise VersionError("The in-force period must end after it starts.")
    if previous is None:
        previous = (
            Version.objects.filter(agreement=agreement, in_force_from__lte=in_force_from)
            .order_by("-in_force_from", "-published_at")
            .first()
        )
    prior = previous_clauses(previous) if previous is not None else []
    if matched is not None:
        if not matched:
            raise VersionError("No clauses were found in the text.")
    elif clauses is None:
        if previous is None:
            raise VersionError("A version without text needs a previous version to carry forward.")
        matched = carry_forward(prior)
    else:
        if not clauses:
            raise VersionError("No clauses were found in the text.")
        try:
            matched = match_clauses(prior, clauses)
        except ValueError as exc:
            raise VersionError(str(exc)) from exc

    if in_force_until is None:
        # Why: a version published between two others is in force until the later one starts.
        later = (
            Version.objects.filter(agreement=agreement, in_force_from__gt=in_force_from)
            .order_by("in_force_from")
            .first()
        )
        in_force_until = later.in_force_from if later is not None else None

    with transaction.atomic():
        version = Version(
            agreement=agreement,
            instrument=instrument,
            label=label,
            title=title,
            previous=previous,
            in_force_from=in_force_from,
            in_force_until=in_force_until,
            text_status=text_status,
            notes=notes,
            date_notes=date_notes or {},
        )
        save_with_history(version, acting_user=acting_user, reason=reason)
        save_with_history(
            VersionText(version=version, language=DEFAULT_LANGUAGE, text_status=text_status),
            acting_user=acting_user,
            reason=reason,
        )
        _supersede(previous, by=version, acting_user=acting_user, reason=period_reason)
        _write_clauses(
            version, instrument, matched, wording or {}, acting_user=acting_user, reason=reason
        )
        if previous is not None:
            after_commit(_enqueue_diff_precompute, version.pk)
            after_commit(_enqueue_proposal_flagging, version.pk)
    return version


def _supersede(
    previous: Version | None, *, by: Version, acting_user: Any, reason: str = ""
) -> None:
    """End an open or overlapping in-force period of ``previous`` where ``by`` begins.

    Its history row says which version took over and, when the publisher gave one, why.
    """
    if previous is None or previous.in_force_from >= by.in_force_from:
        return
    if previous.in_force_until is not None and previous.in_force_until <= by.in_force_from:
        return
    previous.in_force_until = by.in_force_from
    said = f"Superseded by version {by.label}"
    if reason.strip():
        said = f"{said}: {reason.strip()}"
    save_with_history(previous, acting_user=acting_user, reason=said)


def _enqueue_diff_precompute(version_id: int) -> None:
    # Why: imported here because the tasks module imports the import services, which import this.
    from ..tasks import precompute_version_diff

    precompute_version_diff.delay(version_id)


def _enqueue_proposal_flagging(version_id: int) -> None:
    # Why a signal: the apps keeping work on the texts (proposals citing a clause this version
    # amends or repeals) connect to it; this app imports none of them.
    version_published.send(sender=Version, version_id=version_id)


def _write_clauses(
    version: Version,
    instrument: Instrument,
    matched: Sequence[MatchedClause],
    wording: Mapping[str, str],
    *,
    acting_user: Any,
    reason: str,
) -> None:
    def build(m: MatchedClause, order: int, level: int, parent: Clause | None) -> Clause:
        return Clause(
            version=version,
            key=m.key,
            kind=m.kind,
            number=m.number,
            heading=m.heading,
            text=m.text,
            parent=parent,
            order=order,
            depth=level,
            change=m.change,
            changed_by=None if m.change == ChangeKind.UNCHANGED else instrument,
            previous_number=m.previous_number,
            notes=list(m.notes),
            wording=wording.get(m.key, Wording.OFFICIAL),
        )

    write_tree(matched, Clause, build, acting_user=acting_user, reason=reason)


def clause_correct(
    *, clause: Clause, heading: str, text: str, acting_user: Any, reason: str
) -> Clause:
    """An editorial correction of one clause, recorded in its history with a reason."""
    if not reason.strip():
        raise VersionError("Say why the clause is corrected.")
    with transaction.atomic():
        locked = Clause.objects.select_for_update().get(pk=clause.pk)
        # Why: the text rule of sta_tracker/text.py holds for corrections as for imports.
        locked.heading = strip_bidi_controls(heading)
        locked.text = strip_bidi_controls(text)
        save_with_history(locked, acting_user=acting_user, reason=reason)
    return locked
