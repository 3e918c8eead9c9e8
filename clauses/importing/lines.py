"""What one line of a treaty text is: a heading, a numbered paragraph, a signature, or text.

The patterns accept both full-width and ASCII punctuation, because copies of Chinese texts come
with either, and spaces inside Chinese headings (``第 一 条``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import CHINESE_NUMERAL, ROMAN, number_value

CN = f"[{CHINESE_NUMERAL}]"
_SEP = r"[.:：—–-]"
_SUFFIXES = "bis|ter|quater|quinquies|sexies|septies|octies|novies|decies"

ARTICLE = re.compile(
    rf"^(?P<word>Article|ARTICLE|Art\.)\s+(?P<num>\d+|[IVXLC]+)"
    rf"(?:\s*(?P<suffix>{_SUFFIXES}|{_SUFFIXES.upper()}|[A-Z]\b))?"
    rf"(?:\s*(?P<sep>{_SEP})\s*|\s+|$)(?P<rest>.*)$"
)
ARTICLE_ZH = re.compile(rf"^第\s*(?P<num>{CN}(?:\s*{CN})*|\d+)\s*条(?:\s+(?P<rest>.*)|$)")
ANNEX = re.compile(
    r"^(?P<word>ANNEX|Annex|APPENDIX|Appendix)(?:\s+(?P<num>\d+|[IVXLC]+|[A-Z])\b)?"
    rf"(?:\s*(?P<sep>{_SEP})\s*|\s+|$)(?P<rest>.*)$"
)
ANNEX_ZH = re.compile(rf"^附\s*件\s*(?P<num>{CN}*|\d*)(?:[\s:：]+(?P<rest>.*)|$)")
ENCLOSURE_ZH = re.compile(r"^附\s*[:：]\s*(?P<rest>.*)$")
DIVISION = re.compile(
    r"^(?P<word>PART|Part|CHAPTER|Chapter|SECTION|Section)\s+(?P<num>\d+|[IVXLC]+)"
    rf"(?:\s*(?P<sep>{_SEP})\s*|\s+|$)(?P<rest>.*)$"
)
DIVISION_ZH = re.compile(rf"^第\s*(?P<num>{CN}+|\d+)\s*(?P<word>[编章节])(?:\s+(?P<rest>.*)|$)")
ROMAN_SUBSECTION = re.compile(r"^(?P<sec>[IVX]+)\.\s*(?P<letter>[A-Z])\.?\s+(?P<rest>\S.*)$")
ROMAN_SECTION = re.compile(r"^(?P<sec>[IVX]+)\.\s+(?P<rest>\S.*)$")

NUMBERED = [
    ("arabic", re.compile(r"^(?P<num>\d{1,3})[.)](?:\s+(?P<rest>.*)|$)")),
    ("paren_arabic", re.compile(r"^[(（](?P<num>\d{1,3})[)）]\s*(?P<rest>.*)$")),
    ("roman", re.compile(r"^[(（](?P<num>[ivxl]+)[)）]\s*(?P<rest>.*)$")),
    ("letter", re.compile(r"^(?:[(（](?P<num>[a-z]{1,2})[)）]|(?P<num2>[a-z])\))\s*(?P<rest>.*)$")),
    ("cjk", re.compile(rf"^(?P<num>{CN}+)\s*[、．]\s*(?P<rest>.*)$")),
    ("cjk_paren", re.compile(rf"^[(（](?P<num>{CN}+)[)）]\s*(?P<rest>.*)$")),
    ("upper_letter", re.compile(r"^(?P<num>[A-Z])\.\s+(?P<rest>\S.*)$")),
]

_SIGNED = re.compile(r"^[(（\[]?\s*(?:签\s*字|签\s*署|Signed|SIGNED|signed)\s*[)）\]]?$")
_DATE_ZH = re.compile(rf"^{CN}{{4}}\s*年\s*{CN}{{1,2}}\s*月\s*{CN}{{1,3}}\s*日$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_EN = re.compile(
    rf"^(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})$"
)
_SIGNATURE_OPENING = re.compile(
    r"^(?:DONE|Done)\s+(?:at|in)\b|^IN WITNESS WHEREOF|^In witness whereof"
    r"|^(?:FOR|For) THE GOVERNMENT OF\b|^For the Government of\b"
    r"|^本(?:协定|议定书|换文|协议)于.*签[订署定]"
    r"|^.{0,30}代\s*表\s*[:：]?$"
)

TERMINAL = tuple(".;:。；：!！?？")
_CLOSERS = "”’\"')）]」』"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCTUATION = re.compile(r"[,，、;；:：。.!！?？]")
_MINOR_WORDS = {"and", "or", "of", "the", "on", "in", "for", "to", "a", "an", "between", "with"}


@dataclass(frozen=True)
class Heading:
    """A structural heading: ``kind`` is article, annex or section; ``segment`` its key part."""

    kind: str
    segment: str
    number: str
    rank: int
    rest: str = ""
    rest_is_heading: bool = False


@dataclass(frozen=True)
class Numbered:
    style: str
    token: str
    number: str
    rest: str


def ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(TERMINAL)


def ends_with_colon(text: str) -> bool:
    return text.rstrip().endswith((":", "："))


def is_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def heading_like(text: str) -> bool:
    """Short, without sentence punctuation at the end, and not a lower-case continuation."""
    text = text.strip()
    if not text or ends_sentence(text) or text.endswith((",", "，")):
        return False
    if is_cjk(text):
        return len(text) <= 30 and not _PUNCTUATION.search(text)
    return len(text.split()) <= 12 and not text[0].islower()


def _segment_number(num: str) -> str:
    """The key form of a number: Arabic for Arabic, Roman and Chinese numerals, else as written."""
    if num in {"C", "L"}:
        return num  # Why: "Annex C" is a letter, not Roman 100.
    try:
        return str(number_value(num))
    except ValueError:
        return num


def title_case(text: str) -> bool:
    """Every word that is not a minor word starts with a capital (``Forms of Cooperation``)."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in _MINOR_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


def _rest(match: re.Match[str]) -> tuple[str, bool]:
    """The text after a heading's number, and whether it is the heading's title.

    After a separator (``Article 1 — Scope``) any short phrase is a title; without one
    (``ARTICLE I SCOPE``) only a phrase in capitals or title case, so that the first words of a
    wrapped sentence are not taken for a title.
    """
    rest = (match.group("rest") or "").strip()
    if not rest or not heading_like(rest):
        return rest, False
    separated = bool(match.groupdict().get("sep")) or is_cjk(rest)
    return rest, separated or title_case(rest)


def _latin_heading_guard(match: re.Match[str]) -> bool:
    """``Article 5 of the Agreement …`` at the start of a line is a reference, not a heading."""
    rest = (match.group("rest") or "").strip()
    return not rest or bool(match.groupdict().get("sep")) or not rest[0].islower()


def classify_heading(line: str) -> Heading | None:
    if m := ARTICLE_ZH.match(line):
        num = "".join(m.group("num").split())
        number = f"第{num}条"
        # Why: Chinese treaty articles carry no headings; what follows the number is text.
        return Heading(
            "article",
            f"art_{_segment_number(num)}",
            number,
            4,
            (m.group("rest") or "").strip(),
        )
    if (m := ARTICLE.match(line)) and _latin_heading_guard(m):
        suffix = (m.group("suffix") or "").lower()
        number = " ".join(p for p in (m.group("word"), m.group("num"), m.group("suffix")) if p)
        return Heading(
            "article", f"art_{_segment_number(m.group('num'))}{suffix}", number, 4, *_rest(m)
        )
    if (m := ANNEX.match(line)) and _latin_heading_guard(m):
        rest, is_heading = _rest(m)
        if rest and not is_heading and not m.group("sep"):
            return None
        num = m.group("num")
        number = f"{m.group('word')} {num}" if num else m.group("word")
        return Heading(
            "annex",
            f"annex_{_segment_number(num)}" if num else "annex",
            number,
            0,
            rest,
            is_heading,
        )
    if m := ANNEX_ZH.match(line):
        rest, is_heading = _rest(m)
        num = m.group("num")
        return Heading(
            "annex",
            f"annex_{_segment_number(num)}" if num else "annex",
            f"附件{num}",
            0,
            rest,
            is_heading,
        )
    if m := ENCLOSURE_ZH.match(line):
        return Heading("annex", "annex", "附", 0, *_rest(m))
    if (m := DIVISION.match(line)) and _latin_heading_guard(m):
        word = m.group("word").lower()
        prefix, rank = {"part": ("part", 1), "chapter": ("chp", 2), "section": ("sec", 3)}[word]
        return Heading(
            "section",
            f"{prefix}_{_segment_number(m.group('num'))}",
            f"{m.group('word')} {m.group('num')}",
            rank,
            *_rest(m),
        )
    if m := DIVISION_ZH.match(line):
        prefix, rank = {"编": ("part", 1), "章": ("chp", 2), "节": ("sec", 3)}[m.group("word")]
        return Heading(
            "section",
            f"{prefix}_{_segment_number(m.group('num'))}",
            f"第{m.group('num')}{m.group('word')}",
            rank,
            *_rest(m),
        )
    return None


def classify_roman(
    line: str, expected_letter: str | None
) -> tuple[Heading, Numbered | None] | None:
    """``II. C text`` (section with a lettered paragraph) or ``III. Title`` (a section).

    ``expected_letter`` is the next letter of the section being read: ``I.`` after ``H.`` is a
    paragraph, not section one.
    """
    if m := ROMAN_SUBSECTION.match(line):
        sec, letter = m.group("sec"), m.group("letter")
        section = Heading("section", f"sec_{sec}", sec, 3)
        return section, Numbered("upper_letter", letter, f"{letter}.", m.group("rest").strip())
    m = ROMAN_SECTION.match(line)
    if m is None or not ROMAN.match(m.group("sec")) or m.group("sec") == expected_letter:
        return None
    rest, is_heading = m.group("rest").strip(), heading_like(m.group("rest"))
    return Heading("section", f"sec_{m.group('sec')}", m.group("sec"), 3, rest, is_heading), None


def classify_numbered(line: str, previous_letter: str | None) -> Numbered | None:
    """A numbered or lettered paragraph; ``(i)`` after ``(h)`` is a letter, else a Roman item."""
    for style, pattern in NUMBERED:
        m = pattern.match(line)
        if m is None:
            continue
        num = m.group("num") or m.groupdict().get("num2") or ""
        if style == "roman" and _follows(num, previous_letter):
            style = "letter"
        if style == "roman" and not ROMAN.match(num):
            continue
        number = _display_number(style, num, line)
        return Numbered(style, _token(style, num), number, (m.group("rest") or "").strip())
    return None


def _follows(num: str, previous_letter: str | None) -> bool:
    return bool(previous_letter) and len(num) == 1 and ord(num) == ord(previous_letter or "") + 1


def _token(style: str, num: str) -> str:
    return _segment_number(num) if style in {"cjk", "cjk_paren"} else num


def _display_number(style: str, num: str, line: str) -> str:
    if style == "upper_letter":
        return f"{num}."
    if style == "cjk":
        return line[: line.index(num) + len(num) + 1].replace(" ", "")
    if style == "arabic":
        return line[: len(num) + 1]
    if line.startswith(("(", "（")):
        return line[: line.index(num) + len(num) + 1]
    return f"{num})"


def signature_opening(line: str, has_text_before: bool) -> str | None:
    """``"backtrack"`` when the block began on the lines above (title and name before
    ``(签字)``), ``"here"`` when it begins on this line, ``None`` when this is not a signature."""
    if _SIGNED.match(line):
        return "backtrack"
    if (_DATE_ZH.match(line) or _DATE_EN.match(line)) and has_text_before:
        return "backtrack"
    if _SIGNATURE_OPENING.match(line):
        return "here"
    return None


def signatory_line(line: str) -> bool:
    """A title or name line that belongs to a signature block below it."""
    return bool(line) and heading_like(line) and not ends_with_colon(line)
