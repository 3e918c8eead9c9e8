"""What one line of a treaty text is: a heading, a numbered paragraph, a signature, or text.

The patterns accept both full-width and ASCII punctuation, because copies of Chinese texts come
with either, and spaces inside Chinese headings (``第 一 条``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import CHINESE_NUMERAL, ROMAN, number_value
from .vocabulary import (
    CHINESE_ANNEX_WORDS,
    CHINESE_DIVISIONS,
    CHINESE_REFERENCE_FOLLOWERS,
    SENTENCE_OPENERS,
    SIGNED_MARKS,
    SUFFIXES,
    StructureWord,
    alternation,
    case_forms,
    part_title_forms,
    salutation_forms,
    signature_opening_forms,
    words_after,
    words_before,
)

CN = f"[{CHINESE_NUMERAL}]"
_SEP = r"[:：—–-]"
_SUFFIX = alternation(tuple(f for s in SUFFIXES for f in case_forms(s)))
_NUM = r"\d+[a-z]?(?![^\W_])|[IVXLCDM]+(?![^\W_])|[A-Z](?![^\W_])"
_WORDS_BEFORE = words_before()
_WORDS_AFTER = words_after()

HEADING_BEFORE = re.compile(
    rf"^(?P<word>{alternation(tuple(_WORDS_BEFORE))})(?![^\W\d_])"
    rf"(?: ?(?P<num>{_NUM}))?(?P<dot>\.(?!\d))?"
    rf"(?: ?(?P<suffix>{_SUFFIX})(?![^\W_]))?"
    rf"(?: ?(?P<sep>{_SEP}) ?| |$)(?P<rest>.*)$"
)
HEADING_AFTER = re.compile(
    rf"^(?P<num>\d+[a-z]?) ?(?P<word>{alternation(tuple(_WORDS_AFTER))})(?![^\W\d_])"
    rf"(?P<dot>\.)?(?: ?(?P<sep>{_SEP}) ?| |$)(?P<rest>.*)$"
)
ARTICLE_ZH = re.compile(rf"^第\s*(?P<num>{CN}(?:\s*{CN})*|\d+)\s*条(?P<rest>.*)$")
_ANNEX_ZH_WORDS = "|".join(w[0] + r"\s*" + w[1] for w in CHINESE_ANNEX_WORDS)
ANNEX_ZH = re.compile(
    rf"^(?P<word>{_ANNEX_ZH_WORDS})"
    rf"\s*(?P<num>{CN}*|\d*)(?:[\s:：]+(?P<rest>.*)|$)"
)
ENCLOSURE_ZH = re.compile(r"^附\s*[:：]\s*(?P<rest>.*)$")
DIVISION_ZH = re.compile(
    rf"^第\s*(?P<num>{CN}+|\d+)\s*(?P<word>[{''.join(CHINESE_DIVISIONS)}])(?P<rest>.*)$"
)
ROMAN_SUBSECTION = re.compile(
    r"^(?P<sec>[IVX]+)\.\s*(?P<letter>[A-Z])(?P<dot>\.?)\s+(?P<rest>\S.*)$"
)
ROMAN_SECTION = re.compile(r"^(?P<sec>[IVX]+)\.\s+(?P<rest>\S.*)$")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")

NUMBERED = [
    ("arabic", re.compile(r"^(?P<num>\d{1,3})[.)](?:\s+(?P<rest>.*)|$)")),
    ("paren_arabic", re.compile(r"^[(（](?P<num>\d{1,3})[)）]\s*(?P<rest>.*)$")),
    ("roman", re.compile(r"^[(（](?P<num>[ivxl]+)[)）]\s*(?P<rest>.*)$")),
    ("letter", re.compile(r"^(?:[(（](?P<num>[a-z]{1,2})[)）]|(?P<num2>[a-z])\))\s*(?P<rest>.*)$")),
    ("cjk", re.compile(rf"^(?P<num>{CN}+)\s*[、．]\s*(?P<rest>.*)$")),
    ("cjk_paren", re.compile(rf"^[(（](?P<num>{CN}+)[)）]\s*(?P<rest>.*)$")),
    ("upper_letter", re.compile(r"^(?P<num>[A-Z])\.\s+(?P<rest>\S.*)$")),
]

_SIGNED = re.compile(rf"^[(（\[]?\s*(?:{alternation(SIGNED_MARKS)})\s*[)）\]]?$")
_DATE_ZH = re.compile(rf"^{CN}{{4}}\s*年\s*{CN}{{1,2}}\s*月\s*{CN}{{1,3}}\s*日$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})"
_DATE_EN = re.compile(rf"^{_DATE}$")
# Why: a letter of an exchange opens with its place and date (``Washington, January 31, 1979``).
_LETTER_DATE = re.compile(rf"^(?:[A-Z][^\W\d_]*(?:[ .'-][^\W\d_]+){{0,4}},\s*)?{_DATE}\.?$")
_SIGNATURE_OPENING_ZH = re.compile(
    r"^本(?:协定|议定书|换文|协议)于.*签[订署定]|^.{0,30}代\s*表\s*[:：]?$"
)
_SIGNATURE_OPENINGS = tuple(form.lower() for form in signature_opening_forms())
_PART_TITLES = part_title_forms()
_SALUTATIONS = frozenset(salutation_forms())

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
    text: str = ""


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
    num = num.rstrip(".")
    if num in {"C", "L", "D", "M"}:
        return num  # Why: "Annex C" is a letter, not Roman 100.
    try:
        return str(number_value(num))
    except ValueError:
        return key_segment(num)


def key_segment(text: str) -> str:
    """``text`` made safe for a URL: ASCII letters, digits, ``_`` and ``-`` only.

    Any other character becomes ``x`` and its code point in hex, so distinct numbers stay
    distinct keys (``Anhang Ä`` and ``Anhang A`` do not collide).
    """
    return _KEY_UNSAFE.sub(lambda m: f"x{ord(m.group(0)):x}", text)


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
    if rest.isupper() and rest.endswith(".") and heading_like(rest[:-1]):
        return rest, True  # Why: GPO prints ``SEC. 2. DEFINITIONS.``, a title with a period.
    if not rest or not heading_like(rest):
        return rest, False
    groups = match.groupdict()
    separated = bool(groups.get("sep") or groups.get("dot")) or is_cjk(rest)
    return rest, separated or title_case(rest)


def _latin_heading_guard(match: re.Match[str]) -> bool:
    """``Article 5 of the Agreement …`` at the start of a line is a reference, not a heading."""
    rest = (match.group("rest") or "").strip()
    return not rest or bool(match.group("sep") or match.group("dot")) or not rest[0].islower()


def _printed(line: str, match: re.Match[str], last: str) -> str:
    """The number as printed: the line up to the end of group ``last`` (``SEC. 2.``)."""
    return line[: match.end(last)].rstrip()


def classify_heading(line: str) -> Heading | None:
    """An article, division or annex heading, by the words of ``vocabulary``."""
    if m := ARTICLE_ZH.match(line):
        rest = (m.group("rest") or "").strip()
        if rest.startswith(CHINESE_REFERENCE_FOLLOWERS):
            return None
        num = "".join(m.group("num").split())
        # Why: Chinese treaty articles carry no headings; what follows the number is text.
        return Heading("article", f"art_{_segment_number(num)}", f"第{num}条", 4, rest)
    if (m := HEADING_BEFORE.match(line)) and _latin_heading_guard(m):
        return _latin_heading(line, m, _WORDS_BEFORE[m.group("word")])
    if (m := HEADING_AFTER.match(line)) and _latin_heading_guard(m):
        return _latin_heading(line, m, _WORDS_AFTER[m.group("word")])
    if m := ANNEX_ZH.match(line):
        rest, is_heading = _rest(m)
        num = m.group("num")
        word = "".join(m.group("word").split())
        segment = f"annex_{_segment_number(num)}" if num else "annex"
        return Heading("annex", segment, f"{word}{num}", 0, rest, is_heading)
    if m := ENCLOSURE_ZH.match(line):
        return Heading("annex", "annex", "附", 0, *_rest(m))
    if m := DIVISION_ZH.match(line):
        if (m.group("rest") or "").startswith(CHINESE_REFERENCE_FOLLOWERS):
            return None
        prefix, rank = CHINESE_DIVISIONS[m.group("word")]
        return Heading(
            "section",
            f"{prefix}_{_segment_number(m.group('num'))}",
            f"第{m.group('num')}{m.group('word')}",
            rank,
            *_rest(m),
        )
    return None


def _latin_heading(line: str, m: re.Match[str], entry: StructureWord) -> Heading | None:
    num = m.group("num")
    if entry.kind != "annex" and not num:
        return None
    rest, is_heading = _rest(m)
    if entry.kind == "annex" and rest and not is_heading and not (m.group("sep") or m.group("dot")):
        return None
    if m.re is HEADING_AFTER:
        last = "dot" if m.group("dot") else "word"
    else:
        last = "suffix" if m.groupdict().get("suffix") else "dot" if m.group("dot") else "num"
        last = last if m.group(last) else "word"
    if entry.kind == "annex" and not num:
        segment = "annex"
    else:
        suffix = (m.groupdict().get("suffix") or "").lower()
        segment = f"{entry.prefix}_{_segment_number(num)}{key_segment(suffix)}"
    return Heading(entry.kind, segment, _printed(line, m, last), entry.rank, rest, is_heading)


def part_title(line: str) -> bool:
    """``AGREED MINUTES``, ``Final Act of …``, ``Understanding on …``: a part of its own."""
    if not line.startswith(_PART_TITLES) or not heading_like(line):
        return False
    return line.isupper() or title_case(line)


def salutation(line: str) -> bool:
    """``Excellency:``, ``Sir,``, ``Dear Sir,``: the opening of a letter."""
    return line[-1:] in {":", ",", "："} and line[:-1].strip() in _SALUTATIONS


def letter_date(line: str) -> bool:
    return bool(_LETTER_DATE.match(line))


def classify_roman(
    line: str, expected_letter: str | None
) -> tuple[Heading, Numbered | None] | None:
    """``II. C text`` (section with a lettered paragraph) or ``III. Title`` (a section).

    ``expected_letter`` is the next letter of the section being read: ``I.`` after ``H.`` is a
    paragraph, not section one. Numbers are kept as printed (``I.``, ``II. C``); a section
    opened by its first lettered paragraph prints no number of its own.
    """
    if m := ROMAN_SUBSECTION.match(line):
        sec, letter = m.group("sec"), m.group("letter")
        section = Heading("section", f"sec_{sec}", "", 3)
        number = line[: m.end("dot")]
        return section, Numbered("upper_letter", letter, number, m.group("rest").strip())
    m = ROMAN_SECTION.match(line)
    if m is None or not ROMAN.match(m.group("sec")) or m.group("sec") == expected_letter:
        return None
    rest, is_heading = m.group("rest").strip(), heading_like(m.group("rest"))
    number = f"{m.group('sec')}."
    segment = f"sec_{m.group('sec')}"
    if not is_heading and (run_in := run_in_title(rest)):
        return Heading("section", segment, number, 3, run_in[0], True, run_in[1]), None
    return Heading("section", segment, number, 3, rest, is_heading), None


def run_in_title(text: str) -> tuple[str, str] | None:
    """``General Obligation The Parties shall …``: a title run into the first sentence.

    The title is one to six words in title case, the sentence starts with a word that opens
    sentences (``The``, ``In``, ``Each``) and runs on for at least eight words to a full stop.
    """
    words = text.split(" ")
    for i in range(1, min(7, len(words) - 8)):
        if words[i] in SENTENCE_OPENERS and ends_sentence(text):
            title = " ".join(words[:i])
            return (title, " ".join(words[i:])) if title_case(title) else None
        if not words[i][:1].isupper() and words[i].lower() not in _MINOR_WORDS:
            return None
    return None


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
    opens = line[:1].isupper() and line.lower().startswith(_SIGNATURE_OPENINGS)
    if opens or _SIGNATURE_OPENING_ZH.match(line):
        return "here"
    return None


def signatory_line(line: str) -> bool:
    """A title or name line that belongs to a signature block below it."""
    return bool(line) and heading_like(line) and not ends_with_colon(line)
