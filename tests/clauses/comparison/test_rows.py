"""Compare rows: where each clause stands, what happened to it, and its neighbouring changes."""

from __future__ import annotations

from clauses.comparison.display import compare_rows, new_runs, old_runs, summary_counts
from clauses.diffing import ClauseText, DiffStats, Op, diff_versions

SHARING = "Research data produced jointly shall be available to the participants of both Parties."


def clause(
    key: str,
    kind: str,
    number: str,
    text: str,
    order: int,
    heading: str = "",
    parent: str | None = None,
) -> ClauseText:
    return ClauseText(key, kind, number, heading, text, parent=parent, order=order)


OLD = [
    clause("art_5", "article", "Article 5", "", 1, heading="Data"),
    clause("art_5__para_1", "paragraph", "1.", "Data are kept.", 2, parent="art_5"),
    clause("art_5__para_2", "paragraph", "2.", SHARING, 3, parent="art_5"),
    clause("art_6", "article", "Article 6", "Each party bears its own costs.", 4, heading=""),
]
NEW = [
    clause("art_5", "article", "Article 5", "", 1, heading="Data"),
    clause("art_5__para_1", "paragraph", "1.", "Data are kept.", 2, parent="art_5"),
    clause("art_6", "article", "Article 6", "Each party bears its own costs.", 3, heading=""),
    clause("annex_1", "annex", "Annex 1", "", 4, heading="Data management"),
    clause("annex_1__sec_II", "section", "II.", "", 5, heading="Access", parent="annex_1"),
    clause(
        "annex_1__sec_II__para_A",
        "paragraph",
        "A.",
        SHARING.replace("jointly", "jointly by researchers"),
        6,
        parent="annex_1__sec_II",
    ),
]


def test_a_paragraph_moved_into_an_annex_names_its_old_and_new_places() -> None:
    rows = {row.anchor: row for row in compare_rows(diff_versions(OLD, NEW))}
    moved = rows["annex_1-sec_II-para_A"]
    assert moved.status == "moved"
    assert moved.note == "Moved from Article 5, paragraph 2 and edited"
    assert moved.path == "Annex 1, section II, paragraph A"
    assert moved.old_path == "Article 5, paragraph 2"
    assert moved.new_path == moved.path
    assert moved.depth == 2
    assert moved.as_heading is False
    assert moved.spoken == "Annex 1, section II, paragraph A, moved"


def test_changes_are_numbered_in_reading_order_and_linked_to_their_neighbours() -> None:
    rows = compare_rows(diff_versions(OLD, NEW))
    changed = [
        (r.anchor, r.change_index, r.previous_change, r.next_change) for r in rows if r.changed
    ]
    assert changed == [
        ("annex_1", 1, "", "annex_1-sec_II"),
        ("annex_1-sec_II", 2, "annex_1", "annex_1-sec_II-para_A"),
        ("annex_1-sec_II-para_A", 3, "annex_1-sec_II", ""),
    ]
    unchanged = [r for r in rows if not r.changed]
    assert [r.change_index for r in unchanged] == [0, 0, 0]
    assert [r.anchor for r in compare_rows(diff_versions(OLD, NEW), changed_only=True)] == [
        "annex_1",
        "annex_1-sec_II",
        "annex_1-sec_II-para_A",
    ]


def test_each_side_keeps_only_its_own_text() -> None:
    ops = (Op("equal", "A "), Op("delete", "red"), Op("insert", "blue"), Op("equal", " sky"))
    assert [(r.kind, r.text) for r in old_runs(ops)] == [
        ("equal", "A "),
        ("delete", "red"),
        ("equal", " sky"),
    ]
    assert [(r.kind, r.text) for r in new_runs(ops)] == [
        ("equal", "A "),
        ("insert", "blue"),
        ("equal", " sky"),
    ]
    loose = (Op("equal", "A, b", old_text="A b"),)
    assert [r.text for r in old_runs(loose)] == ["A b"]
    assert [r.text for r in new_runs(loose)] == ["A, b"]


def test_split_and_merged_counts_appear_only_when_they_happened() -> None:
    assert [name for name, _ in summary_counts(DiffStats(added=1))] == [
        "added",
        "removed",
        "amended",
        "moved",
        "renumbered",
        "unchanged",
    ]
    assert summary_counts(DiffStats(split=1, merged=2))[-2:] == (("split", 1), ("merged", 2))
