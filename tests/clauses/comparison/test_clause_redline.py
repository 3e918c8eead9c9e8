"""On the clause page, each version's text is a redline against the version before."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from clauses.comparison.display import clause_redlines
from clauses.models import Agreement, Clause, Version
from clauses.reading.read_models import clause_through_versions
from clauses.record.versions import clause_correct
from tests.factories import article, make_agreement, make_version

from ..pages_data import paragraph
from .compare_data import build_pair

pytestmark = pytest.mark.django_db


def rows(html: str) -> dict[str, str]:
    found = re.findall(r'<li class="through-row[^"]*">(.*?)</li>', html, re.S)
    return {re.search(r">(Version [^<]+)</a>", row)[1]: row for row in found}  # type: ignore[index]


def build_scoped() -> Agreement:
    """Article 1 keeps its own text while one paragraph is amended, one repealed, one added."""
    scoped = make_agreement("scoped", short_title="Scoped")
    make_version(
        scoped,
        "2001",
        [
            article(1, "", heading="Scope"),
            paragraph("art_1", 1, "Cooperation covers agriculture and energy."),
            paragraph("art_1", 2, "Each party designates an executive agent."),
        ],
        in_force_from=dt.date(2001, 1, 1),
        in_force_until=dt.date(2011, 1, 1),
    )
    make_version(
        scoped,
        "2011",
        [
            article(1, "", heading="Scope"),
            paragraph("art_1", 1, "Cooperation covers agriculture, energy and space."),
            paragraph("art_1", 2, "Researchers are kept safe from harm at all times."),
        ],
        in_force_from=dt.date(2011, 1, 1),
    )
    return scoped


def redlines_of(agreement: Agreement, key: str) -> list[Any]:
    versions = list(agreement.versions.order_by("in_force_from"))
    through = clause_through_versions(
        versions,
        Clause.objects.filter(version__agreement=agreement),
        key=key,
        version_url=lambda v: f"/v/{v.label}/",
    )
    return [redline for _, redline in clause_redlines(through)]


def ops(items: Any) -> list[tuple[str, str]]:
    return [(op.kind, op.text) for op in items]


def test_the_first_version_has_nothing_to_compare_with() -> None:
    first, second = redlines_of(build_pair(), "art_1")
    assert first is None
    assert second.against == Version.objects.get(label="2001")
    assert second.against_url == "/v/2001/#art_1"
    assert ops(second.text) == [
        ("equal", "The parties cooperate in "),
        ("insert", "basic "),
        ("equal", "science and technology on the basis of equality."),
    ]
    assert (second.changed, second.words_inserted, second.words_deleted) == (True, 1, 0)


def test_sub_clauses_are_compared_by_key_and_repealed_ones_struck_out() -> None:
    _, redline = redlines_of(build_scoped(), "art_1")
    assert redline.changed
    assert ops(redline.text) == []
    summary = [(p.number, p.status, ops(p.text)) for p in redline.parts]
    assert summary == [
        (
            "1.",
            "amended",
            [
                ("equal", "Cooperation covers agriculture"),
                ("delete", " and energy"),
                ("insert", ", energy and space"),
                ("equal", "."),
            ],
        ),
        ("2.", "removed", [("delete", "Each party designates an executive agent.")]),
        ("2.", "added", [("insert", "Researchers are kept safe from harm at all times.")]),
    ]
    assert (redline.words_inserted, redline.words_deleted) == (3 + 9, 2 + 6)


def test_the_page_shows_the_amended_version_as_a_redline(client: Client, dana: Any) -> None:
    build_pair()
    client.force_login(dana)
    by_version = rows(client.get("/agreements/pact/clauses/art_1/").content.decode())
    amended = by_version["Version 2011"]
    assert '<div class="clause-redline">' in amended
    assert (
        'Compared with <a href="/agreements/pact/versions/2001/#art_1">Version 2001</a>: '
        "1 word <ins>inserted</ins>, 0 <del>deleted</del>."
    ) in amended
    assert "<p>The parties cooperate in <ins>basic </ins>science and technology" in amended
    assert "<summary>Text of this version without marks</summary>" in amended
    assert "clause-redline" not in by_version["Version 2001"]


def test_the_page_marks_changes_inside_sub_clauses(client: Client, dana: Any) -> None:
    build_scoped()
    client.force_login(dana)
    row = rows(client.get("/agreements/scoped/clauses/art_1/").content.decode())["Version 2011"]
    assert (
        '<p class="part part-depth-1"><span class="clause-number">2.</span> '
        '<del>Each party designates an executive agent.</del> <span class="badge badge-removed">'
        "Removed</span></p>"
    ) in row
    assert '<ins>Researchers are kept safe from harm at all times.</ins> <span class="badge' in row


def test_an_unchanged_version_still_says_it_is_the_same_text(client: Client, dana: Any) -> None:
    build_pair()
    client.force_login(dana)
    row = rows(client.get("/agreements/pact/clauses/art_3/").content.decode())["Version 2011"]
    assert "Same text as in the previous version" in row
    assert "clause-redline" not in row


def test_a_correction_shows_up_in_the_next_versions_redline(
    client: Client, dana: Any, erin: Any
) -> None:
    build_pair()
    clause_correct(
        clause=Clause.objects.get(version__label="2001", key="art_3"),
        heading="Costs",
        text="Each party bears its own costs of participation in any activity.",
        acting_user=erin,
        reason="transcription error",
    )
    client.force_login(dana)
    row = rows(client.get("/agreements/pact/clauses/art_3/").content.decode())["Version 2011"]
    gap = '<span class="redline-gap"> </span>'
    assert f"participation in <del>any</del>{gap}<ins>every</ins> activity." in row
