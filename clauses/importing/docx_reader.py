"""The text of a Word (DOCX) document, in reading order, with its automatic numbering.

Word keeps list numbers (``1.``, ``(a)``, ``一、``) out of the paragraph text; they are rebuilt
here from the numbering definitions so that structure detection sees them as printed, the way
Word counts them: one counter per abstract numbering, which every ``w:num`` pointing at it shares
and continues; a ``w:startOverride`` sets a level's counter where its ``w:num`` is first used;
a level restarts when a higher level is used (``w:lvlRestart`` limits which, ``0`` never); the
label follows the level's ``w:lvlText`` (``%1.%2.``), each number in its own level's format
(``w:isLgl`` puts them all in decimal).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import TextImportError
from .limits import ImportLimits, check_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = "〇一二三四五六七八九"
_CHINESE_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN_STEPS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
_ROMAN_STEPS += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_LEVEL_TEXT = re.compile(r"%([1-9])")
_NO_NUMBER = {"bullet", "none"}


def docx_text(data: bytes, limits: ImportLimits | None = None) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    # Why first: python-docx holds every part inflated; a bomb must be stopped before it.
    check_archive(data, limits or ImportLimits())

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TextImportError(
            "The Word document could not be opened; it is damaged or not a DOCX file."
        ) from exc
    except Exception as exc:  # Why: python-docx surfaces XML errors of damaged parts as-is.
        raise TextImportError(
            f"The Word document could not be read ({exc.__class__.__name__})."
        ) from exc
    numbering = _Numbering(document)
    paragraphs = [
        numbering.label(p) + _paragraph_text(p) for p in _paragraphs(document.element.body)
    ]
    # Why: a Word paragraph is a paragraph, never a wrapped line; the blank line keeps it whole.
    return "\n\n".join(paragraphs)


def _paragraphs(body: Any) -> Iterator[Any]:
    """Body paragraphs in order, including those in table cells (signature blocks)."""
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            yield child
        elif child.tag == f"{W}tbl":
            for cell in child.iter(f"{W}tc"):
                yield from cell.iterchildren(f"{W}p")


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def number_text(value: int, fmt: str) -> str:
    """``value`` in Word's number format ``fmt`` (decimal where the format is not known)."""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (value - 1) % 26) * (1 + (value - 1) // 26)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in {"lowerRoman", "upperRoman"} and 0 < value < 4000:
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "ordinal":
        suffix = (
            "th"
            if value % 100 in {11, 12, 13}
            else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        )
        return f"{value}{suffix}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(value))
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if fmt.startswith(("chineseCounting", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return _chinese(value)
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in _ROMAN_STEPS:
        while value >= number:
            out += letters
            value -= number
    return out


def _chinese(value: int) -> str:
    """Chinese counting as Word prints it: 十, 十一, 二十, 一百零五, 一千二百."""
    if not 0 < value < 10000:
        return str(value)
    if value < 10:
        return _CHINESE[value]
    if 10 <= value < 20:
        return "十" + (_CHINESE[value - 10] if value > 10 else "")
    out, zero = "", False
    for unit, name in _CHINESE_UNITS:
        digit, value = divmod(value, unit)
        if digit:
            out += ("零" if zero else "") + _CHINESE[digit] + name
            zero = False
        elif out:
            zero = True
    if value:
        out += ("零" if zero else "") + _CHINESE[value]
    return out


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None
    legal: bool = False
    suffix: str = "tab"


def _level(lvl: Any) -> _Level:
    restart = lvl.find(f"{W}lvlRestart")
    return _Level(
        fmt=_val(lvl, "numFmt", "decimal"),
        text=_val(lvl, "lvlText", ""),
        start=_int(_val(lvl, "start", "1"), 1),
        restart=_int(restart.get(f"{W}val"), None) if restart is not None else None,
        legal=lvl.find(f"{W}isLgl") is not None and _val(lvl, "isLgl", "1") not in {"0", "false"},
        suffix=_val(lvl, "suff", "tab"),
    )


def _int(value: str | None, default: int | None) -> Any:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Numbering:
    """Counters for Word's automatic numbering, advanced paragraph by paragraph."""

    def __init__(self, document: Any) -> None:
        # Per w:num: its abstract numbering, its levels (overrides applied), its start overrides.
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, int]] = set()
        self.styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iterchildren(f"{W}abstractNum"):
            abstract[node.get(f"{W}abstractNumId")] = {
                _int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in node.iterchildren(f"{W}lvl")
            }
        for num in root.iterchildren(f"{W}num"):
            abstract_id = _val(num, "abstractNumId", "")
            levels = dict(abstract.get(abstract_id, {}))
            overrides: dict[int, int] = {}
            for override in num.iterchildren(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(f"{W}startOverride")
                if start is not None:
                    overrides[ilvl] = _int(start.get(f"{W}val"), 1)
            self.nums[num.get(f"{W}numId")] = (abstract_id, levels, overrides)
        for style in document.styles.element.iterchildren(f"{W}style"):
            ref = _num_pr(style)
            if ref is not None:
                self.styles[style.get(f"{W}styleId")] = ref

    def label(self, p: Any) -> str:
        ref = _num_pr(p)
        if ref is None:
            style = p.find(f"{W}pPr/{W}pStyle")
            ref = self.styles.get(style.get(f"{W}val")) if style is not None else None
        if ref is None or ref[0] not in self.nums:
            return ""
        num_id, level = ref
        abstract_id, levels, overrides = self.nums[num_id]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if level in overrides and (num_id, level) not in self.started:
            counters[level] = overrides[level]
        elif level in counters:
            counters[level] += 1
        else:
            counters[level] = levels[level].start
        self.started.add((num_id, level))
        for deeper in [d for d in counters if d > level]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and level < restart):
                del counters[deeper]
        this = levels[level]
        if this.fmt in _NO_NUMBER or not this.text:
            return ""

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            shown = levels.get(k, _Level())
            value = counters.get(k, shown.start)
            return number_text(value, "decimal" if this.legal else shown.fmt)

        text = _LEVEL_TEXT.sub(number, this.text)
        if this.suffix == "nothing" or text.endswith("、"):
            return text
        return text + " "


def _val(node: Any, tag: str, default: str) -> str:
    child = node.find(f"{W}{tag}")
    value = child.get(f"{W}val") if child is not None else None
    return value if value is not None else default


def _num_pr(node: Any) -> tuple[str, int] | None:
    num_pr = node.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId", "")
    return (num_id, _int(_val(num_pr, "ilvl", "0"), 0)) if num_id else None
