"""A small STA-shaped agreement, and a larger one, for the browsing pages and point-in-time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clauses.importing.structure import ParsedClause
from clauses.models import Agreement, EventKind, InstrumentKind, TextStatus, Version
from tests.factories import article, make_agreement, make_event, make_version

SIGNED_1979 = dt.date(1979, 1, 31)
EXTENDED_1984 = dt.date(1984, 1, 31)
AMENDED_2018 = dt.date(2018, 6, 27)
EXPIRED_2023 = dt.date(2023, 8, 27)
EXTENDED_2024_02 = dt.date(2024, 2, 27)
ANNOUNCED_2024_03 = dt.date(2024, 3, 7)
LAPSED_2024 = dt.date(2024, 8, 27)
PROTOCOL_SIGNED_2024 = dt.date(2024, 12, 13)
PROTOCOL_ENDS_2029 = dt.date(2029, 8, 27)


def paragraph(parent: str, number: int, text: str) -> ParsedClause:
    return ParsedClause(
        key=f"{parent}__para_{number}",
        kind="paragraph",
        number=f"{number}.",
        heading="",
        text=text,
        parent=parent,
    )


def build_sta(**agreement_fields: Any) -> Agreement:
    """The STA's shape: 1979 text, an extension, the 2018 IP annex, short extensions, the lapse
    and the 2024 protocol that took effect retroactively."""
    sta = make_agreement(**agreement_fields)
    base = [
        article(
            1,
            "The parties cooperate in science and technology on the basis of equality.",
            heading="Purpose",
        ),
        paragraph("art_1", 1, "Cooperation covers agriculture, energy and space."),
        paragraph("art_1", 2, "Each party designates an executive agent."),
        article(
            2,
            "A joint commission meets once a year, alternately in each country.",
            heading="Joint Commission",
        ),
        article(3, "Each party bears its own costs of participation.", heading="Costs"),
    ]
    make_version(sta, "1979", base, in_force_from=SIGNED_1979, in_force_until=EXTENDED_1984)
    make_version(
        sta,
        "1984",
        None,
        in_force_from=EXTENDED_1984,
        in_force_until=AMENDED_2018,
        kind=InstrumentKind.EXTENSION,
    )
    annex = ParsedClause(
        key="annex_1",
        kind="annex",
        number="Annex I",
        heading="Intellectual property",
        text="Each party protects inventions.",
    )
    make_version(
        sta,
        "2018",
        [*base, annex],
        in_force_from=AMENDED_2018,
        in_force_until=EXPIRED_2023,
        kind=InstrumentKind.AMENDMENT,
    )
    make_version(
        sta,
        "2023",
        None,
        in_force_from=EXPIRED_2023,
        in_force_until=EXTENDED_2024_02,
        kind=InstrumentKind.EXTENSION,
    )
    make_version(
        sta,
        "2024-03",
        None,
        in_force_from=EXTENDED_2024_02,
        in_force_until=LAPSED_2024,
        signed_on=ANNOUNCED_2024_03,
        kind=InstrumentKind.EXTENSION,
    )
    make_event(
        sta,
        "lapse-2024",
        LAPSED_2024,
        PROTOCOL_SIGNED_2024,
        kind=EventKind.LAPSE,
        title="The 2024 lapse",
    )
    make_event(
        sta,
        "hr-5245",
        dt.date(2024, 9, 10),
        kind=EventKind.LEGISLATION,
        title="H.R. 5245 received in the Senate",
    )
    protocol = [
        base[0],
        base[1],
        base[2],
        article(
            2,
            "A dispute between the parties is settled by consultation; either party may "
            "cease cooperation when the other does not reciprocate.",
            heading="Dispute resolution",
            key="art_2_new",
        ),
        article(3, "Each party bears its own costs of participation.", heading="Costs"),
        article(
            4,
            "Cooperation is limited to basic research and excludes critical and emerging "
            "technologies.",
            heading="Scope",
        ),
        annex,
    ]
    make_version(
        sta,
        "2024",
        protocol,
        in_force_from=LAPSED_2024,
        in_force_until=PROTOCOL_ENDS_2029,
        signed_on=PROTOCOL_SIGNED_2024,
        kind=InstrumentKind.PROTOCOL,
        text_status=TextStatus.ILLUSTRATIVE,
    )
    return sta


def build_large(slug: str = "large", versions: int = 6, articles: int = 20) -> Agreement:
    """``versions`` versions of ``articles`` articles with two paragraphs each (3 × clauses)."""
    agreement = make_agreement(slug, short_title=f"Large {slug}")
    start = dt.date(1990, 1, 1)
    for n in range(versions):
        clauses: list[ParsedClause] = []
        for a in range(1, articles + 1):
            # Why: every version amends a few articles, so change badges and history vary.
            suffix = f" (revised in round {n})" if a % 5 == n % 5 else ""
            clauses.append(
                article(
                    a,
                    f"Article {a} of the large agreement says things{suffix}.",
                    heading=f"Heading {a}",
                )
            )
            clauses.append(paragraph(f"art_{a}", 1, f"First paragraph of article {a}."))
            clauses.append(paragraph(f"art_{a}", 2, f"Second paragraph of article {a}."))
        begins = start.replace(year=start.year + 5 * n)
        make_version(
            agreement,
            f"v{n + 1}",
            clauses,
            in_force_from=begins,
            in_force_until=begins.replace(year=begins.year + 5),
        )
    return agreement


def version(agreement: Agreement, label: str) -> Version:
    return Version.objects.get(agreement=agreement, label=label)
