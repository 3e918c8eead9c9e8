"""Read an amending instrument's instructions ("Article 5 is replaced by…", 删去第十条) as effects.

Each provision of the instrument is read on its own; an instruction's new wording is what
follows its colon, on the same line or in the quoted lines after it. A line that looks like an
instruction (it speaks of replacing, inserting, deleting, renumbering or extending) but matches
no known form is returned as unparsed, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .numberpath import NumberPath, number_token_value
from .structure import ParsedClause

SUBSTITUTION = "substitution"
INSERTION = "insertion"
REPEAL = "repeal"
RENUMBERING = "renumbering"
EXTENSION = "extension"
# An instruction that was not understood: recorded, never applied unless a person applies it.
OTHER = "other"
EFFECT_KINDS = (SUBSTITUTION, INSERTION, REPEAL, RENUMBERING, EXTENSION, OTHER)


@dataclass(frozen=True)
class ParsedEffect:
    """One instruction of an amending instrument.

    ``affected`` is the number path of the provision it changes as numbered before the change
    (empty for an extension of term, which changes no provision); ``after`` the path of the
    provision an insertion follows (empty: at the start). ``term`` says how an extension runs
    ("for a period of five years", "until 27 August 2029", "五年").
    """

    kind: str
    affected: NumberPath
    affected_label: str
    affecting: str
    new_number: str = ""
    new_heading: str = ""
    new_text: str = ""
    after: NumberPath = ()
    after_label: str = ""
    term: str = ""


@dataclass(frozen=True)
class UnparsedInstruction:
    text: str
    where: str


@dataclass(frozen=True)
class ParsedInstructions:
    effects: tuple[ParsedEffect, ...]
    unparsed: tuple[UnparsedInstruction, ...]


_EN_NUM = r"[0-9]+[A-Za-z]?|[IVXLC]+"
_EN_TARGET = (
    rf"(?:(?P<{{p}}sub>sub)?paragraph\s+(?P<{{p}}para>\(?\w+\)?)\s+of\s+)?"
    rf"(?P<{{p}}kind>Article|Annex|Section)\s+(?P<{{p}}num>{_EN_NUM})"
    rf"(?:\s*\((?P<{{p}}para2>\w+)\))?"
    r"(?:\s+of\s+the\s+(?:Agreement|Protocol|Annex))?"
)


def _target(prefix: str) -> str:
    return _EN_TARGET.replace("{p}", prefix)


_SHALL = r"(?:is|are|shall\s+be|will\s+be)"
_COLON = r"\s*[:：]?\s*(?P<rest>.*)$"
EN_SUBSTITUTION = re.compile(
    rf"^{_target('t')}\s+{_SHALL}\s+(?:replaced\s+by\s+the\s+following|amended\s+to\s+read\s+as\s+"
    rf"follows|amended\s+to\s+read|replaced\s+with\s+the\s+following){_COLON}",
    re.IGNORECASE,
)
EN_INSERTION = re.compile(
    rf"^The\s+following\s+(?:new\s+)?(?P<what>Article|paragraph|Annex|Section)\s+{_SHALL}\s+"
    rf"(?:inserted|added)\s+after\s+{_target('a')}{_COLON}",
    re.IGNORECASE,
)
EN_REPEAL = re.compile(
    rf"^{_target('t')}\s+{_SHALL}\s+(?:deleted|repealed|omitted)\s*[.;]?$", re.IGNORECASE
)
EN_RENUMBER_RANGE = re.compile(
    rf"^Articles\s+(?P<a>\d+)\s+to\s+(?P<b>\d+)\s+{_SHALL}\s+renumbered\s+(?:as\s+)?"
    r"Articles\s+(?P<c>\d+)\s+to\s+(?P<d>\d+)\s*[.;]?$",
    re.IGNORECASE,
)
EN_RENUMBER = re.compile(
    rf"^{_target('t')}\s+{_SHALL}\s+renumbered\s+(?:as\s+)?(?P<new>(?:Article|Annex|Section)\s+"
    rf"(?:{_EN_NUM}))\s*[.;]?$",
    re.IGNORECASE,
)
EN_EXTENSION = re.compile(
    rf"^(?:The|This)\s+Agreement\s+{_SHALL}\s+extended\s+(?P<term>(?:for|until)\s.*\S)\s*$",
    re.IGNORECASE,
)

_ZH_NUM = r"[〇零○一二三四五六七八九两十百千\d]+"
_ZH_TARGET = rf"第(?P<num>{_ZH_NUM})条(?:第(?P<para>{_ZH_NUM})款)?(?:第(?P<item>{_ZH_NUM})项)?"
ZH_SUBSTITUTION = re.compile(rf"^{_ZH_TARGET}修改为{_COLON}")
ZH_INSERTION_AS = re.compile(rf"^增加一条[，,]\s*作为第(?P<new>{_ZH_NUM})条{_COLON}")
ZH_INSERTION_AFTER = re.compile(rf"^在{_ZH_TARGET}后增加一条{_COLON}")
ZH_REPEAL = re.compile(rf"^(?:删去|删除){_ZH_TARGET}\s*[。；;]?$")
ZH_REPEAL_AFTER = re.compile(rf"^{_ZH_TARGET}(?:删去|删除)\s*[。；;]?$")
ZH_RENUMBER = re.compile(rf"^{_ZH_TARGET}改为第(?P<new>{_ZH_NUM})条\s*[。；;]?$")
# Why greedy, the closing stop taken off by _term: a lazy term before \s* took minutes on a
# line of spaces.
ZH_EXTENSION = re.compile(r"^本协定(?:的)?有效期延长(?P<term>.*\S)\s*$")

# Words that make a line an instruction even when its form is not one of the above.
_INSTRUCTION_WORDS = re.compile(
    r"\b(?:replaced|amended|inserted|deleted|repealed|renumbered|extended|substituted|omitted)\b"
    r"|修改|增加|删去|删除|改为|延长|替换|修订",
    re.IGNORECASE,
)
_OPEN_QUOTES = '“"「『‘'
_CLOSE_QUOTES = '”"」』’'
_EN_NUMBER_LINE = re.compile(
    rf"^(?P<number>(?:Article|Annex|Section)\s+(?:{_EN_NUM}))\s*(?P<rest>.*)$"
)
_ZH_NUMBER_LINE = re.compile(rf"^(?P<number>第{_ZH_NUM}条(?:之{_ZH_NUM})?)\s*(?P<rest>.*)$")


def _term(match: re.Match[str]) -> str:
    """An extension's term without the full stop (or semicolon) that closes its line."""
    term: str = match.group("term")
    return term[:-1].rstrip() if term[-1] in ".;。；" else term


def chinese_numeral(n: int) -> str:
    """``6`` → ``六``, ``11`` → ``十一``, ``25`` → ``二十五`` (for numbers below a hundred)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def _en_path(match: re.Match[str], prefix: str) -> tuple[NumberPath, str]:
    kind = match.group(f"{prefix}kind").lower()
    number = match.group(f"{prefix}num")
    label = f"{kind.capitalize()} {number}"
    path: NumberPath = ((kind, number_token_value(number)),)
    para = match.group(f"{prefix}para") or match.group(f"{prefix}para2")
    if para:
        sub = "item" if match.group(f"{prefix}sub") else "paragraph"
        path = (*path, (sub, number_token_value(para)))
        label = f"{label}({para.strip('()')})"
    return path, label


def _zh_path(match: re.Match[str]) -> tuple[NumberPath, str]:
    number = match.group("num")
    path: NumberPath = (("article", number_token_value(number)),)
    label = f"第{number}条"
    if match.group("para"):
        path = (*path, ("paragraph", number_token_value(match.group("para"))))
        label += f"第{match.group('para')}款"
    if match.group("item"):
        path = (*path, ("item", number_token_value(match.group("item"))))
        label += f"第{match.group('item')}项"
    return path, label


def _unquote(lines: list[str]) -> str:
    text = "\n".join(line.strip() for line in lines).strip()
    if text and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        text = text[1:-1].strip()
    return text


def _new_wording(text: str) -> tuple[str, str, str]:
    """(number, heading, text) of quoted new wording that opens with its own number."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", "", ""
    found = _EN_NUMBER_LINE.match(lines[0]) or _ZH_NUMBER_LINE.match(lines[0])
    if not found:
        return "", "", text
    number, rest = found.group("number"), found.group("rest").strip(" —–-:：")
    body = ([rest] if rest else []) + lines[1:]
    heading = ""
    if not rest and len(body) > 1 and len(body[0]) <= 80 and body[0][-1] not in ".。;；:：":
        heading, body = body[0], body[1:]
    return number, heading, "\n".join(body)


def _content(first: str, lines: list[str], start: int) -> tuple[str, int]:
    """The new wording after an instruction, and the index of the line after it."""
    if first.strip():
        collected, i = [first], start
        if first.strip()[0] in _OPEN_QUOTES and first.strip()[-1] not in _CLOSE_QUOTES:
            while i < len(lines):
                collected.append(lines[i])
                i += 1
                if lines[i - 1].strip()[-1:] in _CLOSE_QUOTES:
                    break
        return _unquote(collected), i
    collected, i = [], start
    if i < len(lines) and lines[i].strip()[:1] in _OPEN_QUOTES:
        while i < len(lines):
            collected.append(lines[i])
            i += 1
            if lines[i - 1].strip()[-1:] in _CLOSE_QUOTES:
                break
        return _unquote(collected), i
    while i < len(lines) and not _is_instruction(lines[i]):
        collected.append(lines[i])
        i += 1
    return _unquote(collected), i


def _is_instruction(line: str) -> bool:
    return any(
        pattern.match(line.strip())
        for pattern in (
            EN_SUBSTITUTION, EN_INSERTION, EN_REPEAL, EN_RENUMBER_RANGE, EN_RENUMBER,
            EN_EXTENSION, ZH_SUBSTITUTION, ZH_INSERTION_AS, ZH_INSERTION_AFTER, ZH_REPEAL,
            ZH_REPEAL_AFTER, ZH_RENUMBER, ZH_EXTENSION,
        )
    )  # fmt: skip


def parse_instruction_text(text: str, where: str) -> ParsedInstructions:
    """The effects of one provision's text; ``where`` names the provision ("Article 2")."""
    lines = [line for line in text.splitlines() if line.strip()]
    effects: list[ParsedEffect] = []
    unparsed: list[UnparsedInstruction] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if m := EN_SUBSTITUTION.match(line):
            path, label = _en_path(m, "t")
            content, i = _content(m.group("rest"), lines, i)
            number, heading, body = _new_wording(content)
            effects.append(ParsedEffect(SUBSTITUTION, path, label, where, number, heading, body))
        elif m := EN_INSERTION.match(line):
            after, after_label = _en_path(m, "a")
            content, i = _content(m.group("rest"), lines, i)
            number, heading, body = _new_wording(content)
            effects.append(
                ParsedEffect(
                    INSERTION, (), number, where, number, heading, body, after, after_label
                )
            )
        elif m := EN_REPEAL.match(line):
            path, label = _en_path(m, "t")
            effects.append(ParsedEffect(REPEAL, path, label, where))
        elif m := EN_RENUMBER_RANGE.match(line):
            a, b, c, d = (int(m.group(g)) for g in "abcd")
            if b - a != d - c or b < a:
                unparsed.append(UnparsedInstruction(line, where))
                continue
            for old, renumbered in zip(range(a, b + 1), range(c, d + 1), strict=True):
                effects.append(
                    ParsedEffect(
                        RENUMBERING,
                        (("article", old),),
                        f"Article {old}",
                        where,
                        f"Article {renumbered}",
                    )
                )
        elif m := EN_RENUMBER.match(line):
            path, label = _en_path(m, "t")
            effects.append(ParsedEffect(RENUMBERING, path, label, where, m.group("new")))
        elif m := EN_EXTENSION.match(line):
            effects.append(ParsedEffect(EXTENSION, (), "", where, term=_term(m)))
        elif m := ZH_SUBSTITUTION.match(line):
            path, label = _zh_path(m)
            content, i = _content(m.group("rest"), lines, i)
            number, heading, body = _new_wording(content)
            effects.append(ParsedEffect(SUBSTITUTION, path, label, where, number, heading, body))
        elif m := ZH_INSERTION_AFTER.match(line):
            after, after_label = _zh_path(m)
            content, i = _content(m.group("rest"), lines, i)
            number, heading, body = _new_wording(content)
            effects.append(
                ParsedEffect(
                    INSERTION, (), number, where, number, heading, body, after, after_label
                )
            )
        elif m := ZH_INSERTION_AS.match(line):
            as_number = f"第{m.group('new')}条"
            content, i = _content(m.group("rest"), lines, i)
            number, heading, body = _new_wording(content)
            value = number_token_value(m.group("new"))
            before: NumberPath = ()
            before_label = ""
            if isinstance(value, int) and value > 1:
                before, before_label = (
                    (("article", value - 1),),
                    f"第{chinese_numeral(value - 1)}条",
                )
            effects.append(
                ParsedEffect(
                    INSERTION, (), as_number, where, number or as_number, heading, body,
                    before, before_label,
                )
            )  # fmt: skip
        elif m := ZH_REPEAL.match(line) or ZH_REPEAL_AFTER.match(line):
            path, label = _zh_path(m)
            effects.append(ParsedEffect(REPEAL, path, label, where))
        elif m := ZH_RENUMBER.match(line):
            path, label = _zh_path(m)
            effects.append(ParsedEffect(RENUMBERING, path, label, where, f"第{m.group('new')}条"))
        elif m := ZH_EXTENSION.match(line):
            effects.append(ParsedEffect(EXTENSION, (), "", where, term=_term(m)))
        elif _INSTRUCTION_WORDS.search(line):
            unparsed.append(UnparsedInstruction(line, where))
    return ParsedInstructions(tuple(effects), tuple(unparsed))


def parse_instructions(clauses: Sequence[ParsedClause]) -> ParsedInstructions:
    """Every instruction of an amending instrument, provision by provision, in reading order.

    A reader may take the number that opens a Chinese instruction (第五条修改为：…) for the
    heading of a provision of its own; such a "provision", whose number and text together make
    an instruction, is read as an instruction of the provision before it.
    """
    by_key = {c.key: c for c in clauses}
    effects: list[ParsedEffect] = []
    unparsed: list[UnparsedInstruction] = []
    current = ""
    for clause in clauses:
        parent = by_key.get(clause.parent) if clause.parent else None
        label = " ".join(
            part for part in (parent.number if parent else "", clause.number) if part
        ) or ("the preamble" if clause.kind == "preamble" else clause.key)
        text, where = clause.text, label
        first = text.strip().split("\n", 1)[0]
        joined = f"{clause.number}{first}"
        if current and clause.number and _is_instruction(joined) and not _is_instruction(first):
            text, where = f"{clause.number}{text.strip()}", current
        else:
            current = label
        if not text.strip():
            continue
        found = parse_instruction_text(text, where)
        effects.extend(found.effects)
        unparsed.extend(found.unparsed)
    return ParsedInstructions(tuple(effects), tuple(unparsed))
