"""The import's record, the version page's badges and the compare page agree on each change."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from clauses.importing.structure import ParsedClause
from clauses.models import Clause
from tests.factories import article, make_agreement, make_version

pytestmark = pytest.mark.django_db

ALPHA = "Scientists of both Parties may visit laboratories, observatories and field stations."
BETA = "Each Party shall publish the results of joint research within one calendar year."
GAMMA = "This Agreement enters into force on the date of its signature by both Parties."
DELTA = "The Parties shall set up a joint commission that meets once a year in each capital."


def paragraph(key: str, number: str, text: str, parent: str) -> ParsedClause:
    return ParsedClause(
        key=key, kind="paragraph", number=number, heading="", text=text, parent=parent
    )


def container(number: int, heading: str) -> ParsedClause:
    return article(number, "", heading=heading)


CASES: dict[str, tuple[list[ParsedClause], list[ParsedClause]]] = {
    "split": (
        [article(1, f"{ALPHA} {BETA}"), article(2, GAMMA)],
        [article(1, ALPHA), article(2, BETA), article(3, GAMMA)],
    ),
    "merge": (
        [article(1, ALPHA), article(2, BETA), article(3, GAMMA)],
        [article(1, f"{ALPHA} {BETA}"), article(2, GAMMA)],
    ),
    "move": (
        [
            container(1, "Visits"),
            paragraph("art_1__para_1", "1.1", ALPHA, "art_1"),
            container(2, "Results"),
            paragraph("art_2__para_1", "2.1", BETA, "art_2"),
            paragraph("art_2__para_2", "2.2", DELTA, "art_2"),
        ],
        [
            container(1, "Visits"),
            paragraph("art_1__para_1", "1.1", ALPHA, "art_1"),
            paragraph("art_1__para_2", "1.2", DELTA, "art_1"),
            container(2, "Results"),
            paragraph("art_2__para_1", "2.1", BETA, "art_2"),
        ],
    ),
    "amended and renumbered": (
        [article(1, ALPHA), article(2, BETA)],
        [
            article(1, DELTA),
            article(2, ALPHA),
            article(3, BETA.replace("one calendar year", "two calendar years")),
        ],
    ),
}

# key in the new version -> (stored change, previous number), as the import records it
RECORDED = {
    "split": [
        ("art_1", "amended", ""),
        ("art_2_2", "added", ""),
        ("art_2", "renumbered", "Article 2"),
    ],
    "merge": [
        ("art_1", "amended", ""),
        ("art_2", "repealed", "Article 2"),
        ("art_3", "renumbered", "Article 3"),
    ],
    "move": [
        ("art_1", "unchanged", ""),
        ("art_1__para_1", "unchanged", ""),
        ("art_2__para_2", "renumbered", "2.2"),
        ("art_2", "unchanged", ""),
        ("art_2__para_1", "unchanged", ""),
    ],
    "amended and renumbered": [
        ("art_1_2", "added", ""),
        ("art_1", "renumbered", "Article 1"),
        ("art_2", "amended", "Article 2"),
    ],
}

# key -> the badge on the version page
VERSION_BADGES = {
    "split": [
        ("art_1", "Split from Article 1"),
        ("art_2_2", "Split from Article 1"),
        ("art_2", "Renumbered (was Article 2)"),
    ],
    "merge": [
        ("art_1", "Merged from Article 1, Article 2"),
        ("art_2", "Merged into Article 1"),
        ("art_3", "Renumbered (was Article 3)"),
    ],
    "move": [("art_2__para_2", "Moved (was 2.2)")],
    "amended and renumbered": [
        ("art_1_2", "Added"),
        ("art_1", "Renumbered (was Article 1)"),
        ("art_2", "Amended and renumbered (was Article 2)"),
    ],
}

# (old key, new key, status, badge) of each changed row on the compare page
COMPARE_ROWS = {
    "split": [
        ("art_1", "art_1", "split", "Split"),
        ("art_1", "art_2_2", "split", "Split"),
        ("art_2", "art_2", "renumbered", "Renumbered"),
    ],
    "merge": [
        ("art_1", "art_1", "merged", "Merged"),
        ("art_2", "art_1", "merged", "Merged"),
        ("art_3", "art_3", "renumbered", "Renumbered"),
    ],
    "move": [("art_2__para_2", "art_2__para_2", "moved", "Moved")],
    "amended and renumbered": [
        (None, "art_1_2", "added", "Added"),
        ("art_1", "art_1", "renumbered", "Renumbered"),
        ("art_2", "art_2", "amended", "Amended and renumbered"),
    ],
}


@pytest.fixture
def reader(client: Client, dana: Any) -> Client:
    client.force_login(dana)
    return client


def _flatten(nodes: Any) -> Any:
    for node in nodes:
        yield node
        yield from _flatten(node.children)


def _publish(case: str) -> str:
    slug = re.sub(r"\W+", "-", case)
    agreement = make_agreement(slug, short_title=case)
    old, new = CASES[case]
    make_version(agreement, "v1", old, in_force_from=dt.date(2000, 1, 1))
    make_version(agreement, "v2", new, in_force_from=dt.date(2010, 1, 1))
    return slug


@pytest.mark.parametrize("case", list(CASES))
def test_the_import_records_each_change_with_the_diff_engines_pairing(case: str) -> None:
    slug = _publish(case)
    stored = Clause.objects.filter(version__agreement__slug=slug, version__label="v2")
    assert [(c.key, c.change, c.previous_number) for c in stored.order_by("order")] == RECORDED[
        case
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_the_version_page_badges_are_the_compare_pages_verdicts(case: str, reader: Client) -> None:
    slug = _publish(case)
    response = reader.get(f"/agreements/{slug}/versions/v2/")
    nodes = list(_flatten(response.context["tree"]))
    assert [(n.clause.key, n.badge) for n in nodes if n.badge] == VERSION_BADGES[case]
    page = response.content.decode()
    for node in nodes:
        if node.badge:
            assert f'<span class="badge badge-{node.badge_css}">{node.badge}</span>' in page


@pytest.mark.parametrize("case", list(CASES))
def test_the_compare_page_and_its_json_give_the_same_rows(case: str, reader: Client) -> None:
    slug = _publish(case)
    response = reader.get(f"/agreements/{slug}/compare/v1...v2/")
    rows = [
        (r.diff.old_key, r.diff.new_key, r.status, r.badge)
        for r in response.context["rows"]
        if r.changed
    ]
    assert rows == COMPARE_ROWS[case]
    body = reader.get(f"/api/agreements/{slug}/diff/?old=v1&new=v2&changes_only=true").json()
    assert [(c["old_key"], c["new_key"], c["status"]) for c in body["clauses"]] == [
        row[:3] for row in COMPARE_ROWS[case]
    ]
