"""The tree of provisional clauses being built, one line at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lines import Heading, Numbered, ends_with_colon, signatory_line
from .numerals import number_value

NUMBERED_RANK = 5
SIGNATURE_RANK = 9
_LETTER_RANK = 3


@dataclass
class Node:
    key: str
    kind: str
    number: str
    heading: str
    parent: Node | None
    rank: int
    style: str = ""
    token: str = ""
    holds_signature: bool = False
    lines: list[str] = field(default_factory=list)

    def last_line(self) -> str:
        return next((line for line in reversed(self.lines) if line), "")


class Builder:
    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.keys: set[str] = set()
        self.signature: Node | None = None
        self.preamble: Node | None = None
        self.started = False
        self.warnings: list[str] = []
        self._last_number: dict[tuple[str, str], tuple[int, str]] = {}
        self._repeats: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def add(self, kind: str, segment: str, number: str, parent: Node | None, rank: int) -> Node:
        key = segment if parent is None else f"{parent.key}__{segment}"
        if key in self.keys:
            # Why: counting up from 2 on every repeat would be quadratic in the repeats.
            n = self._repeats.get(key, 1) + 1
            while f"{key}_{n}" in self.keys:
                n += 1
            self._repeats[key] = n
            key = f"{key}_{n}"
        self.keys.add(key)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if parent is None:
            self.counts[f"top:{kind}"] = self.counts.get(f"top:{kind}", 0) + 1
        node = Node(key=key, kind=kind, number=number, heading="", parent=parent, rank=rank)
        self.nodes.append(node)
        return node

    def target(self) -> Node | None:
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

    def open_heading(self, heading: Heading) -> Node:
        self.started = True
        self.signature = None
        while self.stack and self.stack[-1].rank >= heading.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        segment = heading.segment
        if segment == "annex":
            segment = f"annex_{1 + self.counts.get('annex', 0)}"
        self._check_sequence(heading, parent)
        node = self.add(heading.kind, segment, heading.number, parent, heading.rank)
        node.holds_signature = heading.kind == "annex"
        if heading.rest_is_heading:
            node.heading = heading.rest
        elif heading.rest:
            node.lines.append(heading.rest)
        if heading.text:
            node.lines.append(heading.text)
        self.stack.append(node)
        return node

    def _check_sequence(self, heading: Heading, parent: Node | None) -> None:
        """A warning where the numbers of articles or divisions skip (Article 3, then 5)."""
        if heading.kind == "annex" or "_" not in heading.segment:
            return
        prefix, _, raw = heading.segment.partition("_")
        try:
            value = number_value(raw)
        except ValueError:
            return
        annex = next((n.key for n in reversed(self.stack) if n.kind == "annex"), "")
        if parent is not None and prefix != "art":
            annex = parent.key
        scope = (prefix, annex)
        last = self._last_number.get(scope)
        if last is not None and value > last[0] + 1:
            self.warnings.append(
                f"{heading.number} follows {last[1]}: the numbers in between are not in the "
                "text. Check that nothing was left out."
            )
        self._last_number[scope] = (value, heading.number)

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
        rank = parent.rank + 1 if parent and parent.style else NUMBERED_RANK
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
            self.signature = self.add("signature", "signature", "", parent, SIGNATURE_RANK)
            self.signature.lines.extend(line for line in carried if line)
        self.signature.lines.append(line)

    def open_letter(self, date: str | None, salutation: str) -> None:
        """A letter of an exchange: its date, its salutation, then its body, as parts."""
        self.started = True
        self.signature = None
        self.stack.clear()
        number = self.counts.get("top:section", 0) + 1
        letter = self.add("section", f"sec_{number}", "", None, _LETTER_RANK)
        letter.holds_signature = True
        if date:
            self.add("paragraph", "date", "", letter, NUMBERED_RANK).lines.append(date)
        self.add("paragraph", "salutation", "", letter, NUMBERED_RANK).lines.append(salutation)
        body = self.add("paragraph", "body", "", letter, NUMBERED_RANK)
        self.stack.extend((letter, body))

    def in_article(self) -> bool:
        return any(node.kind == "article" for node in self.stack)

    def in_letter(self) -> bool:
        return any(node.key.endswith("__body") for node in self.stack)

    def last_token(self, style: str) -> str | None:
        return next((n.token for n in reversed(self.stack) if n.style == style), None)

    def in_roman_section(self) -> bool:
        return any(n.kind == "section" and "sec_" in n.key for n in self.stack)
