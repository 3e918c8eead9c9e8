"""Reading each file format, and refusing bad files with a message a person can act on."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError
from clauses.importing.readers import detect_format


def make_pdf(lines: list[str], *, font: str = "Helvetica", encrypt: str | None = None) -> bytes:
    """A PDF with one drawn line per entry; ``"<page>"`` starts a new page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if font != "Helvetica":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    y = 800
    for line in lines:
        if line == "<page>":
            pdf.showPage()
            y = 800
            continue
        pdf.setFont(font, 11)
        pdf.drawString(50, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(
    paragraphs: list[tuple[str, str | None]], table: list[list[str]] | None = None
) -> bytes:
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


AKN = b"""<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <act name="agreement">
    <meta/>
    <preface><p><docTitle>Agreement on Cooperation</docTitle></p></preface>
    <preamble>
      <recitals>
        <recital><p>Acting in the spirit of the Joint Communique;</p></recital>
        <recital><p>Have agreed as follows:</p></recital>
      </recitals>
    </preamble>
    <body>
      <article eId="art_1">
        <num>Article 1</num>
        <heading>Scope</heading>
        <paragraph eId="art_1__para_1">
          <num>1.</num><content><p>The Parties cooperate.</p></content>
        </paragraph>
        <paragraph eId="art_1__para_2"><num>2.</num>
          <list eId="art_1__para_2__list_1">
            <intro><p>Cooperation may include:</p></intro>
            <point eId="art_1__para_2__list_1__point_a">
              <num>(a)</num><content><p>exchanges;</p></content>
            </point>
          </list>
        </paragraph>
      </article>
      <article><num>Article 2</num><content><p>Costs are shared.</p></content></article>
    </body>
    <conclusions><p>DONE at Washington.</p></conclusions>
    <attachments>
      <attachment eId="att_1">
        <doc name="annex">
          <preface>
            <p><docNumber>Annex I</docNumber></p><p><docTitle>Intellectual Property</docTitle></p>
          </preface>
          <mainBody>
            <section eId="sec_II"><num>II</num>
              <paragraph eId="sec_II__para_C">
                <num>C.</num><content><p>Publications.</p></content>
              </paragraph>
            </section>
          </mainBody>
        </doc>
      </attachment>
    </attachments>
  </act>
</akomaNtoso>
"""


def test_a_pdf_is_read_across_pages_without_its_page_numbers() -> None:
    data = make_pdf(
        [
            *("AGREEMENT ON COOPERATION", "", "Article 1", "1. The Parties cooperate on the"),
            *("basis of", "- 1 -", "<page>", "equality.", "Article 2 — Costs"),
            *("Each Party bears its costs.", "2"),
        ]
    )
    doc = read_document(data, "protocol.pdf")
    assert doc.source_format == "pdf"
    assert doc.title == "AGREEMENT ON COOPERATION"
    assert [(c.key, c.number, c.heading, c.text) for c in doc.clauses] == [
        ("art_1", "Article 1", "", ""),
        ("art_1__para_1", "1.", "", "The Parties cooperate on the basis of equality."),
        ("art_2", "Article 2", "Costs", "Each Party bears its costs."),
    ]


def test_a_chinese_pdf_is_read_with_its_articles_and_paragraphs() -> None:
    data = make_pdf(
        ["第一条", "一、缔约双方发展合作。", "第二条 合作包括农业。"], font="STSong-Light"
    )
    doc = read_document(data, "agreement.pdf")
    assert [(c.key, c.number, c.text) for c in doc.clauses] == [
        ("art_1", "第一条", ""),
        ("art_1__para_1", "一、", "缔约双方发展合作。"),
        ("art_2", "第二条", "合作包括农业。"),
    ]


def test_a_pdf_is_recognised_by_its_content_whatever_its_name() -> None:
    assert detect_format(make_pdf(["Article 1", "Text."]), "agreement.txt") == "pdf"


def test_a_damaged_pdf_is_refused_with_a_clear_message() -> None:
    data = make_pdf(["Article 1", "The Parties cooperate."])
    with pytest.raises(TextImportError, match="The PDF could not be read: it is damaged"):
        read_document(data[: len(data) // 2], "broken.pdf")


def test_a_file_named_pdf_that_is_not_one_is_refused() -> None:
    with pytest.raises(TextImportError, match=r"named \.pdf but is not a PDF"):
        read_document(b"Article 1\nText.\n", "agreement.pdf")


def test_a_password_protected_pdf_is_refused_with_a_clear_message() -> None:
    data = make_pdf(["Article 1", "Text."], encrypt="secret")
    with pytest.raises(TextImportError, match="password-protected"):
        read_document(data, "locked.pdf")


def test_a_pdf_without_a_text_layer_is_refused_as_probably_scanned() -> None:
    with pytest.raises(TextImportError, match="no text layer"):
        read_document(make_pdf([]), "scan.pdf")


def test_a_docx_is_read_in_order_with_word_numbering_and_a_signature_table() -> None:
    data = make_docx(
        [
            ("Agreement on Cooperation", "Title"),
            ("The Parties have agreed as follows:", None),
            ("Article 1", None),
            ("The Parties shall cooperate in:", None),
            ("agriculture;", "List Number"),
            ("energy.", "List Number"),
            ("Article 2 — Costs", None),
            ("Each Party bears its costs.", None),
        ],
        table=[
            ["For the Government of the United States of America:", "For the Government of China:"],
            ["Jimmy Carter", "Deng Xiaoping"],
        ],
    )
    doc = read_document(data, "agreement.docx")
    assert doc.source_format == "docx"
    assert doc.title == "Agreement on Cooperation"
    assert [(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in doc.clauses] == [
        ("preamble", "preamble", "", "", "The Parties have agreed as follows:", None),
        ("art_1", "article", "Article 1", "", "The Parties shall cooperate in:", None),
        ("art_1__item_1", "item", "1.", "", "agriculture;", "art_1"),
        ("art_1__item_2", "item", "2.", "", "energy.", "art_1"),
        ("art_2", "article", "Article 2", "Costs", "Each Party bears its costs.", None),
        (
            "signature",
            "signature",
            "",
            "",
            "For the Government of the United States of America:\n"
            "For the Government of China:\nJimmy Carter\nDeng Xiaoping",
            None,
        ),
    ]


def test_a_damaged_docx_is_refused() -> None:
    data = make_docx([("Article 1", None), ("Text.", None)])
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        members = {n: original.read(n) for n in original.namelist()}
    members["word/document.xml"] = b"<w:document>not xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name, content in members.items():
            damaged.writestr(name, content)
    with pytest.raises(TextImportError, match="Word document could not be"):
        read_document(buffer.getvalue(), "agreement.docx")


def test_akoma_ntoso_maps_its_elements_and_keeps_eids_as_keys() -> None:
    doc = read_document(AKN, "agreement.xml")
    assert doc.source_format == "akn"
    assert doc.title == "Agreement on Cooperation"
    assert [(c.key, c.kind, c.number, c.heading, c.text, c.parent) for c in doc.clauses] == [
        (
            "preamble",
            "preamble",
            "",
            "",
            "Acting in the spirit of the Joint Communique;\nHave agreed as follows:",
            None,
        ),
        ("art_1", "article", "Article 1", "Scope", "", None),
        ("art_1__para_1", "paragraph", "1.", "", "The Parties cooperate.", "art_1"),
        ("art_1__para_2", "paragraph", "2.", "", "Cooperation may include:", "art_1"),
        ("art_1__para_2__list_1__point_a", "item", "(a)", "", "exchanges;", "art_1__para_2"),
        ("art_2", "article", "Article 2", "", "Costs are shared.", None),
        ("signature", "signature", "", "", "DONE at Washington.", None),
        ("annex_1", "annex", "Annex I", "Intellectual Property", "", None),
        ("annex_1__sec_II", "section", "II", "", "", "annex_1"),
        ("annex_1__sec_II__para_C", "paragraph", "C.", "", "Publications.", "annex_1__sec_II"),
    ]


def test_akoma_ntoso_declaring_entities_is_refused_and_nothing_is_resolved() -> None:
    data = AKN.replace(
        b"<akomaNtoso ",
        b'<!DOCTYPE akomaNtoso [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<akomaNtoso ',
    ).replace(b"Costs are shared.", b"Costs are shared &secret;.")
    with pytest.raises(TextImportError, match="declares a DTD or entities"):
        read_document(data, "agreement.xml")


def test_xml_that_is_not_akoma_ntoso_is_refused() -> None:
    with pytest.raises(TextImportError, match="not Akoma Ntoso"):
        read_document(b"<?xml version='1.0'?><treaty><article/></treaty>", "treaty.xml")


def test_malformed_akoma_ntoso_is_refused() -> None:
    with pytest.raises(TextImportError, match="not well-formed"):
        read_document(b"<akomaNtoso><act><body></act>", "treaty.xml")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "The file is empty"),
        (b"  \n\n", "blank.txt", "The file is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "scan.png",
            "format of scan.png is not recognised",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.doc", "old Word"),
        (b"{\\rtf1\\ansi Article 1}", "text.rtf", "RTF files cannot be read"),
        (b"<!doctype html><html><body>Article 1</body></html>", "page.html", "Web pages"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(TextImportError, match=message):
        read_document(data, name)


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Article 1")
    with pytest.raises(TextImportError, match="ZIP archive but not a Word document"):
        read_document(buffer.getvalue(), "agreement.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_chinese_text_is_read_in_the_usual_encodings(encoding: str) -> None:
    data = "第一条\n一、缔约双方发展合作。\n".encode(encoding)
    doc = read_document(data, "agreement.txt")
    assert [(c.key, c.text) for c in doc.clauses] == [
        ("art_1", ""),
        ("art_1__para_1", "缔约双方发展合作。"),
    ]


def test_markdown_is_chosen_by_extension_and_read_without_its_markup() -> None:
    doc = read_document(b"## Article 1 \xe2\x80\x94 Scope\n\n**Basic** research.\n", "text.md")
    assert doc.source_format == "markdown"
    assert [(c.key, c.heading, c.text) for c in doc.clauses] == [
        ("art_1", "Scope", "Basic research.")
    ]
