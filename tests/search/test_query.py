"""The search service: every version's clauses and the proposals a person may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clauses.importing.structure import ParsedClause
from clauses.models import Agreement, TextStatus, Version
from sta_tracker.roles import Role
from sta_tracker.search.query import SearchQueryError, search, versions_in_force
from tests.factories import article, make_agreement, make_user, make_version
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
ZH = "双方在平等互利的基础上开展科学技术合作。"


@pytest.fixture
def frank(db: Any) -> Any:
    """Frank is another submitter, whose proposals Alice must never see."""
    return make_user("frank", Role.SUBMITTER)


@pytest.fixture
def corpus(db: Any) -> dict[str, Any]:
    sta = make_agreement("sta")
    old = make_version(
        sta,
        "1979",
        [
            article(1, "The Parties cooperate in science and technology.", heading="Scope"),
            article(2, "Reciprocity guides data sharing; reciprocity is reviewed; reciprocity."),
            article(3, "Researchers are kept safe."),
            ParsedClause(key="art_4", kind="article", number="Article 4", heading="", text=ZH),
            article(5, "Beware of <script>alert('x')</script> & ampersands in reciprocity."),
        ],
        in_force_from=dt.date(1979, 1, 31),
        in_force_until=dt.date(2024, 8, 27),
        text_status=TextStatus.ILLUSTRATIVE,
    )
    new = make_version(
        sta,
        "2024",
        [
            article(1, "The Parties cooperate in basic research only.", heading="Scope"),
            article(2, "Data sharing follows reciprocity."),
            article(3, "Researchers are kept safe."),
            ParsedClause(key="art_4", kind="article", number="Article 4", heading="", text=ZH),
        ],
        in_force_from=dt.date(2024, 8, 27),
        text_status=TextStatus.OFFICIAL,
    )
    other = make_agreement("ocean", short_title="Ocean", title="Ocean research accord")
    ocean = make_version(
        other,
        "2001",
        [article(1, "The Parties share reciprocity in ocean data.")],
        in_force_from=dt.date(2001, 1, 1),
    )
    return {"sta": sta, "old": old, "new": new, "ocean": ocean}


def keys(results: Any) -> list[tuple[str, str]]:
    return [(hit.version_label, hit.key) for hit in results.provisions]


def test_the_method_is_full_text_on_both_databases(corpus: Any, dana: Any) -> None:
    results = search(query="science", user=dana)
    assert results.method == "full-text"
    assert results.method_note
    assert "database" not in results.method_note
    assert keys(results) == [("1979", "art_1")]


def test_every_word_must_occur(corpus: Any, dana: Any) -> None:
    found = search(query="researchers safe", user=dana)
    # One provision, held by both versions: the latest text shown, both versions named.
    assert keys(found) == [("2024", "art_3")]
    assert [m.label for m in found.provisions[0].versions] == ["1979", "2024"]
    assert (found.total, found.clause_total) == (1, 2)
    assert search(query="researchers ocean", user=dana).total == 0


def test_clauses_with_more_matches_rank_first(corpus: Any, dana: Any) -> None:
    results = search(query="reciprocity", user=dana, agreement=corpus["sta"])
    assert keys(results)[0] == ("1979", "art_2")
    assert results.total == 3
    assert results.provisions[0].rank > results.provisions[-1].rank


def test_a_hit_links_to_the_clause_anchor_and_says_when_text_is_illustrative(
    corpus: Any, dana: Any
) -> None:
    hit = search(query="science", user=dana).provisions[0]
    assert hit.url == corpus["old"].get_absolute_url() + "#art_1"
    assert hit.url == "/agreements/sta/versions/1979/#art_1"
    assert hit.text_status == "illustrative"
    assert hit.text_notice.startswith("Illustrative text")
    official = search(query="basic research", user=dana).provisions[0]
    assert (official.text_status, official.text_notice) == ("official", "")


def test_matched_words_are_marked_and_the_rest_escaped(corpus: Any, dana: Any) -> None:
    hit = search(query="ampersands", user=dana).provisions[0]
    assert hit.snippet_html == (
        "Beware of &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; "
        "<mark>ampersands</mark> in reciprocity."
    )


def test_a_query_with_html_is_harmless(corpus: Any, dana: Any) -> None:
    results = search(query="<b>ampersands</b>", user=dana)
    assert keys(results) == [("1979", "art_5")]
    assert results.terms == ("ampersands",)
    assert "<b>" not in results.provisions[0].snippet_html


def test_the_heading_is_marked_too(corpus: Any, dana: Any) -> None:
    hit = search(query="scope basic", user=dana).provisions[0]
    assert hit.title_html == "Article 1 <mark>Scope</mark>"
    assert hit.title == "Article 1 Scope"
    assert "<mark>basic</mark>" in hit.snippet_html


def test_chinese_text_is_found_and_marked(corpus: Any, dana: Any) -> None:
    results = search(query="科学技术", user=dana)
    assert keys(results) == [("2024", "art_4")]
    assert [m.label for m in results.provisions[0].versions] == ["1979", "2024"]
    assert results.provisions[0].snippet_html == (
        "双方在平等互利的基础上开展<mark>科学技术</mark>合作。"
    )
    assert keys(search(query="合作", user=dana, version=corpus["old"])) == [("1979", "art_4")]


def test_a_long_text_is_cut_around_the_first_match(dana: Any) -> None:
    sta = make_agreement("long")
    text = " ".join(["filler"] * 60) + " landmark " + " ".join(["tail"] * 60)
    make_version(sta, "1", [article(1, text)], in_force_from=dt.date(2000, 1, 1))
    snippet = search(query="landmark", user=dana).provisions[0].snippet_html
    assert snippet.startswith("…filler")
    assert snippet.endswith("…")
    assert "<mark>landmark</mark>" in snippet
    assert len(snippet) < len(text)


def test_filters_by_agreement_version_and_day(corpus: Any, dana: Any) -> None:
    assert keys(search(query="reciprocity", user=dana, agreement=corpus["sta"])) == [
        ("1979", "art_2"),
        ("2024", "art_2_2"),
        ("1979", "art_5"),
    ]
    assert keys(search(query="reciprocity", user=dana, version=corpus["new"])) == [
        ("2024", "art_2_2")
    ]
    on_day = search(query="reciprocity", user=dana, in_force_on=dt.date(2010, 6, 1))
    assert sorted(keys(on_day)) == [("1979", "art_2"), ("1979", "art_5"), ("2001", "art_1")]
    later = search(query="reciprocity", user=dana, in_force_on=dt.date(2025, 1, 1))
    assert sorted(keys(later)) == [("2001", "art_1"), ("2024", "art_2_2")]
    assert search(query="reciprocity", user=dana, in_force_on=dt.date(1950, 1, 1)).total == 0


def test_the_version_in_force_follows_the_point_in_time_rule(corpus: Any) -> None:
    chosen = versions_in_force(dt.date(2024, 8, 27))
    assert {v.label for v in chosen} == {"2024", "2001"}
    assert versions_in_force(dt.date(2024, 8, 26), corpus["sta"]) == [corpus["old"]]


def test_repealed_placeholders_are_not_found(dana: Any) -> None:
    sta = make_agreement("rep")
    make_version(
        sta,
        "1",
        [article(1, "Keep this."), article(2, "A joint commission meets.")],
        in_force_from=dt.date(2000, 1, 1),
        in_force_until=dt.date(2010, 1, 1),
    )
    make_version(sta, "2", [article(1, "Keep this.")], in_force_from=dt.date(2010, 1, 1))
    assert Version.objects.get(label="2").clauses.filter(change="repealed").exists()
    assert keys(search(query="commission", user=dana)) == [("1", "art_2")]


def test_results_come_in_pages(corpus: Any, dana: Any) -> None:
    first = search(query="reciprocity", user=dana, limit=2)
    second = search(query="reciprocity", user=dana, limit=2, offset=2)
    assert first.total == second.total == 4
    assert len(first.provisions) == 2
    assert len(second.provisions) == 2
    assert not set(keys(first)) & set(keys(second))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word"),
        ("?! -- ..", "Type a word"),
        ("a b c", "Type a word"),
        ("x" * 201, "at most 200 characters"),
        ("one two three four five six seven eight nine", "at most 8 words"),
    ],
)
def test_a_query_that_cannot_be_searched_says_why(
    corpus: Any, dana: Any, query: str, message: str
) -> None:
    with pytest.raises(SearchQueryError, match=message):
        search(query=query, user=dana)


@pytest.mark.skipif(not ON_POSTGRES, reason="word forms are matched only by full-text search")
def test_on_postgresql_any_form_of_a_word_matches_and_is_marked(corpus: Any, dana: Any) -> None:
    hit = search(query="cooperation", user=dana).provisions[0]
    assert "<mark>cooperate</mark>" in hit.snippet_html
    with pytest.raises(SearchQueryError, match="common"):
        search(query="the and of", user=dana)


def test_a_word_is_not_found_inside_longer_words_but_in_its_other_forms(
    corpus: Any, dana: Any
) -> None:
    """``art_5`` once found every clause holding "art" (article, party...); keys are no text."""
    assert search(query="art_5", user=dana, correct=False).total == 0
    assert search(query="searcher", user=dana, correct=False).total == 0
    assert {h.key for h in search(query="cooperation", user=dana).provisions} == {"art_1"}
    hit = search(query="cooperating", user=dana).provisions[0]
    assert "<mark>cooperate</mark>" in hit.snippet_html


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexes exist only on PostgreSQL")
def test_on_postgresql_the_search_indexes_serve_the_queries(corpus: Any) -> None:
    from sta_tracker.search.candidates import PG_BIGRAMS, PG_DOCUMENT, PG_VECTOR

    plans = {}
    queries = {
        "words": f"{PG_VECTOR} @@ plainto_tsquery('english', 'reciprocity')",
        "chinese": f"{PG_BIGRAMS} @> ARRAY['合作'] AND {PG_DOCUMENT} ILIKE '%合作%'",
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name, where in queries.items():
            cursor.execute(f"EXPLAIN SELECT id FROM clauses_clause WHERE {where}")  # noqa: S608
            plans[name] = " ".join(row[0] for row in cursor.fetchall())
    assert "clause_search_vector" in plans["words"]
    assert "clause_search_cjk_bigrams" in plans["chinese"]


def test_a_corrected_clause_is_found_by_its_new_words(corpus: Any, dana: Any, erin: Any) -> None:
    from clauses.record.versions import clause_correct

    clause = corpus["new"].clauses.get(key="art_3")
    assert search(query="harbour", user=dana).total == 0
    clause_correct(
        clause=clause,
        heading="",
        text="Researchers are kept safe in every harbour.",
        acting_user=erin,
        reason="Missing words",
    )
    assert keys(search(query="harbour", user=dana)) == [("2024", "art_3")]
    assert search(query="kept safe", user=dana, version=corpus["new"]).total == 1


def test_one_chinese_character_is_found_too(corpus: Any, dana: Any) -> None:
    assert {h.key for h in search(query="术", user=dana).provisions} == {"art_4"}


def test_proposals_are_searched_only_where_the_person_may_see_them(
    alice: Any, frank: Any, bob: Any, dana: Any, corpus: Any
) -> None:
    mine = proposal_in(
        "draft", submitter=alice, version=None, title="Reciprocity in tidal data exchange"
    )
    theirs = proposal_in(
        "draft", submitter=frank, version=None, summary="Tidal gauges and reciprocity."
    )
    alice_sees = search(query="reciprocity tidal", user=alice)
    assert [p.proposal_id for p in alice_sees.proposals] == [mine.pk]
    assert (
        alice_sees.proposals[0].title_html
        == "<mark>Reciprocity</mark> in <mark>tidal</mark> data exchange"
    )
    assert alice_sees.proposal_total == 1
    assert {p.proposal_id for p in search(query="reciprocity tidal", user=bob).proposals} == {
        mine.pk,
        theirs.pk,
    }
    assert search(query="reciprocity tidal", user=dana).proposals == ()
    assert search(query="reciprocity tidal", user=dana).total == 0


def test_a_proposal_is_found_by_the_name_of_its_agency_or_field(alice: Any, corpus: Any) -> None:
    found = proposal_in(
        "draft",
        submitter=alice,
        version=None,
        title="Tidal records",
        us_agency="National Oceanic and Atmospheric Administration",
        scientific_field="Physical oceanography",
    )
    proposal_in("draft", submitter=alice, version=None, title="Other", us_agency="", summary="")
    for query in ("oceanic atmospheric", "oceanography"):
        hits = search(query=query, user=alice).proposals
        assert [p.proposal_id for p in hits] == [found.pk], query
    # Why "physical": PostgreSQL highlights by stem, and the stem of "physical" is its prefix.
    (hit,) = search(query="physical", user=alice).proposals
    assert hit.snippet_html == "<mark>Physical</mark> oceanography"


def test_a_search_costs_a_fixed_number_of_queries(
    corpus: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    # The matches counted and grouped into provisions (with the stems on PostgreSQL), the
    # page's clauses in every version (with their versions, parents and which of them match)
    # the reader's roles (for the proposals she may see: none, which costs no more) and the
    # instruments' texts; SQLite also asks for FTS5's highlights.
    with django_assert_max_num_queries(5 if ON_POSTGRES else 6):
        results = search(query="reciprocity", user=dana)
    assert results.total == 4
    assert isinstance(corpus["sta"], Agreement)


@pytest.mark.skipif(not ON_POSTGRES, reason="the count is bounded only on PostgreSQL")
def test_a_common_word_ranked_among_candidates_costs_a_fixed_number_of_queries(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    from sta_tracker.search import ranking

    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 2)
    monkeypatch.setattr(ranking, "RANKED_CANDIDATES", 2)
    connection.cursor().execute("ANALYZE clauses_clause")
    # Two more than a rarer word: the planner's estimate, and the newest matches taken, ranked
    # and grouped in one statement (the first query's count found too many to group them all).
    with django_assert_max_num_queries(7):
        results = search(query="reciprocity", user=dana, limit=20)
    assert results.ranked_among == 2


def test_a_search_finding_nothing_keeps_the_nearest_word_it_looked_up(
    corpus: Any, dana: Any, django_assert_num_queries: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    first = search(query="zzqxjw", user=dana)
    assert (first.total, first.suggestion) == (0, "")
    if ON_POSTGRES:
        # The count with the stems, the instruments' texts, the held words (dana may see no
        # proposal, which costs no query): the nearest word (none) is the cache's.
        with django_assert_num_queries(3):
            again = search(query="zzqxjw", user=dana)
        assert (again.total, again.suggestion) == (0, "")
        corrected = search(query="reciprocty", user=dana)
        assert (corrected.suggestion, corrected.total) == ("reciprocity", 4)
        with django_assert_num_queries(3 + 4):
            cached = search(query="reciprocty", user=dana)
        assert (cached.suggestion, cached.total) == ("reciprocity", 4)


@pytest.mark.skipif(not ON_POSTGRES, reason="the count is bounded only on PostgreSQL")
def test_on_postgresql_a_very_common_word_gets_an_estimated_count_and_the_latest_matches(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sta_tracker.search import ranking

    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 2)
    monkeypatch.setattr(ranking, "RANKED_CANDIDATES", 2)
    connection.cursor().execute("ANALYZE clauses_clause")

    results = search(query="reciprocity", user=dana, limit=20)

    assert results.total_estimated
    assert results.ranked_among == 2
    # At least the matches counted before giving up (three), whatever the estimate says.
    assert results.clause_total >= 3
    # The provisions of the two ranked matches.
    assert results.total == 2
    # Ranked among the two most recently added matches only.
    assert sorted(label for label, _ in keys(results)) == ["2001", "2024"]
    assert all("reciprocity" in hit.snippet_html.lower() for hit in results.provisions)


def test_a_count_under_the_limit_is_exact(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sta_tracker.search import ranking

    # Why a first search: what it caches is not counted against the searches compared below.
    search(query="reciprocity", user=dana, limit=20)
    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 4)
    with CaptureQueriesContext(connection) as at_the_limit:
        results = search(query="reciprocity", user=dana, limit=20)
    assert (results.total, results.total_estimated, results.ranked_among) == (4, False, 0)
    assert len(results.provisions) == 4
    # One match past the limit, the first query no longer groups them: the limit is read.
    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 3)
    with CaptureQueriesContext(connection) as past_the_limit:
        search(query="reciprocity", user=dana, limit=20)
    assert len(past_the_limit.captured_queries) > len(at_the_limit.captured_queries)


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite counts every match: it has no estimate")
def test_on_sqlite_the_count_is_always_exact(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sta_tracker.search import ranking

    within = search(query="reciprocity", user=dana, limit=20)
    with CaptureQueriesContext(connection) as within_the_limit:
        search(query="reciprocity", user=dana, limit=20)
    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 2)
    with CaptureQueriesContext(connection) as past_the_limit:
        results = search(query="reciprocity", user=dana, limit=20)
    assert (results.total, results.total_estimated) == (4, False)
    assert results.clause_total == within.clause_total
    # Past the limit the matches are counted and grouped by one statement of their own.
    assert len(past_the_limit.captured_queries) == len(within_the_limit.captured_queries) + 1


@pytest.mark.skipif(not ON_POSTGRES, reason="the count is bounded only on PostgreSQL")
def test_on_postgresql_a_less_common_word_past_the_limit_is_ranked_among_all_its_matches(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sta_tracker.search import ranking

    monkeypatch.setattr(ranking, "EXACT_COUNT_LIMIT", 2)
    # No word is "common": every match is ranked, only the count is estimated.
    monkeypatch.setattr(ranking, "COMMON_SHARE", 2.0)
    connection.cursor().execute("ANALYZE clauses_clause")

    results = search(query="reciprocity", user=dana, limit=20)

    assert (results.total_estimated, results.ranked_among) == (True, 0)
    assert results.total >= 3
    assert len(results.provisions) == 4


def test_past_the_limit_every_match_is_grouped_into_the_same_provisions(
    corpus: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first query's grouping and the one past the limit give the same page."""
    from sta_tracker.search import ranking

    for query in ("reciprocity", "researchers", "合作", "data sharing"):
        within = search(query=query, user=dana, limit=20)
        with monkeypatch.context() as patched:
            patched.setattr(ranking, "EXACT_COUNT_LIMIT", 0)
            # No word is "common": every match is ranked, as the first query ranks them.
            patched.setattr(ranking, "COMMON_SHARE", 2.0)
            if ON_POSTGRES:
                connection.cursor().execute("ANALYZE clauses_clause")
            past = search(query=query, user=dana, limit=20)
        assert within.total > 0, query
        assert (past.total, past.provisions) == (within.total, within.provisions), query
        assert past.total_estimated == ON_POSTGRES


def test_which_versions_hold_chinese_text_that_matches_is_said_per_version(dana: Any) -> None:
    accord = make_agreement("accord")
    scope = "The Parties cooperate in science and technology on the basis of equality. "
    for label, year, chinese in (("1990", 1990, ZH), ("2000", 2000, ZH.replace("合作", "交流"))):
        make_version(
            accord,
            label,
            [article(1, scope + chinese, heading="Scope")],
            in_force_from=dt.date(year, 1, 1),
        )
    (hit,) = search(query="合作", user=dana).provisions
    assert hit.version_label == "1990"
    assert [(m.label, m.matched) for m in hit.versions] == [("1990", True), ("2000", False)]


def test_a_deeply_nested_provision_is_titled_by_its_whole_path(dana: Any) -> None:
    """Deeper than the parents read with each clause: the rest of the path is read too."""
    accord = make_agreement("accord")
    nested = [
        ParsedClause(key="annex_1", kind="annex", number="Annex 1", heading="Rights", text=""),
        ParsedClause(
            key="annex_1__sec_2",
            kind="section",
            number="II.",
            heading="",
            text="",
            parent="annex_1",
        ),
        ParsedClause(
            key="annex_1__sec_2__para_c",
            kind="paragraph",
            number="C.",
            heading="Ownership",
            text="",
            parent="annex_1__sec_2",
        ),
        ParsedClause(
            key="annex_1__sec_2__para_c__item_1",
            kind="item",
            number="(1)",
            heading="",
            text="",
            parent="annex_1__sec_2__para_c",
        ),
        ParsedClause(
            key="annex_1__sec_2__para_c__item_1__item_a",
            kind="item",
            number="",
            heading="",
            text="Reciprocity in the ownership of rights.",
            parent="annex_1__sec_2__para_c__item_1",
        ),
    ]
    make_version(accord, "1990", nested, in_force_from=dt.date(1990, 1, 1))
    (hit,) = search(query="reciprocity", user=dana).provisions
    assert hit.title == "Annex 1 Rights › II. › C. Ownership › (1) › Item"
