"""Search on the real STA texts (1979 to the 2024 protocol, with the Chinese texts): one result
per provision, typo tolerance, Chinese, the filters, the API's shape and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from clauses.hooks import flagged_count, version_published
from clauses.importing.document import read_document
from clauses.models import Agreement, Clause, TextStatus, Version, system_user
from clauses.record.languages import version_text_add
from clauses.record.reference import sta_load
from sta_tracker.search.query import SearchQueryError, query_terms, search, suggest
from tests.clauses.languages_data import load_sta_english_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def sta(db: Any) -> Agreement:
    """The STA as its reference data holds it: eight versions, the Chinese texts of two."""
    sta_load(acting_user=system_user(), reason="Reference data")
    return Agreement.objects.get(slug="sta")


@pytest.fixture
def sta_english(shared_sta_dir: Path, tmp_path: Path) -> Version:
    """The STA without any Chinese text."""
    return load_sta_english_only(tmp_path)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    # Why: the first request after force_login writes the session.
    client.get("/search/")
    return client


def test_each_provision_is_found_once_with_its_versions(sta: Agreement, dana: Any) -> None:
    results = search(query="cooperation", user=dana, limit=100)
    pairs = [(h.agreement_slug, h.key) for h in results.provisions]
    assert len(pairs) == len(set(pairs)) == results.total
    # Far fewer provisions than clauses: each is held by several versions.
    assert results.clause_total > 2 * results.total
    forms = next(h for h in results.provisions if h.key == "art_3")
    assert forms.title == "Article 3 Forms of cooperation"
    assert forms.version_label == "2024-protocol"
    assert forms.versions[0].label == "1979"
    assert forms.versions_text.startswith("from “1979 Agreement” to “As amended and extended")
    assert forms.history_url == "/agreements/sta/clauses/art_3/"
    assert forms.url == "/agreements/sta/versions/2024-protocol/#art_3"


def test_a_provision_changed_on_the_way_says_where(sta: Agreement, dana: Any) -> None:
    hit = next(
        h
        for h in search(query="intellectual property", user=dana, limit=100).provisions
        if h.key == "annex_1__sec_II__para_B"
    )
    assert hit.title == "Annex 1 Intellectual Property › II. Scope › B."
    assert "annex_1" not in hit.title
    changed = [m.title for m in hit.versions if m.changed]
    assert hit.versions[0].label == "2018-amended"
    assert all(f"“{title}”" in hit.versions_text for title in changed[1:])


def test_a_key_is_no_text(sta: Agreement, dana: Any) -> None:
    """``art_5`` found 145 clauses when keys and fragments of words matched as substrings."""
    assert search(query="art_5", user=dana).total == 0


def test_a_typo_finds_the_word_and_says_what_it_searched_for(sta: Agreement, dana: Any) -> None:
    results = search(query="intelectual", user=dana)
    assert (results.corrected, results.suggestion) == ("intelectual", "intellectual")
    assert results.total > 0
    assert all(
        "intellectual" in h.snippet_html.lower() + h.title.lower() for h in results.provisions
    )
    assert suggest(("intelectual", "property")) == ("intellectual", "property")
    # Every word held: nothing to suggest; nothing near: nothing either.
    assert suggest(("property",)) == ()
    assert suggest(("qqqqzzzz",)) == ()
    assert search(query="qqqqzzzz", user=dana).corrected == ""
    # Asked not to correct, the typo finds nothing.
    assert search(query="intelectual", user=dana, correct=False).total == 0


def test_the_page_says_did_you_mean_and_offers_the_typed_words(sta: Agreement, dana: Any) -> None:
    client = client_of(dana)
    html = client.get("/search/?q=intelectual").content.decode()
    assert (
        "Nothing matches “intelectual”; showing results for <strong>“intellectual”</strong>" in html
    )
    assert "q=intelectual" in html
    assert "correct=0" in html
    only = client.get("/search/?q=intelectual&correct=0").content.decode()
    assert "No provision matches every word of “intelectual”" in only


def test_a_chinese_query_finds_the_chinese_text(sta: Agreement, dana: Any) -> None:
    results = search(query="科学技术合作", user=dana)
    assert results.total > 0
    assert {h.language for h in results.provisions} == {"zh"}
    first = results.provisions[0]
    assert "<mark>科学技术合作</mark>" in first.snippet_html
    assert first.url.endswith(f"?lang=zh#{first.key.replace('__', '-')}")
    assert results.language_message == ""
    within = search(
        query="合作", user=dana, language="zh", version=Version.objects.get(label="1979")
    )
    assert within.total > 0
    assert all(h.version_label == "1979" for h in within.provisions)


def test_without_a_chinese_text_a_chinese_query_says_so(sta_english: Version, dana: Any) -> None:
    results = search(query="合作", user=dana)
    assert results.total == 0
    assert results.language_message.startswith("No Chinese text is held")
    asked = search(query="cooperation", user=dana, language="zh")
    assert asked.total == 0
    assert asked.language_message == (
        "No Chinese text is held, so there is nothing to search in Chinese."
    )
    html = client_of(dana).get("/search/?q=%E5%90%88%E4%BD%9C").content.decode()
    assert "No Chinese text is held" in html


def test_the_filters_narrow_the_provisions(sta: Agreement, dana: Any) -> None:
    every = search(query="cooperation", user=dana, limit=100)
    english = search(query="cooperation", user=dana, language="en", limit=100)
    assert english.total == every.total
    articles = search(query="cooperation", user=dana, kind="article", limit=100)
    assert 0 < articles.total < every.total
    assert {h.kind for h in articles.provisions} == {"article"}
    v1979 = Version.objects.get(label="1979")
    in_1979 = search(query="cooperation", user=dana, version=v1979, limit=100)
    assert {h.version_label for h in in_1979.provisions} == {"1979"}
    on_day = search(query="cooperation", user=dana, in_force_on=dt.date(2019, 1, 1), limit=100)
    assert {h.version_label for h in on_day.provisions} == {"2018-amended"}
    assert search(query="cooperation", user=dana, agreement=sta).total == every.total
    with pytest.raises(SearchQueryError, match="not a kind of clause"):
        search(query="cooperation", user=dana, kind="chapter")


def test_bad_input_is_refused_plainly(sta: Agreement, dana: Any) -> None:
    with pytest.raises(SearchQueryError, match="NUL"):
        search(query="coop\x00eration", user=dana)
    with pytest.raises(SearchQueryError, match="at most 200"):
        search(query="x" * 201, user=dana)
    client = client_of(dana)
    for q in ("x" * 201, "co%00op"):
        response = client.get(f"/api/search/?q={q}")
        assert response.status_code == 400
        assert response.json()
    page = client.get("/search/?q=" + "x" * 201)
    assert page.status_code == 400
    assert "at most 200 characters" in page.content.decode()
    assert client.get("/api/search/?q=cooperation&kind=chapter").status_code == 400
    assert client.get("/api/search/?q=cooperation&language=chinese").status_code == 400


def test_the_api_answers_one_result_per_provision(sta: Agreement, dana: Any) -> None:
    client = client_of(dana)
    body = client.get("/api/search/", {"q": "cooperation", "page_size": 100}).json()
    pairs = [(r["agreement"], r["key"]) for r in body["results"]]
    assert len(pairs) == len(set(pairs)) == body["count"]
    assert body["clause_count"] > body["count"]
    first = next(r for r in body["results"] if r["key"] == "art_3")
    assert first["title"] == "Article 3 Forms of cooperation"
    assert first["versions"][0]["version"] == "1979"
    assert set(first["versions"][0]) == {"version", "title", "url", "changed", "matched"}
    assert first["history_url"] == "/agreements/sta/clauses/art_3/"
    assert body["notices"] == list(dict.fromkeys(body["notices"]))
    zh = client.get("/api/search/", {"q": "合作", "language": "zh"}).json()
    assert zh["count"] > 0
    assert {r["language"] for r in zh["results"]} == {"zh"}
    typo = client.get("/api/search/", {"q": "intelectual"}).json()
    assert (typo["corrected"], typo["suggestion"]) == ("intelectual", "intellectual")


def test_the_page_lists_provisions_once_with_the_notice_once(
    sta: Agreement, dana: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_of(dana)
    with django_assert_max_num_queries(20):
        response = client.get("/search/?q=cooperation")
    html = response.content.decode()
    assert response.status_code == 200
    assert "this database" not in html
    assert "History of this provision" in html
    assert "Article 3 Forms of cooperation" in html
    for notice in {h.text_notice for h in search(query="cooperation", user=dana).provisions}:
        if notice:
            assert html.count(notice) == 1


def test_the_query_count_does_not_grow_with_the_results(
    sta: Agreement, dana: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        many = search(query="cooperation", user=dana, limit=100)
    assert many.total > 10
    with django_assert_max_num_queries(12):
        search(query="合作", user=dana, limit=100)


def test_the_index_follows_corrections(sta: Agreement, dana: Any, erin: Any) -> None:
    """On SQLite the FTS5 triggers, on PostgreSQL the vector's: no writer has to remember."""
    from clauses.record.versions import clause_correct

    clause = Clause.objects.get(version__label="1979", key="art_3", language="en")
    assert search(query="harbours", user=dana, correct=False).total == 0
    text = clause.text
    clause_correct(
        clause=clause,
        heading=clause.heading,
        text=text + " In every harbour.",
        acting_user=erin,
        reason="Missing words",
    )
    found = search(query="harbours", user=dana, correct=False)
    assert [h.clause_id for h in found.provisions] == [clause.pk]
    clause.refresh_from_db()
    clause_correct(
        clause=clause, heading=clause.heading, text=text, acting_user=erin, reason="Undone"
    )
    assert search(query="harbour", user=dana, correct=False).total == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'clauses_clause_fts%'"
            )
            assert len(cursor.fetchall()) == 3


def test_publishing_tells_reviews_through_the_hook(
    monkeypatch: pytest.MonkeyPatch, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The version publisher sends ``version_published``; the receiver the reviews app connected
    in ``ready()`` queues the flagging; a preview counts through the registered counter."""
    from reviews import tasks
    from tests.factories import article, make_agreement, make_version
    from tests.reviews.factories import proposal_in

    queued: list[int] = []
    heard: list[int] = []
    monkeypatch.setattr(tasks.flag_proposals_for_version, "delay", queued.append)

    def listen(sender: Any, *, version_id: int, **kwargs: Any) -> None:
        heard.append(version_id)

    version_published.connect(listen)
    try:
        agreement = make_agreement("hooked")
        with django_capture_on_commit_callbacks(execute=True):
            first = make_version(
                agreement, "1", [article(1, "Old words.")], in_force_from=dt.date(2000, 1, 1)
            )
        assert (queued, heard) == ([], [])  # a first version changes nothing
        proposal_in("submitted", submitter=alice, version=first)
        with django_capture_on_commit_callbacks(execute=True):
            second = make_version(
                agreement, "2", [article(1, "New words.")], in_force_from=dt.date(2010, 1, 1)
            )
    finally:
        version_published.disconnect(listen)
    assert queued == heard == [second.pk]


def test_a_preview_counts_flags_through_the_registered_counters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clauses import hooks
    from reviews.services.flags import proposals_flagged_count

    assert proposals_flagged_count in hooks._flag_counters
    asked = {"agreement_id": 1, "in_force_from": dt.date(2020, 1, 1), "changed_keys": ["art_1"]}
    monkeypatch.setattr(hooks, "_flag_counters", [])
    assert flagged_count(**asked) == 0
    hooks.register_flag_counter(lambda **kw: len(kw["changed_keys"]) * 2)
    assert flagged_count(**asked) == 2


def test_a_new_language_text_is_searchable_at_once(
    sta_english: Version, shared_sta_dir: Path, dana: Any
) -> None:
    assert search(query="合作", user=dana).total == 0
    path = shared_sta_dir / "1979-agreement.zh.txt"
    version_text_add(
        version=sta_english,
        document=read_document(path.read_bytes(), path.name),
        language="zh",
        text_status=TextStatus.PARTIAL,
        acting_user=system_user(),
        reason="Chinese text",
    )
    results = search(query="合作", user=dana)
    assert results.total > 0
    assert {h.version_label for h in results.provisions} == {"1979"}
    assert results.language_message == ""


def test_a_letter_after_the_word_it_labels_is_searched_for(sta: Agreement, dana: Any) -> None:
    terms = query_terms("Annex C article 5 item b")
    assert terms.labels == ("annex c", "article 5", "item b")
    assert terms.ignored == ()
    # Why: "a" after an ordinary word is English's article; a tag's letter is noise too.
    noise = query_terms("a cooperation a <b>data</b>")
    assert (noise.words, noise.labels, noise.ignored) == (("cooperation", "data"), (), ("a", "b"))


def test_a_lone_letter_is_left_out_and_the_page_says_so(sta: Agreement, dana: Any) -> None:
    results = search(query="a intellectual", user=dana)
    assert results.ignored == ("a",)
    assert "“a” was left out" in results.ignored_message
    assert results.total == search(query="intellectual", user=dana).total
    html = client_of(dana).get("/search/", {"q": "a intellectual"}).content.decode()
    assert "was left out. A single letter or digit is searched for only after" in html
    body = client_of(dana).get("/api/search/", {"q": "a intellectual"}).json()
    assert body["ignored"] == ["a"]


def test_a_single_letter_alone_is_refused_plainly(sta: Agreement, dana: Any) -> None:
    with pytest.raises(SearchQueryError, match="as in “Annex C”"):
        search(query="C", user=dana)
    response = client_of(dana).get("/search/", {"q": "C"})
    assert response.status_code == 400


def test_a_label_finds_only_clauses_naming_it(sta: Agreement, dana: Any) -> None:
    import re

    every = search(query="article", user=dana, limit=200)
    labelled = search(query="Article 5", user=dana, limit=200)
    assert labelled.terms == ("article", "article 5")
    assert 0 < labelled.total < every.total
    named = re.compile(r"\barticles?\s+5\b", re.IGNORECASE)
    for hit in labelled.provisions:
        clause = Clause.objects.get(pk=hit.clause_id)
        assert named.search(clause.heading + " " + clause.text), hit.title
        assert "<mark>" in hit.snippet_html + hit.title_html


def test_a_search_page_costs_at_most_six_queries(sta: Agreement, dana: Any, settings: Any) -> None:
    """A signed-in reader: the user, the search and the form's agreement list (SQLite one more,
    for FTS5's highlights)."""
    from django.test.utils import CaptureQueriesContext

    # As deployed with Redis: the session is read from the cache (one query more without).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = client_of(dana)
    for q in ("cooperation", "reciprocity", "合作", "zzqxjw"):
        client.get("/search/", {"q": q})
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert len(queries) <= (6 if connection.vendor == "postgresql" else 7), (
            q,
            [x["sql"][:80] for x in queries.captured_queries],
        )
