"""Akoma Ntoso XML into clauses: the structure is explicit, so it is mapped, not detected.

``article``/``section``/``chapter``/``part`` and their ``paragraph``/``point`` children map to
clauses keyed by their ``eId``; a ``list`` lends its introduction to its parent and its points
become the parent's items; ``preamble`` and ``conclusions`` become the preamble and the
signature block; each ``attachment`` is an annex whose inner eIds are prefixed with its key.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .errors import TextImportError
from .numerals import number_value
from .parse import STRUCTURAL_KINDS
from .structure import ParsedClause, ParsedDocument

_KINDS = {
    "article": ("article", "art"),
    "section": ("section", "sec"),
    "subsection": ("section", "subsec"),
    "chapter": ("section", "chp"),
    "part": ("section", "part"),
    "title": ("section", "title"),
    "paragraph": ("paragraph", "para"),
    "subparagraph": ("item", "subpara"),
    "point": ("item", "point"),
    "item": ("item", "item"),
}
_LISTS = {"list", "blockList"}
_LIST_INTROS = {"intro", "listIntroduction"}
_SKIP = {"num", "heading", "subheading", "authorialNote", "meta"}
_BLOCKS = {"p", "recital", "formula", "block", "tblock"}


def _name(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _children(el: Any) -> list[Any]:
    return [child for child in el if isinstance(child.tag, str)]


def _child(el: Any, name: str) -> Any:
    return next((c for c in _children(el) if _name(c) == name), None)


def _lines(el: Any) -> list[str]:
    """The text of ``el`` as one line per paragraph (``p``) it contains."""
    blocks = [b for b in el.iter() if _name(b) in _BLOCKS and not _inside_block(b, el)]
    lines = [_text(b) for b in blocks] if blocks else [_text(el)]
    return [line for line in lines if line]


def _inside_block(node: Any, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if _name(parent) in _BLOCKS:
            return True
        parent = parent.getparent()
    return False


class _Reader:
    def __init__(self) -> None:
        self.clauses: list[ParsedClause] = []
        self.keys: set[str] = set()

    def unique(self, key: str) -> str:
        if key in self.keys:
            n = 2
            while f"{key}_{n}" in self.keys:
                n += 1
            key = f"{key}_{n}"
        self.keys.add(key)
        return key

    def add(
        self, key: str, kind: str, number: str, heading: str, lines: list[str], parent: str | None
    ) -> str:
        key = self.unique(key)
        text = "\n".join(lines)
        self.clauses.append(ParsedClause(key, kind, number, heading, text, parent))
        return key

    def walk(self, el: Any, parent: str | None, prefix: str) -> None:
        for child in _children(el):
            name = _name(child)
            if name in _KINDS:
                self.structure(child, parent, prefix)
            elif name in _LISTS:
                for item in _children(child):
                    if _name(item) in _KINDS or _name(item) == "item":
                        self.structure(item, parent, prefix, kind="item")
            elif name not in _SKIP and name not in _BLOCKS and name not in _LIST_INTROS:
                self.walk(child, parent, prefix)

    def structure(self, el: Any, parent: str | None, prefix: str, kind: str = "") -> None:
        name = _name(el)
        mapped_kind, short = _KINDS.get(name, ("item", "item"))
        num_el, heading_el = _child(el, "num"), _child(el, "heading")
        number = _text(num_el) if num_el is not None else ""
        eid = el.get("eId") or el.get("id")
        if eid:
            key = f"{prefix}{eid}"
        else:
            segment = f"{short}_{_key_number(number) or len(self.clauses) + 1}"
            key = f"{parent}__{segment}" if parent else f"{prefix}{segment}"
        own: list[str] = []
        for child in _children(el):
            child_name = _name(child)
            if child_name in _SKIP or child_name in _KINDS:
                continue
            if child_name in _LISTS:
                intro = next((c for c in _children(child) if _name(c) in _LIST_INTROS), None)
                own.extend(_lines(intro) if intro is not None else [])
            else:
                own.extend(_lines(child))
        heading = _text(heading_el) if heading_el is not None else ""
        key = self.add(key, kind or mapped_kind, number, heading, own, parent)
        self.walk(el, key, prefix)


def _key_number(number: str) -> str:
    bare = re.sub(r"^(?:Article|Art\.|Section|Annex|Part|Chapter)\s+|[^\w]", "", number)
    bare = bare.removeprefix("第").removesuffix("条")
    try:
        return str(number_value(bare))
    except ValueError:
        return bare


def parse_akn(data: bytes) -> ParsedDocument:
    """Read an Akoma Ntoso document. External entities and DTDs are never loaded."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TextImportError(f"The XML file is not well-formed: {exc}.") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        # Why: entity declarations are the vehicle of XXE and entity-expansion attacks.
        raise TextImportError("The XML file declares a DTD or entities, which are not accepted.")
    if _name(root) != "akomaNtoso" or not _children(root):
        raise TextImportError("The XML file is not Akoma Ntoso (no akomaNtoso document in it).")
    document = _children(root)[0]
    reader = _Reader()
    _read_document(reader, document, prefix="")
    clauses = tuple(reader.clauses)
    if not any(c.kind in STRUCTURAL_KINDS for c in clauses):
        raise TextImportError("The Akoma Ntoso document has no articles, sections or annexes.")
    title_el = next((e for e in document.iter() if _name(e) == "docTitle"), None)
    return ParsedDocument(
        title=_text(title_el) if title_el is not None else "",
        clauses=clauses,
        source_format="akn",
    )


def _read_document(reader: _Reader, document: Any, prefix: str) -> None:
    for part in _children(document):
        name = _name(part)
        if name == "preamble":
            reader.add(f"{prefix}preamble", "preamble", "", "", _lines(part), None)
        elif name in {"body", "mainBody"}:
            reader.walk(part, None, prefix)
        elif name == "conclusions":
            reader.add(f"{prefix}signature", "signature", "", "", _lines(part), None)
        elif name in {"attachments", "components"}:
            for n, attachment in enumerate(_children(part), start=1):
                _read_attachment(reader, attachment, n)


def _read_attachment(reader: _Reader, attachment: Any, n: int) -> None:
    inner = next((c for c in _children(attachment) if _name(c) not in _SKIP), attachment)
    preface = _child(inner, "preface")
    cover = list(preface.iter()) if preface is not None else []
    num_el = next((e for e in cover if _name(e) in {"docNumber", "num"}), None)
    title_el = next((e for e in cover if _name(e) in {"docTitle", "heading"}), None)
    number = _text(num_el) if num_el is not None else ""
    heading = _text(title_el) if title_el is not None else ""
    key = reader.add(f"annex_{_key_number(number) or n}", "annex", number, heading, [], None)
    before = len(reader.clauses)
    loose: list[str] = []
    for part in _children(inner):
        if _name(part) in {"body", "mainBody"}:
            reader.walk(part, key, f"{key}__")
            loose.extend(_lines(part))
        elif _name(part) == "preamble":
            reader.add(f"{key}__preamble", "preamble", "", "", _lines(part), key)
        elif _name(part) == "conclusions":
            reader.add(f"{key}__signature", "signature", "", "", _lines(part), key)
    if len(reader.clauses) == before and loose:
        # Why: an annex of running text without inner structure is one clause with that text.
        reader.clauses[before - 1] = ParsedClause(key, "annex", number, heading, "\n".join(loose))
