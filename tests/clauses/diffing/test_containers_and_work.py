"""Containers pair by what they hold, and aligning two versions does linear work."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.match_bench import inputs, moved_article
from benchmarks.synthetic import synthetic_agreement
from clauses.diffing import ClauseText, Status, diff_versions
from clauses.diffing.align import CANDIDATES_PER_CLAUSE, COUNTED_PER_CLAUSE, alignment_work
from clauses.importing.matching import PreviousClause, match_clauses
from clauses.importing.structure import ParsedClause


def _article(n: int, heading: str) -> ClauseText:
    return ClauseText(f"art_{n}", "article", f"Article {n}", heading, "", None, order=n * 10)


def _para(article: int, n: int, text: str) -> ClauseText:
    key = f"art_{article}__para_{n}"
    return ClauseText(
        key, "paragraph", f"{article}.{n}", "", text, f"art_{article}", order=article * 10 + n
    )


OLD = [
    _article(1, "Visits"),
    _para(1, 1, "Scientists of both Parties may visit laboratories and observatories."),
    _article(2, "Results"),
    _para(2, 1, "Each Party shall publish the results of joint research within a year."),
    _article(3, "Commission"),
    _para(3, 1, "The Parties shall set up a joint commission meeting once a year."),
]


def test_moving_one_article_with_keys_by_position_reports_that_article_moved() -> None:
    # Article 1 moved to the end; keys and numbers re-derived from the new positions.
    new = [
        replace(_article(1, "Results"), order=10),
        replace(_para(1, 1, OLD[3].text), order=11),
        replace(_article(2, "Commission"), order=20),
        replace(_para(2, 1, OLD[5].text), order=21),
        replace(_article(3, "Visits"), order=30),
        replace(_para(3, 1, OLD[1].text), order=31),
    ]
    diff = diff_versions(OLD, new)
    changed = [(c.old_key, c.new_key, c.status) for c in diff.clauses if c.changed]
    assert changed == [
        ("art_2", "art_1", Status.RENUMBERED),
        ("art_2__para_1", "art_1__para_1", Status.RENUMBERED),
        ("art_3", "art_2", Status.RENUMBERED),
        ("art_3__para_1", "art_2__para_1", Status.RENUMBERED),
        ("art_1", "art_3", Status.MOVED),
        ("art_1__para_1", "art_3__para_1", Status.RENUMBERED),
    ]


def test_a_container_is_not_paired_on_its_key_alone() -> None:
    old = [_article(1, "Visits"), _para(1, 1, OLD[1].text)]
    new = [_article(1, "Taxes"), _para(1, 1, "Customs duties are waived for equipment.")]
    statuses = [(c.old_key, c.new_key, c.status) for c in diff_versions(old, new).clauses]
    assert statuses == [
        ("art_1", None, Status.REMOVED),
        ("art_1__para_1", None, Status.REMOVED),
        (None, "art_1", Status.ADDED),
        (None, "art_1__para_1", Status.ADDED),
    ]


def test_a_container_without_any_evidence_keeps_its_key_when_number_and_heading_agree() -> None:
    old = [_article(1, "Visits"), _para(1, 1, OLD[1].text)]
    new = [_article(1, "Visits"), _para(1, 1, "Customs duties are waived for equipment.")]
    statuses = [(c.old_key, c.new_key, c.status) for c in diff_versions(old, new).clauses]
    assert statuses[0] == ("art_1", "art_1", Status.UNCHANGED)


def test_swapping_the_versions_mirrors_the_container_pairs() -> None:
    old, new = inputs(125)["moved article"]
    forward = {(c.old_key, c.new_key, c.status) for c in diff_versions(old, new).clauses}
    backward = {(c.new_key, c.old_key, c.status) for c in diff_versions(new, old).clauses}
    assert forward == backward


def test_the_matcher_reports_one_moved_article_and_keeps_every_key() -> None:
    base = synthetic_agreement(clauses=250, words=250 * 40, seed=3)
    new = moved_article(base)
    matched = match_clauses(
        [PreviousClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in base],
        [ParsedClause(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in new],
    )
    assert sorted(m.key for m in matched) == sorted(c.key for c in base)
    assert {m.change for m in matched} <= {"unchanged", "renumbered"}
    moved = [c for c in diff_versions(base, new).clauses if c.status == Status.MOVED]
    assert [(c.old_key, c.kind) for c in moved] == [("art_2", "article")]


def test_unrelated_versions_cost_a_bounded_number_of_candidates_per_clause() -> None:
    for size in (250, 1000):
        old, new = inputs(size)["unrelated"]
        work = alignment_work(old, new)
        # Each clause keeps at most COUNTED_PER_CLAUSE candidates from each direction.
        assert work.candidate_pairs <= 2 * COUNTED_PER_CLAUSE * work.clauses
        assert work.text_diffs <= 2 * CANDIDATES_PER_CLAUSE * work.clauses


def test_a_revision_diffs_about_one_pair_per_clause() -> None:
    old, new = inputs(1000)["revision"]
    work = alignment_work(old, new)
    assert work.candidate_pairs <= 2 * COUNTED_PER_CLAUSE * work.clauses
    assert work.text_diffs <= work.clauses
