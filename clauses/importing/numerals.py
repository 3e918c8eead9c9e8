"""Numbers as treaties write them: Roman, Chinese, and Chinese year digits."""

from __future__ import annotations

import re

ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$", re.IGNORECASE)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

CHINESE_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "〇零○一二三四五六七八九两十百千"


def roman_to_int(text: str) -> int:
    """``XIV`` → 14. Raises ValueError for anything that is not a well-formed numeral."""
    if not ROMAN.match(text):
        raise ValueError(f"not a Roman numeral: {text!r}")
    values = [_ROMAN_VALUES[c] for c in text.upper()]
    total = 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total


def chinese_to_int(text: str) -> int:
    """``十一`` → 11, ``二十`` → 20, ``一百零三`` → 103, ``一九七九`` → 1979 (digit by digit)."""
    if not text or any(c not in CHINESE_DIGITS and c not in _CHINESE_UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in _CHINESE_UNITS for c in text):
        # Why: years and some list numbers are written digit by digit (一九七九).
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _CHINESE_UNITS:
            total += (1 if digit is None else digit) * _CHINESE_UNITS[c]
            digit = None
        else:
            digit = CHINESE_DIGITS[c]
    return total + (digit or 0)


def number_value(text: str) -> int:
    """The value of an Arabic, Roman or Chinese number; ValueError when it is none of these."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if ROMAN.match(text):
        return roman_to_int(text)
    return chinese_to_int(text)
