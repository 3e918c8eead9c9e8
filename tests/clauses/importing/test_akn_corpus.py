"""The seven real Akoma Ntoso documents of the shared corpus: their structure, and every word.

How the counts of SOURCES.md are read from a parse: chapters, parts, sections, subsections
(Abschnitte) and ``hcontainer``s are clauses of kind ``section``, told apart where needed by the
last segment of their key (``chp_``, ``part_``, ``sec_``, ``subsec_``, which the documents'
eIds give); articles and § are ``article``; paragraphs (Absätze) are ``paragraph``; points,
list items (``item``, ``li``) and subparagraphs are ``item``; attachments (Anlagen) are
``annex``. Clauses keyed ``…__wrap`` hold text that follows a level's items (a ``wrapUp``) and
are not counted as paragraphs or items.

The source words are computed here, independently of the reader: every text node outside
``meta``, concatenated in document order, where only line breaks (``eol``, ``br``) and
footnotes (``authorialNote``) separate words, as they do on the printed page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from clauses.importing.accounting import clause_words, count_words, words
from clauses.importing.akn import parse_akn
from clauses.importing.structure import ParsedDocument

FILES = {
    "eu_directive": "tulit__eu_eurlex_akn_32014L0092.akn",
    "akn4eu": "tulit__eu_eurlex_akn_akn4eu.xml",
    "leos": "tulit__eu_eurlex_akn_DIR-cmcxketrh00ca8x00qxqd29bn-en.xml",
    "legaldocml_de": (
        "tulit__member_states_germany_legislation_bgbl-1_2025_145_2025-06-17_1_deu_2025-10-20_"
        "regelungstext-verkuendung-1.xml"
    ),
    "legilux": "tulit__member_states_luxembourg_legilux_2006_07_31_n2_jo.xml",
    "kenya_akn_1_0": "akomantoso-archive__ke-act-2003-12-10-main.xml",
    "indigo": "indigo__swahili_in_tz-constitution-1977.xml",
}
_SEPARATORS = {"eol", "br", "authorialNote"}


def _load(real_corpus_dir: Path, name: str) -> bytes:
    path = real_corpus_dir / "akn" / FILES[name]
    if not path.exists():
        pytest.skip(f"{path} is not in the shared corpus")
    return path.read_bytes()


def _source_words(data: bytes) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(data, parser)
    parts: list[str] = []

    def visit(el: etree._Element) -> None:
        name = etree.QName(el).localname
        if name != "meta":
            gap = " " if name in _SEPARATORS else ""
            parts.extend([gap, el.text or ""])
            for child in el:
                if isinstance(child.tag, str):
                    visit(child)
                elif child.tail:
                    parts.append(child.tail)
            parts.append(gap)
        parts.append(el.tail or "")

    visit(root)
    return words("".join(parts))


def _parse_words(doc: ParsedDocument) -> list[str]:
    notes = [w for clause in doc.clauses for note in clause.notes for w in words(note)]
    return clause_words(doc.clauses) + notes


def _count(doc: ParsedDocument, kind: str, segment: str = "") -> int:
    def last(key: str) -> str:
        return key.rsplit("__", 1)[-1]

    return sum(
        1
        for c in doc.clauses
        if c.kind == kind
        and not last(c.key).startswith("wrap")
        and (not segment or re.match(rf"{segment}_", last(c.key)))
    )


@pytest.mark.parametrize("name", FILES)
def test_every_word_of_the_document_is_kept_once(real_corpus_dir: Path, name: str) -> None:
    data = _load(real_corpus_dir, name)
    count = count_words(_source_words(data), _parse_words(parse_akn(data)))
    assert count.kept >= 0.995, f"{name}: kept {count.kept:.4f}"
    assert count.extra <= 0.005, f"{name}: extra {count.extra:.4f}"


def test_the_eu_directive_has_its_chapters_articles_paragraphs_points_and_footnotes(
    real_corpus_dir: Path,
) -> None:
    doc = parse_akn(_load(real_corpus_dir, "eu_directive"))
    assert (_count(doc, "section", "chp"), _count(doc, "article")) == (7, 31)
    assert (_count(doc, "paragraph"), _count(doc, "item", "point")) == (99, 122)
    preamble = next(c for c in doc.clauses if c.key == "preamble")
    assert preamble.notes
    assert "OJ" not in preamble.text.split()
    assert [c.kind for c in doc.clauses].count("signature") == 1


def test_the_akn4eu_regulation_keeps_its_enacting_clause(real_corpus_dir: Path) -> None:
    doc = parse_akn(_load(real_corpus_dir, "akn4eu"))
    assert (_count(doc, "article"), _count(doc, "paragraph", "para")) == (15, 31)
    clause = next(c for c in doc.clauses if c.key.startswith("clause_"))
    assert clause.parent is None
    assert clause.text.startswith("This Regulation shall be binding in its entirety")


def test_the_leos_bill_has_its_chapters_articles_paragraphs_and_attachments(
    real_corpus_dir: Path,
) -> None:
    doc = parse_akn(_load(real_corpus_dir, "leos"))
    assert (_count(doc, "section"), _count(doc, "article"), _count(doc, "paragraph")) == (5, 20, 58)
    assert [c.number or c.heading for c in doc.clauses if c.kind == "annex"] == [
        "Annex I",
        "Annex II",
        "Annex III",
        "Annex IV",
    ]
    assert len(doc.warnings) == 4


def test_the_german_decree_has_its_paragraphs_and_block_list_items(real_corpus_dir: Path) -> None:
    doc = parse_akn(_load(real_corpus_dir, "legaldocml_de"))
    assert (_count(doc, "article"), _count(doc, "section")) == (18, 5)
    assert (_count(doc, "paragraph"), _count(doc, "item"), _count(doc, "annex")) == (37, 39, 2)
    assert doc.language == "de"


def test_the_luxembourg_law_keeps_its_list_of_repealed_laws(real_corpus_dir: Path) -> None:
    doc = parse_akn(_load(real_corpus_dir, "legilux"))
    assert _count(doc, "article") == 6
    assert sum(1 for c in doc.clauses if c.parent == "art_2" and c.kind == "item") == 51
    article_2 = next(c for c in doc.clauses if c.key == "art_2")
    assert article_2.text == "Sont abrogés:"


def test_the_kenyan_act_in_akn_1_0_has_its_articles_with_their_items(
    real_corpus_dir: Path,
) -> None:
    doc = parse_akn(_load(real_corpus_dir, "kenya_akn_1_0"))
    articles = {c.key for c in doc.clauses if c.kind == "article"}
    assert len(articles) == 7
    items = [c for c in doc.clauses if c.kind == "item"]
    assert items
    assert all(c.parent in articles for c in items)
    assert any(c.key == "preamble" for c in doc.clauses)
    assert any("Cap 75." in c.notes for c in doc.clauses)


def test_the_tanzanian_constitution_has_every_level(real_corpus_dir: Path) -> None:
    doc = parse_akn(_load(real_corpus_dir, "indigo"))
    levels = {
        segment: _count(doc, "section", segment) for segment in ("chp", "part", "sec", "subsec")
    }
    assert levels == {"chp": 10, "part": 23, "sec": 155, "subsec": 483}
    assert (_count(doc, "paragraph", "para"), _count(doc, "item", "subpara")) == (365, 13)
    assert _count(doc, "annex") == 2
    assert any(c.key.endswith("__wrap") for c in doc.clauses)
