"""Word-level diff of two texts.

Texts are cut into tokens (words, single Chinese or Japanese characters, whitespace runs, single
punctuation marks) whose concatenation is the text itself, so both sides of a diff rebuild their
text exactly. The sequence diff is a patience diff on those tokens, falling back to the rarest
shared token (as in histogram diff) where no token is unique on both sides, after trimming the
common head and tail. Patience anchors on distinctive words rather than on the spaces and
articles every sentence shares, which reads better than a minimal diff and stays close to linear
for the scattered edits of an amendment, where difflib's longest-match search is quadratic.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Sequence

from .results import Op, TextDiff

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = rf"[{_CJK}]|[^\W{_CJK}]+"
# Why: on ASCII text \w is [A-Za-z0-9_] and there is no CJK, and the plain class is about twice
# as fast to match, so ASCII texts (most English clauses) take the short patterns.
_ASCII_WORD = "[A-Za-z0-9_]+"
_TOKEN_RE = (
    re.compile(rf"{_WORD}|\s+|.", re.DOTALL),
    re.compile(rf"{_ASCII_WORD}|\s+|.", re.DOTALL),
)
_WORD_RE = (re.compile(_WORD), re.compile(_ASCII_WORD))
_WORD_SPLIT_RE = (re.compile(f"({_WORD})"), re.compile(f"({_ASCII_WORD})"))
_WORD_CHAR_RE = re.compile(rf"[^\W{_CJK}]")
_CJK_RE = re.compile(f"[{_CJK}]")

# Where no token is unique on both sides, only tokens at most this frequent anchor a match;
# beyond that the shared tokens are spaces and articles, and the region reads best as rewritten.
RAREST_MAX_OCCURRENCES = 16

# A segment of a diff: (is_equal, old text, new text, old words, new words).
Segment = tuple[bool, str, str, int, int]

_SEPARATOR = object()


def tokenize(text: str) -> list[str]:
    """Words, CJK characters, whitespace runs and punctuation marks; ``"".join`` gives ``text``."""
    return _TOKEN_RE[text.isascii()].findall(text)


def word_count(text: str) -> int:
    return len(_WORD_RE[text.isascii()].findall(text))


def words(text: str) -> list[str]:
    """The words of ``text`` (each CJK character a word), without whitespace or punctuation."""
    return _WORD_RE[text.isascii()].findall(text)


def _units(text: str, ignore: bool) -> tuple[list[Hashable], list[str]]:
    """The sequence compared (keys) and the text each element stands for.

    Ignoring whitespace and punctuation, each word carries the gap after it and is compared by
    the word alone, so a changed gap between two kept words stays inside an equal run.
    """
    if not ignore:
        tokens = tokenize(text)
        return list(tokens), tokens
    parts = _WORD_SPLIT_RE[text.isascii()].split(text)
    keys: list[Hashable] = []
    texts: list[str] = []
    # Why: the gap before the first word is always a unit, even empty, so that a text that
    # gains or loses only leading punctuation still lines up with the other side.
    keys.append("")
    texts.append(parts[0])
    for k in range(1, len(parts), 2):
        keys.append(parts[k])
        texts.append(parts[k] + parts[k + 1])
    return keys, texts


def _lis(values: Sequence[int]) -> list[int]:
    """Positions of a longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []
    tail_pos: list[int] = []
    back = [-1] * len(values)
    for pos, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        back[pos] = tail_pos[k - 1] if k else -1
    out: list[int] = []
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        out.append(pos)
        pos = back[pos]
    out.reverse()
    return out


def _unique_anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    pos_a: dict[Hashable, int] = {}
    for i in range(a0, a1):
        pos_a[a[i]] = -1 if a[i] in pos_a else i
    pos_b: dict[Hashable, int] = {}
    for j in range(b0, b1):
        pos_b[b[j]] = -1 if b[j] in pos_b else j
    pairs = [(pos_a[t], j) for t, j in pos_b.items() if j >= 0 and pos_a.get(t, -1) >= 0]
    if not pairs:
        return []
    order = [i for i, _ in pairs]
    # Why: edits seldom reorder text, and checking that costs far less than the search.
    if order == sorted(order):
        return pairs
    return [pairs[k] for k in _lis(order)]


def _rarest_match(
    a: Sequence[Hashable], b: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int
) -> tuple[int, int, int] | None:
    occurrences: dict[Hashable, list[int]] = {}
    for i in range(a0, a1):
        occurrences.setdefault(a[i], []).append(i)
    best: tuple[int, int, int, int] | None = None
    j = b0
    while j < b1:
        where = occurrences.get(b[j])
        count = len(where) if where is not None else 0
        if where is None or count > RAREST_MAX_OCCURRENCES or (best and count > best[0]):
            j += 1
            continue
        next_j = j + 1
        for i in where:
            si, sj = i, j
            while si > a0 and sj > b0 and a[si - 1] == b[sj - 1]:
                si -= 1
                sj -= 1
            ei, ej = i + 1, j + 1
            while ei < a1 and ej < b1 and a[ei] == b[ej]:
                ei += 1
                ej += 1
            candidate = (count, si - ei, si, sj)
            if best is None or candidate < best:
                best = candidate
            next_j = max(next_j, ej)
        j = next_j
    if best is None:
        return None
    return best[2], best[3], -best[1]


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, n)`` with ``a[i:i+n] == b[j:j+n]``, increasing in both ``i`` and ``j``."""
    blocks: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        n = 0
        while a0 + n < a1 and b0 + n < b1 and a[a0 + n] == b[b0 + n]:
            n += 1
        if n:
            blocks.append((a0, b0, n))
            a0 += n
            b0 += n
        n = 0
        while a0 < a1 - n and b0 < b1 - n and a[a1 - 1 - n] == b[b1 - 1 - n]:
            n += 1
        if n:
            blocks.append((a1 - n, b1 - n, n))
            a1 -= n
            b1 -= n
        if a0 == a1 or b0 == b1:
            continue
        anchors = _unique_anchors(a, b, a0, a1, b0, b1)
        if anchors:
            pa, pb = a0, b0
            for i, j in anchors:
                blocks.append((i, j, 1))
                if pa < i and pb < j:
                    stack.append((pa, i, pb, j))
                pa, pb = i + 1, j + 1
            if pa < a1 and pb < b1:
                stack.append((pa, a1, pb, b1))
            continue
        found = _rarest_match(a, b, a0, a1, b0, b1)
        if found is not None:
            i, j, n = found
            blocks.append((i, j, n))
            if a0 < i and b0 < j:
                stack.append((a0, i, b0, j))
            if i + n < a1 and j + n < b1:
                stack.append((i + n, a1, j + n, b1))
    blocks.sort()
    merged: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


def _raw_regions(
    blocks: Sequence[tuple[int, int, int]], na: int, nb: int
) -> list[tuple[bool, int, int, int, int]]:
    regions: list[tuple[bool, int, int, int, int]] = []
    i = j = 0
    for bi, bj, n in [*blocks, (na, nb, 0)]:
        if i < bi or j < bj:
            regions.append((False, i, bi, j, bj))
        if n:
            regions.append((True, bi, bi + n, bj, bj + n))
        i, j = bi + n, bj + n
    return regions


def _segment(equal: bool, old: str, new: str) -> Segment:
    if old == new:
        count = word_count(old)
        return (equal, old, new, count, count)
    return (equal, old, new, word_count(old), word_count(new))


def _cleanup(segments: list[Segment]) -> list[Segment]:
    """Fold short kept runs between two changes into the changes.

    A space or a lone "the" kept between two rewritten phrases makes a redline hard to read;
    as in diff-match-patch's semantic cleanup, a kept run no longer than the larger side of the
    changes on both its sides becomes part of one larger change.
    """
    changed = True
    while changed:
        changed = False
        out: list[Segment] = []
        k = 0
        while k < len(segments):
            seg = segments[k]
            if (
                seg[0]
                and out
                and not out[-1][0]
                and k + 1 < len(segments)
                and not segments[k + 1][0]
            ):
                left, right = out[-1], segments[k + 1]
                size = max(len(seg[1]), len(seg[2]))
                if size <= max(len(left[1]), len(left[2])) and size <= max(
                    len(right[1]), len(right[2])
                ):
                    out[-1] = (
                        False,
                        left[1] + seg[1] + right[1],
                        left[2] + seg[2] + right[2],
                        left[3] + seg[3] + right[3],
                        left[4] + seg[4] + right[4],
                    )
                    k += 2
                    changed = True
                    continue
            out.append(seg)
            k += 1
        segments = out
    return segments


def _text_diff(segments: list[Segment], swap: bool = False) -> TextDiff:
    ops: list[Op] = []
    inserted = deleted = kept = old_words = new_words = 0
    for equal, old, new, old_count, new_count in _cleanup(segments):
        if not old and not new:
            continue
        if swap:
            old, new, old_count, new_count = new, old, new_count, old_count
        old_words += old_count
        new_words += new_count
        if equal:
            ops.append(Op("equal", new, old if old != new else None))
            kept += new_count
            continue
        if old:
            ops.append(Op("delete", old))
            deleted += old_count
        if new:
            ops.append(Op("insert", new))
            inserted += new_count
    if old_words + new_words:
        similarity = 2 * kept / (old_words + new_words)
    else:
        similarity = 0.0 if any(op.kind != "equal" for op in ops) else 1.0
    return TextDiff(tuple(ops), inserted, deleted, round(similarity, 4))


def _segments(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    regions: Sequence[tuple[bool, int, int, int, int]],
) -> list[Segment]:
    return [
        _segment(equal, "".join(a_texts[i1:i2]), "".join(b_texts[j1:j2]))
        for equal, i1, i2, j1, j2 in regions
    ]


_NOTHING = TextDiff((), 0, 0, 1.0)


def unchanged(text: str) -> TextDiff:
    return TextDiff((Op("equal", text),), 0, 0, 1.0) if text else _NOTHING


def _one_sided(old: str, new: str) -> TextDiff:
    """A text against none: all of it deleted, or all of it inserted.

    Why not through the segments: every clause added or removed, and its heading, comes here.
    """
    if old:
        return TextDiff((Op("delete", old),), 0, word_count(old), 0.0)
    return TextDiff((Op("insert", new),), word_count(new), 0, 0.0)


def _common_prefix(a: str, b: str) -> int:
    # Why: slice comparisons run at memcmp speed, so a binary search beats a loop over chars.
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            low = mid
        else:
            high = mid - 1
    return low


def _starts_unit(text: str, p: int, ignore: bool) -> bool:
    """Whether a token (a unit, when ignoring whitespace and punctuation) starts at ``p``."""
    if p == 0 or p == len(text):
        return True
    before, here = text[p - 1], text[p]
    before_word = _WORD_CHAR_RE.match(before) is not None
    if ignore:
        return _CJK_RE.match(here) is not None or (
            _WORD_CHAR_RE.match(here) is not None and not before_word
        )
    if before_word and _WORD_CHAR_RE.match(here) is not None:
        return False
    return not (before.isspace() and here.isspace())


def _trim(a: str, b: str, ignore: bool) -> tuple[int, int]:
    """Lengths of the common head and tail, cut back to unit boundaries on both sides."""
    head = _common_prefix(a, b)
    while head and not (_starts_unit(a, head, ignore) and _starts_unit(b, head, ignore)):
        head -= 1
    tail = _common_suffix(a, b, min(len(a), len(b)) - head)
    while tail and not (
        _starts_unit(a, len(a) - tail, ignore) and _starts_unit(b, len(b) - tail, ignore)
    ):
        tail -= 1
    return head, tail


def diff_texts(old: str, new: str, *, ignore_whitespace_and_punctuation: bool = False) -> TextDiff:
    """The word-level diff of ``old`` and ``new``.

    The result does not depend on which text is called old: the diff is always computed in one
    orientation and mirrored, so swapping the texts swaps insertions and deletions exactly.
    """
    ignore = ignore_whitespace_and_punctuation
    if old == new:
        return unchanged(new)
    if not old or not new:
        if ignore and not word_count(old or new):
            return _text_diff([_segment(True, old, new)])
        return _one_sided(old, new)
    swap = old > new
    a, b = (new, old) if swap else (old, new)
    # Why: most amendments touch a few places, so the shared head and tail are never tokenised.
    head, tail = _trim(a, b, ignore)
    a_keys, a_texts = _units(a[head : len(a) - tail], ignore)
    b_keys, b_texts = _units(b[head : len(b) - tail], ignore)
    regions = _raw_regions(matching_blocks(a_keys, b_keys), len(a_keys), len(b_keys))
    segments = _segments(a_texts, b_texts, regions)
    if head:
        segments.insert(0, _segment(True, a[:head], b[:head]))
    if tail:
        segments.append(_segment(True, a[len(a) - tail :], b[len(b) - tail :]))
    return _text_diff(_join_equal(segments), swap=swap)


def _join_equal(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if out and seg[0] and out[-1][0]:
            last = out[-1]
            out[-1] = (True, last[1] + seg[1], last[2] + seg[2], last[3] + seg[3], last[4] + seg[4])
        else:
            out.append(seg)
    return out


def diff_split(
    one: str,
    parts: Sequence[str],
    *,
    ignore_whitespace_and_punctuation: bool = False,
    merged: bool = False,
) -> list[TextDiff]:
    """Diffs of one text against several that came out of it, one per part.

    The one text is compared with the parts joined in order, and the result is cut where one
    part ends, so each part's diff covers its share of the one text: the old sides of all the
    diffs, joined, are the one text. With ``merged`` the one text is the new side (several old
    clauses merged into one) and each diff runs from an old part to its share of the new text.
    """
    ignore = ignore_whitespace_and_punctuation
    a_keys, a_texts = _units(one, ignore)
    b_keys: list[Hashable] = []
    b_texts: list[str] = []
    b_part: list[int] = []
    for n, part in enumerate(parts):
        if n:
            b_keys.append(_SEPARATOR)
            b_texts.append("")
            b_part.append(n - 1)
        keys, texts = _units(part, ignore)
        b_keys.extend(keys)
        b_texts.extend(texts)
        b_part.extend([n] * len(keys))
    regions = _raw_regions(matching_blocks(a_keys, b_keys), len(a_keys), len(b_keys))
    per_part: list[list[Segment]] = [[] for _ in parts]
    for equal, i1, i2, j1, j2 in regions:
        old = "".join(a_texts[i1:i2])
        owner = b_part[j1] if j1 < len(b_part) else len(parts) - 1
        if equal:
            per_part[owner].append(_segment(True, old, "".join(b_texts[j1:j2])))
            continue
        # Why: a deletion next to the cut goes with the part before it.
        start = j1
        for j in [*(j for j in range(j1, j2) if b_keys[j] is _SEPARATOR), j2]:
            if start < j or old:
                per_part[owner].append(_segment(False, old, "".join(b_texts[start:j])))
            old = ""
            owner = b_part[j] + 1 if j < j2 else owner
            start = j + 1
    return [_text_diff(segments, swap=merged) for segments in per_part]
