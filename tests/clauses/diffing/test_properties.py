"""Properties of the diff engine that must hold for any texts and any pair of versions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clauses.diffing import (
    ClauseDiff,
    ClauseText,
    Op,
    Status,
    TextDiff,
    diff_texts,
    diff_versions,
    new_side,
    old_side,
    tokenize,
)
from clauses.diffing import words as diffing_words
from clauses.diffing.words import words

WORDS = [
    "the",
    "Parties",
    "shall",
    "cooperate",
    "in",
    "basic",
    "research",
    "data",
    "safety",
    "双方",
    "合作",
    "研究",
    "数据",
    "a",
    "of",
]
PUNCTUATION = [",", ".", ";", "、", "。", "(", ")", "—"]
SPACES = [" ", "  ", "\n", "\t", " \n "]

pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(SPACES),
    st.text(max_size=3),
)
texts = st.lists(pieces, max_size=40).map("".join)


def mirrored(ops: tuple[Op, ...]) -> tuple[Op, ...]:
    """The ops of the reverse diff: insertions become deletions, deletions come first."""
    out: list[Op] = []
    deleted = inserted = ""
    for op in (*ops, Op("equal", "")):
        if op.kind == "delete":
            deleted += op.text
        elif op.kind == "insert":
            inserted += op.text
        else:
            out += [Op("delete", inserted)] if inserted else []
            out += [Op("insert", deleted)] if deleted else []
            deleted = inserted = ""
            if op.text or op.old_text:
                old = op.old_text if op.old_text is not None else op.text
                out.append(Op("equal", old, op.text if op.old_text is not None else None))
    return tuple(out)


def assert_well_formed(diff: TextDiff) -> None:
    for op in diff.ops:
        assert op.text or op.old_text, "no empty runs"
        assert op.old_text is None or op.kind == "equal"
    for left, right in zip(diff.ops, diff.ops[1:], strict=False):
        assert left.kind != right.kind, "adjacent runs of one kind are merged"
        assert (left.kind, right.kind) != ("insert", "delete"), "a deletion comes first"
    assert 0.0 <= diff.similarity <= 1.0


@given(texts)
def test_tokens_rebuild_the_text_exactly(text: str) -> None:
    """Tokens joined give back the text, whatever it holds."""
    assert "".join(tokenize(text)) == text


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_is_cut_as_the_general_patterns_would_cut_it(text: str) -> None:
    """The fast patterns for ASCII text give the same tokens and words as the general ones."""
    general_tokens, general_words = diffing_words._TOKEN_RE[False], diffing_words._WORD_RE[False]
    assert tokenize(text) == general_tokens.findall(text)
    assert words(text) == general_words.findall(text)


@given(texts, texts, st.booleans())
def test_the_two_sides_of_a_text_diff_rebuild_both_texts(old: str, new: str, ignore: bool) -> None:
    """Kept and inserted runs rebuild the new text; kept and deleted runs the old one."""
    diff = diff_texts(old, new, ignore_whitespace_and_punctuation=ignore)
    assert new_side(diff.ops) == new
    assert old_side(diff.ops) == old
    assert_well_formed(diff)


@given(texts)
def test_a_text_diffed_with_itself_has_no_changes(text: str) -> None:
    """Comparing a text with itself keeps everything."""
    diff = diff_texts(text, text)
    assert diff == TextDiff((Op("equal", text),) if text else (), 0, 0, 1.0)


@given(texts.filter(bool))
def test_a_text_against_nothing_is_all_inserted_or_all_deleted(text: str) -> None:
    """An added clause is one insertion of all its words, a removed one one deletion."""
    count = len(words(text))
    assert diff_texts("", text) == TextDiff((Op("insert", text),), count, 0, 0.0)
    assert diff_texts(text, "") == TextDiff((Op("delete", text),), 0, count, 0.0)


@given(texts, texts, st.booleans())
def test_swapping_the_texts_swaps_insertions_and_deletions(
    old: str, new: str, ignore: bool
) -> None:
    """The reverse diff is the mirror image of the forward one."""
    forward = diff_texts(old, new, ignore_whitespace_and_punctuation=ignore)
    backward = diff_texts(new, old, ignore_whitespace_and_punctuation=ignore)
    assert backward.ops == mirrored(forward.ops)
    assert (backward.words_inserted, backward.words_deleted) == (
        forward.words_deleted,
        forward.words_inserted,
    )
    assert backward.similarity == forward.similarity


@given(texts, texts)
def test_ignoring_whitespace_and_punctuation_reports_only_changes_of_words(
    old: str, new: str
) -> None:
    """Every change the ignoring diff shows changes words, and same words mean no change.

    (Not "it keeps at least what the exact diff keeps": the readability clean-up folds a short
    kept run between two changes into one change, and fewer, longer runs fold differently.)
    """
    loose = diff_texts(old, new, ignore_whitespace_and_punctuation=True)
    removed: list[str] = []
    added: list[str] = []
    for op in [*loose.ops, None]:
        if op is not None and op.kind != "equal":
            (removed if op.kind == "delete" else added).append(op.text)
            continue
        if removed or added:
            assert words("".join(removed)) != words("".join(added)), loose.ops
        removed, added = [], []
    if words(old) == words(new):
        assert not loose.changed


# Versions: articles with paragraphs, texts drawn from a few sentences so that clauses resemble
# each other, which is where alignment goes wrong.
SENTENCES = [
    "The Parties shall cooperate in basic research on the basis of equality.",
    "Each Party shall bear the costs of its own participation.",
    "A joint commission shall meet every year to review the cooperation.",
    "Researchers shall be protected from coercion and their data shall be managed openly.",
    "双方应在平等互利的基础上开展基础研究合作。",
    "This Agreement shall enter into force on signature.",
    "Either Party may terminate this Agreement by written notice.",
]


@st.composite
def versions(draw: st.DrawFn) -> list[ClauseText]:
    count = draw(st.integers(min_value=0, max_value=8))
    keys = draw(
        st.lists(
            st.sampled_from([f"art_{n}" for n in range(1, 12)] + ["annex_1"]),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    out: list[ClauseText] = []
    for order, key in enumerate(keys, start=1):
        sentences = draw(st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=3))
        text = " ".join(sentences)
        if text and draw(st.booleans()):
            text = draw(texts) + text
        parent = draw(st.sampled_from([None, *[c.key for c in out]]))
        out.append(
            ClauseText(
                key=key,
                kind="article",
                number=draw(st.sampled_from(["1", "2", "3", key])),
                heading=draw(st.sampled_from(["", "Scope", "Costs"])),
                text=text,
                parent=parent,
                order=order,
                repealed=draw(st.booleans()) and not text,
            )
        )
    return out


@st.composite
def revisions(draw: st.DrawFn) -> tuple[list[ClauseText], list[ClauseText]]:
    """A version and a revision of it: clauses edited, moved, rekeyed, split and merged."""
    base = draw(versions())
    revised: list[ClauseText] = []
    fresh = iter(range(100, 200))
    for clause in base:
        action = draw(st.sampled_from(["keep", "edit", "rekey", "split", "merge", "drop"]))
        sentences = clause.text.split(". ")
        if action == "edit":
            revised.append(replace(clause, text=draw(texts) + clause.text + draw(texts)))
        elif action == "rekey":
            revised.append(replace(clause, key=f"art_{next(fresh)}"))
        elif action == "split" and len(sentences) > 1:
            revised.append(replace(clause, text=sentences[0] + "."))
            revised.append(replace(clause, key=f"art_{next(fresh)}", text=". ".join(sentences[1:])))
        elif action == "merge" and revised:
            last = revised.pop()
            revised.append(replace(last, text=f"{last.text} {clause.text}"))
        elif action != "drop":
            revised.append(clause)
    order = draw(st.permutations(range(len(revised))))
    return base, [replace(revised[k], order=n) for n, k in enumerate(order)]


version_pairs = st.one_of(st.tuples(versions(), versions()), revisions())


def side_of(row: ClauseDiff) -> tuple[str | None, str | None, str]:
    return (row.old_key, row.new_key, row.status.value)


SWAPPED = {"added": "removed", "removed": "added", "split": "merged", "merged": "split"}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(version_pairs, st.booleans())
def test_every_clause_appears_once_and_its_text_is_rebuilt(
    pair: tuple[list[ClauseText], list[ClauseText]], ignore: bool
) -> None:
    """Each clause in force shows on its side, and the ops of its rows rebuild its text."""
    old, new = pair
    result = diff_versions(old, new, ignore_whitespace_and_punctuation=ignore)
    old_texts: dict[str, list[str]] = {}
    new_texts: dict[str, list[str]] = {}
    for row in result.clauses:
        if row.old_key is not None:
            old_texts.setdefault(row.old_key, []).append(row.old_text)
        if row.new_key is not None:
            new_texts.setdefault(row.new_key, []).append(row.new_text)
    assert {k: "".join(v) for k, v in old_texts.items()} == {
        c.key: c.text for c in old if not c.repealed
    }
    assert {k: "".join(v) for k, v in new_texts.items()} == {
        c.key: c.text for c in new if not c.repealed
    }
    counts = Counter(row.status for row in result.clauses)
    stats = result.stats
    assert (stats.added, stats.removed, stats.amended, stats.moved, stats.unchanged) == (
        counts[Status.ADDED],
        counts[Status.REMOVED],
        counts[Status.AMENDED],
        counts[Status.MOVED],
        counts[Status.UNCHANGED],
    )
    assert stats.words_inserted == sum(r.words_inserted for r in result.clauses)
    reading_order = [r.new_key for r in result.clauses if r.new_key is not None]
    assert [k for n, k in enumerate(reading_order) if n == 0 or reading_order[n - 1] != k] == [
        c.key for c in sorted(new, key=lambda c: c.order) if not c.repealed
    ]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(versions(), st.booleans())
def test_a_version_diffed_with_itself_has_no_changes(
    version: list[ClauseText], ignore: bool
) -> None:
    """Every clause in force is unchanged and nothing is inserted or deleted."""
    result = diff_versions(version, version, ignore_whitespace_and_punctuation=ignore)
    in_force = [c for c in version if not c.repealed]
    assert [(r.status, r.old_key, r.new_key) for r in result.clauses] == [
        (Status.UNCHANGED, c.key, c.key) for c in in_force
    ]
    assert result.stats.changed == 0
    assert result.stats.words_inserted == result.stats.words_deleted == 0
    assert result.changes == ()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(version_pairs, st.booleans())
def test_swapping_the_versions_swaps_added_and_removed_and_the_words(
    pair: tuple[list[ClauseText], list[ClauseText]], ignore: bool
) -> None:
    """The reverse comparison pairs the same clauses with mirrored statuses and ops."""
    old, new = pair
    forward = diff_versions(old, new, ignore_whitespace_and_punctuation=ignore)
    backward = diff_versions(new, old, ignore_whitespace_and_punctuation=ignore)
    assert {(r.new_key, r.old_key, SWAPPED.get(r.status, r.status)) for r in forward.clauses} == {
        side_of(r) for r in backward.clauses
    }
    ops = {(r.old_key, r.new_key): r.ops for r in forward.clauses}
    for row in backward.clauses:
        assert row.ops == mirrored(ops[(row.new_key, row.old_key)])
    f, b = forward.stats, backward.stats
    assert (b.added, b.removed, b.split, b.merged) == (f.removed, f.added, f.merged, f.split)
    assert (b.amended, b.moved, b.renumbered, b.unchanged) == (
        f.amended,
        f.moved,
        f.renumbered,
        f.unchanged,
    )
    assert (b.words_inserted, b.words_deleted) == (f.words_deleted, f.words_inserted)
