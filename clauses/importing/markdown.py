"""The lines of a text as the parser sees them, Markdown markup taken off.

Every step here is a plain scan of the line (no backtracking pattern), so the time taken is
linear in the size of the text whatever it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# Why: some copies (Wikisource) run paragraphs together separated by runs of spaces.
_GAP = re.compile(r"[ \t]{3,}|\t")
_ESCAPABLE = set("\\`*_{}[]()#+-.!")


@dataclass(frozen=True)
class PreparedText:
    """``lines`` with whitespace collapsed (``""`` marks a blank line); ``headings`` holds the
    indices of lines that were Markdown headings (a heading's layout, whatever their words)."""

    lines: list[str]
    headings: frozenset[int]


def prepare(text: str, *, markdown: bool = False) -> PreparedText:
    """The parser's view of ``text``.

    For Markdown: heading marks (``#``), emphasis (``**``, ``__``, paired ``*``), bullets,
    block quotes, rules, table separator rows, code fences and code blocks, backslash escapes
    and link targets (``[text](target)`` keeps ``text``) are removed; table cells are kept on
    their row's line separated by `` | ``. The joined lines are the document's ``source_text``.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    lines: list[str] = []
    headings: set[int] = set()
    in_code = False
    for raw in text.split("\n"):
        is_heading = False
        if markdown:
            stripped = raw.strip()
            if stripped.startswith("```"):
                in_code = not in_code
                continue
            if in_code:
                continue
            raw, is_heading = markdown_line(stripped)
        for part in _GAP.split(raw.strip()):
            if is_heading and part:
                headings.add(len(lines))
            lines.append(" ".join(part.split()))
    return PreparedText(lines, frozenset(headings))


def markdown_line(line: str) -> tuple[str, bool]:
    """One Markdown line as plain text, and whether it was a heading."""
    if _is_rule(line):
        return "", False
    is_heading = False
    if line.startswith("#"):
        marks = len(line) - len(line.lstrip("#"))
        if marks <= 6:
            line = line[marks:].strip().rstrip("#").rstrip()
            is_heading = True
    if line.startswith("|"):
        return _table_row(line), False
    if line.startswith(">"):
        line = line.lstrip("> ")
    if line[:2] in {"- ", "* ", "+ "} and line[2:3].strip():
        line = line[2:]
    line = strip_links(line).replace("**", "").replace("__", "")
    if line.count("*") >= 2 and line.count("*") % 2 == 0:
        line = line.replace("*", "")
    return _unescape(line), is_heading


def _is_rule(line: str) -> bool:
    squashed = line.replace(" ", "")
    return len(squashed) >= 3 and len(set(squashed)) == 1 and squashed[0] in "-*_"


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if all(set(cell) <= set(":-") for cell in cells):
        return ""
    return " | ".join(strip_links(cell).replace("*", "") for cell in cells if cell)


def strip_links(line: str) -> str:
    """``[text](target)`` and ``![text](target)`` become ``text``, in one pass."""
    if "](" not in line:
        return line
    out: list[str] = []
    opened: int | None = None
    no_more_closing = False
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == "[":
            opened = len(out)
            out.append(c)
        elif c == "]" and opened is not None and line[i + 1 : i + 2] == "(" and not no_more_closing:
            end = line.find(")", i + 2)
            if end < 0:
                no_more_closing = True
                out.append(c)
            else:
                del out[opened]
                if opened and out[opened - 1] == "!":
                    del out[opened - 1]
                opened = None
                i = end
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _unescape(line: str) -> str:
    if "\\" not in line:
        return line
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        if line[i] == "\\" and i + 1 < n and line[i + 1] in _ESCAPABLE:
            out.append(line[i + 1])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)
