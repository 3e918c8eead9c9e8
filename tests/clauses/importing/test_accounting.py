"""The word accounting of a parse against its source."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from clauses.importing.accounting import (
    NOWHERE,
    Duplicated,
    Unplaced,
    WordAccount,
    account,
    count_words,
    document_word_count,
    words,
)
from clauses.importing.structure import (
    FRONT_MATTER,
    NOTE,
    PAGE_FURNITURE,
    TITLE,
    ParsedClause,
    ParsedDocument,
    SetAside,
)


def test_words_are_lower_cased_nfkc_runs_and_single_cjk_characters() -> None:
    assert words("Article 5: Ｆull-width 第五条") == [
        "article",
        "5",
        "full",
        "width",
        "第",
        "五",
        "条",
    ]


def test_a_parse_holding_every_word_once_keeps_all_and_adds_none() -> None:
    count = count_words(["a", "b", "b"], ["b", "a", "b"])
    assert (count.kept, count.extra) == (1.0, 0.0)


def test_lost_and_duplicated_words_are_counted_against_the_source() -> None:
    count = count_words(["a", "b", "c", "d"], ["a", "b", "b", "b"])
    assert (count.kept_words, count.extra_words) == (2, 2)
    assert (count.kept, count.extra) == (0.5, 0.5)


def test_a_document_is_measured_by_number_heading_and_text_of_its_clauses() -> None:
    document = ParsedDocument(
        title="",
        clauses=(ParsedClause("art_1", "article", "Article 1", "Scope", "It applies."),),
        source_text="Article 1 Scope It applies. Done at Beijing.",
    )
    count = document_word_count(document)
    assert (count.source_words, count.kept_words, count.extra_words) == (8, 5, 0)


def _doc(source: str, *clauses: ParsedClause) -> ParsedDocument:
    return ParsedDocument(title="", clauses=clauses, source_text=source)


def test_an_account_of_a_faithful_parse_has_nothing_unplaced_or_duplicated() -> None:
    document = _doc(
        "Article 1 Scope. It applies.",
        ParsedClause("art_1", "article", "Article 1", "Scope", "It applies."),
    )
    assert account(document) == WordAccount(
        source_words=5, parse_words=5, kept_words=5, extra_words=0, unplaced=(), duplicated=()
    )


def test_an_account_names_where_each_unplaced_passage_went() -> None:
    clause = ParsedClause(
        "art_1",
        "article",
        "Article 1",
        "",
        "The Parties cooperate on the basis of equality.",
        notes=("A footnote.",),
    )
    document = replace(
        _doc(
            "AGREEMENT ON COOPERATION Acting in good faith, Article 1 The Parties cooperate. "
            "Page header 3 on the basis of equality. A footnote. Done at Beijing.",
            clause,
        ),
        title="Agreement on Cooperation",
        front_matter=("Acting in good faith,",),
        set_aside=(SetAside("Page header 3", PAGE_FURNITURE),),
    )
    result = account(document)
    assert result.unplaced == (
        Unplaced("AGREEMENT ON COOPERATION", TITLE, 3),
        Unplaced("Acting in good faith", FRONT_MATTER, 4),
        Unplaced("Page header 3", PAGE_FURNITURE, 3),
        Unplaced("A footnote", NOTE, 2),
        Unplaced("Done at Beijing", NOWHERE, 3),
    )
    assert (result.kept_words, result.extra_words, result.duplicated) == (10, 0, ())


def test_an_account_names_the_duplicated_passage_and_its_clause() -> None:
    document = _doc(
        "Article 1 The Parties cooperate. Article 2 Costs are shared.",
        ParsedClause("art_1", "article", "Article 1", "", "The Parties cooperate."),
        ParsedClause(
            "art_2", "article", "Article 2", "", "The Parties cooperate. Costs are shared."
        ),
    )
    result = account(document)
    assert result.duplicated == (Duplicated("The Parties cooperate", "art_2", 3),)
    assert (result.kept_words, result.extra_words, result.unplaced) == (10, 3, ())


def test_a_moved_passage_is_unplaced_where_it_was_and_duplicated_where_it_landed() -> None:
    document = _doc(
        "Article 1 alpha beta. Article 2 gamma delta.",
        ParsedClause("art_2", "article", "Article 2", "", "gamma delta."),
        ParsedClause("art_1", "article", "Article 1", "", "alpha beta."),
    )
    result = account(document)
    assert (
        count_words(
            words(document.source_text), words("Article 2 gamma delta. Article 1 alpha beta.")
        ).kept
        == 1.0
    )
    assert result.kept_words == 4
    assert result.unplaced == (Unplaced("Article 2 gamma delta", NOWHERE, 4),)
    assert result.duplicated == (
        Duplicated("2 gamma delta", "art_2", 3),
        Duplicated("Article", "art_1", 1),
    )


def test_an_account_of_200000_words_with_a_gap_and_a_repeat_takes_well_under_a_second() -> None:
    rng = random.Random(7)
    source = [f"w{min(int(rng.paretovariate(1.1)), 4999)}" for _ in range(200_000)]
    # Why: words found once mark the passages' edges, which common words could shift.
    for at, marker in [(50_000, "gone"), (50_099, "went"), (119_900, "twice"), (119_999, "over")]:
        source[at] = marker
    body = source[:50_000] + source[50_100:120_000] + source[119_900:]
    clauses = tuple(
        ParsedClause(f"c_{k}", "article", "", "", " ".join(body[k : k + 1000]))
        for k in range(0, len(body), 1000)
    )
    document = _doc(" ".join(source), *clauses)
    started = time.process_time()
    result = account(document)
    took = time.process_time() - started
    assert result.unplaced == (Unplaced(" ".join(source[50_000:50_100]), NOWHERE, 100),)
    assert result.duplicated == (Duplicated(" ".join(source[119_900:120_000]), "c_119000", 100),)
    assert (result.kept_words, result.extra_words) == (199_900, 100)
    assert took < 4


def test_the_further_language_texts_of_a_bilingual_print_are_part_of_the_parse() -> None:
    dutch = ParsedDocument(
        title="Verdrag",
        clauses=(ParsedClause("art_1", "article", "Artikel 1", "", "Het geldt."),),
    )
    document = replace(
        _doc(
            "Article 1 It applies. Verdrag Artikel 1 Het geldt.",
            ParsedClause("art_1", "article", "Article 1", "", "It applies."),
        ),
        other_texts=(dutch,),
    )
    result = account(document)
    assert (result.kept_words, result.extra_words) == (8, 0)
    assert result.unplaced == (Unplaced("Verdrag", TITLE, 1),)


def test_placing_a_long_lost_passage_stays_fast_with_a_header_set_aside_on_every_page() -> None:
    lost = " ".join(f"w{i % 50}" for i in range(20_000))
    document = replace(
        _doc(
            f"Article 1 It applies. Treaty Series page 7 {lost}",
            ParsedClause("art_1", "article", "Article 1", "", "It applies."),
        ),
        set_aside=tuple(SetAside(f"Treaty Series page {n}", PAGE_FURNITURE) for n in range(2000)),
    )
    started = time.process_time()
    result = account(document)
    took = time.process_time() - started

    assert result.unplaced == (
        Unplaced("Treaty Series page 7", PAGE_FURNITURE, 4),
        Unplaced(lost, NOWHERE, 20_000),
    )
    assert took < 3
