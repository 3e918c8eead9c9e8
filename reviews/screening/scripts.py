"""Chinese names in Latin letters: pinyin by pypinyin, and older spellings read as pinyin.

Plain Python. The one module that imports pypinyin, so the rest of screening sees a small,
typed surface: ``has_cjk``, ``cjk_text``, ``syllables``, ``person_orders`` and ``respell``.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# CJK Unified Ideographs with extension A and the compatibility block: the characters
# institutions and people are named in.
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Why: the family name comes first in a Chinese name, and these take two characters.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
        "长孙", "宇文", "司徒", "夏侯", "端木", "南宫", "独孤", "轩辕",
    }
)  # fmt: skip

# Wade–Giles and Chinese postal spellings still used in English names, each read as the pinyin
# spelling of the same syllables. Both sides of a comparison are respelled, so "Tsinghua" meets
# "Qinghua" and "Peking University" meets "Beijing University". Written for this application;
# a spelling that is also a pinyin syllable ("chang", "chou") is left out, because reading it
# as another syllable would turn every Chang into a Zhang.
RESPELLINGS: dict[str, str] = {
    # Places and the institutions named after them.
    "tsinghua": "qinghua",
    "peking": "beijing",
    "peiping": "beiping",
    "tientsin": "tianjin",
    "nanking": "nanjing",
    "canton": "guangzhou",
    "kwangchow": "guangzhou",
    "amoy": "xiamen",
    "chungking": "chongqing",
    "szechwan": "sichuan",
    "szechuan": "sichuan",
    "tsingtao": "qingdao",
    "sian": "xian",
    "harbin": "haerbin",
    "soochow": "suzhou",
    "hangchow": "hangzhou",
    "foochow": "fuzhou",
    "chengtu": "chengdu",
    "sinkiang": "xinjiang",
    "kwangtung": "guangdong",
    "fukien": "fujian",
    "shantung": "shandong",
    "hupeh": "hubei",
    "chekiang": "zhejiang",
    "kiangsu": "jiangsu",
    "dairen": "dalian",
    "mukden": "shenyang",
    # Family names whose Wade–Giles spelling is not itself a pinyin syllable.
    "hsu": "xu",
    "hsieh": "xie",
    "hsiao": "xiao",
    "hsiung": "xiong",
    "tsai": "cai",
    "tsao": "cao",
    "tsui": "cui",
    "kuo": "guo",
    "chiang": "jiang",
    "chien": "qian",
    "chiu": "qiu",
    "teng": "deng",
    "kao": "gao",
    "tung": "dong",
    "yeh": "ye",
}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def has_latin(text: str) -> bool:
    plain = unicodedata.normalize("NFKD", text)
    return any("a" <= ch <= "z" for ch in plain.casefold())


def cjk_text(text: str) -> str:
    """Only the Chinese characters of ``text``, in order (spaces, brackets and Latin dropped)."""
    return "".join(_CJK.findall(text))


def _pinyin(text: str) -> list[str]:
    # Why: ü is written u in English names (Lü → Lu); tone marks are dropped.
    return [
        unicodedata.normalize("NFKD", syllable).encode("ascii", "ignore").decode()
        for syllable in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    ]


def syllables(text: str) -> tuple[str, ...]:
    """The pinyin syllables of the Chinese characters of ``text``, in order, lower case."""
    chars = cjk_text(text)
    return tuple(s for s in _pinyin(chars) if s) if chars else ()


def person_orders(text: str) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """A Chinese personal name in pinyin both ways: (family, given) and (given, family).

    The given name's syllables are written as one word, as passports and lists spell it
    ("张小明" → "zhang xiaoming" and "xiaoming zhang"). ``None`` when there is no Chinese.
    """
    chars = cjk_text(text)
    if not chars:
        return None
    split = 2 if len(chars) > 2 and chars[:2] in COMPOUND_SURNAMES else 1
    family = "".join(_pinyin(chars[:split]))
    given = "".join(_pinyin(chars[split:]))
    if not given:
        return (family, ""), ("", family)
    return (family, given), (given, family)


def respell(word: str) -> str:
    """``word`` in pinyin spelling when it is a known older spelling; else unchanged."""
    return RESPELLINGS.get(word, word)
