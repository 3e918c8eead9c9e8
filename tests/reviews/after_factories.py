"""Small builders for the ledger and dispute tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reviews import services
from reviews.models import Dispute, LedgerEntry, Proposal
from reviews.services import ExchangeInput


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def exchange(**overrides: Any) -> ExchangeInput:
    values: dict[str, Any] = {
        "direction": "to_partner",
        "item": "dataset",
        "description": "Ice-core isotope series, 2019–2023",
        "requested_on": days_ago(10),
        "channel": "E-mail to the partner's data office",
    }
    values.update(overrides)
    return ExchangeInput(**values)


def record(proposal: Proposal, user: Any, **overrides: Any) -> LedgerEntry:
    return services.ledger_entry_record(
        proposal=proposal, data=exchange(**overrides), acting_user=user
    )


def refused_request(proposal: Proposal, user: Any) -> LedgerEntry:
    return record(
        proposal,
        user,
        requested_on=days_ago(20),
        refused_on=days_ago(5),
        refusal_reason="Data are held by a national archive and may not leave the country.",
    )


def open_dispute(proposal: Proposal, opener: Any, *, ground: str = "reciprocity") -> Dispute:
    """A dispute over a refused request, citing the 2024 version's reciprocity article."""
    entry = refused_request(proposal, opener)
    clause = services.clauses_in_force(timezone.localdate()).get(number="Article 3")
    return services.dispute_open(
        proposal=proposal,
        ground=ground,
        statement="The partner refuses to share the ice-core data it agreed to share.",
        cited_clause_ids=[clause.pk],
        evidence_entry_ids=[entry.pk],
        acting_user=opener,
    )
