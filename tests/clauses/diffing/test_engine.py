"""The diff engine on representative amendments, checked against exact expected structures."""

from __future__ import annotations

import datetime as dt

import pytest

from clauses.diffing import (
    ClauseDiff,
    ClauseText,
    DiffStats,
    Op,
    Status,
    VersionDiff,
    clause_texts_from_rows,
    diff_versions,
)
from tests.factories import article, make_agreement, make_version

SCOPE = "This Agreement covers cooperation in science and technology."
COSTS = "Each Party shall bear its own costs."
FIELDS_1979 = (
    "The Parties shall cooperate in the fields of agriculture, energy, space, health and earth "
    "sciences."
)
FIELDS_2024 = (
    "The Parties shall cooperate in basic research in the fields of agriculture, space, health "
    "and earth sciences, excluding critical technologies."
)


def clause(
    key: str,
    text: str,
    *,
    order: int,
    number: str = "",
    kind: str = "article",
    heading: str = "",
    parent: str | None = None,
    repealed: bool = False,
) -> ClauseText:
    number = number or f"Article {key.removeprefix('art_')}"
    return ClauseText(key, kind, number, heading, text, parent, order, repealed)


def kept(c: ClauseText, *, old_number: str | None = None) -> ClauseDiff:
    """The row of a clause that did not change (renumbered when ``old_number`` is given)."""
    return ClauseDiff(
        status=Status.UNCHANGED if old_number is None else Status.RENUMBERED,
        kind=c.kind,
        old_key=c.key,
        new_key=c.key,
        old_number=old_number if old_number is not None else c.number,
        new_number=c.number,
        old_heading=c.heading,
        new_heading=c.heading,
        old_parent=c.parent,
        new_parent=c.parent,
        ops=(Op("equal", c.text),) if c.text else (),
        heading_ops=(Op("equal", c.heading),) if c.heading else (),
        words_inserted=0,
        words_deleted=0,
        similarity=1.0,
        edited=False,
    )


def test_an_amended_sentence_shows_the_words_inserted_and_deleted() -> None:
    """Only the changed words are marked; the rest of the sentence is kept."""
    scope = clause("art_1", SCOPE, order=1)
    old = [scope, clause("art_2", FIELDS_1979, order=2)]
    new = [scope, clause("art_2", FIELDS_2024, order=2)]

    assert diff_versions(old, new) == VersionDiff(
        clauses=(
            kept(scope),
            ClauseDiff(
                status=Status.AMENDED,
                kind="article",
                old_key="art_2",
                new_key="art_2",
                old_number="Article 2",
                new_number="Article 2",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(
                    Op("equal", "The Parties shall cooperate in "),
                    Op("insert", "basic research in "),
                    Op("equal", "the fields of agriculture, "),
                    Op("delete", "energy, "),
                    Op("equal", "space, health and earth sciences"),
                    Op("insert", ", excluding critical technologies"),
                    Op("equal", "."),
                ),
                heading_ops=(),
                words_inserted=6,
                words_deleted=1,
                similarity=0.8,
                edited=True,
            ),
        ),
        stats=DiffStats(amended=1, unchanged=1, words_inserted=6, words_deleted=1),
    )


def test_an_inserted_article_is_added_and_the_next_one_renumbered() -> None:
    """A new Article 2 is added; the old Article 2 keeps its key and becomes Article 3."""
    scope = clause("art_1", SCOPE, order=1)
    costs = clause("art_2", COSTS, order=2)
    safety = clause(
        "art_safety",
        "The Parties shall protect the safety of researchers.",
        order=2,
        number="Article 2",
        heading="Researcher safety",
    )
    renumbered = clause("art_2", COSTS, order=3, number="Article 3")

    assert diff_versions([scope, costs], [scope, safety, renumbered]) == VersionDiff(
        clauses=(
            kept(scope),
            ClauseDiff(
                status=Status.ADDED,
                kind="article",
                old_key=None,
                new_key="art_safety",
                old_number="",
                new_number="Article 2",
                old_heading="",
                new_heading="Researcher safety",
                old_parent=None,
                new_parent=None,
                ops=(Op("insert", "The Parties shall protect the safety of researchers."),),
                heading_ops=(Op("insert", "Researcher safety"),),
                words_inserted=10,
                words_deleted=0,
                similarity=0.0,
                edited=False,
            ),
            kept(renumbered, old_number="Article 2"),
        ),
        stats=DiffStats(added=1, renumbered=1, unchanged=1, words_inserted=10),
    )


def test_a_renumbered_article_is_paired_by_text_not_by_the_key_it_now_shares() -> None:
    """New Article 3 (key art_3) is the old Article 4; the old Article 3 was dropped.

    Pairing the two art_3 clauses because they share a key would show an unrelated rewrite.
    """
    scope = clause("art_1", SCOPE, order=1)
    commission = clause("art_3", "A joint commission shall meet every year.", order=2)
    costs = clause("art_4", COSTS, order=3)
    costs_now = clause("art_3", COSTS, order=2)

    assert diff_versions([scope, commission, costs], [scope, costs_now]) == VersionDiff(
        clauses=(
            kept(scope),
            ClauseDiff(
                status=Status.REMOVED,
                kind="article",
                old_key="art_3",
                new_key=None,
                old_number="Article 3",
                new_number="",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(Op("delete", "A joint commission shall meet every year."),),
                heading_ops=(),
                words_inserted=0,
                words_deleted=7,
                similarity=0.0,
                edited=False,
            ),
            ClauseDiff(
                status=Status.RENUMBERED,
                kind="article",
                old_key="art_4",
                new_key="art_3",
                old_number="Article 4",
                new_number="Article 3",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(Op("equal", COSTS),),
                heading_ops=(),
                words_inserted=0,
                words_deleted=0,
                similarity=1.0,
                edited=False,
            ),
        ),
        stats=DiffStats(removed=1, renumbered=1, unchanged=1, words_deleted=7),
    )


def test_an_article_moved_into_an_annex_shows_as_moved_and_edited() -> None:
    """Old Article 2 becomes paragraph 2 of Annex I with a qualifier added, not removed+added."""
    data = "Scientific data shall be shared openly and promptly between the Parties."
    scope = clause("art_1", SCOPE, order=1)
    costs = clause("art_3", COSTS, order=3)
    annex = clause("annex_1", "", order=4, kind="annex", number="Annex I", heading="Data")
    officer = clause(
        "annex_1__para_1",
        "Each Party shall designate a data officer.",
        order=5,
        kind="paragraph",
        number="1",
        parent="annex_1",
    )
    old = [scope, clause("art_2", data, order=2), costs, annex, officer]
    costs_now = clause("art_3", COSTS, order=2, number="Article 2")
    moved = clause(
        "annex_1__para_2",
        "Scientific data shall be shared openly and promptly between the Parties, subject to "
        "their laws.",
        order=6,
        kind="paragraph",
        number="2",
        parent="annex_1",
    )

    assert diff_versions(old, [scope, costs_now, annex, officer, moved]) == VersionDiff(
        clauses=(
            kept(scope),
            kept(costs_now, old_number="Article 3"),
            kept(annex),
            kept(officer),
            ClauseDiff(
                status=Status.MOVED,
                kind="paragraph",
                old_key="art_2",
                new_key="annex_1__para_2",
                old_number="Article 2",
                new_number="2",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent="annex_1",
                ops=(
                    Op(
                        "equal",
                        "Scientific data shall be shared openly and promptly between the Parties",
                    ),
                    Op("insert", ", subject to their laws"),
                    Op("equal", "."),
                ),
                heading_ops=(),
                words_inserted=4,
                words_deleted=0,
                similarity=0.8462,
                edited=True,
            ),
        ),
        stats=DiffStats(moved=1, renumbered=1, unchanged=3, words_inserted=4),
    )


def test_a_repealed_clause_is_removed_where_it_stood() -> None:
    """The placeholder a version keeps for a repealed article counts as no clause at all."""
    scope = clause("art_1", SCOPE, order=1)
    commission = clause(
        "art_2", "A joint commission shall meet every year.", order=2, heading="Joint Commission"
    )
    costs = clause("art_3", COSTS, order=3)
    placeholder = clause("art_2", "", order=2, heading="Joint Commission", repealed=True)

    assert diff_versions([scope, commission, costs], [scope, placeholder, costs]) == VersionDiff(
        clauses=(
            kept(scope),
            ClauseDiff(
                status=Status.REMOVED,
                kind="article",
                old_key="art_2",
                new_key=None,
                old_number="Article 2",
                new_number="",
                old_heading="Joint Commission",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(Op("delete", "A joint commission shall meet every year."),),
                heading_ops=(Op("delete", "Joint Commission"),),
                words_inserted=0,
                words_deleted=9,
                similarity=0.0,
                edited=False,
            ),
            kept(costs),
        ),
        stats=DiffStats(removed=1, unchanged=2, words_deleted=9),
    )


PROTECT = "Each Party shall protect researchers from coercion."
PUBLISH_1 = "Each Party shall publish the data it produces under this Agreement."
PUBLISH_2 = "Each Party shall publish the data it produces."


def test_a_clause_split_in_two_gives_each_part_its_share_of_the_old_text() -> None:
    """Article 5 is split into Articles 5 and 6; the old sides of the rows rebuild Article 5."""
    old = [clause("art_5", f"{PROTECT} {PUBLISH_1}", order=1)]
    new = [clause("art_5", PROTECT, order=1), clause("art_6", PUBLISH_2, order=2)]

    result = diff_versions(old, new)

    assert result == VersionDiff(
        clauses=(
            ClauseDiff(
                status=Status.SPLIT,
                kind="article",
                old_key="art_5",
                new_key="art_5",
                old_number="Article 5",
                new_number="Article 5",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(Op("equal", PROTECT), Op("delete", " ")),
                heading_ops=(),
                words_inserted=0,
                words_deleted=0,
                similarity=1.0,
                edited=True,
                parts=("art_5", "art_6"),
            ),
            ClauseDiff(
                status=Status.SPLIT,
                kind="article",
                old_key="art_5",
                new_key="art_6",
                old_number="Article 5",
                new_number="Article 6",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(
                    Op("equal", "Each Party shall publish the data it produces"),
                    Op("delete", " under this Agreement"),
                    Op("equal", "."),
                ),
                heading_ops=(),
                words_inserted=0,
                words_deleted=3,
                similarity=0.8421,
                edited=True,
                parts=("art_5", "art_6"),
            ),
        ),
        stats=DiffStats(split=1, words_deleted=3),
    )
    assert "".join(row.old_text for row in result.clauses) == old[0].text


def test_two_clauses_merged_into_one_mirror_a_split() -> None:
    """Comparing the other way round, Articles 5 and 6 are merged into Article 5."""
    old = [clause("art_5", PROTECT, order=1), clause("art_6", PUBLISH_2, order=2)]
    new = [clause("art_5", f"{PROTECT} {PUBLISH_1}", order=1)]

    result = diff_versions(old, new)

    assert [(r.status, r.old_key, r.new_key, r.parts, r.ops) for r in result.clauses] == [
        (
            Status.MERGED,
            "art_5",
            "art_5",
            ("art_5", "art_6"),
            (Op("equal", PROTECT), Op("insert", " ")),
        ),
        (
            Status.MERGED,
            "art_6",
            "art_5",
            ("art_5", "art_6"),
            (
                Op("equal", "Each Party shall publish the data it produces"),
                Op("insert", " under this Agreement"),
                Op("equal", "."),
            ),
        ),
    ]
    assert result.stats == DiffStats(merged=1, words_inserted=3)
    assert "".join(row.new_text for row in result.clauses) == new[0].text


def test_a_chinese_sentence_is_compared_character_by_character() -> None:
    """Each Chinese character is a word, so a changed term is marked precisely."""
    old = [clause("art_1", "缔约双方应在平等互利的基础上进行合作。", order=1, number="第一条")]
    new = [
        clause(
            "art_1", "缔约双方应在平等、互惠的基础上开展基础研究合作。", order=1, number="第一条"
        )
    ]

    assert diff_versions(old, new) == VersionDiff(
        clauses=(
            ClauseDiff(
                status=Status.AMENDED,
                kind="article",
                old_key="art_1",
                new_key="art_1",
                old_number="第一条",
                new_number="第一条",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(
                    Op("equal", "缔约双方应在平等"),
                    Op("delete", "互利"),
                    Op("insert", "、互惠"),
                    Op("equal", "的基础上"),
                    Op("delete", "进行"),
                    Op("insert", "开展基础研究"),
                    Op("equal", "合作。"),
                ),
                heading_ops=(),
                words_inserted=8,
                words_deleted=4,
                similarity=0.7,
                edited=True,
            ),
        ),
        stats=DiffStats(amended=1, words_inserted=8, words_deleted=4),
    )


COSTS_1979 = "Each Party shall, subject to its laws, bear its own costs."
COSTS_RETYPED = "Each Party shall subject to its laws bear its own  costs"


def test_whitespace_and_punctuation_changes_are_kept_when_ignored() -> None:
    """With the option on, the clause is unchanged and its old wording is still at hand."""
    old = [clause("art_2", COSTS_1979, order=1)]
    new = [clause("art_2", COSTS_RETYPED, order=1)]

    assert diff_versions(old, new, ignore_whitespace_and_punctuation=True) == VersionDiff(
        clauses=(
            ClauseDiff(
                status=Status.UNCHANGED,
                kind="article",
                old_key="art_2",
                new_key="art_2",
                old_number="Article 2",
                new_number="Article 2",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(Op("equal", COSTS_RETYPED, old_text=COSTS_1979),),
                heading_ops=(),
                words_inserted=0,
                words_deleted=0,
                similarity=1.0,
                edited=False,
            ),
        ),
        stats=DiffStats(unchanged=1),
        ignore_whitespace_and_punctuation=True,
    )


def test_whitespace_and_punctuation_changes_are_marked_by_default() -> None:
    """Without the option, each dropped comma and the doubled space is a change of no words."""
    old = [clause("art_2", COSTS_1979, order=1)]
    new = [clause("art_2", COSTS_RETYPED, order=1)]

    assert diff_versions(old, new) == VersionDiff(
        clauses=(
            ClauseDiff(
                status=Status.AMENDED,
                kind="article",
                old_key="art_2",
                new_key="art_2",
                old_number="Article 2",
                new_number="Article 2",
                old_heading="",
                new_heading="",
                old_parent=None,
                new_parent=None,
                ops=(
                    Op("equal", "Each Party shall"),
                    Op("delete", ","),
                    Op("equal", " subject to its laws"),
                    Op("delete", ","),
                    Op("equal", " bear its own"),
                    Op("delete", " "),
                    Op("insert", "  "),
                    Op("equal", "costs"),
                    Op("delete", "."),
                ),
                heading_ops=(),
                words_inserted=0,
                words_deleted=0,
                similarity=1.0,
                edited=True,
            ),
        ),
        stats=DiffStats(amended=1),
    )


def test_unrelated_texts_under_one_key_are_removed_and_added_not_amended() -> None:
    """Sharing a key is not enough to pair two clauses whose texts have nothing in common."""
    old = [clause("art_4", "A joint commission shall meet every year.", order=1)]
    new = [clause("art_4", "Either Party may terminate this Agreement by written notice.", order=1)]

    result = diff_versions(old, new)

    assert [(r.status, r.old_key, r.new_key) for r in result.clauses] == [
        (Status.REMOVED, "art_4", None),
        (Status.ADDED, None, "art_4"),
    ]


def test_a_clause_extended_to_twice_its_length_under_its_key_is_amended() -> None:
    """Most of the old text is kept inside the new one, though the texts are not alike overall."""
    old = [clause("art_5", "Accords shall deal with the funding of the activities.", order=1)]
    new = [
        clause(
            "art_5",
            "Accords shall deal with the funding of the activities. Intellectual property "
            "created or furnished in the course of cooperative activities is treated as Annex 1 "
            "provides, and research data as Annex 2 provides.",
            order=1,
        )
    ]

    result = diff_versions(old, new)

    assert [(r.status, r.similarity, r.words_inserted) for r in result.clauses] == [
        (Status.AMENDED, 0.4286, 24)
    ]


def test_an_article_moved_with_its_paragraphs_moves_alone() -> None:
    """The paragraphs travel with their article, so only the article is reported as moved."""

    def art(n: int, order: int) -> list[ClauseText]:
        key = f"art_{n}"
        return [
            clause(key, f"Article {n} is about topic number {n}.", order=order),
            clause(
                f"{key}__para_1",
                f"Paragraph one of article {n} says something.",
                order=order + 1,
                kind="paragraph",
                number="1",
                parent=key,
            ),
        ]

    old = art(1, 1) + art(2, 3) + art(3, 5)
    new = art(1, 1) + art(3, 3) + art(2, 5)

    statuses = [(r.key, r.status) for r in diff_versions(old, new).clauses]

    assert statuses == [
        ("art_1", Status.UNCHANGED),
        ("art_1__para_1", Status.UNCHANGED),
        ("art_3", Status.UNCHANGED),
        ("art_3__para_1", Status.UNCHANGED),
        ("art_2", Status.MOVED),
        ("art_2__para_1", Status.UNCHANGED),
    ]


def test_a_version_repeating_a_key_is_refused() -> None:
    """Two clauses of one version under one key cannot be compared; the error names the key."""
    twice = [clause("art_1", SCOPE, order=1), clause("art_1", COSTS, order=2)]

    with pytest.raises(ValueError, match="new version has duplicate clause keys: art_1"):
        diff_versions([], twice)


@pytest.mark.django_db
def test_clause_rows_of_published_versions_convert_to_differ_input() -> None:
    """Rows from the database give parents by key and mark repealed placeholders."""
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [
            article(1, SCOPE),
            article(2, "A joint commission shall meet every year."),
            article(3, COSTS),
        ],
        in_force_from=dt.date(1979, 1, 31),
    )
    later = make_version(
        sta,
        "2024",
        [
            article(1, SCOPE),
            article(2, COSTS),
        ],
        in_force_from=dt.date(2024, 8, 27),
    )
    earlier = later.previous
    assert earlier is not None

    old = clause_texts_from_rows(earlier.clauses.order_by("order"))
    new = clause_texts_from_rows(later.clauses.order_by("order"))
    result = diff_versions(old, new)

    assert [c.key for c in new if c.repealed] == ["art_2"]
    assert [
        (r.status, r.old_key, r.new_key, r.old_number, r.new_number) for r in result.clauses
    ] == [
        (Status.UNCHANGED, "art_1", "art_1", "Article 1", "Article 1"),
        (Status.REMOVED, "art_2", None, "Article 2", ""),
        (Status.RENUMBERED, "art_3", "art_3", "Article 3", "Article 2"),
    ]
