"""Joining the lines of a clause back into its paragraphs, and the title and head of a text."""

from __future__ import annotations

import re
import unicodedata

from .lines import (
    CJK,
    classify_heading,
    classify_numbered,
    classify_roman,
    ends_sentence,
    letter_date,
    title_case,
)

_METADATA = re.compile(r"^【[^】]*】")
_EDITORIAL = re.compile(
    r"签订日期|生效日期|发布日期|实施日期|施行日期|失效日期|签定\)|签订\)"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2}"
)


def glue(left: str, right: str) -> str:
    """Join a line broken inside a sentence: no space between Chinese characters."""
    if not left:
        return right
    if not right:
        return left
    if CJK.match(left[-1]) or CJK.match(right[0]) or (left.endswith("-") and left[-2:-1].isalpha()):
        return left + right
    return f"{left} {right}"


def _glue_parts(parts: list[str]) -> str:
    # Why: joining pairwise copies the paragraph once per line, quadratic on long paragraphs.
    out: list[str] = []
    previous = ""
    for part in parts:
        if previous and part:
            joined = glue(previous[-2:], part[:1])
            out.append(" " if joined == f"{previous[-2:]} {part[:1]}" else "")
        out.append(part)
        previous = part or previous
    return "".join(out)


def join_lines(lines: list[str]) -> str:
    """Reflow wrapped lines: a new line starts after a sentence end or a blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    length = 0
    for line in lines:
        if not line:
            if current:
                paragraphs.append(_glue_parts(current))
            current, length = [], 0
        elif current and (ends_sentence(current[-1]) or _recital_break(current[-1], length, line)):
            paragraphs.append(_glue_parts(current))
            current, length = [line], len(line)
        else:
            current.append(line)
            length += len(line)
    if current:
        paragraphs.append(_glue_parts(current))
    return "\n".join(paragraphs)


def join_signature(lines: list[str]) -> str:
    """Signature blocks keep their lines (titles, names); only wrapped prose is joined."""
    joined: list[list[str]] = []
    for line in lines:
        if not line:
            continue
        if joined and not ends_sentence(joined[-1][-1]) and line[:1].islower():
            joined[-1].append(line)
        else:
            joined.append([line])
    return "\n".join(_glue_parts(parts) for parts in joined)


def _recital_break(last: str, length: int, line: str) -> bool:
    # Why: English preambles end each recital with a comma and start the next in capitals.
    return last.endswith(",") and line[:1].isupper() and length > 60


def is_structural(line: str) -> bool:
    return bool(
        classify_heading(line) or classify_roman(line, None) or classify_numbered(line, None)
    )


def _title_candidate(line: str, markdown_heading: bool) -> bool:
    if ends_sentence(line) or letter_date(line) or line.endswith((",", "，", "；", "、")):
        return False
    if CJK.search(line):
        return len(line) <= 80 and not re.search(r"[,，;；]", line)
    if markdown_heading:
        return len(line.split()) <= 40
    return len(line.split()) <= 25 and (line.isupper() or title_case(line))


def split_head(
    lines: list[str], start: int = 0, headings: frozenset[int] = frozenset()
) -> tuple[list[str], list[str], int]:
    """Title lines, dropped editorial lines, and the index where the body starts.

    A site's metadata (``【发布部门】…``), a parenthesised header with dates (``(签订日期…`` /
    ``生效日期…)``) and repeated copies of the title are not treaty text. A Markdown heading
    before the first provision is a title whatever its case.
    """
    title: list[str] = []
    dropped: list[str] = []
    i = after_title = start
    first_title = start
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if is_structural(line):
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
        if not _title_candidate(line, i in headings):
            break
        if title and _same_text(line, "".join(title)):
            dropped.append(line)
        elif len(title) < (8 if line.isupper() else 3):
            if not title:
                first_title = i
            title.append(line)
            after_title = i + 1
        else:
            break
        i += 1
    if (
        title
        and not CJK.search(title[0])
        and first_title not in headings
        and not _latin_title_ends_block(lines, after_title, title)
    ):
        return [], dropped, first_title
    return title, dropped, i


def _latin_title_ends_block(lines: list[str], after: int, title: list[str]) -> bool:
    # Why: a mixed-case first line of a preamble ("The Government of … and") looks like a
    # title; a real one is in capitals or set off by a blank line or a heading.
    following = lines[after] if after < len(lines) else ""
    return all(t.isupper() for t in title) or not following or is_structural(following)


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
