"""Akoma Ntoso XML into clauses: the structure is explicit, so it is mapped, not detected.

Every hierarchical element (``article``, ``chapter``, ``hcontainer``, a body-level ``clause``…)
and every list item (``point``, ``item``, ``li``) is a clause; its text is its own lines, in
reading order, and never its children's. Text that follows a clause's children (a ``wrapUp``,
the end of a list item after a nested list) is a clause of its own after them, keyed
``…__wrap``. ``authorialNote`` becomes the clause's notes. The preface is a clause of its own
unless it is only the title; ``preamble`` and ``conclusions`` are the preamble and the
signature block; each attachment or component is an annex. ``docs/importing.md`` has the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .akn_names import (
    AKN_1_NAMESPACE,
    ATTACHMENT_LISTS,
    BLOCKS,
    BODIES,
    BREAKS,
    DOCUMENT_TYPES,
    FRONT,
    HIERARCHY,
    LISTS,
    MAX_HEADING,
    MAX_NUMBER,
    NOTES,
    QUOTED,
    SKIP,
    bounded_key,
    elements,
    key_number,
    language_code,
    local_name,
    safe_key,
)
from .akn_text import check_limits, flat_text, source_text
from .errors import TextImportError
from .limits import ImportLimits
from .parse import STRUCTURAL_KINDS
from .structure import (
    NOTE,
    PAGE_FURNITURE,
    TITLE,
    ParsedClause,
    ParsedDocument,
    SetAside,
)


@dataclass
class _Node:
    key: str
    kind: str
    number: str
    heading: str
    parent: str | None
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Owner:
    """The clause receiving the text being read, and the one after its children, once opened."""

    def __init__(self, reader: _Reader, node: _Node | None, parent: str | None) -> None:
        self.reader, self.node, self.parent = reader, node, parent
        self.buffer: list[str] = []
        self.after_children = node is None
        self.tail: _Node | None = None

    def target(self) -> _Node:
        if not self.after_children and self.node is not None:
            return self.node
        if self.tail is None:
            base = f"{self.node.key}__wrap" if self.node else f"{self.reader.prefix}text"
            kind = "item" if self.node and self.node.kind in {"paragraph", "item"} else "paragraph"
            key = self.reader.unique(base)
            parent = self.node.key if self.node else self.parent
            self.tail = self.reader.add(_Node(key, kind, "", "", parent))
        return self.tail

    def text(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self) -> None:
        line = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if line:
            self.target().lines.append(line)

    def note(self, text: str) -> None:
        if text:
            self.target().notes.append(text)
            self.reader.set_aside.append(SetAside(text, NOTE))

    def child_opened(self) -> None:
        self.flush()
        self.after_children, self.tail = True, None

    @property
    def child_parent(self) -> str | None:
        return self.node.key if self.node else self.parent


class _Reader:
    def __init__(self, root: Any) -> None:
        self.akn1 = etree.QName(root).namespace == AKN_1_NAMESPACE
        self.nodes: list[_Node] = []
        self.keys: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.ordinals: dict[tuple[str | None, str], int] = {}
        self.by_element: dict[Any, _Node] = {}
        self.set_aside: list[SetAside] = []
        self.warnings: list[str] = []
        self.front_matter: list[str] = []
        self.prefix = ""
        self.strip = ""
        self.skip: set[Any] = set()

    # Keys ------------------------------------------------------------------------------------

    def unique(self, key: str) -> str:
        """``key``, or ``key_2``, ``key_3``… when taken; a counter per key keeps this linear."""
        key = bounded_key(key)
        if key in self.keys:
            n = self.next_suffix.get(key, 2)
            while bounded_key(f"{key}_{n}") in self.keys:
                n += 1
            self.next_suffix[key] = n + 1
            key = bounded_key(f"{key}_{n}")
        self.keys.add(key)
        return key

    def element_key(self, el: Any, short: str, number: str, parent: str | None) -> str:
        ordinal_key = (parent, short)
        self.ordinals[ordinal_key] = self.ordinals.get(ordinal_key, 0) + 1
        raw = safe_key(el.get("eId") or el.get("id") or "")
        if raw:
            if self.prefix and not raw.startswith(self.prefix):
                if self.strip and raw.startswith(self.strip):
                    raw = raw[len(self.strip) :]
                raw = f"{self.prefix}{raw}"
            return self.unique(raw)
        segment = f"{short}_{key_number(number) or self.ordinals[ordinal_key]}"
        return self.unique(f"{parent}__{segment}" if parent else f"{self.prefix}{segment}")

    def add(self, node: _Node) -> _Node:
        self.nodes.append(node)
        return node

    # Walking ---------------------------------------------------------------------------------

    def mixed(self, el: Any, owner: _Owner) -> None:
        """The text and children of ``el`` in document order, into ``owner``."""
        if el.text:
            owner.text(el.text)
        for child in el:
            self.child(child, owner)
            if child.tail:
                owner.text(child.tail)

    def child(self, el: Any, owner: _Owner) -> None:
        name = local_name(el)
        if not name or name in SKIP or el in self.skip:
            return
        if name in BREAKS:
            owner.text(" ")
        elif name in NOTES:
            owner.note(flat_text(el, owner.target().notes))
        elif name in QUOTED:
            owner.text(flat_text(el, owner.target().notes))
        elif name in HIERARCHY and not self.is_wrapper(el):
            owner.child_opened()
            self.structure(el, owner.child_parent)
        elif name in LISTS or name in BLOCKS or name == "clause":
            owner.flush()
            self.mixed(el, owner)
            owner.flush()
        else:
            self.mixed(el, owner)

    def is_wrapper(self, el: Any) -> bool:
        # Why: AKN 1.0 wraps an article's text in an unnumbered ``clause``; it is no level.
        return (
            self.akn1
            and local_name(el) == "clause"
            and not any(local_name(c) == "num" for c in elements(el))
        )

    def titles(self, el: Any, notes: list[str]) -> tuple[str, str]:
        """The number and heading of ``el``: its first ``num``; further ``num``s, then headings."""
        nums = [flat_text(c, notes) for c in elements(el) if local_name(c) == "num"]
        heads = [
            flat_text(c, notes) for c in elements(el) if local_name(c) in {"heading", "subheading"}
        ]
        number = nums[0] if nums else ""
        heading = " ".join(t for t in [*nums[1:], *heads] if t)
        return number, heading

    def structure(self, el: Any, parent: str | None) -> None:
        kind, short = HIERARCHY[local_name(el)]
        notes: list[str] = []
        number, heading = self.titles(el, notes)
        node = self.add(_Node("", kind, number, heading, parent, notes=notes))
        node.key = self.element_key(el, short, number, parent)
        self.by_element[el] = node
        owner = _Owner(self, node, parent)
        if el.text:
            owner.text(el.text)
        for child in el:
            if local_name(child) not in {"num", "heading", "subheading"}:
                self.child(child, owner)
            if child.tail:
                owner.text(child.tail)
        owner.flush()

    def part(self, el: Any, key: str, kind: str, parent: str | None) -> _Node:
        """A preamble, preface or conclusions: one clause holding all of its lines."""
        node = self.add(_Node(self.unique(key), kind, "", "", parent))
        self.by_element[el] = node
        owner = _Owner(self, node, parent)
        self.mixed(el, owner)
        owner.flush()
        return node

    def body(self, el: Any, owner: _Owner) -> None:
        self.mixed(el, owner)
        owner.flush()

    # Documents and annexes -------------------------------------------------------------------

    def document(self, doc: Any) -> str:
        """Read the main document; returns its title."""
        title = ""
        for part in elements(doc):
            name = local_name(part)
            if name in FRONT:
                title = title or self.front(part)
            elif name == "preamble":
                self.part(part, "preamble", "preamble", None)
            elif name in BODIES:
                self.body(part, _Owner(self, None, None))
            elif name == "conclusions":
                self.part(part, "signature", "signature", None)
            elif name in ATTACHMENT_LISTS:
                for attachment in elements(part):
                    self.annex(attachment, None)
            elif name == "staticContent":
                lines = [line for line in _lines_of(part) if line]
                self.set_aside.extend(SetAside(line, PAGE_FURNITURE) for line in lines)
            elif name == "outOfLines":
                self.out_of_lines(part, doc)
        return title

    def front(self, el: Any) -> str:
        """The preface: the title, and a clause of its own unless it holds only the title."""
        found = {local_name(e): e for e in reversed(list(el.iter()))}
        title_el = next(
            (found[n] for n in ("docTitle", "longTitle", "shortTitle") if n in found), None
        )
        title = flat_text(title_el, []) if title_el is not None else ""
        node = self.part(el, "preface", "preamble", None)
        self.front_matter.extend(node.lines)
        only_title = "docTitle" in found and " ".join(node.lines) == title
        if only_title and not node.notes:
            self.nodes.remove(node)
            self.keys.discard(node.key)
            self.set_aside.append(SetAside(title, TITLE))
        return title

    def annex(self, attachment: Any, parent: str | None) -> None:
        notes: list[str] = []
        number, heading = self.titles(attachment, notes)
        inner = next((c for c in elements(attachment) if local_name(c) in DOCUMENT_TYPES), None)
        preface = (
            next((c for c in elements(inner) if local_name(c) in FRONT), None)
            if inner is not None
            else None
        )
        title_els: set[Any] = set()
        if preface is not None:
            found = {local_name(e): e for e in reversed(list(preface.iter()))}
            for names, slot in (("docNumber", "number"), ("docTitle", "heading")):
                if names in found and not (number if slot == "number" else heading):
                    text = flat_text(found[names], notes)
                    number, heading = (text, heading) if slot == "number" else (number, text)
                    title_els.add(found[names])
            if not heading and "longTitle" in found:
                heading = flat_text(found["longTitle"], notes)
                title_els.add(found["longTitle"])
        refs = [e for e in attachment.iter() if local_name(e) == "documentRef"]
        if not number and not heading and refs:
            shown = refs[0].get("showAs", "")
            heading = shown if shown and "/" not in shown else ""
        ordinal = sum(1 for n in self.nodes if n.kind == "annex") + 1
        raw = ""
        for candidate in (attachment, inner):
            eid = safe_key(candidate.get("eId") or "") if candidate is not None else ""
            raw = raw or (eid if eid.lower().startswith("annex") else "")
        key = self.unique(raw or f"annex_{key_number(number) or ordinal}")
        node = self.add(_Node(key, "annex", number, heading, parent, notes=notes))
        self.by_element[attachment] = node
        for ref in refs:
            self.warnings.append(
                f"{number or heading or 'An annex'} refers to another file "
                f"({ref.get('href', '')}); its text is not in this file and was not imported."
            )
        saved = self.prefix, self.strip
        self.prefix = f"{key}__"
        self.strip = f"{safe_key(attachment.get('eId') or '')}__" if attachment.get("eId") else ""
        owner = _Owner(self, node, parent)
        if inner is None:
            for child in attachment:
                if local_name(child) not in {"num", "heading", "subheading"}:
                    self.child(child, owner)
                if child.tail:
                    owner.text(child.tail)
            owner.flush()
        else:
            self.annex_document(inner, node, owner, title_els)
        self.prefix, self.strip = saved

    def annex_document(self, inner: Any, node: _Node, owner: _Owner, skip: set[Any]) -> None:
        for part in elements(inner):
            name = local_name(part)
            if name in FRONT:
                self.skip |= skip
                self.mixed(part, owner)
                owner.flush()
                self.skip -= skip
            elif name == "preamble":
                owner.child_opened()
                self.part(part, f"{node.key}__preamble", "preamble", node.key)
            elif name in BODIES:
                self.body(part, owner)
            elif name == "conclusions":
                owner.child_opened()
                self.part(part, f"{node.key}__signature", "signature", node.key)
            elif name in ATTACHMENT_LISTS:
                for attachment in elements(part):
                    owner.child_opened()
                    self.annex(attachment, node.key)

    def out_of_lines(self, part: Any, doc: Any) -> None:
        """Side notes kept apart from the text: notes of the clause they point at."""
        by_id = {e.get("eId") or e.get("id"): e for e in doc.iter() if e.get("eId") or e.get("id")}
        for note in elements(part):
            text = " ".join(line for line in _lines_of(note) if line)
            if not text:
                continue
            target = by_id.get((note.get("href") or "").lstrip("#"))
            while target is not None and target not in self.by_element:
                target = target.getparent()
            self.set_aside.append(SetAside(text, NOTE))
            if target is not None:
                self.by_element[target].notes.append(text)


def _lines_of(el: Any) -> list[str]:
    owner_node = _Node("", "", "", "", None)
    reader = _Reader(el.getroottree().getroot())
    owner = _Owner(reader, owner_node, None)
    reader.mixed(el, owner)
    owner.flush()
    return owner_node.lines


def _check_lengths(nodes: list[_Node]) -> None:
    for node in nodes:
        for label, value, limit in (
            ("number", node.number, MAX_NUMBER),
            ("heading", node.heading, MAX_HEADING),
        ):
            if len(value) > limit:
                raise TextImportError(
                    f"The {label} of clause {node.key} is {len(value)} characters long "
                    f"(“{value[:60]}…”); at most {limit} fit. Correct the file and import it again."
                )


def _meta_value(document: Any, tag: str, attribute: str, **match: str) -> str:
    """The first ``attribute`` of a ``tag`` element in the document's own ``meta``."""
    meta = next((c for c in elements(document) if local_name(c) == "meta"), None)
    for el in meta.iter() if meta is not None else ():
        if local_name(el) == tag and all(el.get(k) == v for k, v in match.items()):
            return el.get(attribute) or ""
    return ""


def parse_akn(data: bytes, limits: ImportLimits | None = None) -> ParsedDocument:
    """Read an Akoma Ntoso document. Entities, DTDs and the network are never used."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TextImportError(f"The XML file is not well-formed: {exc}.") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        # Why: entity declarations are the vehicle of XXE and entity-expansion attacks.
        raise TextImportError("The XML file declares a DTD or entities, which are not accepted.")
    if local_name(root) != "akomaNtoso" or not elements(root):
        raise TextImportError("The XML file is not Akoma Ntoso (no akomaNtoso document in it).")
    check_limits(root, limits or ImportLimits())
    document = elements(root)[0]
    reader = _Reader(root)
    title = (
        reader.document(document)
        or _meta_value(document, "FRBRalias", "value", name="title")
        or _meta_value(document, "FRBRname", "value")
        or " ".join(reader.front_matter)
    )
    _check_lengths(reader.nodes)
    clauses = tuple(
        ParsedClause(
            key=n.key,
            kind=n.kind,
            number=n.number,
            heading=n.heading,
            text="\n".join(n.lines),
            parent=n.parent,
            notes=tuple(n.notes),
        )
        for n in reader.nodes
    )
    if not any(c.kind in STRUCTURAL_KINDS for c in clauses):
        raise TextImportError("The Akoma Ntoso document has no articles, sections or annexes.")
    return ParsedDocument(
        title=title,
        clauses=clauses,
        source_format="akn",
        source_text=source_text(root),
        front_matter=tuple(reader.front_matter),
        set_aside=tuple(reader.set_aside),
        warnings=tuple(reader.warnings),
        language=language_code(_meta_value(document, "FRBRlanguage", "language")),
    )
