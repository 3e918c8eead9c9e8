"""Pair the containers of two versions (articles, annexes, sections without text of their own).

A container has no words to compare, and its key is no evidence either: an import that derives
keys from positions gives the article after a moved one the moved one's key. So containers are
paired by what they hold and what they are called: each pair of clauses already paired votes for
every pair of their containers of the same kind, and an identical heading adds a vote. The pairs
with the most votes are taken first. Only a container with no evidence at all, on either side,
falls back to its key, and then only with the same number and heading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .results import ClauseText

# A heading shared by more containers than this on one side ("General provisions" in every
# annex) says nothing about which of them is which.
HEADING_POSTING_LIMIT = 4
HEADING_VOTE = 1


def _ancestors(clauses: Sequence[ClauseText]) -> list[tuple[int, ...]]:
    index = {c.key: i for i, c in enumerate(clauses)}
    parent = [index.get(c.parent) if c.parent is not None else None for c in clauses]
    chains: list[tuple[int, ...]] = []
    for i in range(len(clauses)):
        chain: list[int] = []
        up = parent[i]
        # Why: a bound on the walk keeps a malformed parent cycle from looping forever.
        while up is not None and len(chain) < len(clauses):
            chain.append(up)
            up = parent[up]
        chains.append(tuple(chain))
    return chains


def _heading(text: str) -> str:
    return " ".join(text.casefold().split())


def _identity(clause: ClauseText) -> tuple[str, str, str]:
    return (clause.kind, clause.number, _heading(clause.heading))


def container_pairs(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    paired: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of containers left unpaired, by their contents' evidence.

    ``paired`` holds every pair of clauses already found (a split or merge gives one pair per
    part). Containers are the clauses without text that appear in no pair.
    """
    pairs = list(paired)
    taken_old = {i for i, _ in pairs}
    taken_new = {j for _, j in pairs}
    old_free = {i for i, c in enumerate(old) if not c.text.strip() and i not in taken_old}
    new_free = {j for j, c in enumerate(new) if not c.text.strip() and j not in taken_new}
    if not old_free or not new_free:
        return []
    old_up, new_up = _ancestors(old), _ancestors(new)
    votes: Counter[tuple[int, int]] = Counter()
    for i, j in pairs:
        for a in old_up[i]:
            if a not in old_free:
                continue
            for b in new_up[j]:
                if b in new_free and old[a].kind == new[b].kind:
                    votes[(a, b)] += 1
    by_heading: dict[tuple[str, str], list[int]] = {}
    for i in sorted(old_free):
        if old[i].heading.strip():
            by_heading.setdefault((old[i].kind, _heading(old[i].heading)), []).append(i)
    new_by_heading: Counter[tuple[str, str]] = Counter(
        (new[j].kind, _heading(new[j].heading)) for j in new_free if new[j].heading.strip()
    )
    for j in sorted(new_free):
        found = (new[j].kind, _heading(new[j].heading))
        olds = by_heading.get(found, [])
        common = max(len(olds), new_by_heading[found]) > HEADING_POSTING_LIMIT
        if new[j].heading.strip() and not common:
            for i in olds:
                votes[(i, j)] += HEADING_VOTE

    def rank(pair: tuple[int, int]) -> tuple[float, str, str]:
        low, high = sorted((old[pair[0]].key, new[pair[1]].key))
        return (-votes[pair], low, high)

    found_pairs: list[tuple[int, int]] = []
    for i, j in sorted(votes, key=rank):
        if i in old_free and j in new_free:
            found_pairs.append((i, j))
            old_free.discard(i)
            new_free.discard(j)
    with_evidence_old = {i for i, _ in votes}
    with_evidence_new = {j for _, j in votes}
    new_by_key = {new[j].key: j for j in new_free if j not in with_evidence_new}
    for i in sorted(old_free - with_evidence_old):
        same_key = new_by_key.get(old[i].key)
        if same_key is not None and _identity(old[i]) == _identity(new[same_key]):
            found_pairs.append((i, same_key))
    return found_pairs
