"""Signature blocks end where agreed minutes, an understanding, an annex or a letter begins."""

from __future__ import annotations

from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedDocument

Row = tuple[str, str, str, str, str, str | None]


def rows(doc: ParsedDocument) -> list[Row]:
    return [(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in doc.clauses]


SIGNED = (
    "Article 1\nThe Parties cooperate.\n"
    "Done at Washington, 1 May 2000.\nFor the Government of A:\nJohn Smith\n"
)


def test_agreed_minutes_after_the_signature_are_a_part_of_their_own() -> None:
    doc = parse_text(SIGNED + "AGREED MINUTES\n1. The Parties note the costs.\n")
    assert rows(doc)[1:] == [
        (
            "signature",
            "signature",
            "",
            "",
            "Done at Washington, 1 May 2000.\nFor the Government of A:\nJohn Smith",
            None,
        ),
        ("annex_1", "annex", "", "AGREED MINUTES", "", None),
        ("annex_1__para_1", "paragraph", "1.", "", "The Parties note the costs.", "annex_1"),
    ]


def test_an_annexed_understanding_after_the_signature_is_a_part_of_its_own() -> None:
    doc = parse_text(SIGNED + "Understanding on Educational Exchanges\nStudents are exchanged.\n")
    assert rows(doc)[-1] == (
        "annex_1",
        "annex",
        "",
        "Understanding on Educational Exchanges",
        "Students are exchanged.",
        None,
    )


def test_an_annex_after_the_signature_is_not_swallowed_into_it() -> None:
    doc = parse_text(SIGNED + "ANNEX I\nRules of the annex.\n")
    assert [(c.key, c.kind, c.text) for c in doc.clauses][-1] == (
        "annex_1",
        "annex",
        "Rules of the annex.",
    )
    assert "Rules" not in doc.clauses[1].text


LETTERS = (
    "EXCHANGE OF LETTERS\n\n"
    "Washington, January 31, 1979\n\nExcellency:\n\n"
    "I have the honour to propose cooperation in education.\n\n"
    "Accept, Excellency, the assurances of my highest consideration.\n\n"
    "(Signed)\nFrank Press\n\n"
    "Beijing, January 31, 1979\n\nExcellency:\n\n"
    "I have the honour to confirm the proposal.\n\n(Signed)\nFang Yi\n\n"
    "UNDERSTANDING ON EDUCATIONAL EXCHANGES\n\n1. Both sides exchange students.\n"
)


def test_an_exchange_of_letters_gets_date_salutation_body_signature_and_understanding() -> None:
    doc = parse_text(LETTERS)
    assert doc.title == "EXCHANGE OF LETTERS"
    assert rows(doc) == [
        ("sec_1", "section", "", "", "", None),
        ("sec_1__date", "paragraph", "", "", "Washington, January 31, 1979", "sec_1"),
        ("sec_1__salutation", "paragraph", "", "", "Excellency:", "sec_1"),
        (
            "sec_1__body",
            "paragraph",
            "",
            "",
            "I have the honour to propose cooperation in education.\n"
            "Accept, Excellency, the assurances of my highest consideration.",
            "sec_1",
        ),
        ("sec_1__signature", "signature", "", "", "(Signed)\nFrank Press", "sec_1"),
        ("sec_2", "section", "", "", "", None),
        ("sec_2__date", "paragraph", "", "", "Beijing, January 31, 1979", "sec_2"),
        ("sec_2__salutation", "paragraph", "", "", "Excellency:", "sec_2"),
        ("sec_2__body", "paragraph", "", "", "I have the honour to confirm the proposal.", "sec_2"),
        ("sec_2__signature", "signature", "", "", "(Signed)\nFang Yi", "sec_2"),
        ("annex_1", "annex", "", "UNDERSTANDING ON EDUCATIONAL EXCHANGES", "", None),
        ("annex_1__para_1", "paragraph", "1.", "", "Both sides exchange students.", "annex_1"),
    ]


def test_a_letter_without_a_date_opens_after_the_signature_of_the_one_before() -> None:
    doc = parse_text(
        "Washington, January 31, 1979\nSir,\nWe propose cooperation.\n(Signed)\nA. Person\n"
        "Sir,\nWe agree to the proposal.\n(Signed)\nB. Person\n"
    )
    assert [c.key for c in doc.clauses] == [
        "sec_1",
        "sec_1__date",
        "sec_1__salutation",
        "sec_1__body",
        "sec_1__signature",
        "sec_2",
        "sec_2__salutation",
        "sec_2__body",
        "sec_2__signature",
    ]


ENGLISH = (
    "AGREEMENT ON SCIENCE\n\nThe Parties to this Agreement have agreed as follows:\n\n"
    "Article 1\n\nThe Parties shall cooperate in the field of science and of technology.\n\n"
    "Article 2\n\nThe cooperation shall be based on the principle of equality and of benefit.\n\n"
    "DONE at The Hague, in duplicate, in the English and the Dutch language.\n\n"
    "For the Government of the Kingdom of the Netherlands:\n\n"
)
DUTCH = (
    "VERDRAG INZAKE WETENSCHAP\n\n"
    "De partijen bij dit Verdrag zijn het volgende overeengekomen:\n\n"
    "Artikel 1\n\nDe partijen werken samen op het gebied van de wetenschap en de technologie.\n\n"
    "Artikel 2\n\nDe samenwerking is gebaseerd op het beginsel van de gelijkheid.\n\n"
    "GEDAAN te Den Haag, in tweevoud, in de Engelse en de Nederlandse taal.\n\n"
    "Voor de Regering van het Koninkrijk der Nederlanden:\n"
)


def test_a_bilingual_print_is_split_into_its_two_language_texts() -> None:
    doc = parse_text(ENGLISH + DUTCH)
    assert (doc.language, doc.title) == ("en", "AGREEMENT ON SCIENCE")
    assert [c.key for c in doc.clauses] == ["preamble", "art_1", "art_2", "signature"]
    assert doc.clauses[-1].text == (
        "DONE at The Hague, in duplicate, in the English and the Dutch language.\n"
        "For the Government of the Kingdom of the Netherlands:"
    )
    (dutch,) = doc.other_texts
    assert (dutch.language, dutch.title) == ("nl", "VERDRAG INZAKE WETENSCHAP")
    assert [(c.key, c.number) for c in dutch.clauses] == [
        ("preamble", ""),
        ("art_1", "Artikel 1"),
        ("art_2", "Artikel 2"),
        ("signature", ""),
    ]
    assert "VERDRAG" not in doc.source_text
    assert dutch.source_text.strip().startswith("VERDRAG INZAKE WETENSCHAP")


def test_a_text_in_one_language_has_no_other_texts_and_knows_its_language() -> None:
    doc = parse_text(ENGLISH)
    assert (doc.language, doc.other_texts) == ("en", ())
    assert parse_text(DUTCH).language == "nl"
    assert parse_text("第一条 缔约双方根据本协定发展合作。\n").language == "zh"
