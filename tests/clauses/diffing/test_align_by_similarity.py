"""Alignment by similarity alone: two texts with no keys in common, every clause placed once."""

from __future__ import annotations

from clauses.diffing import ClauseText, align_by_similarity


def clause(key: str, text: str, parent: str | None = None, kind: str = "paragraph") -> ClauseText:
    return ClauseText(key=key, kind=kind, number=key, heading="", text=text, parent=parent)


LEFT = [
    clause("art_1", "", kind="article"),
    clause("art_1__para_1", "Each Party shall protect intellectual property created under "
           "this Agreement.", "art_1"),
    clause("art_2", "The Joint Commission shall meet once a year.", kind="article"),
    clause("art_3", "This Agreement enters into force on signature.", kind="article"),
]  # fmt: skip
RIGHT = [
    clause("art_7", "This Agreement enters into force on signature.", kind="article"),
    clause("art_1", "Nothing here is about meetings of anyone.", kind="article"),
    clause("art_9", "", kind="article"),
    clause("art_9__para_a", "Each Party shall adequately protect intellectual property "
           "created under this Agreement and its arrangements.", "art_9"),
]  # fmt: skip


def test_clauses_pair_by_their_words_not_their_keys() -> None:
    """The containers pair by what they hold; art_1 and art_1 share a key, not words."""
    result = align_by_similarity(LEFT, RIGHT)
    pairs = [(p.left.key, p.right.key, p.text.similarity) for p in result.pairs]
    assert pairs == [
        ("art_1", "art_9", 1.0),
        ("art_1__para_1", "art_9__para_a", 0.8333),
        ("art_3", "art_7", 1.0),
    ]
    assert [c.key for c in result.left_only] == ["art_2"]
    assert [c.key for c in result.right_only] == ["art_1"]


def test_every_clause_of_either_side_is_placed_exactly_once() -> None:
    result = align_by_similarity(LEFT, RIGHT)
    left = [p.left.key for p in result.pairs] + [c.key for c in result.left_only]
    right = [p.right.key for p in result.pairs] + [c.key for c in result.right_only]
    assert sorted(left) == sorted(c.key for c in LEFT)
    assert sorted(right) == sorted(c.key for c in RIGHT)


def test_a_higher_threshold_leaves_looser_pairs_unmatched() -> None:
    result = align_by_similarity(LEFT, RIGHT, threshold=0.9)
    assert [(p.left.key, p.right.key) for p in result.pairs] == [("art_3", "art_7")]
    assert {c.key for c in result.left_only} == {"art_1", "art_1__para_1", "art_2"}


def test_the_pairs_redline_reads_back_to_both_texts() -> None:
    pair = align_by_similarity(LEFT, RIGHT).pairs[1]
    old = "".join(op.text for op in pair.text.ops if op.kind != "insert")
    new = "".join(op.text for op in pair.text.ops if op.kind != "delete")
    assert (old, new) == (pair.left.text, pair.right.text)
