"""The synthetic agreements the diff benchmark runs on."""

from __future__ import annotations

from benchmarks.synthetic import Rates, synthetic_agreement, synthetic_pair, synthetic_revision
from clauses.diffing import Status, diff_versions

NO_CHANGES = Rates(edit=0, move=0, renumber=0, add=0, remove=0)


def test_the_same_seed_gives_the_same_pair() -> None:
    """Two runs with one seed give equal versions; another seed gives other text."""
    first = synthetic_pair(clauses=60, words=6000, seed=11)
    again = synthetic_pair(clauses=60, words=6000, seed=11)
    other = synthetic_pair(clauses=60, words=6000, seed=12)

    assert first == again
    assert first[0] != other[0]
    assert first[1] != other[1]


def test_the_agreement_has_about_the_clauses_and_words_asked_for() -> None:
    """Clause count is exact to within the article grouping, words to within a fifth."""
    agreement = synthetic_agreement(clauses=200, words=50_000, seed=3)

    words = sum(len(c.text.split()) for c in agreement)
    assert 195 <= len(agreement) <= 205
    assert 40_000 <= words <= 60_000
    assert len({c.key for c in agreement}) == len(agreement)
    assert [c.order for c in agreement] == list(range(1, len(agreement) + 1))


def test_a_revision_without_changes_diffs_as_unchanged() -> None:
    """With every rate at zero the revision is the agreement itself."""
    base = synthetic_agreement(clauses=40, words=4000, seed=5)

    revision = synthetic_revision(base, seed=6, rates=NO_CHANGES)

    assert revision == base
    assert diff_versions(base, revision).stats.changed == 0


def test_rekeyed_paragraphs_are_all_found_again_by_their_text() -> None:
    """When every paragraph gets a new key, the engine still pairs each one with its old self."""
    base = synthetic_agreement(clauses=40, words=4000, seed=5)
    rates = Rates(edit=0, move=0, renumber=1.0, add=0, remove=0)

    revision = synthetic_revision(base, seed=6, rates=rates)
    result = diff_versions(base, revision)

    assert all(c.key.endswith("_renumbered") for c in revision if c.parent is not None)
    assert {r.status for r in result.clauses} == {Status.UNCHANGED}
    assert all(
        r.new_key == f"{r.old_key}_renumbered" for r in result.clauses if r.old_parent is not None
    )


def test_each_rate_is_applied_exactly_at_every_size() -> None:
    """The share of paragraphs added, removed, moved, edited or re-keyed is the rate, rounded."""
    for clauses in (125, 1000):
        base = synthetic_agreement(clauses=clauses, words=clauses * 20, seed=clauses)
        old = {c.key: c for c in base if c.parent is not None}
        count = len(old)
        kept = Rates(edit=0.1, move=0.02, renumber=0, add=0.02, remove=0.02)
        revision = synthetic_revision(base, seed=clauses + 1, rates=kept)
        new = {c.key: c for c in revision if c.parent is not None}

        assert len([k for k in new if k.startswith("new_")]) == round(0.02 * count)
        assert len([k for k in old if k not in new]) == round(0.02 * count)
        assert len([k for k in old if k in new and new[k].text != old[k].text]) == round(
            0.1 * count
        )
        assert len([k for k in old if k in new and new[k].parent != old[k].parent]) == round(
            0.02 * count
        )

        rekeying = Rates(edit=0, move=0, renumber=0.05, add=0, remove=0)
        rekeyed = synthetic_revision(base, seed=clauses + 1, rates=rekeying)
        assert len([c for c in rekeyed if c.key.endswith("_renumbered")]) == round(0.05 * count)
