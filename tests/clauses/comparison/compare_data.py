"""A small agreement whose two versions show every kind of change once or twice."""

from __future__ import annotations

import datetime as dt

from clauses.models import Agreement, TextStatus, Version
from tests.factories import article, make_agreement, make_version

PURPOSE = "The parties cooperate in science and technology on the basis of equality."
COMMISSION = "A joint commission meets once a year."
COSTS = "Each party bears its own costs of participation in every activity."
VISITS = "Scientists may visit laboratories."
ENTRY = "This agreement enters into force on signature."


def build_pair(
    slug: str = "pact",
    *,
    older_status: str = TextStatus.OFFICIAL,
    newer_status: str = TextStatus.OFFICIAL,
) -> Agreement:
    """Versions "2001" and "2011": Article 1 amended, Article 2 removed, Article 4 moved up to
    become Article 2, Article 3 unchanged, two articles added and Article 5 renumbered 6."""
    pact = make_agreement(slug, short_title="Pact", title="Pact on Scientific Cooperation")
    make_version(
        pact,
        "2001",
        [
            article(1, PURPOSE, heading="Purpose"),
            article(2, COMMISSION, heading="Joint Commission"),
            article(3, COSTS, heading="Costs"),
            article(4, VISITS, heading="Visits"),
            article(5, ENTRY, heading="Entry into force"),
        ],
        in_force_from=dt.date(2001, 1, 1),
        in_force_until=dt.date(2011, 1, 1),
        text_status=older_status,
    )
    make_version(
        pact,
        "2011",
        [
            article(1, PURPOSE.replace("in science", "in basic science"), heading="Purpose"),
            article(2, VISITS, heading="Visits"),
            article(3, COSTS, heading="Costs"),
            article(4, "Each party protects the safety of researchers.", heading="Safety"),
            article(5, "Disputes are settled by consultation.", heading="Disputes"),
            article(6, ENTRY, heading="Entry into force"),
        ],
        in_force_from=dt.date(2011, 1, 1),
        text_status=newer_status,
    )
    return pact


def versions(agreement: Agreement) -> tuple[Version, Version]:
    return (
        Version.objects.get(agreement=agreement, label="2001"),
        Version.objects.get(agreement=agreement, label="2011"),
    )
