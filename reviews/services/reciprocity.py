"""The data-reciprocity ledger: recording requests and their answers, correcting entries, and the
indicators that show whether data flows both ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.text import NUL_MESSAGE

from .. import permissions
from ..attachments import attachment_problem, content_type_for
from ..errors import InvalidInput, TransitionNotAllowed
from ..models import (
    LedgerAttachment,
    LedgerDirection,
    LedgerEntry,
    LedgerItem,
    LedgerStatus,
    Proposal,
)
from ..models.reciprocity import ledger_status
from ..workflow import LIVE_STATES, ProposalAction
from .core import clean_reason, lock, move, require_action

MAX_LEDGER_ATTACHMENTS = 10
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class ExchangeInput:
    """One request as a person records it."""

    direction: str
    item: str
    description: str
    requested_on: dt.date | None
    channel: str
    provided_on: dt.date | None = None
    refused_on: dt.date | None = None
    refusal_reason: str = ""


def _text(value: str, field_name: str, errors: dict[str, list[str]], *, required: str) -> str:
    if "\x00" in (value or ""):
        errors.setdefault(field_name, []).append(NUL_MESSAGE)
        return ""
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field_name, []).append(required)
    return text


def clean_exchange(data: ExchangeInput, *, today: dt.date) -> ExchangeInput:
    """The request stripped, or InvalidInput naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    if data.direction not in LedgerDirection.values:
        errors["direction"] = ["Say whether the request went to the partner or came from them."]
    if data.item not in LedgerItem.values:
        errors["item"] = [
            "Say what was asked for: a dataset, samples, results, publications or access to a "
            "facility."
        ]
    description = _text(
        data.description, "description", errors, required="Say what exactly was asked for."
    )
    channel = _text(
        data.channel, "channel", errors, required="Say how it was asked (letter, e-mail, portal)."
    )
    refusal_reason = _text(data.refusal_reason, "refusal_reason", errors, required="")
    requested = data.requested_on
    if requested is None:
        errors["requested_on"] = ["Give the date the request was made."]
    elif requested > today:
        errors["requested_on"] = ["The request date is in the future."]
    if data.provided_on and data.refused_on:
        errors["refused_on"] = ["A request is either provided or refused, not both."]
    for name, answered in (("provided_on", data.provided_on), ("refused_on", data.refused_on)):
        if answered is None:
            continue
        if answered > today:
            errors.setdefault(name, []).append("The date is in the future.")
        elif requested is not None and answered < requested:
            errors.setdefault(name, []).append("The answer cannot come before the request.")
    if data.refused_on and not refusal_reason:
        errors["refusal_reason"] = ["Give the reason the partner gave for refusing."]
    if refusal_reason and not data.refused_on:
        errors["refusal_reason"] = ["Only a refusal has a reason for refusing."]
    if errors:
        raise InvalidInput(errors)
    return ExchangeInput(
        direction=data.direction,
        item=data.item,
        description=description,
        requested_on=requested,
        channel=channel,
        provided_on=data.provided_on,
        refused_on=data.refused_on,
        refusal_reason=refusal_reason,
    )


def entry_summary(entry: LedgerEntry | ExchangeInput) -> str:
    """One line naming the request and its answer, as events and mail give it."""
    what = LedgerItem(entry.item).label.lower()
    way = LedgerDirection(entry.direction).label.lower()
    asked = entry.requested_on.isoformat() if entry.requested_on else "?"
    line = f"{way}: {what}, asked on {asked}"
    if entry.provided_on:
        return f"{line}, provided on {entry.provided_on.isoformat()}"
    if entry.refused_on:
        return f"{line}, refused on {entry.refused_on.isoformat()} ({entry.refusal_reason})"
    return f"{line}, open"


def _write(
    locked: Proposal,
    data: ExchangeInput,
    *,
    acting_user: Any,
    reason: str,
    corrects: LedgerEntry | None,
) -> LedgerEntry:
    assert data.requested_on is not None  # noqa: S101 - clean_exchange requires it
    entry = LedgerEntry(
        proposal=locked,
        direction=data.direction,
        item=data.item,
        description=data.description,
        requested_on=data.requested_on,
        provided_on=data.provided_on,
        refused_on=data.refused_on,
        refusal_reason=data.refusal_reason,
        channel=data.channel,
        corrects=corrects,
        correction_reason=reason if corrects is not None else "",
        recorded_by=acting_user,
    )
    save_with_history(entry, acting_user=acting_user, reason=reason)
    return entry


def ledger_entry_record(
    *, proposal: Proposal, data: ExchangeInput, acting_user: Any
) -> LedgerEntry:
    """Record a request in the project's ledger, with its answer if there is one already.

    The submitter and reviewers record, while the project is approved or suspended; the project's
    audit trail gets an event naming the request.
    """
    cleaned = clean_exchange(data, today=timezone.localdate())
    reason = f"Ledger: {entry_summary(cleaned)}"
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked,
            ProposalAction.RECORD_EXCHANGE,
            permissions.refusal_record_exchange(acting_user, locked),
        )
        entry = _write(locked, cleaned, acting_user=acting_user, reason=reason, corrects=None)
        move(locked, ProposalAction.RECORD_EXCHANGE, acting_user=acting_user, reason=reason)
    return entry


def ledger_entry_correct(
    *, entry: LedgerEntry, data: ExchangeInput, acting_user: Any, reason: str
) -> LedgerEntry:
    """Replace an entry by a new one saying why (a mistake, or the answer that came since).

    The entry replaced stays as it was; only the latest of a chain of corrections counts.
    """
    reason = clean_reason(reason)
    cleaned = clean_exchange(data, today=timezone.localdate())
    with transaction.atomic(durable=True):
        locked = lock(entry.proposal_id)
        require_action(
            locked,
            ProposalAction.CORRECT_EXCHANGE,
            permissions.refusal_record_exchange(acting_user, locked),
        )
        original = LedgerEntry.objects.select_for_update().get(pk=entry.pk, proposal=locked)
        if LedgerEntry.objects.filter(corrects=original).exists():
            raise TransitionNotAllowed(
                "This entry was already corrected; correct the latest entry instead."
            )
        if _same(original, cleaned):
            raise InvalidInput.single("description", "The correction changes nothing.")
        replacement = _write(
            locked, cleaned, acting_user=acting_user, reason=reason, corrects=original
        )
        move(
            locked,
            ProposalAction.CORRECT_EXCHANGE,
            acting_user=acting_user,
            reason=f"Ledger entry {original.pk} corrected: {reason}\nNow {entry_summary(cleaned)}",
        )
    return replacement


def as_input(entry: LedgerEntry, **changes: Any) -> ExchangeInput:
    """The entry's values, with ``changes``, as a correction starts from them."""
    values: dict[str, Any] = {
        "direction": entry.direction,
        "item": entry.item,
        "description": entry.description,
        "requested_on": entry.requested_on,
        "channel": entry.channel,
        "provided_on": entry.provided_on,
        "refused_on": entry.refused_on,
        "refusal_reason": entry.refusal_reason,
    }
    values.update(changes)
    return ExchangeInput(**values)


def _same(entry: LedgerEntry, data: ExchangeInput) -> bool:
    return as_input(entry) == data


def ledger_attachment_add(
    *, entry: LedgerEntry, upload: File[Any], acting_user: Any, reason: str
) -> LedgerAttachment:
    """Keep a file as evidence of a ledger entry, within the attachment rules of proposals."""
    reason = clean_reason(reason)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    problem = attachment_problem(
        name, upload.size or 0, head, max_bytes=settings.STA_ATTACHMENT_MAX_BYTES
    )
    if problem:
        raise InvalidInput.single("file", problem)
    with transaction.atomic(durable=True):
        locked = lock(entry.proposal_id)
        require_action(
            locked,
            ProposalAction.RECORD_EXCHANGE,
            permissions.refusal_record_exchange(acting_user, locked),
        )
        row = LedgerEntry.objects.get(pk=entry.pk, proposal=locked)
        if row.attachments.count() >= MAX_LEDGER_ATTACHMENTS:
            raise InvalidInput.single(
                "file", f"A ledger entry can carry at most {MAX_LEDGER_ATTACHMENTS} files."
            )
        attachment = LedgerAttachment(
            entry=row,
            name=name[:200],
            content_type=content_type_for(name),
            size=upload.size or 0,
            uploaded_by=acting_user,
        )
        try:
            attachment.file.save(name, upload, save=False)
            save_with_history(attachment, acting_user=acting_user, reason=reason)
            move(
                locked,
                ProposalAction.RECORD_EXCHANGE,
                acting_user=acting_user,
                reason=f"Evidence “{attachment.name}” added to ledger entry {row.pk}: {reason}",
            )
        except Exception:
            # Why: a refused or failed attachment must not leave its file behind.
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


# Indicators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WayFigures:
    """The requests one way: how many, met, refused, open, and open past the threshold."""

    requests: int = 0
    provided: int = 0
    refused: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def due(self) -> int:
        """Requests that owe an answer by now: answered, or open past the threshold."""
        return self.provided + self.refused + self.overdue

    @property
    def share_met(self) -> float | None:
        return self.provided / self.due if self.due else None

    @property
    def share_percent(self) -> int | None:
        share = self.share_met
        return None if share is None else round(share * 100)


@dataclass(frozen=True)
class Indicators:
    """Whether data flows both ways on one project, and why it is a concern if it is one."""

    to_partner: WayFigures
    from_partner: WayFigures
    last_exchange_on: dt.date | None
    open_days: int
    min_share_percent: int
    concerns: tuple[str, ...] = field(default=())

    @property
    def is_concern(self) -> bool:
        return bool(self.concerns)

    @property
    def ways(self) -> list[tuple[str, WayFigures]]:
        return [
            ("To the partner (ours to them)", self.to_partner),
            ("From the partner (theirs to us)", self.from_partner),
        ]


class Counted(Protocol):
    """What the indicators read of a request: a ledger entry, or its figures alone."""

    @property
    def direction(self) -> str: ...
    @property
    def status(self) -> LedgerStatus: ...
    @property
    def requested_on(self) -> dt.date: ...
    @property
    def provided_on(self) -> dt.date | None: ...


class Exchange(NamedTuple):
    """The figures of one ledger entry the indicators count, read without the entry itself."""

    proposal_id: int
    direction: str
    requested_on: dt.date
    provided_on: dt.date | None
    refused_on: dt.date | None

    @property
    def status(self) -> LedgerStatus:
        return ledger_status(self.provided_on, self.refused_on)


def indicators_for(
    entries: Iterable[Counted],
    *,
    today: dt.date | None = None,
    open_days: int | None = None,
    min_share_percent: int | None = None,
) -> Indicators:
    """The indicators of a project from its entries in force (``LedgerEntry.objects.current()``).

    A request is overdue when open more than ``open_days`` days; a project is a concern when a
    request to the partner is overdue, or when the partner met less than the minimum share of
    the requests that owe an answer.
    """
    day = today or timezone.localdate()
    days = settings.STA_RECIPROCITY_OPEN_DAYS if open_days is None else open_days
    minimum = (
        settings.STA_RECIPROCITY_MIN_SHARE_PERCENT
        if min_share_percent is None
        else min_share_percent
    )
    counts: dict[str, dict[str, int]] = {
        way: dict.fromkeys(("requests", "provided", "refused", "open", "overdue"), 0)
        for way in LedgerDirection.values
    }
    last: dt.date | None = None
    for entry in entries:
        tally = counts[entry.direction]
        tally["requests"] += 1
        status = entry.status
        if status == LedgerStatus.PROVIDED:
            tally["provided"] += 1
            if entry.provided_on and (last is None or entry.provided_on > last):
                last = entry.provided_on
        elif status == LedgerStatus.REFUSED:
            tally["refused"] += 1
        else:
            tally["open"] += 1
            if (day - entry.requested_on).days > days:
                tally["overdue"] += 1
    to_partner = WayFigures(**counts[LedgerDirection.TO_PARTNER])
    from_partner = WayFigures(**counts[LedgerDirection.FROM_PARTNER])
    concerns = []
    if to_partner.overdue:
        plural = "s" if to_partner.overdue != 1 else ""
        concerns.append(
            f"{to_partner.overdue} request{plural} to the partner open longer than {days} days."
        )
    share = to_partner.share_percent
    if share is not None and share < minimum:
        concerns.append(
            f"The partner met {share}% of the requests owing an answer; the threshold is "
            f"{minimum}%."
        )
    return Indicators(
        to_partner=to_partner,
        from_partner=from_partner,
        last_exchange_on=last,
        open_days=days,
        min_share_percent=minimum,
        concerns=tuple(concerns),
    )


def project_indicators(proposal: Proposal, *, today: dt.date | None = None) -> Indicators:
    """The indicators of one project, in one query."""
    return indicators_for(LedgerEntry.objects.filter(proposal=proposal).current(), today=today)


@dataclass(frozen=True)
class Concern:
    proposal: Proposal
    indicators: Indicators
    open_dispute: Any = None


def reciprocity_concerns(proposals: Any = None, *, today: dt.date | None = None) -> list[Concern]:
    """Projects still running whose indicators cross the threshold, most overdue first.

    ``proposals`` narrows the projects (a scoped queryset); three queries whatever the number.
    """
    from ..models import Dispute

    scope = proposals if proposals is not None else Proposal.objects.all()
    live = scope.filter(state__in=list(LIVE_STATES))
    flagged = _concerning(_exchanges(live), today)
    if not flagged:
        return []
    projects = live.filter(pk__in=flagged).select_related("submitter")
    disputes = {d.proposal_id: d for d in Dispute.objects.open().filter(proposal__in=flagged)}
    found = [Concern(p, flagged[p.pk], disputes.get(p.pk)) for p in projects]
    found.sort(key=lambda c: (-c.indicators.to_partner.overdue, c.proposal.pk))
    return found


def programme_reciprocity(*, today: dt.date | None = None) -> tuple[Indicators, int]:
    """The indicators over the entries in force of every running project, and how many of
    those projects are a concern (``reciprocity_concerns``), from one query."""
    exchanges = _exchanges(Proposal.objects.filter(state__in=list(LIVE_STATES)))
    return indicators_for(exchanges, today=today), len(_concerning(exchanges, today))


def _exchanges(live: Any) -> list[Exchange]:
    """The figures of the entries in force of the projects in ``live``, in the order recorded."""
    entries = LedgerEntry.objects.current().filter(proposal__in=live.values("pk")).order_by("pk")
    return [Exchange(*row) for row in entries.values_list(*Exchange._fields)]


def _concerning(exchanges: Iterable[Exchange], today: dt.date | None) -> dict[int, Indicators]:
    """The indicators of each project the exchanges name whose indicators are a concern."""
    by_project: dict[int, list[Exchange]] = {}
    for exchange in exchanges:
        by_project.setdefault(exchange.proposal_id, []).append(exchange)
    return {
        pk: indicators
        for pk, rows in by_project.items()
        if (indicators := indicators_for(rows, today=today)).is_concern
    }
