"""Which paired clauses stayed in place: the heaviest increasing run of their old positions."""

from __future__ import annotations

from collections.abc import Sequence


def heaviest_increasing(values: Sequence[int], weights: Sequence[int]) -> set[int]:
    """Positions of the increasing subsequence of ``values`` with the largest total weight."""
    ranks = {v: r + 1 for r, v in enumerate(sorted(values))}
    size = len(values)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)
    back = [-1] * size
    best_end = (0, -1)
    for pos, value in enumerate(values):
        best = (0, -1)
        q = ranks[value] - 1
        while q > 0:
            best = max(best, tree[q])
            q -= q & -q
        total = (best[0] + weights[pos], pos)
        back[pos] = best[1]
        best_end = max(best_end, total)
        q = ranks[value]
        while q <= size:
            tree[q] = max(tree[q], total)
            q += q & -q
    kept: set[int] = set()
    pos = best_end[1]
    while pos >= 0:
        kept.add(pos)
        pos = back[pos]
    return kept
