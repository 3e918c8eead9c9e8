"""Align the clauses of two versions and diff each pair.

Pairs are found in passes, most certain first: the same key with the same text; a text found
exactly once on each side; the same key with a related text; then leftovers by text similarity,
so a clause that was renumbered with a new key, or moved into an annex, is shown moved (and
edited) instead of removed and added. Two clauses are never paired on their key alone: below
``SAME_KEY_THRESHOLD``, unless one text is mostly kept within the other, they are unrelated
texts that happen to share a number. Then splits and merges, and finally which of the paired
clauses moved.

Every choice is made so that swapping the versions gives the mirror image: scores are
symmetric, ties are broken by the pair of keys, and word diffs are orientation-free.
"""

from __future__ import annotations

import gc
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from .containers import container_pairs
from .order import heaviest_increasing
from .results import (
    AlignedPair,
    AlignmentWork,
    ClauseDiff,
    ClauseText,
    DiffStats,
    SimilarityAlignment,
    Status,
    TextDiff,
    VersionDiff,
)
from .words import diff_split, diff_texts, unchanged, word_count, words

SAME_KEY_THRESHOLD = 0.5
# Under one key, a text mostly kept inside a much longer one is the same clause, extended.
SAME_KEY_CONTAINMENT = 0.75
MOVED_THRESHOLD = 0.6
# A part of a split (or merge) must have this share of its words, in order, in the one clause...
PART_CONTAINMENT = 0.8
# ... and the parts together must account for this share of the one clause's words.
SPLIT_COVERAGE = 0.6
# Word-pair overlap below which a leftover pair is not worth a full diff.
CANDIDATE_FLOOR = 0.15
CANDIDATES_PER_CLAUSE = 4
# Candidates come from word pairs found in at most this many clauses of the other side: a
# common pair ("of the") would make every clause a candidate of every other, which is
# quadratic work for no evidence. A clause sharing only common pairs is not paired.
RARE_POSTING = 32
# At most this many candidates per clause are counted exactly, those sharing most rare pairs.
COUNTED_PER_CLAUSE = 8


@dataclass(frozen=True)
class _Group:
    """A split (one old, several new) or merge (several old, one new) and each part's diff."""

    merged: bool
    one: int
    many: tuple[int, ...]
    diffs: tuple[TextDiff, ...]
    headings: tuple[TextDiff, ...]


_PAIR_SHIFT = 32


def _shingles(text: str, word_ids: dict[str, int]) -> set[int]:
    """Adjacent word pairs (a lone word for a one-word text), each as one number.

    Each word gets a number the first time it is seen (``word_ids``); a pair is the two numbers
    side by side in one integer, and a lone word its number's complement, so no pair and no lone
    word share a number. Why numbers, not strings or tuples: a tuple is an object the garbage
    collector walks, and a joined string is a new object of some fifty bytes; small integers
    are cheaper to build, hash and keep, and the index they fill stays smaller in memory, which
    keeps its growth linear.
    """
    codes = [word_ids.setdefault(word, len(word_ids)) for word in words(text)]
    if len(codes) < 2:
        return {~code for code in codes}
    return {(a << _PAIR_SHIFT) | b for a, b in itertools.pairwise(codes)}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while aligning.

    Why: the alignment builds tens of thousands of sets, lists and dictionaries that live until
    it ends and hold no cycles; each automatic collection walks all of them again, so the
    collections' cost grows with the square of the clauses. Reference counting still frees
    everything as usual; a cycle made meanwhile waits for the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _related(diff: TextDiff) -> bool:
    """Whether two texts under one key are one clause: similar, or one kept within the other."""
    if diff.similarity >= SAME_KEY_THRESHOLD:
        return True
    kept = sum(word_count(op.text) for op in diff.ops if op.kind == "equal")
    smaller = kept + min(diff.words_inserted, diff.words_deleted)
    return kept > 0 and kept / smaller >= SAME_KEY_CONTAINMENT


def _pair_order(score: float, old_key: str, new_key: str) -> tuple[float, str, str]:
    low, high = sorted((old_key, new_key))
    return (-score, low, high)


class _Aligner:
    def __init__(
        self,
        old: list[ClauseText],
        new: list[ClauseText],
        ignore: bool,
        threshold: float = MOVED_THRESHOLD,
    ) -> None:
        self.old = old
        self.new = new
        self.ignore = ignore
        self.new_of: dict[int, int] = {}
        self.old_of: dict[int, int] = {}
        self.groups: list[_Group] = []
        self._diffs: dict[tuple[int, int], TextDiff] = {}
        self._shingles: dict[tuple[bool, int], set[int]] = {}
        self._word_ids: dict[str, int] = {}
        self._indexes: dict[bool, dict[int, list[int]]] = {}
        self.candidate_pairs = 0
        self.threshold = threshold

    def text_diff(self, i: int, j: int) -> TextDiff:
        found = self._diffs.get((i, j))
        if found is None:
            found = diff_texts(
                self.old[i].text,
                self.new[j].text,
                ignore_whitespace_and_punctuation=self.ignore,
            )
            self._diffs[(i, j)] = found
        return found

    def shingles(self, is_new: bool, index: int) -> set[int]:
        found = self._shingles.get((is_new, index))
        if found is None:
            found = _shingles((self.new if is_new else self.old)[index].text, self._word_ids)
            self._shingles[(is_new, index)] = found
        return found

    def pair(self, i: int, j: int) -> None:
        self.new_of[i] = j
        self.old_of[j] = i

    def unpaired(self, is_new: bool) -> list[int]:
        side, paired = (self.new, self.old_of) if is_new else (self.old, self.new_of)
        return [k for k in range(len(side)) if k not in paired]

    def align(self) -> None:
        old_index = {c.key: i for i, c in enumerate(self.old)}
        # The same key and the same text, then texts found exactly once on each side.
        # Containers (no text of their own) wait for the evidence of what they hold.
        for j, clause in enumerate(self.new):
            i = old_index.get(clause.key)
            if i is not None and clause.text.strip() and self.old[i].text == clause.text:
                self.pair(i, j)
        self.pair_unique_texts()
        # The same key with a related text.
        for j in self.unpaired(True):
            same = old_index.get(self.new[j].key)
            if (
                same is not None
                and same not in self.new_of
                and self.new[j].text.strip()
                and self.old[same].text.strip()
                and _related(self.text_diff(same, j))
            ):
                self.pair(same, j)
        self.pair_leftovers()
        self.find_groups()
        self.pair_containers()

    def pair_unique_texts(self) -> None:
        """Pair the texts found exactly once among each side's unpaired clauses."""
        old_texts = Counter(self.old[i].text for i in self.unpaired(False))
        new_texts = Counter(self.new[j].text for j in self.unpaired(True))
        by_text = {self.old[i].text: i for i in self.unpaired(False)}
        for j in self.unpaired(True):
            text = self.new[j].text
            if text.strip() and old_texts[text] == 1 and new_texts[text] == 1:
                self.pair(by_text[text], j)

    def align_by_text(self) -> None:
        """The passes that read only the words: identical texts, then similar ones, then the
        containers of what was paired."""
        self.pair_unique_texts()
        self.pair_leftovers()
        self.pair_containers()

    def pair_containers(self) -> None:
        evidence = list(self.new_of.items())
        for group in self.groups:
            olds = group.many if group.merged else (group.one,)
            news = (group.one,) if group.merged else group.many
            evidence.extend((i, j) for i in olds for j in news)
        for i, j in container_pairs(self.old, self.new, evidence):
            self.pair(i, j)

    def _index(self, is_new: bool) -> dict[int, list[int]]:
        """One side's clauses by word pair, built once, so rarity is a property of the side.

        A clause already paired with an identical text can be no candidate of anything (not a
        leftover, nor a part of a split or merge), so it is left out: a revision's index holds
        only what changed.
        """
        found = self._indexes.get(is_new)
        if found is None:
            side, partner, other = (
                (self.new, self.old_of, self.old) if is_new else (self.old, self.new_of, self.new)
            )
            found = {}
            for k, clause in enumerate(side):
                if k in partner and other[partner[k]].text == clause.text:
                    continue
                for shingle in self.shingles(is_new, k):
                    found.setdefault(shingle, []).append(k)
            self._indexes[is_new] = found
        return found

    def _overlaps(
        self, left: Sequence[int], left_new: bool, right: Sequence[int]
    ) -> dict[tuple[int, int], int]:
        """Shared word pairs between ``left`` and ``right`` clauses that share a rare one.

        Candidates are found through word pairs in at most ``RARE_POSTING`` clauses of each
        side, and each clause keeps the ``COUNTED_PER_CLAUSE`` sharing most of them, so the
        work is linear. Both sides are treated alike, so swapping the versions mirrors the
        answer.
        """
        left_index, right_index = self._index(left_new), self._index(not left_new)
        wanted = set(right)
        hits: Counter[tuple[int, int]] = Counter()
        for a in left:
            for shingle in self.shingles(left_new, a):
                rights = right_index.get(shingle)
                if rights is None or len(rights) > RARE_POSTING:
                    continue
                if len(left_index.get(shingle, ())) > RARE_POSTING:
                    continue
                hits.update((a, b) for b in rights if b in wanted)
        left_side, right_side = (self.new, self.old) if left_new else (self.old, self.new)
        chosen: set[tuple[int, int]] = set()
        for by_left in (True, False):
            ranked: dict[int, list[tuple[int, str, tuple[int, int]]]] = {}
            for pair, count in hits.items():
                mine, other = pair if by_left else pair[::-1]
                other_key = (right_side if by_left else left_side)[other].key
                ranked.setdefault(mine, []).append((-count, other_key, pair))
            for candidates in ranked.values():
                candidates.sort()
                chosen.update(pair for _, _, pair in candidates[:COUNTED_PER_CLAUSE])
        self.candidate_pairs += len(chosen)
        return {
            (a, b): len(self.shingles(left_new, a) & self.shingles(not left_new, b))
            for a, b in chosen
        }

    def pair_leftovers(self) -> None:
        left_old = [i for i in self.unpaired(False) if self.shingles(False, i)]
        left_new = [j for j in self.unpaired(True) if self.shingles(True, j)]
        if not left_old or not left_new:
            return
        scored: list[tuple[float, int, int]] = []
        for (j, i), count in self._overlaps(left_new, True, left_old).items():
            estimate = 2 * count / (len(self.shingles(False, i)) + len(self.shingles(True, j)))
            if estimate >= CANDIDATE_FLOOR:
                scored.append((estimate, i, j))
        chosen: set[tuple[int, int]] = set()
        for by_new in (True, False):
            best: dict[int, list[tuple[float, int, int]]] = {}
            for candidate in scored:
                best.setdefault(candidate[2] if by_new else candidate[1], []).append(candidate)
            for candidates in best.values():
                candidates.sort(
                    key=lambda c: _pair_order(c[0], self.old[c[1]].key, self.new[c[2]].key)
                )
                chosen.update((i, j) for _, i, j in candidates[:CANDIDATES_PER_CLAUSE])
        confirmed = []
        for i, j in chosen:
            similarity = self.text_diff(i, j).similarity
            if similarity >= self.threshold:
                confirmed.append((_pair_order(similarity, self.old[i].key, self.new[j].key), i, j))
        for _, i, j in sorted(confirmed):
            if i not in self.new_of and j not in self.old_of:
                self.pair(i, j)

    def _group_candidates(self, merged: bool) -> list[tuple[int, list[int]]]:
        """Clauses that may have been split (or merged into), with their possible parts."""
        one_new = merged
        many = [k for k in self.unpaired(not one_new) if self.shingles(not one_new, k)]
        if not many:
            return []
        smallest = min(len(self.shingles(not one_new, k)) for k in many)
        ones = [
            k
            for k in range(len(self.new if one_new else self.old))
            if self._may_have_parts(one_new, k, smallest) and self.shingles(one_new, k)
        ]
        parts: dict[int, list[int]] = {}
        for (m, o), count in self._overlaps(many, not one_new, ones).items():
            if count >= 0.5 * len(self.shingles(not one_new, m)):
                parts.setdefault(o, []).append(m)
        partner = self.old_of if one_new else self.new_of
        out = []
        for o, found in parts.items():
            if o in partner:
                found = [*found, partner[o]]
            if len(found) >= 2:
                out.append((o, sorted(found)))
        return out

    def _may_have_parts(self, is_new: bool, k: int, smallest: int) -> bool:
        """Unpaired, or paired but lost (gained, for a merge) text enough for another part."""
        if is_new:
            if k not in self.old_of:
                return True
            return self.text_diff(self.old_of[k], k).words_inserted >= 0.5 * smallest
        if k not in self.new_of:
            return True
        return self.text_diff(k, self.new_of[k]).words_deleted >= 0.5 * smallest

    def _confirm_group(
        self, merged: bool, one: int, many: list[int]
    ) -> tuple[float, _Group] | None:
        one_side, many_side = (self.new, self.old) if merged else (self.old, self.new)
        while len(many) >= 2:
            diffs = diff_split(
                one_side[one].text,
                [many_side[m].text for m in many],
                ignore_whitespace_and_punctuation=self.ignore,
                merged=merged,
            )
            contained = []
            found = 0
            for m, d in zip(many, diffs, strict=True):
                total = len(words(many_side[m].text))
                extra = d.words_deleted if merged else d.words_inserted
                found += total - extra
                if total and (total - extra) / total >= PART_CONTAINMENT:
                    contained.append(m)
            if len(contained) < len(many):
                many = contained
                continue
            coverage = found / max(len(words(one_side[one].text)), 1)
            if coverage < SPLIT_COVERAGE:
                return None
            headings = [
                diff_texts(
                    *(
                        (many_side[m].heading, one_side[one].heading if n == 0 else "")
                        if merged
                        else (one_side[one].heading if n == 0 else "", many_side[m].heading)
                    ),
                    ignore_whitespace_and_punctuation=self.ignore,
                )
                for n, m in enumerate(many)
            ]
            group = _Group(merged, one, tuple(many), tuple(diffs), tuple(headings))
            return coverage, group
        return None

    def find_groups(self) -> None:
        confirmed = []
        for merged in (False, True):
            for one, many in self._group_candidates(merged):
                result = self._confirm_group(merged, one, many)
                if result is not None:
                    coverage, group = result
                    one_key = (self.new if merged else self.old)[one].key
                    many_keys = tuple((self.old if merged else self.new)[m].key for m in many)
                    confirmed.append(((-coverage, one_key, many_keys), group))
        taken_old: set[int] = set()
        taken_new: set[int] = set()
        for _, group in sorted(confirmed, key=lambda c: c[0]):
            olds, news = (group.many, (group.one,)) if group.merged else ((group.one,), group.many)
            involved_old = set(olds) | {self.old_of[j] for j in news if j in self.old_of}
            involved_new = set(news) | {self.new_of[i] for i in olds if i in self.new_of}
            if involved_old & taken_old or involved_new & taken_new:
                continue
            taken_old |= involved_old
            taken_new |= involved_new
            for i in olds:
                self.old_of.pop(self.new_of.pop(i, -1), None)
            for j in news:
                self.new_of.pop(self.old_of.pop(j, -1), None)
            self.groups.append(group)

    def moved(self) -> set[int]:
        """New positions of paired clauses that changed parent or place among their siblings."""
        new_keys_of: dict[str, set[str]] = {}
        for i, j in self.new_of.items():
            new_keys_of.setdefault(self.old[i].key, set()).add(self.new[j].key)
        for group in self.groups:
            olds = group.many if group.merged else (group.one,)
            news = (group.one,) if group.merged else group.many
            for i in olds:
                new_keys_of.setdefault(self.old[i].key, set()).update(self.new[j].key for j in news)
        paired_new = set().union(*new_keys_of.values())
        moved: set[int] = set()
        siblings: dict[str | None, list[int]] = {}
        for j in sorted(self.old_of):
            old_parent, new_parent = self.old[self.old_of[j]].parent, self.new[j].parent
            if old_parent is None or new_parent is None:
                same = old_parent is new_parent
            elif old_parent in new_keys_of:
                same = new_parent in new_keys_of[old_parent]
            else:
                # Parents that were not paired at all are the same parent under the same key.
                same = new_parent not in paired_new and old_parent == new_parent
            if same:
                siblings.setdefault(new_parent, []).append(j)
            else:
                moved.add(j)
        for members in siblings.values():
            places = [self.old_of[j] for j in members]
            if all(a < b for a, b in itertools.pairwise(places)):
                continue
            kept = heaviest_increasing(places, self._stay_weights(members))
            moved.update(j for pos, j in enumerate(members) if pos not in kept)
        return moved

    def _stay_weights(self, members: Sequence[int]) -> list[int]:
        """Weights that make the clauses kept in place: the most clauses, then the most text,
        then a fixed choice by keys, which is the same whichever version is called old."""
        sizes = [len(self.old[self.old_of[j]].text) + len(self.new[j].text) for j in members]
        pair_keys = [
            tuple(sorted((self.old[self.old_of[j]].key, self.new[j].key))) for j in members
        ]
        rank = {key: r for r, key in enumerate(sorted(pair_keys))}
        # Why: distinct powers of two give every set of clauses a distinct tie-break sum.
        size_shift = len(members) + 1
        count_shift = size_shift + sum(sizes).bit_length() + 1
        return [
            (1 << count_shift) + (size << size_shift) + (1 << rank[key])
            for size, key in zip(sizes, pair_keys, strict=True)
        ]


def _diff_or_side(old: str, new: str, ignore: bool) -> TextDiff:
    if old == new:
        return unchanged(new)
    return diff_texts(old, new, ignore_whitespace_and_punctuation=ignore)


def _row(
    status: Status,
    old: ClauseText | None,
    new: ClauseText | None,
    text: TextDiff,
    heading: TextDiff,
    parts: tuple[str, ...] = (),
    edited: bool | None = None,
) -> ClauseDiff:
    if old is None or new is None:
        clause = new or old
        assert clause is not None  # noqa: S101 - every row has at least one side
        similarity, edited = 0.0, False
    else:
        clause = new
        if edited is None:
            edited = text.changed or heading.changed
        similarity = heading.similarity if not old.text and not new.text else text.similarity
    return ClauseDiff(
        status,
        clause.kind,
        old.key if old else None,
        new.key if new else None,
        old.number if old else "",
        new.number if new else "",
        old.heading if old else "",
        new.heading if new else "",
        old.parent if old else None,
        new.parent if new else None,
        text.ops,
        heading.ops,
        text.words_inserted + heading.words_inserted,
        text.words_deleted + heading.words_deleted,
        similarity,
        edited,
        parts,
    )


def _rows(aligner: _Aligner) -> list[ClauseDiff]:
    old, new, ignore = aligner.old, aligner.new, aligner.ignore
    moved = aligner.moved()
    at_new: dict[int, list[ClauseDiff]] = {}
    # Where an old clause still stands in the new version, for placing removed clauses.
    place_of_old: dict[int, int] = {}
    for group in aligner.groups:
        if group.merged:
            keys = tuple(old[i].key for i in group.many)
            for i, text, heading in zip(group.many, group.diffs, group.headings, strict=True):
                row = _row(Status.MERGED, old[i], new[group.one], text, heading, keys)
                at_new.setdefault(group.one, []).append(row)
                place_of_old[i] = group.one
        else:
            keys = tuple(new[j].key for j in group.many)
            for j, text, heading in zip(group.many, group.diffs, group.headings, strict=True):
                row = _row(Status.SPLIT, old[group.one], new[j], text, heading, keys)
                at_new[j] = [row]
            place_of_old[group.one] = min(group.many)
    for j, i in aligner.old_of.items():
        before_clause, after_clause = old[i], new[j]
        text = aligner.text_diff(i, j)
        heading = _diff_or_side(before_clause.heading, after_clause.heading, ignore)
        edited = text.changed or heading.changed
        if j in moved:
            status = Status.MOVED
        elif edited:
            status = Status.AMENDED
        elif before_clause.number != after_clause.number:
            status = Status.RENUMBERED
        else:
            status = Status.UNCHANGED
        if status != Status.MOVED:
            place_of_old[i] = j
        at_new[j] = [_row(status, before_clause, after_clause, text, heading, edited=edited)]
    for j, clause in enumerate(new):
        if j not in at_new:
            at_new[j] = [
                _row(
                    Status.ADDED,
                    None,
                    clause,
                    _diff_or_side("", clause.text, ignore),
                    _diff_or_side("", clause.heading, ignore),
                )
            ]
    # A removed clause goes just before the next old clause that stayed in place, or after the
    # last one when none follows.
    before: dict[int, list[ClauseDiff]] = {}
    waiting: list[ClauseDiff] = []
    last_place = -1
    for i, clause in enumerate(old):
        if i in place_of_old:
            last_place = place_of_old[i]
            if waiting:
                before.setdefault(last_place, []).extend(waiting)
                waiting = []
        elif i not in aligner.new_of:
            text = _diff_or_side(clause.text, "", ignore)
            heading = _diff_or_side(clause.heading, "", ignore)
            waiting.append(_row(Status.REMOVED, clause, None, text, heading))
    rows: list[ClauseDiff] = [] if last_place >= 0 else waiting
    for j in range(len(new)):
        rows.extend(before.get(j, ()))
        rows.extend(at_new[j])
        if j == last_place:
            rows.extend(waiting)
    return rows


def _stats(rows: Sequence[ClauseDiff], groups: Sequence[_Group]) -> DiffStats:
    counts = Counter(row.status for row in rows)
    return DiffStats(
        added=counts[Status.ADDED],
        removed=counts[Status.REMOVED],
        amended=counts[Status.AMENDED],
        moved=counts[Status.MOVED],
        renumbered=counts[Status.RENUMBERED],
        unchanged=counts[Status.UNCHANGED],
        split=sum(1 for g in groups if not g.merged),
        merged=sum(1 for g in groups if g.merged),
        words_inserted=sum(row.words_inserted for row in rows),
        words_deleted=sum(row.words_deleted for row in rows),
    )


def _in_force(clauses: Iterable[ClauseText], side: str) -> list[ClauseText]:
    present = sorted((c for c in clauses if not c.repealed), key=lambda c: c.order)
    keys = Counter(c.key for c in present)
    duplicates = sorted(k for k, n in keys.items() if n > 1)
    if duplicates:
        raise ValueError(f"The {side} version has duplicate clause keys: {', '.join(duplicates)}")
    return present


def diff_versions(
    old: Iterable[ClauseText],
    new: Iterable[ClauseText],
    *,
    ignore_whitespace_and_punctuation: bool = False,
) -> VersionDiff:
    """Compare two versions clause by clause.

    Clauses are read in ``order``; repealed placeholders are left out, so a clause repealed in
    the new version shows as removed. Raises ``ValueError`` if a version repeats a key.
    """
    aligner = _Aligner(
        _in_force(old, "old"), _in_force(new, "new"), ignore_whitespace_and_punctuation
    )
    with _collector_paused():
        aligner.align()
        rows = _rows(aligner)
    return VersionDiff(tuple(rows), _stats(rows, aligner.groups), ignore_whitespace_and_punctuation)


def alignment_work(old: Iterable[ClauseText], new: Iterable[ClauseText]) -> AlignmentWork:
    """The work ``diff_versions`` does to align ``old`` with ``new``: a count, not a time."""
    aligner = _Aligner(_in_force(old, "old"), _in_force(new, "new"), False)
    aligner.align()
    return AlignmentWork(
        clauses=len(aligner.old) + len(aligner.new),
        candidate_pairs=aligner.candidate_pairs,
        text_diffs=len(aligner._diffs),
    )


def unchanged_clause(clause: ClauseText) -> ClauseDiff:
    """A clause compared with itself, for pages that show one version without a diff."""
    return _row(Status.UNCHANGED, clause, clause, unchanged(clause.text), unchanged(clause.heading))


# Two agreements drafted apart share no keys and reword what they share: a pair needs a third
# of its words in common, in order, to be shown as the same provision.
ACROSS_THRESHOLD = 0.3


def _side(clauses: Iterable[ClauseText], prefix: str) -> list[ClauseText]:
    # Why prefixed keys: the same key on both sides ("art_5") is no evidence across agreements,
    # and the container pass would otherwise fall back to it.
    return [
        replace(
            c,
            key=prefix + c.key,
            parent=prefix + c.parent if c.parent is not None else None,
        )
        for c in clauses
    ]


def align_by_similarity(
    left: Iterable[ClauseText],
    right: Iterable[ClauseText],
    *,
    threshold: float = ACROSS_THRESHOLD,
) -> SimilarityAlignment:
    """Align the clauses of two texts by their words alone, never by key or number.

    The same passes as ``diff_versions`` uses for the clauses its keys leave over: texts found
    once on each side, then candidates by rare shared word pairs confirmed by the word diff's
    similarity (at least ``threshold``), then the containers of what was paired. Every clause
    of either side is in exactly one place of the result.
    """
    left_in, right_in = _in_force(left, "left"), _in_force(right, "right")
    aligner = _Aligner(_side(left_in, "l:"), _side(right_in, "r:"), False, threshold)
    with _collector_paused():
        aligner.align_by_text()
    pairs = tuple(
        AlignedPair(
            left_in[i],
            right_in[j],
            aligner.text_diff(i, j) if left_in[i].text or right_in[j].text else unchanged(""),
            _diff_or_side(left_in[i].heading, right_in[j].heading, False),
        )
        for i, j in sorted(aligner.new_of.items())
    )
    return SimilarityAlignment(
        pairs,
        tuple(left_in[i] for i in aligner.unpaired(False)),
        tuple(right_in[j] for j in aligner.unpaired(True)),
    )
