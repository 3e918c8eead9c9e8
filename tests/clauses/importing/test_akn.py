"""Akoma Ntoso import: one small document per defect, each word of it kept once and in order."""

from __future__ import annotations

import re

import pytest

from clauses.importing import akn as akn_module
from clauses.importing.accounting import document_word_count
from clauses.importing.akn import parse_akn
from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.limits import ImportLimits
from clauses.importing.structure import NOTE, PAGE_FURNITURE, TITLE, SetAside

AKN3 = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN1 = "http://www.akomantoso.org/1.0"


def akn(body: str, *, before: str = "", after: str = "", ns: str = AKN3, meta: str = "") -> bytes:
    """An act with ``body`` as its body, ``before`` and ``after`` it as its other parts."""
    return (
        f'<akomaNtoso xmlns="{ns}"><act name="act"><meta>{meta}</meta>{before}'
        f"<body>{body}</body>{after}</act></akomaNtoso>"
    ).encode()


def rows(data: bytes) -> list[tuple[str, str, str, str, str | None]]:
    return [(c.key, c.number, c.heading, c.text, c.parent) for c in parse_akn(data).clauses]


def test_list_items_inside_content_are_child_clauses_and_their_text_stays_out_of_the_parent() -> (
    None
):
    data = akn(
        '<article id="art_2"><num>Art. 2.</num><alinea><content><p>Sont abrogés:</p>'
        "<ol><li>la loi du 12 juillet 1895;</li><li>les articles de la loi concernant <ol>"
        "<li>l'entrée des étrangers;</li><li>l'emploi des étrangers;</li></ol> </li>"
        "</ol></content></alinea></article>"
    )
    assert rows(data) == [
        ("art_2", "Art. 2.", "", "Sont abrogés:", None),
        ("art_2__item_1", "", "", "la loi du 12 juillet 1895;", "art_2"),
        ("art_2__item_2", "", "", "les articles de la loi concernant", "art_2"),
        ("art_2__item_2__item_1", "", "", "l'entrée des étrangers;", "art_2__item_2"),
        ("art_2__item_2__item_2", "", "", "l'emploi des étrangers;", "art_2__item_2"),
    ]


def test_a_body_level_clause_is_a_clause_of_its_own() -> None:
    data = akn(
        '<article eId="art_1"><num>Article 1</num><content><p>Scope.</p></content></article>'
        "<clause><content><p>This Regulation shall be binding in its entirety.</p></content>"
        "</clause>"
    )
    assert rows(data)[-1] == (
        "clause_1",
        "",
        "",
        "This Regulation shall be binding in its entirety.",
        None,
    )
    assert parse_akn(data).clauses[-1].kind == "paragraph"


def test_a_body_of_hcontainers_only_is_read_and_each_is_a_section() -> None:
    data = akn(
        '<hcontainer eId="hcontainer_1" name="schedule"><heading>Rates</heading>'
        "<content><p>Ten per cent.</p></content></hcontainer>"
    )
    doc = parse_akn(data)
    assert [(c.key, c.kind, c.heading, c.text) for c in doc.clauses] == [
        ("hcontainer_1", "section", "Rates", "Ten per cent.")
    ]


def test_components_and_interstitials_are_annexes() -> None:
    data = akn(
        '<article eId="art_1"><num>Art. 1.</num><content><p>Text.</p></content></article>',
        after="<components><component><interstitial><p>Doc. parl. 5346;</p>"
        "<p>Doc. parl. 5420</p></interstitial></component></components>",
    )
    assert rows(data)[-1] == ("annex_1", "", "", "Doc. parl. 5346;\nDoc. parl. 5420", None)


def test_block_list_items_are_children_and_not_copied_into_the_paragraph() -> None:
    data = akn(
        '<article eId="art-z3"><num>§ 3</num><paragraph eId="art-z3_abs-z2"><num>(2)</num>'
        "<content><p>Gezahlt werden: </p><blockList eId='art-z3_abs-z2_liste-n1'>"
        "<item eId='art-z3_abs-z2_liste-n1_listenelem-n1'><num>1.</num><p>bis zu 500 Euro,</p>"
        "</item><item eId='art-z3_abs-z2_liste-n1_listenelem-n2'><num>2.</num>"
        "<p>bis zu 300 Euro.</p></item></blockList></content></paragraph></article>"
    )
    doc = parse_akn(data)
    assert [(c.key, c.kind, c.number, c.text) for c in doc.clauses] == [
        ("art-z3", "article", "§ 3", ""),
        ("art-z3_abs-z2", "paragraph", "(2)", "Gezahlt werden:"),
        ("art-z3_abs-z2_liste-n1_listenelem-n1", "item", "1.", "bis zu 500 Euro,"),
        ("art-z3_abs-z2_liste-n1_listenelem-n2", "item", "2.", "bis zu 300 Euro."),
    ]
    assert document_word_count(doc).extra_words == 0


def test_akn_1_0_clause_wrappers_are_not_levels_and_nothing_is_read_twice() -> None:
    data = akn(
        '<article id="art2"><num>2.</num><heading>Amendment of section 2</heading>'
        '<clause id="art2-cla1"><content><p>The Act is amended -</p><list id="art2-cla1-lst1">'
        '<item id="art2-cla1-itma"><num>(a)</num><p>by deleting "year";</p></item>'
        "</list></content></clause></article>",
        ns=AKN1,
    )
    doc = parse_akn(data)
    assert rows(data) == [
        ("art2", "2.", "Amendment of section 2", "The Act is amended -", None),
        ("art2-cla1-itma", "(a)", "", 'by deleting "year";', "art2"),
    ]
    assert document_word_count(doc).extra_words == 0


def test_wrap_up_text_follows_the_items_it_closes() -> None:
    data = akn(
        '<section eId="sec_5"><num>5.</num><intro><p>A citizen who–</p></intro>'
        '<paragraph eId="sec_5__para_a"><num>(a)</num><content><p>is insane;</p></content>'
        '</paragraph><paragraph eId="sec_5__para_b"><num>(b)</num><content><p>is a minor,</p>'
        "</content></paragraph><wrapUp><p>may not vote.</p></wrapUp></section>"
    )
    assert rows(data) == [
        ("sec_5", "5.", "", "A citizen who–", None),
        ("sec_5__para_a", "(a)", "", "is insane;", "sec_5"),
        ("sec_5__para_b", "(b)", "", "is a minor,", "sec_5"),
        ("sec_5__wrap", "", "", "may not vote.", "sec_5"),
    ]


def test_authorial_notes_are_kept_as_notes_and_do_not_run_into_the_sentence() -> None:
    data = akn(
        '<article eId="art_1"><num>Article 1</num><content><p>Directive 2007/64/EC'
        '<authorialNote marker="1" placement="bottom"><p>OJ L 319, 5.12.2007, p. 1.</p>'
        "</authorialNote> applies.</p></content></article>"
    )
    doc = parse_akn(data)
    clause = doc.clauses[0]
    assert clause.text == "Directive 2007/64/EC applies."
    assert clause.notes == ("OJ L 319, 5.12.2007, p. 1.",)
    assert SetAside("OJ L 319, 5.12.2007, p. 1.", NOTE) in doc.set_aside


def test_line_breaks_separate_words() -> None:
    data = akn(
        '<article eId="art_1"><num>1.</num><content><p>financial year<eol/>(a) in relation'
        "<br/>to the Authority</p></content></article>"
    )
    assert parse_akn(data).clauses[0].text == "financial year (a) in relation to the Authority"


def test_number_and_heading_are_kept_exactly_and_a_second_num_is_the_heading() -> None:
    data = akn(
        '<article eId="art_1"><num>Article 1</num><num>Subject matter and scope</num>'
        '<content><p>Text.</p></content></article><article id="art_1er"><num>Art. 1<sup>er</sup>.'
        "</num><heading>Champ  d’application</heading><content><p>Texte.</p></content></article>"
    )
    assert [(k, n, h) for k, n, h, _, _ in rows(data)] == [
        ("art_1", "Article 1", "Subject matter and scope"),
        ("art_1er", "Art. 1er.", "Champ d’application"),
    ]


def test_keys_from_eids_are_safe_for_urls() -> None:
    data = akn(
        '<article eId="chp_I__art_1"><num>Article 1</num><paragraph eId="chp_I__art_1__para_1.">'
        '<num>1.</num><content><p>One.</p></content></paragraph><paragraph eId="a/b(c) d.e">'
        "<num>2.</num><content><p>Two.</p></content></paragraph></article>"
        '<article eId="präambel-n1"><num>Article 2</num><content><p>Three.</p></content></article>'
    )
    keys = [key for key, *_ in rows(data)]
    assert keys == ["chp_I__art_1", "chp_I__art_1__para_1", "a-b-c-d-e", "praambel-n1"]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", key) for key in keys)


def _duplicates(count: int) -> bytes:
    items = "".join(
        f'<point eId="dup"><num>({n})</num><content><p>x</p></content></point>'
        for n in range(count)
    )
    return akn(f'<article eId="art_1"><num>Article 1</num><list>{items}</list></article>')


def _key_probes(data: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many candidate keys the reader tries while reading ``data``."""
    probes = 0
    real = akn_module.bounded_key

    def counted(key: str) -> str:
        nonlocal probes
        probes += 1
        return real(key)

    with monkeypatch.context() as patch:
        patch.setattr(akn_module, "bounded_key", counted)
        parse_akn(data)
    return probes


def test_duplicate_eids_get_unique_keys_and_the_same_keys_on_reimport() -> None:
    data = _duplicates(2_000)
    first = [c.key for c in parse_akn(data).clauses]
    assert len(set(first)) == 2_001
    assert first[1:4] == ["dup", "dup_2", "dup_3"]
    assert [c.key for c in parse_akn(data).clauses] == first


def test_twenty_thousand_duplicate_eids_take_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    small = _key_probes(_duplicates(2_000), monkeypatch)
    large = _key_probes(_duplicates(20_000), monkeypatch)
    # Why counted, not timed: ten times the clauses must try about ten times the keys; a search
    # for a free suffix from _2 upwards each time would try about a hundred times as many.
    assert small > 2_000
    assert large < 11 * small


def test_a_number_of_200_characters_fits_and_a_longer_one_is_refused_naming_the_clause() -> None:
    fits = "1" + "a" * 199
    doc = parse_akn(
        akn(f'<article eId="art_1"><num>{fits}</num><content><p>T.</p></content></article>')
    )
    assert doc.clauses[0].number == fits
    with pytest.raises(
        TextImportError, match=r"number of clause art_1 is 201 characters.*at most 200"
    ):
        parse_akn(
            akn(f'<article eId="art_1"><num>{fits}b</num><content><p>T.</p></content></article>')
        )


def test_a_prolog_longer_than_4_kb_is_still_akoma_ntoso() -> None:
    prolog = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- ' + b"licence text " * 500 + b"-->\n"
    prolog += b'<?xml-stylesheet type="text/css" href="bill.css"?>\n'
    doc = read_document(prolog + akn('<article eId="art_1"><num>1</num></article>'), "law.xml")
    assert doc.source_format == "akn"
    assert [c.key for c in doc.clauses] == ["art_1"]


def test_the_prefixed_legaldocml_de_dialect_and_legilux_csd13_are_read() -> None:
    german = (
        '<akn:akomaNtoso xmlns:akn="http://Inhaltsdaten.LegalDocML.de/1.8.2/"><akn:act>'
        '<akn:body><akn:article eId="art-z1"><akn:num>§ 1</akn:num><akn:heading>Zweck'
        "</akn:heading><akn:paragraph eId='art-z1_abs-z1'><akn:num>(1)</akn:num><akn:content>"
        "<akn:p>Text.</akn:p></akn:content></akn:paragraph></akn:article></akn:body></akn:act>"
        "</akn:akomaNtoso>"
    ).encode()
    assert rows(german) == [
        ("art-z1", "§ 1", "Zweck", "", None),
        ("art-z1_abs-z1", "(1)", "", "Text.", "art-z1"),
    ]
    csd13 = akn('<article id="art_6"><num>Art. 6.</num></article>', ns=f"{AKN3}/CSD13")
    assert rows(csd13) == [("art_6", "Art. 6.", "", "", None)]


def test_quoted_structures_are_text_of_the_amending_clause_not_clauses() -> None:
    data = akn(
        '<article eId="art_6"><num>6.</num><content><p>Insert - <mod><quotedStructure>'
        '<article eId="art_54A"><num>54A</num><heading>Prosecutions.</heading><content><p>The '
        "Attorney-General may appoint prosecutors.</p></content></article></quotedStructure>"
        "</mod></p></content></article>"
    )
    assert rows(data) == [
        (
            "art_6",
            "6.",
            "",
            "Insert - 54A Prosecutions. The Attorney-General may appoint prosecutors.",
            None,
        )
    ]


def test_a_side_note_out_of_line_is_a_note_of_the_clause_it_points_at() -> None:
    data = akn(
        '<article id="art1"><num>1.</num><content><p id="p1">Text.</p></content></article>',
        after='<outOfLines><outOfLine href="#p1" type="sideNote"><p>Cap 75.</p></outOfLine>'
        "</outOfLines>",
        ns=AKN1,
    )
    assert parse_akn(data).clauses[0].notes == ("Cap 75.",)


def test_a_preface_of_only_the_title_is_the_title_and_a_fuller_one_is_a_clause() -> None:
    title_only = akn(
        '<article eId="art_1"><num>1</num></article>',
        before="<preface><p><docTitle>Agreement on Cooperation</docTitle></p></preface>",
    )
    doc = parse_akn(title_only)
    assert doc.title == "Agreement on Cooperation"
    assert [c.key for c in doc.clauses] == ["art_1"]
    assert doc.set_aside == (SetAside("Agreement on Cooperation", TITLE),)
    assert doc.front_matter == ("Agreement on Cooperation",)
    fuller = akn(
        '<article eId="art_1"><num>1</num></article>',
        before="<preface><p>SPECIAL ISSUE<eol/><docTitle>THE PENSIONS ACT</docTitle></p>"
        "<p>No. 8 of 2003</p></preface>",
    )
    doc = parse_akn(fuller)
    assert doc.title == "THE PENSIONS ACT"
    assert (doc.clauses[0].key, doc.clauses[0].kind, doc.clauses[0].text) == (
        "preface",
        "preamble",
        "SPECIAL ISSUE THE PENSIONS ACT\nNo. 8 of 2003",
    )
    assert doc.front_matter == ("SPECIAL ISSUE THE PENSIONS ACT", "No. 8 of 2003")


def test_source_text_is_every_text_node_outside_meta_and_running_headers_are_set_aside() -> None:
    data = (
        f'<akomaNtoso xmlns="{AKN3}"><act><meta><identification source="#x"><FRBRExpression>'
        '<FRBRlanguage language="swa"/></FRBRExpression></identification>'
        "<proprietary>secret words</proprietary></meta>"
        '<staticContent><div name="running-header"><span>Katiba ya Tanzania</span></div>'
        '</staticContent><body><section eId="sec_1"><num>1.</num><content><p>Tanzania ni nchi'
        "</p></content></section></body></act></akomaNtoso>"
    ).encode()
    doc = parse_akn(data)
    assert doc.source_text == "Katiba ya Tanzania\n1.\nTanzania ni nchi"
    assert doc.language == "sw"
    assert SetAside("Katiba ya Tanzania", PAGE_FURNITURE) in doc.set_aside


def test_an_attachment_that_only_refers_to_another_file_is_an_annex_with_a_warning() -> None:
    data = akn(
        '<article eId="art_1"><num>Article 1</num></article>',
        after='<attachments><attachment><documentRef href="ANNEX-1.xml" showAs="Annex I"/>'
        "</attachment></attachments>",
    )
    doc = parse_akn(data)
    assert [(c.key, c.kind, c.heading) for c in doc.clauses][-1] == ("annex_1", "annex", "Annex I")
    assert doc.warnings == (
        "Annex I refers to another file (ANNEX-1.xml); its text is not in this file and was "
        "not imported.",
    )


def test_an_attachment_keeps_its_inner_eids_under_the_annex_key() -> None:
    data = akn(
        '<section eId="sec_1"><num>1.</num></section>',
        after='<attachments><attachment eId="att_1"><heading>Nyongeza ya kwanza</heading>'
        '<subheading>(ibara ya 4)</subheading><doc name="appendix"><meta/><mainBody>'
        '<p>Mambo ya Muungano</p><paragraph eId="att_1__para_1"><num>1.</num><content>'
        "<p>Katiba.</p></content></paragraph></mainBody></doc></attachment></attachments>",
    )
    assert rows(data)[1:] == [
        ("annex_1", "", "Nyongeza ya kwanza (ibara ya 4)", "Mambo ya Muungano", None),
        ("annex_1__para_1", "1.", "", "Katiba.", "annex_1"),
    ]


def test_too_many_nodes_are_refused_saying_by_how_much() -> None:
    data = akn("".join(f'<article eId="a{n}"><num>{n}</num></article>' for n in range(5)))
    with pytest.raises(TextImportError) as refusal:
        parse_akn(data, ImportLimits(max_xml_nodes=10))
    assert str(refusal.value) == (
        "The Akoma Ntoso file has 14 elements, 4 more than the limit of 10 "
        "(STA_IMPORT_MAX_XML_NODES)."
    )


def test_too_deep_nesting_is_refused_saying_by_how_much() -> None:
    depth = ImportLimits().max_xml_depth + 2
    data = akn("<hcontainer>" * depth + "</hcontainer>" * depth)
    with pytest.raises(
        TextImportError, match=r"deep, 5 more than the limit of 120 \(STA_IMPORT_MAX_XML_DEPTH\)"
    ):
        parse_akn(data)


def test_external_entities_are_never_resolved() -> None:
    data = b'<!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + akn(
        '<article eId="art_1"><num>&x;</num></article>'
    )
    with pytest.raises(TextImportError, match="declares a DTD or entities"):
        parse_akn(data)


def test_text_loose_in_the_body_is_a_clause_where_it_stands() -> None:
    data = akn(
        '<p>Chapter of general provisions</p><article eId="art_1"><num>1</num></article>'
        "<p>Transitional text.</p>"
    )
    assert rows(data) == [
        ("text", "", "", "Chapter of general provisions", None),
        ("art_1", "1", "", "", None),
        ("text_2", "", "", "Transitional text.", None),
    ]
