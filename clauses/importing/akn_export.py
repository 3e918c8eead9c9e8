"""One version's clauses in one language as an Akoma Ntoso 3.0 act.

The input is plain clause data (``ParsedClause``: key, kind, number, heading, text, parent,
notes) in reading order. Keys become eIds; articles, sections, paragraphs and items become
``article``, ``section``, ``paragraph`` and ``point``; a clause whose text comes before its
children holds that text in ``intro``; the clauses keyed ``preface``, ``preamble`` and
``signature`` at the top become ``preface``, ``preamble`` and ``conclusions``; annexes become
``attachments``. Anything that fits none of these (a preamble inside a letter, an annex inside
an article) is an ``hcontainer`` named after its kind, so nothing is left out or reordered.
``parse_akn`` reads the export back to the same clauses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .akn_names import AKN_NAMESPACE, LANGUAGES_1_TO_3
from .structure import ParsedClause

AKN_MEDIA_TYPE = "application/akn+xml"
_ELEMENTS = {"article": "article", "section": "section", "paragraph": "paragraph", "item": "point"}
# Why: XML 1.0 cannot carry most control characters; a stray one must not break the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class AknIdentity:
    """What the FRBR identification says: the work, this expression (language, date), its title.

    ``work`` is the work's URI without a trailing slash (``/akn/us/act/1979-01-31/sta``).
    """

    work: str
    title: str
    language: str
    work_date: dt.date
    expression_date: dt.date
    author: str = "sta-tracker"
    author_name: str = "STA Tracker"
    country: str = "us"
    document_name: str = "agreement"


def _el(parent: Any, tag: str, text: str = "", **attributes: str) -> Any:
    el = etree.SubElement(parent, f"{{{AKN_NAMESPACE}}}{tag}", attributes)
    if text:
        el.text = _NOT_XML.sub("", text)
    return el


def language_3(code: str) -> str:
    """``en`` → ``eng``, as FRBRlanguage writes languages; an unknown code is kept."""
    return LANGUAGES_1_TO_3.get(code, code)


def _identification(meta: Any, identity: AknIdentity, component: str = "main") -> None:
    lang = language_3(identity.language)
    expression = f"{identity.work}/{lang}@{identity.expression_date.isoformat()}"
    ident = _el(meta, "identification", source=f"#{identity.author}")
    author = f"#{identity.author}"
    work = _el(ident, "FRBRWork")
    _el(work, "FRBRthis", value=f"{identity.work}/!{component}")
    _el(work, "FRBRuri", value=identity.work)
    if identity.title and component == "main":
        _el(work, "FRBRalias", value=_NOT_XML.sub("", identity.title), name="title")
    _el(work, "FRBRdate", date=identity.work_date.isoformat(), name="signature")
    _el(work, "FRBRauthor", href=author)
    _el(work, "FRBRcountry", value=identity.country)
    expr = _el(ident, "FRBRExpression")
    _el(expr, "FRBRthis", value=f"{expression}/!{component}")
    _el(expr, "FRBRuri", value=expression)
    _el(expr, "FRBRdate", date=identity.expression_date.isoformat(), name="in force from")
    _el(expr, "FRBRauthor", href=author)
    _el(expr, "FRBRlanguage", language=lang)
    manifestation = _el(ident, "FRBRManifestation")
    _el(manifestation, "FRBRthis", value=f"{expression}/!{component}.xml")
    _el(manifestation, "FRBRuri", value=f"{expression}.akn")
    _el(manifestation, "FRBRdate", date=identity.expression_date.isoformat(), name="export")
    _el(manifestation, "FRBRauthor", href=author)


class _Writer:
    def __init__(self, clauses: Sequence[ParsedClause]) -> None:
        self.children: dict[str | None, list[ParsedClause]] = defaultdict(list)
        for clause in clauses:
            self.children[clause.parent].append(clause)
        self.notes = 0

    def lines(self, parent: Any, clause: ParsedClause) -> None:
        """The clause's text, a ``p`` per line, its notes at the end of the last one."""
        lines = [line for line in clause.text.split("\n") if line.strip()] or [""]
        paragraphs = [_el(parent, "p", line) for line in lines]
        for note in clause.notes:
            self.notes += 1
            holder = _el(
                paragraphs[-1],
                "authorialNote",
                marker=str(self.notes),
                placement="bottom",
                eId=f"{clause.key}__authorialNote_{self.notes}",
            )
            _el(holder, "p", note)

    def has_text(self, clause: ParsedClause) -> bool:
        return bool(clause.text.strip() or clause.notes)

    def level(self, parent: Any, clause: ParsedClause) -> None:
        name = _ELEMENTS.get(clause.kind)
        el = _el(parent, name or "hcontainer", eId=clause.key)
        if name is None:
            el.set("name", clause.kind)
        if clause.number:
            _el(el, "num", clause.number)
        if clause.heading:
            _el(el, "heading", clause.heading)
        children = self.children.get(clause.key, [])
        if not children:
            self.lines(_el(el, "content"), clause)
            return
        if self.has_text(clause):
            self.lines(_el(el, "intro"), clause)
        for child in children:
            self.level(el, child)

    def part(self, parent: Any, name: str, clause: ParsedClause) -> None:
        self.lines(_el(parent, name), clause)

    def annex(self, attachments: Any, clause: ParsedClause, identity: AknIdentity) -> None:
        attachment = _el(attachments, "attachment", eId=clause.key)
        doc = _el(attachment, "doc", name="annex")
        _identification(_el(doc, "meta"), identity, component=clause.key)
        children = list(self.children.get(clause.key, []))
        if clause.number or clause.heading:
            preface = _el(doc, "preface")
            if clause.number:
                _el(_el(preface, "p"), "docNumber", clause.number)
            if clause.heading:
                _el(_el(preface, "p"), "docTitle", clause.heading)
        preamble = _fixed(children, 0, f"{clause.key}__preamble", "preamble")
        if preamble is not None:
            self.part(doc, "preamble", children.pop(0))
        signature = _fixed(children, len(children) - 1, f"{clause.key}__signature", "signature")
        if signature is not None:
            children.pop()
        body = _el(doc, "mainBody")
        if self.has_text(clause):
            self.lines(body, clause)
        for child in children:
            self.level(body, child)
        if not len(body):
            _el(body, "p")
        if signature is not None:
            self.part(doc, "conclusions", signature)


def _fixed(clauses: list[ParsedClause], index: int, key: str, kind: str) -> ParsedClause | None:
    """``clauses[index]`` when it is the part keyed ``key`` of ``kind``, bare and childless."""
    if not 0 <= index < len(clauses):
        return None
    clause = clauses[index]
    bare = not clause.number and not clause.heading
    return clause if clause.key == key and clause.kind == kind and bare else None


def akn_export(clauses: Sequence[ParsedClause], identity: AknIdentity) -> bytes:
    """The Akoma Ntoso 3.0 XML of ``clauses`` (one version, one language), UTF-8 encoded."""
    writer = _Writer(clauses)
    top = list(writer.children.get(None, []))
    root = etree.Element(f"{{{AKN_NAMESPACE}}}akomaNtoso", nsmap={None: AKN_NAMESPACE})
    act = _el(root, "act", name=identity.document_name)
    meta = _el(act, "meta")
    _identification(meta, identity)
    references = _el(meta, "references", source=f"#{identity.author}")
    _el(
        references,
        "TLCOrganization",
        eId=identity.author,
        href=f"/ontology/organization/{identity.author}",
        showAs=identity.author_name,
    )
    # Why: a part with sub-clauses cannot be a plain preface, preamble or conclusions.
    childless = [c for c in top if not writer.children.get(c.key)]
    preface = _fixed(top, 0, "preface", "preamble")
    preface = preface if preface in childless else None
    if preface is not None:
        writer.part(act, "preface", top.pop(0))
    elif identity.title:
        _el(_el(_el(act, "preface"), "p"), "docTitle", identity.title)
    preamble = _fixed(top, 0, "preamble", "preamble")
    if preamble is not None and preamble in childless:
        writer.part(act, "preamble", top.pop(0))
    annexes: list[ParsedClause] = []
    while top and top[-1].kind == "annex":
        annexes.insert(0, top.pop())
    signature = _fixed(top, len(top) - 1, "signature", "signature")
    if signature is not None and signature in childless:
        top.pop()
    else:
        signature = None
    body = _el(act, "body")
    for clause in top:
        writer.level(body, clause)
    if signature is not None:
        writer.part(act, "conclusions", signature)
    if annexes:
        attachments = _el(act, "attachments")
        for annex in annexes:
            writer.annex(attachments, annex, identity)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
