"""Structure detection: the lines of a treaty text into a tree of provisional clauses.

Keys follow the spirit of Akoma Ntoso eIds: ``art_1``, ``art_1__para_2``, ``art_3__item_4``,
``annex_1__sec_II__para_C``, ``preamble``, ``sec_1__signature``. Articles contain numbered
paragraphs; a numbered list that follows text ending in a colon is a list of items. Text before
the first heading is the preamble; signature blocks (``(签字)``, ``Done at``, ``For the
Government of``, a date alone on its line) are kept apart as clauses of their own, and end where
agreed minutes, an understanding, an annex or a letter begins.

A heading needs a heading's layout: its own line after a blank line, a sentence end or another
heading. ``… as set out in`` / ``Annex I. The Parties …`` is one wrapped sentence, not Annex I.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from .builder import Builder, Node
from .errors import TextImportError
from .language import detect_language, language_scores, line_languages, split_point
from .lines import (
    CJK,
    Heading,
    classify_heading,
    classify_numbered,
    classify_roman,
    ends_sentence,
    heading_like,
    letter_date,
    part_title,
    salutation,
    signature_opening,
    title_case,
)
from .markdown import PreparedText, prepare
from .reflow import glue, is_structural, join_lines, join_signature, split_head
from .structure import METADATA, TITLE, ParsedClause, ParsedDocument, SetAside
from .vocabulary import (
    COLLECTION_NOTES,
    CONTINUATION_WORDS,
    METADATA_HEADER_END,
    METADATA_PREFIXES,
)

STRUCTURAL_KINDS = {"article", "annex", "section", "paragraph", "item"}
_NO_STRUCTURE = (
    "No structure was found in the text: no articles (Article 1, 第一条), annexes, "
    "sections or numbered paragraphs. Check that this is the treaty text, or supply "
    "it in another format."
)


class _Reader:
    """One language text's lines, read into a Builder with the layout of each line known."""

    def __init__(self, lines: list[str], headings: frozenset[int], start: int) -> None:
        self.lines = lines
        self.headings = headings
        self.start = start
        self.builder = Builder()
        # Why: "is there text after this line" asked per heading would be quadratic.
        self.last_text = max((i for i, line in enumerate(lines) if line), default=-1)
        self._heading_cache: dict[int, Heading | None] = {}

    def heading_at(self, i: int) -> Heading | None:
        # Why: each line is asked about as itself and as the line above the next one.
        if i not in self._heading_cache:
            self._heading_cache[i] = classify_heading(self.lines[i])
        return self._heading_cache[i]

    def after_break(self, i: int) -> bool:
        """The line at ``i`` stands where a heading can: after a break, not mid-sentence."""
        if i <= self.start or i in self.headings:
            return True
        prev = self.lines[i - 1]
        if not prev or i - 1 in self.headings or ends_sentence(prev):
            return True
        if self.heading_at(i - 1) or signature_opening(prev, True):
            return True
        if CJK.search(prev):
            return False
        return heading_like(prev) and (prev.isupper() or title_case(prev))

    def continues(self, i: int) -> bool:
        """The line above ends mid-phrase (``… referred to in paragraph``)."""
        prev = self.lines[i - 1] if i > self.start else ""
        if not prev or i in self.headings:
            return False
        last = prev.rsplit(" ", 1)[-1].lower()
        return last in CONTINUATION_WORDS

    def next_text(self, i: int) -> int | None:
        j = i
        while j <= self.last_text and not self.lines[j]:
            j += 1
        return j if j <= self.last_text else None

    def lookahead_heading(self, i: int) -> int | None:
        """Index of a heading written on the line after ``Article 1`` (``Scope``), if any."""
        j = self.next_text(i)
        if j is None or j >= self.last_text:
            return None
        candidate = self.lines[j]
        if is_structural(candidate) or signature_opening(candidate, True):
            return None
        if j in self.headings:
            return j
        if not heading_like(candidate):
            return None
        if self.lines[j + 1][:1].islower():
            return None  # Why: "The Parties" / "shall cooperate …" is a sentence wrapped early.
        if CJK.search(candidate):
            return j
        if len(candidate.split()) <= 8 and title_case(candidate):
            return j
        return j if self._sentence_case_heading(j) else None

    def _sentence_case_heading(self, j: int) -> bool:
        # Why: "Use of terms" is a heading when it stands alone: a blank line or a numbered
        # paragraph follows, and it does not end on a word that carries the sentence on.
        candidate = self.lines[j]
        if (
            len(candidate.split()) > 10
            or candidate.rsplit(" ", 1)[-1].lower() in CONTINUATION_WORDS
        ):
            return False
        after = self.lines[j + 1]
        return not after or bool(classify_numbered(after, None))

    def feed(self, i: int) -> int:
        """Read the line at ``i``; returns the index of the next line to read."""
        builder, line = self.builder, self.lines[i]
        at_break = self.after_break(i)
        heading = self.heading_at(i) if at_break else None
        if heading is not None:
            node = builder.open_heading(heading)
            chinese_article = heading.kind == "article" and node.number.startswith("第")
            if not heading.rest and not chinese_article:
                j = self.lookahead_heading(i + 1)
                if j is not None:
                    node.heading = self.lines[j]
                    return j + 1
            return i + 1
        if at_break and self._part_or_letter(i):
            return self._open_part_or_letter(i)
        upper = builder.last_token("upper_letter")
        roman = classify_roman(line, chr(ord(upper) + 1) if upper else None) if at_break else None
        if roman is not None:
            section, lettered = roman
            if lettered is not None:
                builder.open_section_once(section)
                builder.open_numbered(lettered)
                return i + 1
            if section.rest_is_heading or not builder.in_article():
                builder.open_heading(section)
                return i + 1
        numbered = (
            None if self.continues(i) else classify_numbered(line, builder.last_token("letter"))
        )
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
            return i + 1
        if builder.signature is not None:
            builder.signature.lines.append(line)
            return i + 1
        target = builder.target()
        mode = signature_opening(line, bool(target and target.last_line()))
        if mode is not None and builder.started:
            builder.open_signature(line, mode)
            return i + 1
        if numbered is not None and (
            numbered.style != "upper_letter" or builder.in_roman_section()
        ):
            builder.open_numbered(numbered)
            return i + 1
        builder.text(line)
        return i + 1

    def _part_or_letter(self, i: int) -> bool:
        line, builder = self.lines[i], self.builder
        if salutation(line):
            # Why: a salutation alone opens a letter only after another letter's signature;
            # the first letter of an exchange is known by its date line above the salutation.
            return builder.signature is not None
        if letter_date(line):
            j = self.next_text(i + 1)
            return j is not None and salutation(self.lines[j])
        if not part_title(line):
            return False
        top = builder.stack[0] if builder.stack else None
        return (
            builder.signature is not None
            or i in self.headings
            or not builder.in_article()
            or (top is not None and top.kind == "annex")
        )

    def _open_part_or_letter(self, i: int) -> int:
        line, builder = self.lines[i], self.builder
        if letter_date(line):
            j = self.next_text(i + 1) or i
            builder.open_letter(line, self.lines[j])
            return j + 1
        if salutation(line):
            builder.open_letter(None, line)
            return i + 1
        builder.open_heading(Heading("annex", "annex", "", 0, line, True))
        return i + 1


def _clauses(nodes: list[Node]) -> tuple[ParsedClause, ...]:
    return tuple(
        ParsedClause(
            key=node.key,
            kind=node.kind,
            number=node.number,
            heading=node.heading,
            text=join_signature(node.lines) if node.kind == "signature" else join_lines(node.lines),
            parent=node.parent.key if node.parent else None,
        )
        for node in nodes
    )


def _set_aside_metadata(lines: list[str]) -> tuple[list[str], list[tuple[int, SetAside]]]:
    """Blank out a publisher's metadata lines, returning them (with their line) as set aside."""
    lines = list(lines)
    aside: list[tuple[int, SetAside]] = []
    header_end = next((i for i, ln in enumerate(lines) if ln == METADATA_HEADER_END), None)
    if header_end is not None:
        header = [ln for ln in lines[: header_end + 1] if ln]
        aside.append((0, SetAside("\n".join(header), METADATA)))
        lines[: header_end + 1] = [""] * (header_end + 1)
    for i, line in enumerate(lines):
        if line.startswith(METADATA_PREFIXES) or line.startswith(COLLECTION_NOTES):
            aside.append((i, SetAside(line, METADATA)))
            lines[i] = ""
    return lines, aside


def _parse_part(
    prepared: PreparedText, lines: list[str], start: int, source_format: str, language: str
) -> ParsedDocument:
    title, dropped, i = split_head(lines, start, prepared.headings)
    reader = _Reader(lines, prepared.headings, i)
    while i < len(lines):
        if not lines[i]:
            reader.builder.blank()
            i += 1
        else:
            i = reader.feed(i)
    if not any(node.kind in STRUCTURAL_KINDS for node in reader.builder.nodes):
        raise TextImportError(_NO_STRUCTURE)
    set_aside = [SetAside(line, TITLE) for line in title]
    set_aside.extend(SetAside(line, METADATA) for line in dropped)
    return ParsedDocument(
        title=functools.reduce(glue, title, ""),
        clauses=_clauses(reader.builder.nodes),
        dropped=tuple(dropped),
        source_format=source_format,
        source_text="\n".join(lines[start:]),
        set_aside=tuple(set_aside),
        warnings=tuple(reader.builder.warnings),
        language=language or detect_language(" ".join(lines[start : start + 100])),
    )


def _bilingual_split(lines: list[str]) -> tuple[int, str, str] | None:
    """Where the second language text of a bilingual print begins, if it is one."""
    found = split_point(lines, line_languages(lines))
    if found is None:
        return None
    at = found[0]
    before = any(classify_heading(line) for line in lines[:at] if line)
    again = any(classify_heading(line) for line in lines[at:] if line)
    return found if before and again else None


def parse_text(text: str, *, markdown: bool = False, source_format: str = "text") -> ParsedDocument:
    """Detect the structure of a treaty text. Raises TextImportError when there is none.

    ``source_text`` of the result is the text as the parser sees it (for Markdown, with the
    markup removed as ``markdown.prepare`` says); a publisher's metadata in it is set aside.
    A bilingual print gives its first language text here and the second in ``other_texts``,
    each with its own ``source_text`` (its part of the print) and ``language``.
    """
    prepared = prepare(text, markdown=markdown)
    if not any(prepared.lines):
        raise TextImportError("The file contains no text.")
    lines, metadata = _set_aside_metadata(prepared.lines)
    if not any(lines):
        raise TextImportError(_NO_STRUCTURE)
    split = _bilingual_split(lines)
    if split is None:
        document = _parse_part(prepared, lines, 0, source_format, "")
        document = _with_metadata(document, metadata, "\n".join(prepared.lines))
        return document if document.title else replace(document, title=_header_title(prepared))
    at, first, second = split
    head_end = next((i for i, line in enumerate(lines[:at]) if line and is_structural(line)), at)
    for i in range(head_end):
        # Why: a collection may head the record with its title in the other language.
        scores = language_scores(lines[i])
        if i in prepared.headings and scores[second] > scores[first]:
            metadata.append((i, SetAside(lines[i], METADATA)))
            lines[i] = ""
    metadata.sort(key=lambda pair: pair[0])
    try:
        other = _parse_part(prepared, lines, at, source_format, second)
    except TextImportError:
        document = _parse_part(prepared, lines, 0, source_format, "")
        return _with_metadata(document, metadata, "\n".join(prepared.lines))
    document = _parse_part(prepared, lines[:at], 0, source_format, first)
    first_source = "\n".join(prepared.lines[:at])
    other = _with_metadata(
        other, [m for m in metadata if m[0] >= at], "\n".join(prepared.lines[at:])
    )
    mine = [m for m in metadata if m[0] < at]
    return _with_metadata(document, mine, first_source, (other,))


def _header_title(prepared: PreparedText) -> str:
    """The first heading of a publisher's header (``# 上海市科学技术进步条例``), if any."""
    if METADATA_HEADER_END not in prepared.lines:
        return ""
    end = prepared.lines.index(METADATA_HEADER_END)
    return next((prepared.lines[i] for i in sorted(prepared.headings) if i < end), "")


def _with_metadata(
    document: ParsedDocument,
    metadata: list[tuple[int, SetAside]],
    source_text: str,
    other_texts: tuple[ParsedDocument, ...] = (),
) -> ParsedDocument:
    return replace(
        document,
        source_text=source_text,
        set_aside=(*(aside for _, aside in metadata), *document.set_aside),
        other_texts=other_texts,
    )
