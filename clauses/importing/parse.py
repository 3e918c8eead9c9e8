"""Structure detection: the lines of a treaty text into a tree of provisional clauses.

Keys follow the spirit of Akoma Ntoso eIds: ``art_1``, ``art_1__para_2``, ``art_3__item_4``,
``annex_1__sec_II__para_C``, ``preamble``, ``sec_1__signature``. Articles contain numbered
paragraphs; a numbered list that follows text ending in a colon is a list of items. Text before
the first heading is the preamble; signature blocks (``(签字)``, ``Done at``, ``For the
Government of``, a date alone on its line) are kept apart as clauses of their own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .errors import TextImportError
from .lines import (
    CJK,
    Heading,
    Numbered,
    classify_heading,
    classify_numbered,
    classify_roman,
    ends_sentence,
    ends_with_colon,
    heading_like,
    signatory_line,
    signature_opening,
    title_case,
)
from .structure import ParsedClause, ParsedDocument

STRUCTURAL_KINDS = {"article", "annex", "section", "paragraph", "item"}
_NUMBERED_RANK = 5
_SIGNATURE_RANK = 9

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# Why: some copies (Wikisource) run paragraphs together separated by runs of spaces.
_GAP = re.compile(r"[ \t]{3,}|\t")
_METADATA = re.compile(r"^【[^】]*】")
_EDITORIAL = re.compile(
    r"签订日期|生效日期|发布日期|实施日期|施行日期|失效日期|签定\)|签订\)"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2}"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_MD_BULLET = re.compile(r"^[-*+]\s+(?=\S)")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


@dataclass
class _Node:
    key: str
    kind: str
    number: str
    heading: str
    parent: _Node | None
    rank: int
    style: str = ""
    token: str = ""
    holds_signature: bool = False
    lines: list[str] = field(default_factory=list)

    def last_line(self) -> str:
        return next((line for line in reversed(self.lines) if line), "")


def prepare_lines(text: str, *, markdown: bool = False) -> list[str]:
    """Lines with whitespace collapsed; ``""`` marks a blank line (a paragraph break)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    lines: list[str] = []
    in_code = False
    for raw in text.split("\n"):
        if markdown:
            if raw.strip().startswith("```"):
                in_code = not in_code
                continue
            if in_code:
                continue
            raw = _markdown_line(raw.strip())
        for part in _GAP.split(raw.strip()):
            lines.append(" ".join(part.split()))
    return lines


def _markdown_line(line: str) -> str:
    if _MD_RULE.match(line):
        return ""
    if m := _MD_HEADING.match(line):
        line = m.group(1)
    line = _MD_BULLET.sub("", line.lstrip("> ") if line.startswith(">") else line)
    line = _MD_LINK.sub(r"\1", line).replace("**", "").replace("__", "")
    return _MD_ESCAPE.sub(r"\1", line)


def glue(left: str, right: str) -> str:
    """Join a line broken inside a sentence: no space between Chinese characters."""
    if not left:
        return right
    if CJK.match(left[-1]) or CJK.match(right[0]) or (left.endswith("-") and left[-2:-1].isalpha()):
        return left + right
    return f"{left} {right}"


def join_lines(lines: list[str]) -> str:
    """Reflow wrapped lines: a new line starts after a sentence end or a blank line."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif current and (ends_sentence(current) or _recital_break(current, line)):
            paragraphs.append(current)
            current = line
        else:
            current = glue(current, line)
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def join_signature(lines: list[str]) -> str:
    """Signature blocks keep their lines (titles, names); only wrapped prose is joined."""
    joined: list[str] = []
    for line in lines:
        if not line:
            continue
        if joined and not ends_sentence(joined[-1]) and line[:1].islower():
            joined[-1] = glue(joined[-1], line)
        else:
            joined.append(line)
    return "\n".join(joined)


def _recital_break(current: str, line: str) -> bool:
    # Why: English preambles end each recital with a comma and start the next in capitals.
    return current.endswith(",") and line[:1].isupper() and len(current) > 60


def _is_structural(line: str) -> bool:
    return bool(
        classify_heading(line) or classify_roman(line, None) or classify_numbered(line, None)
    )


def _title_candidate(line: str) -> bool:
    if ends_sentence(line) or line.endswith((",", "，", "；", "、")):
        return False
    if CJK.search(line):
        return len(line) <= 80 and not re.search(r"[,，;；]", line)
    return len(line.split()) <= 25 and (line.isupper() or title_case(line))


def split_head(lines: list[str]) -> tuple[list[str], list[str], int]:
    """Title lines, dropped editorial lines, and the index where the body starts.

    A site's metadata (``【发布部门】…``), a parenthesised header with dates (``(签订日期…`` /
    ``生效日期…)``) and repeated copies of the title are not treaty text.
    """
    title: list[str] = []
    dropped: list[str] = []
    i = after_title = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if _is_structural(line):
            break
        if _METADATA.match(line):
            dropped.append(line)
            i += 1
            continue
        if line[0] in "(（":
            block = _parenthesised(lines, i)
            if not block or not _EDITORIAL.search(" ".join(block)):
                break
            dropped.extend(block)
            i += len(block)
            continue
        if not _title_candidate(line):
            break
        if title and _same_text(line, "".join(title)):
            dropped.append(line)
        elif len(title) < (8 if line.isupper() else 3):
            title.append(line)
            after_title = i + 1
        else:
            break
        i += 1
    if (
        title
        and not CJK.search(title[0])
        and not _latin_title_ends_block(lines, after_title, title)
    ):
        return [], dropped, lines.index(title[0])
    return title, dropped, i


def _latin_title_ends_block(lines: list[str], after: int, title: list[str]) -> bool:
    # Why: a mixed-case first line of a preamble ("The Government of … and") looks like a
    # title; a real one is in capitals or set off by a blank line or a heading.
    following = lines[after] if after < len(lines) else ""
    return all(t.isupper() for t in title) or not following or _is_structural(following)


def _parenthesised(lines: list[str], i: int) -> list[str]:
    block: list[str] = []
    for line in lines[i : i + 3]:
        block.append(line)
        if ")" in line or "）" in line:
            return block
    return []


def _same_text(a: str, b: str) -> bool:
    def squash(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split())

    return squash(a) == squash(b)


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[_Node] = []
        self.stack: list[_Node] = []
        self.keys: set[str] = set()
        self.signature: _Node | None = None
        self.preamble: _Node | None = None
        self.started = False

    def add(self, kind: str, segment: str, number: str, parent: _Node | None, rank: int) -> _Node:
        key = segment if parent is None else f"{parent.key}__{segment}"
        if key in self.keys:
            n = 2
            while f"{key}_{n}" in self.keys:
                n += 1
            key = f"{key}_{n}"
        self.keys.add(key)
        node = _Node(key=key, kind=kind, number=number, heading="", parent=parent, rank=rank)
        self.nodes.append(node)
        return node

    def target(self) -> _Node | None:
        if self.signature is not None:
            return self.signature
        if self.stack:
            return self.stack[-1]
        return self.preamble

    def text(self, line: str) -> None:
        target = self.target()
        if target is None:
            if self.started:
                target = self.nodes[-1]
            else:
                self.preamble = target = self.add("preamble", "preamble", "", None, 0)
        target.lines.append(line)

    def blank(self) -> None:
        target = self.target()
        if target is not None and target.lines and target.lines[-1]:
            target.lines.append("")

    def open_heading(self, heading: Heading) -> _Node:
        self.started = True
        self.signature = None
        while self.stack and self.stack[-1].rank >= heading.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        segment = heading.segment
        if segment == "annex":
            segment = f"annex_{1 + sum(1 for n in self.nodes if n.kind == 'annex')}"
        node = self.add(heading.kind, segment, heading.number, parent, heading.rank)
        node.holds_signature = heading.kind == "annex"
        if heading.rest_is_heading:
            node.heading = heading.rest
        elif heading.rest:
            node.lines.append(heading.rest)
        self.stack.append(node)
        return node

    def open_section_once(self, heading: Heading) -> None:
        """``II. C`` after ``II. B``: continue section II rather than open it again."""
        for i, node in enumerate(self.stack):
            if node.kind == "section" and node.key.endswith(heading.segment):
                del self.stack[i + 1 :]
                self.signature = None
                return
        self.open_heading(heading)

    def open_numbered(self, numbered: Numbered) -> None:
        self.started = True
        self.signature = None
        for i in range(len(self.stack) - 1, -1, -1):
            if not self.stack[i].style:
                break
            if self.stack[i].style == numbered.style:
                del self.stack[i:]
                break
        parent = self.stack[-1] if self.stack else None
        first_level = parent is None or not parent.style
        listed = parent is not None and ends_with_colon(parent.last_line())
        if numbered.style == "upper_letter" or (first_level and not listed):
            kind, prefix = "paragraph", "para"
        else:
            kind, prefix = "item", "item"
        rank = parent.rank + 1 if parent and parent.style else _NUMBERED_RANK
        node = self.add(kind, f"{prefix}_{numbered.token}", numbered.number, parent, rank)
        node.style, node.token = numbered.style, numbered.token
        if numbered.rest:
            node.lines.append(numbered.rest)
        self.stack.append(node)

    def open_signature(self, line: str, mode: str) -> None:
        if self.signature is None:
            carried: list[str] = []
            source = self.target()
            if mode == "backtrack" and source is not None:
                while source.lines and (not source.lines[-1] or signatory_line(source.lines[-1])):
                    carried.insert(0, source.lines.pop())
            # Why: each letter of an exchange, and each annex, is signed on its own; the
            # final clauses of an agreement belong to no article.
            holders = [n for n in self.stack if n.holds_signature]
            parent = holders[0] if holders else None
            del self.stack[self.stack.index(parent) + 1 if parent else 0 :]
            self.signature = self.add("signature", "signature", "", parent, _SIGNATURE_RANK)
            self.signature.lines.extend(line for line in carried if line)
        self.signature.lines.append(line)

    def in_article(self) -> bool:
        return any(node.kind == "article" for node in self.stack)

    def last_token(self, style: str) -> str | None:
        return next((n.token for n in reversed(self.stack) if n.style == style), None)

    def in_roman_section(self) -> bool:
        return any(n.kind == "section" and "sec_" in n.key for n in self.stack)


def _lookahead_heading(lines: list[str], i: int) -> int | None:
    """Index of a heading written on the line after ``Article 1`` (``Scope``), if there is one."""
    j = i
    while j < len(lines) and not lines[j]:
        j += 1
    if j >= len(lines):
        return None
    candidate = lines[j]
    if _is_structural(candidate) or signature_opening(candidate, True):
        return None
    if not heading_like(candidate) or not any(lines[j + 1 :]):
        return None
    if not CJK.search(candidate) and not (len(candidate.split()) <= 8 and title_case(candidate)):
        return None
    return j


def _feed(builder: _Builder, lines: list[str], i: int) -> int:
    """Read the line at ``i``; returns the index of the next line to read."""
    line = lines[i]
    i += 1
    heading = classify_heading(line)
    if heading is not None:
        node = builder.open_heading(heading)
        chinese_article = heading.kind == "article" and node.number.startswith("第")
        if not heading.rest and not chinese_article:
            j = _lookahead_heading(lines, i)
            if j is not None:
                node.heading = lines[j]
                return j + 1
        return i
    upper = builder.last_token("upper_letter")
    roman = classify_roman(line, chr(ord(upper) + 1) if upper else None)
    if roman is not None:
        section, lettered = roman
        if lettered is not None:
            builder.open_section_once(section)
            builder.open_numbered(lettered)
            return i
        if section.rest_is_heading or not builder.in_article():
            builder.open_heading(section)
            return i
    numbered = classify_numbered(line, builder.last_token("letter"))
    if (
        numbered is not None
        and numbered.style == "cjk_paren"
        and not builder.in_article()
        and heading_like(numbered.rest)
    ):
        # Why: at the top of a document, (一)对方来文 heads a part (one letter of an exchange).
        letter = Heading(
            "section", f"sec_{numbered.token}", numbered.number, 3, numbered.rest, True
        )
        builder.open_heading(letter).holds_signature = True
        return i
    if builder.signature is not None:
        builder.signature.lines.append(line)
        return i
    target = builder.target()
    mode = signature_opening(line, bool(target and target.last_line()))
    if mode is not None and builder.started:
        builder.open_signature(line, mode)
        return i
    if numbered is not None and (numbered.style != "upper_letter" or builder.in_roman_section()):
        builder.open_numbered(numbered)
        return i
    builder.text(line)
    return i


def parse_text(text: str, *, markdown: bool = False, source_format: str = "text") -> ParsedDocument:
    """Detect the structure of a treaty text. Raises TextImportError when there is none."""
    lines = prepare_lines(text, markdown=markdown)
    if not any(lines):
        raise TextImportError("The file contains no text.")
    title, dropped, i = split_head(lines)
    builder = _Builder()
    while i < len(lines):
        if not lines[i]:
            builder.blank()
            i += 1
        else:
            i = _feed(builder, lines, i)
    if not any(node.kind in STRUCTURAL_KINDS for node in builder.nodes):
        raise TextImportError(
            "No structure was found in the text: no articles (Article 1, 第一条), annexes, "
            "sections or numbered paragraphs. Check that this is the treaty text, or supply "
            "it in another format."
        )
    clauses = tuple(
        ParsedClause(
            key=node.key,
            kind=node.kind,
            number=node.number,
            heading=node.heading,
            text=join_signature(node.lines) if node.kind == "signature" else join_lines(node.lines),
            parent=node.parent.key if node.parent else None,
        )
        for node in builder.nodes
    )
    return ParsedDocument(
        title=functools.reduce(glue, title, ""),
        clauses=clauses,
        dropped=tuple(dropped),
        source_format=source_format,
    )
