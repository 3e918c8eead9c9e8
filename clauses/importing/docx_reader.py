"""The text of a Word (DOCX) document, in reading order, with its automatic numbering.

Word keeps list numbers (``1.``, ``(a)``, ``一、``) out of the paragraph text; they are rebuilt
here from the numbering definitions so that structure detection sees them as printed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from .errors import TextImportError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = "〇一二三四五六七八九"
_ROMAN_STEPS = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V")]
_ROMAN_STEPS += [(4, "IV"), (1, "I")]


def docx_text(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

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


def _format(value: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(value)
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (value - 1) % 26) * (1 + (value - 1) // 26)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in {"lowerRoman", "upperRoman"}:
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt.startswith(("chineseCounting", "ideograph", "japaneseCounting")):
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
    if value < 10:
        return _CHINESE[value]
    tens, units = divmod(value, 10)
    if tens >= 10:
        return str(value)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[units] if units else "")


class _Numbering:
    """Counters for Word's automatic numbering, advanced paragraph by paragraph."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl"))] = (
                    _val(lvl, "numFmt", "decimal"),
                    _val(lvl, "lvlText", ""),
                    int(_val(lvl, "start", "1")),
                )
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iterchildren(f"{W}num"):
            self.levels[num.get(f"{W}numId")] = abstract.get(_val(num, "abstractNumId", ""), {})
        for style in document.styles.element.iterchildren(f"{W}style"):
            ref = _num_pr(style)
            if ref is not None:
                self.styles[style.get(f"{W}styleId")] = ref

    def label(self, p: Any) -> str:
        ref = _num_pr(p)
        if ref is None:
            style = p.find(f"{W}pPr/{W}pStyle")
            ref = self.styles.get(style.get(f"{W}val")) if style is not None else None
        if ref is None or ref[0] not in self.levels or ref[0] == "0":
            return ""
        num_id, level = ref
        levels = self.levels[num_id]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = 0
        fmt, text, _start = levels[level]
        if fmt in {"bullet", "none"} or not text:
            return ""
        for i in range(level + 1):
            start = levels.get(i, ("decimal", "", 1))[2]
            value = max(counters[i], 1) + start - 1
            text = text.replace(f"%{i + 1}", _format(value, levels.get(i, ("decimal",))[0]))
        return text + ("" if text.endswith("、") else " ")


def _val(node: Any, tag: str, default: str) -> str:
    child = node.find(f"{W}{tag}")
    value = child.get(f"{W}val") if child is not None else None
    return value if value is not None else default


def _num_pr(node: Any) -> tuple[str, int] | None:
    num_pr = node.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId", "")
    return (num_id, int(_val(num_pr, "ilvl", "0"))) if num_id else None
