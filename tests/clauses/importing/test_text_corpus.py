"""The real Markdown and Chinese texts of the shared corpus: structure counts and word accounting.

The source each parse is measured against is computed here, independently of the parser: the
file's text without the collection's metadata lines (the HTML ``<meta>`` line, the record's
catalogue title, the database's "Wordt voorlopig toegepast per …" notes, the header before
``<!-- INFO END -->``) and without Markdown link targets. The parse must set exactly those
lines aside as metadata, and hold the rest in its clauses and title.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from clauses.importing.accounting import clause_words, count_words, words
from clauses.importing.document import read_document
from clauses.importing.structure import METADATA, ParsedDocument
from tests.factories import make_agreement, make_version

HOMELAND = "md/nl-us-st-homeland-2012.BWBV0006073.md"
JAPAN = "md/nl-jp-st-1996.BWBV0001290.md"
VIENNA = "md/vclt-1969.BWBV0003441.md"
SHANGHAI_2010 = "zh-pairs/shanghai-st-progress-2010.md"
SHANGHAI_2024 = "zh-pairs/shanghai-st-progress-2024.md"
ALL = [HOMELAND, JAPAN, VIENNA, SHANGHAI_2010, SHANGHAI_2024]
URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def read(corpus: Path, name: str) -> ParsedDocument:
    path = corpus / name
    return read_document(path.read_bytes(), path.name)


def metadata_lines(text: str) -> list[str]:
    """The collection's lines about the text, found by their look in the file."""
    lines = [line.strip() for line in text.splitlines()]
    found: list[str] = []
    if "<!-- INFO END -->" in lines:
        end = lines.index("<!-- INFO END -->")
        found.extend(line for line in lines[: end + 1] if line)
        lines = lines[end + 1 :]
    first_heading = True
    for line in lines:
        if line.startswith("<meta") or line.startswith("Wordt voorlopig toegepast per"):
            found.append(line)
        elif line.startswith("##") and first_heading and "<meta" in text:
            found.append(line)  # the record's catalogue title, in Dutch, above the English text
        if line.startswith("#"):
            first_heading = False
    return found


def source_words(text: str) -> list[str]:
    counted = Counter(words(re.sub(r"\]\([^)\n]*\)", "]", text)))
    counted.subtract(Counter(w for line in metadata_lines(text) for w in words(line)))
    return list(counted.elements())


def texts(doc: ParsedDocument) -> list[ParsedDocument]:
    return [doc, *doc.other_texts]


def kinds(doc: ParsedDocument) -> Counter[str]:
    return Counter(c.kind for c in doc.clauses)


@pytest.mark.parametrize("name", ALL)
def test_every_word_is_kept_once_and_the_metadata_is_set_aside(
    real_corpus_dir: Path, name: str
) -> None:
    text = (real_corpus_dir / name).read_text(encoding="utf-8")
    doc = read(real_corpus_dir, name)
    parsed: list[str] = []
    aside: list[str] = []
    for part in texts(doc):
        parsed.extend(clause_words(part.clauses))
        for passage in part.set_aside:
            (aside if passage.where == METADATA else parsed).extend(words(passage.text))
    count = count_words(source_words(text), parsed)
    assert count.kept >= 0.995, name
    assert count.extra <= 0.005, name
    expected_aside = [w for line in metadata_lines(text) for w in words(line)]
    assert Counter(aside) == Counter(expected_aside)


@pytest.mark.parametrize("name", ALL)
def test_every_key_is_safe_in_a_url_and_unique(real_corpus_dir: Path, name: str) -> None:
    for part in texts(read(real_corpus_dir, name)):
        keys = [c.key for c in part.clauses]
        assert all(URL_SAFE.match(key) for key in keys)
        assert len(keys) == len(set(keys))


def test_the_homeland_agreement_has_its_articles_signature_and_two_annexes(
    real_corpus_dir: Path,
) -> None:
    doc = read(real_corpus_dir, HOMELAND)
    assert doc.language == "en"
    assert doc.title.startswith("Agreement between the Government of the Kingdom")
    articles = [c.number for c in doc.clauses if c.kind == "article"]
    assert articles == [f"Article {n}" for n in range(1, 21)]
    assert [c.key for c in doc.clauses if c.parent is None][-4:] == [
        "art_20",
        "signature",
        "annex_1",
        "annex_2",
    ]
    by_key = {c.key: c for c in doc.clauses}
    assert (by_key["annex_1"].number, by_key["annex_1"].heading) == (
        "Annex I",
        "Intellectual Property Rights",
    )
    annex_1 = [
        c.key.removeprefix("annex_1__") for c in doc.clauses if c.key.startswith("annex_1__")
    ]
    assert annex_1 == [
        "sec_I", "sec_II", "sec_II__para_A", "sec_II__para_B", "sec_II__para_C",
        "sec_II__para_D", "sec_II__para_E", "sec_III", "sec_III__para_A", "sec_III__para_B",
        "sec_III__para_B__item_1", "sec_III__para_B__item_2",
        "sec_III__para_B__item_2__item_a", "sec_III__para_B__item_2__item_b",
        "sec_III__para_B__item_2__item_c", "sec_III__para_B__item_2__item_d",
        "sec_III__para_B__item_2__item_e", "sec_IV",
    ]  # fmt: skip
    assert [by_key[f"annex_1__sec_{n}"].number for n in ("I", "II", "III", "IV")] == [
        "I.",
        "II.",
        "III.",
        "IV.",
    ]
    annex_2 = [c.number for c in doc.clauses if c.parent == "annex_2"]
    assert annex_2 == [f"{chr(c)})" for c in range(ord("a"), ord("q") + 1)]
    assert "Wordt voorlopig" not in " ".join(c.text for c in doc.clauses)


def test_the_homeland_agreement_carries_its_dutch_text_apart(real_corpus_dir: Path) -> None:
    (dutch,) = read(real_corpus_dir, HOMELAND).other_texts
    assert dutch.language == "nl"
    assert dutch.title.startswith("Verdrag tussen de regering van het Koninkrijk")
    assert [c.number for c in dutch.clauses if c.kind == "article"] == [
        f"Artikel {n}" for n in range(1, 21)
    ]
    assert kinds(dutch)["annex"] == 2


def test_the_japan_agreement_has_articles_i_to_viii_and_its_dutch_text_apart(
    real_corpus_dir: Path,
) -> None:
    doc = read(real_corpus_dir, JAPAN)
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert [(c.key, c.number) for c in doc.clauses if c.kind == "article"] == [
        (f"art_{n}", f"Article {r}") for n, r in enumerate(roman, start=1)
    ]
    assert kinds(doc) == Counter(
        {"article": 8, "paragraph": 8, "item": 5, "preamble": 1, "signature": 1}
    )
    signature = doc.clauses[-1]
    assert signature.kind == "signature"
    assert signature.text.startswith("DONE in duplicate at Tokyo")
    assert "Verdrag" not in signature.text
    assert "GEDAAN" not in signature.text
    (dutch,) = doc.other_texts
    assert dutch.language == "nl"
    assert [c.number for c in dutch.clauses if c.kind == "article"] == [
        f"Artikel {r}" for r in roman
    ]
    assert dutch.clauses[-1].text.startswith("GEDAAN in tweevoud te Tokio")


def test_the_vienna_convention_has_its_parts_sections_articles_annex_and_final_act(
    real_corpus_dir: Path,
) -> None:
    doc = read(real_corpus_dir, VIENNA)
    assert doc.title == "Vienna Convention of the law of treaties"
    parts = [c for c in doc.clauses if c.kind == "section" and c.parent is None]
    sections = [c for c in doc.clauses if c.kind == "section" and "__sec_" in c.key]
    assert [c.number for c in parts] == [
        f"PART {r}" for r in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
    ]
    assert len(sections) == 12
    articles = [c for c in doc.clauses if c.kind == "article"]
    assert [c.number for c in articles] == [f"Article {n}" for n in range(1, 86)]
    by_key = {c.key: c for c in doc.clauses}
    assert by_key["part_1__art_2"].heading == "Use of terms"
    assert by_key["part_1__art_1"].heading == "Scope of the present Convention"
    assert all(c.heading for c in articles)
    top = [(c.number, c.heading) for c in doc.clauses if c.kind == "annex"]
    assert top[0] == ("Annex", "")
    assert top[1][1].startswith("Final Act of the United Nations Conference")
    assert doc.warnings == ()
    (dutch,) = doc.other_texts
    assert dutch.language == "nl"
    assert len([c for c in dutch.clauses if c.kind == "article"]) == 85


@pytest.mark.parametrize(("name", "chapters", "articles"), [(SHANGHAI_2024, 11, 47)])
def test_the_shanghai_regulations_have_their_chapters_and_articles(
    real_corpus_dir: Path, name: str, chapters: int, articles: int
) -> None:
    doc = read(real_corpus_dir, name)
    assert (doc.language, doc.title) == ("zh", "上海市科学技术进步条例")
    assert [c.number for c in doc.clauses if c.kind == "section"][:2] == ["第一章", "第二章"]
    assert sum(1 for c in doc.clauses if c.kind == "section") == chapters
    numbers = [c.key.rsplit("__", 1)[-1] for c in doc.clauses if c.kind == "article"]
    assert numbers == [f"art_{n}" for n in range(1, articles + 1)]
    assert doc.clauses[0].heading == "总 则"


@pytest.mark.django_db
def test_the_two_shanghai_versions_compare_chapter_by_chapter_with_chinese_redlines(
    real_corpus_dir: Path, client: Client, dana: Any
) -> None:
    cache.clear()
    agreement = make_agreement("shanghai", title="上海市科学技术进步条例", short_title="上海")
    for label, name, day in (
        ("2010", SHANGHAI_2010, dt.date(2010, 9, 17)),
        ("2024", SHANGHAI_2024, dt.date(2024, 5, 10)),
    ):
        make_version(agreement, label, list(read(real_corpus_dir, name).clauses), in_force_from=day)
    client.force_login(dana)
    response = client.get("/agreements/shanghai/compare/2010...2024/?format=json")
    assert response.status_code == 200
    data = json.loads(response.content)
    rows = data["clauses"]
    statuses = Counter(row["status"] for row in rows)
    # Why: the 2024 text is a second full revision: most articles were rewritten (new text),
    # a few amended in place, and the final article (its date of effect changed) amended and
    # renumbered from 第四十九条 to 第四十七条.
    assert statuses["added"] > 0
    assert statuses["amended"] > 0
    last = next(row for row in rows if row["old_number"] == "第四十九条")
    assert (last["new_number"], last["status"]) == ("第四十七条", "amended")
    chapters = [row for row in rows if row["kind"] == "section" and row["old_key"]]
    assert (chapters[0]["old_number"], chapters[0]["new_number"]) == ("第一章", "第一章")
    article_1 = next(row for row in rows if row["old_number"] == "第一条")
    assert article_1["new_number"] == "第一条"
    inserted = [row for row in rows if row["status"] == "added" and row["kind"] == "article"]
    assert inserted
    assert all(row["new_number"].startswith("第") for row in inserted)
    # Why: character-level redlines: a few Chinese characters inserted inside a sentence
    # that is otherwise equal (2024 adds 全面 to article 1), not the sentence replaced.
    inside = [
        ops[i]["text"]
        for row in rows
        for ops in [row["ops"]]
        for i in range(1, len(ops) - 1)
        if ops[i]["kind"] == "insert"
        and ops[i - 1]["kind"] == ops[i + 1]["kind"] == "equal"
        and 0 < len(ops[i]["text"]) <= 4
        and all("\u4e00" <= ch <= "\u9fff" for ch in ops[i]["text"])
    ]
    assert "全面" in inside
    cache.clear()
