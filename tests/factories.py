"""Small builders for test data; personas are created by fixtures in conftest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from clauses.importing.structure import ParsedClause
from clauses.models import (
    Agreement,
    AgreementEvent,
    EventKind,
    Instrument,
    InstrumentKind,
    TextStatus,
    Version,
    system_user,
)
from clauses.record.versions import version_publish
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role, ensure_role_groups

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *roles: Role, **extra: Any) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.gov", **extra
    )
    groups = ensure_role_groups()
    for role in roles:
        user.groups.add(groups[role])
    return user


def the_decider() -> Any:
    """Judy, a reviewer who decides proposals others assessed (made once, then reused)."""
    found = get_user_model().objects.filter(username="judy").first()
    return found if found is not None else make_user("judy", Role.REVIEWER)


def make_agreement(slug: str = "sta", **fields: Any) -> Agreement:
    agreement = Agreement(
        slug=slug,
        title=fields.pop("title", "Agreement on Cooperation in Science and Technology"),
        short_title=fields.pop("short_title", "STA"),
        parties=fields.pop("parties", ["United States of America", "People's Republic of China"]),
        **fields,
    )
    save_with_history(agreement, acting_user=system_user(), reason="test data")
    return agreement


def make_instrument(agreement: Agreement, slug: str, **fields: Any) -> Instrument:
    instrument = Instrument(
        agreement=agreement,
        slug=slug,
        kind=fields.pop("kind", InstrumentKind.AGREEMENT),
        title=fields.pop("title", f"Instrument {slug}"),
        text_status=fields.pop("text_status", TextStatus.ILLUSTRATIVE),
        **fields,
    )
    save_with_history(instrument, acting_user=system_user(), reason="test data")
    return instrument


def article(number: int, text: str, **kw: Any) -> ParsedClause:
    return ParsedClause(
        key=kw.pop("key", f"art_{number}"),
        kind="article",
        number=f"Article {number}",
        heading=kw.pop("heading", ""),
        text=text,
        parent=kw.pop("parent", None),
    )


def make_version(
    agreement: Agreement,
    label: str,
    clauses: list[ParsedClause] | None,
    *,
    in_force_from: dt.date,
    in_force_until: dt.date | None = None,
    signed_on: dt.date | None = None,
    kind: str = InstrumentKind.AGREEMENT,
    text_status: str = TextStatus.ILLUSTRATIVE,
) -> Version:
    instrument = make_instrument(
        agreement,
        f"{label}-instrument",
        kind=kind,
        signed_on=signed_on or in_force_from,
        effective_from=in_force_from,
        expires_on=in_force_until,
        text_status=text_status,
    )
    return version_publish(
        agreement=agreement,
        instrument=instrument,
        label=label,
        title=f"Version {label}",
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        text_status=text_status,
        clauses=clauses,
        acting_user=system_user(),
        reason="test data",
    )


def make_event(
    agreement: Agreement,
    slug: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    **fields: Any,
) -> AgreementEvent:
    event = AgreementEvent(
        agreement=agreement,
        slug=slug,
        kind=fields.pop("kind", EventKind.LAPSE),
        title=fields.pop("title", f"Event {slug}"),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )
    save_with_history(event, acting_user=system_user(), reason="test data")
    return event
