"""The audit chain over decisions and transition events: sealing new records, checking the lot.

Each record is sealed in the transaction that writes it, by a link holding the SHA-256 of the
link's position, the previous link's hash and the record's content. ``verify_chain`` recomputes
every hash, so a record changed, deleted, inserted outside the workflow, or links removed or
reordered, show up as the first link that no longer fits. The newest hash (the head) can be
written down elsewhere and given back later as an anchor: a chain rewritten from some point on
no longer contains it.

The content functions read plain attributes only, so the migration that sealed the records
written before the chain existed uses them on its historical models too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, models

GENESIS = "0" * 64
EVENT = "event"
DECISION = "decision"
# Why: one fixed key, so every writer of the chain queues behind the same advisory lock.
_CHAIN_LOCK_KEY = 0x5741_0001
_BATCH = 1000


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def event_content(event: Any) -> dict[str, Any]:
    return {
        "proposal": event.proposal_id,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "round": event.round,
        "actor": event.actor_id,
        "reason": event.reason,
        "created_at": _moment(event.created_at),
    }


def decision_content(decision: Any, cited_clause_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "proposal": decision.proposal_id,
        "round": decision.round,
        "outcome": decision.outcome,
        "conditions": decision.conditions,
        "questions": decision.questions,
        "reason": decision.reason,
        "risk_benefit_assessment": decision.risk_benefit_assessment_id,
        "security_assessment": decision.security_assessment_id,
        "decided_by": decision.decided_by_id,
        "decided_at": _moment(decision.decided_at),
        "cited_clauses": sorted(cited_clause_ids),
    }


def link_hash(seq: int, kind: str, record_id: int, prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(
        {"seq": seq, "kind": kind, "record": record_id, "prev": prev_hash, "content": content},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def lock_chain() -> None:
    """Hold the chain until the transaction ends, so links are appended one writer at a time.

    PostgreSQL takes an advisory lock; SQLite already lets one writer at a time in, and every
    caller has written its record before sealing it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("Seal audit records inside the transaction that writes them.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def seal(record: Any) -> Any:
    """Append ``record`` (a ProposalEvent or a Decision, already saved) to the chain."""
    from .models import AuditLink, Decision, ProposalEvent

    if isinstance(record, Decision):
        kind = DECISION
        content = decision_content(record, record.cited_clauses.values_list("pk", flat=True))
    elif isinstance(record, ProposalEvent):
        kind, content = EVENT, event_content(record)
    else:
        raise TypeError(f"Only decisions and transition events are sealed, not {record!r}.")
    lock_chain()
    last = AuditLink.objects.order_by("-seq").only("seq", "hash").first()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS
    return AuditLink.objects.create(
        seq=seq,
        kind=kind,
        record_id=record.pk,
        prev_hash=prev_hash,
        hash=link_hash(seq, kind, record.pk, prev_hash, content),
    )


@dataclass(frozen=True)
class Break:
    """One place where the chain no longer holds; ``seq`` is None for an unsealed record."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class ChainReport:
    links: int = 0
    events: int = 0
    decisions: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)
    missing_anchors: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.missing_anchors


def verify_chain(*, anchors: Iterable[str] = ()) -> ChainReport:
    """Recompute the whole chain; the report lists every break, the first one first."""
    from .models import AuditLink

    report = ChainReport()
    wanted_anchors = {a.strip().lower() for a in anchors if a.strip()}
    expected_seq, prev_hash = 1, GENESIS
    links = AuditLink.objects.order_by("seq").iterator(chunk_size=_BATCH)
    for batch in _batches(links, _BATCH):
        records = _records_for(batch)
        for link in batch:
            report.links += 1
            name = f"link {link.seq}"
            if link.seq != expected_seq:
                gap = "is missing" if link.seq > expected_seq else "is out of place"
                report.breaks.append(
                    Break(link.seq, f"Audit chain broken at {name}: link {expected_seq} {gap}.")
                )
            if link.prev_hash != prev_hash:
                report.breaks.append(
                    Break(
                        link.seq,
                        f"Audit chain broken at {name}: it does not follow the link before it "
                        "(a link was removed, inserted or reordered).",
                    )
                )
            content = records.get((link.kind, link.record_id))
            label = _label(link.kind, link.record_id, content)
            if content is None:
                report.breaks.append(
                    Break(link.seq, f"Audit chain broken at {name}: {label} is gone (deleted).")
                )
            elif link_hash(link.seq, link.kind, link.record_id, link.prev_hash, content) != (
                link.hash
            ):
                report.breaks.append(
                    Break(
                        link.seq,
                        f"Audit chain broken at {name}: {label} no longer matches its seal "
                        "(changed after it was recorded).",
                    )
                )
            if link.kind == EVENT:
                report.events += 1
            else:
                report.decisions += 1
            wanted_anchors.discard(link.hash)
            expected_seq, prev_hash = link.seq + 1, link.hash
            report.head_seq, report.head_hash = link.seq, link.hash
    report.breaks.extend(_unsealed())
    report.missing_anchors = sorted(wanted_anchors)
    return report


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _label(kind: str, record_id: int, content: dict[str, Any] | None) -> str:
    noun = "decision" if kind == DECISION else "event"
    if content is None:
        return f"{noun} {record_id}"
    return f"{noun} {record_id} of proposal {content['proposal']}"


def _records_for(links: list[Any]) -> dict[tuple[str, int], dict[str, Any]]:
    from .models import Decision, ProposalEvent

    event_ids = [link.record_id for link in links if link.kind == EVENT]
    decision_ids = [link.record_id for link in links if link.kind == DECISION]
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for event in ProposalEvent.objects.filter(pk__in=event_ids):
        found[(EVENT, event.pk)] = event_content(event)
    cited: dict[int, list[int]] = {}
    through = Decision.cited_clauses.through.objects.filter(decision_id__in=decision_ids)
    for decision_id, clause_id in through.values_list("decision_id", "clause_id"):
        cited.setdefault(decision_id, []).append(clause_id)
    for decision in Decision.objects.filter(pk__in=decision_ids):
        found[(DECISION, decision.pk)] = decision_content(decision, cited.get(decision.pk, []))
    return found


def _unsealed() -> list[Break]:
    from .models import AuditLink, Decision, ProposalEvent

    breaks = []
    for kind, model, moment in (
        (EVENT, ProposalEvent, "created_at"),
        (DECISION, Decision, "decided_at"),
    ):
        sealed = AuditLink.objects.filter(kind=kind).values("record_id")
        loose: models.QuerySet[Any] = (
            model.objects.exclude(pk__in=sealed).order_by(moment, "pk").values("pk", "proposal_id")
        )
        for row in loose:
            breaks.append(
                Break(
                    None,
                    f"{kind.capitalize()} {row['pk']} of proposal {row['proposal_id']} is not in "
                    "the audit chain: it was written outside the workflow.",
                )
            )
    return breaks
