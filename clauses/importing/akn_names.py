"""The Akoma Ntoso vocabulary the reader and the exporter share, its limits, and key making.

Elements are told apart by local name only, so AKN 3.0, AKN 1.0 and the publishers' dialects
(AKN4EU, LEOS, LegalDocML.de with its ``akn:`` prefix, Legilux CSD13, Indigo) read alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from typing import Any

from .numerals import number_value

AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN_1_NAMESPACE = "http://www.akomantoso.org/1.0"

# Why: a hostile or broken file must not exhaust memory or the stack of the recursive reader.
MAX_NUMBER = 200
MAX_HEADING = 300
MAX_KEY = 200

# Hierarchical elements: (clause kind, key segment as the AKN naming convention abbreviates it).
HIERARCHY = {
    "article": ("article", "art"),
    "book": ("section", "book"),
    "tome": ("section", "tome"),
    "part": ("section", "part"),
    "subpart": ("section", "subpart"),
    "title": ("section", "title"),
    "subtitle": ("section", "subtitle"),
    "chapter": ("section", "chp"),
    "subchapter": ("section", "subchp"),
    "division": ("section", "dvs"),
    "subdivision": ("section", "subdvs"),
    "section": ("section", "sec"),
    "subsection": ("section", "subsec"),
    "hcontainer": ("section", "hcontainer"),
    "rule": ("section", "rule"),
    "subrule": ("section", "subrule"),
    "clause": ("paragraph", "clause"),
    "subclause": ("item", "subclause"),
    "paragraph": ("paragraph", "para"),
    "subparagraph": ("item", "subpara"),
    "point": ("item", "point"),
    "indent": ("item", "indent"),
    "item": ("item", "item"),
    "li": ("item", "item"),
    "level": ("item", "level"),
    "proviso": ("item", "proviso"),
    "transitional": ("section", "transitional"),
}
LISTS = {"list", "blockList", "ol", "ul", "sublist", "itemizedList", "orderedList"}
# Elements whose lines are lines of their own (a new line before and after them).
BLOCKS = {
    "p", "block", "tblock", "blockContainer", "container", "formula", "citation", "citations",
    "recital", "recitals", "content", "alinea", "intro", "wrapUp", "wrap", "listIntroduction",
    "listWrapUp", "table", "tr", "th", "td", "caption", "toc", "tocItem", "div", "signature",
    "heading", "subheading", "crossHeading", "longTitle", "interstitial", "foreign",
    "blockQuote", "subFlow", "componentRef", "documentRef",
}  # fmt: skip
# Quoted text of another act (an amendment's new wording): text of this clause, never structure.
QUOTED = {"quotedStructure", "embeddedStructure", "quotedText", "mod", "mmod", "embeddedText"}
BREAKS = {"eol", "br", "eop"}
NOTES = {"authorialNote"}
SKIP = {"meta", "img", "object"}
DOCUMENT_TYPES = {
    "act", "bill", "doc", "statement", "amendment", "amendmentList", "debate", "debateReport",
    "judgment", "officialGazette", "documentCollection", "portion",
}  # fmt: skip
BODIES = {"body", "mainBody", "judgmentBody", "debateBody", "amendmentBody", "collectionBody"}
FRONT = {"preface", "coverPage"}
ATTACHMENT_LISTS = {"attachments", "components"}

# ISO 639-2 (as AKN's FRBRlanguage writes it) and ISO 639-1 (as clauses carry it).
LANGUAGES_3_TO_1 = {
    "eng": "en", "zho": "zh", "chi": "zh", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "nld": "nl", "dut": "nl", "ita": "it", "spa": "es", "swe": "sv", "fin": "fi", "por": "pt",
    "swa": "sw", "rus": "ru", "ara": "ar", "jpn": "ja", "kor": "ko", "pol": "pl", "ell": "el",
    "gre": "el", "dan": "da", "ces": "cs", "cze": "cs", "hun": "hu", "ron": "ro", "rum": "ro",
    "ltz": "lb",
}  # fmt: skip
LANGUAGES_1_TO_3 = {two: three for three, two in reversed(LANGUAGES_3_TO_1.items())}

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_NUMBER_WORD = re.compile(
    r"^(?:Article|Art\.?|Artikel|Articolo|Artículo|Artikla|Section|Sec\.?|Annex|Part|Chapter|"
    r"CHAPTER|ARTICLE|Abschnitt|Anlage|§)\s*",
    re.IGNORECASE,
)


def local_name(el: Any) -> str:
    """The element's name without namespace or prefix; empty for comments and instructions."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def elements(el: Any) -> list[Any]:
    return [child for child in el if isinstance(child.tag, str)]


def safe_key(raw: str) -> str:
    """``chp_I__art_1__para_1.`` → ``chp_I__art_1__para_1``: only ``[A-Za-z0-9_-]`` remain.

    Accents are dropped (``präambel`` → ``praambel``) and every other run of characters that a
    URL would have to escape (``/``, ``.``, ``(``, ``)``, spaces) becomes one ``-``.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", raw) if not unicodedata.combining(c))
    segments = [_UNSAFE.sub("-", part).strip("-") for part in plain.split("__")]
    return "__".join(s for s in segments if s)


def bounded_key(key: str) -> str:
    """A key that fits the column: a long one keeps its start and a digest of the whole."""
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{key[: MAX_KEY - 11]}-{digest}"


def key_number(number: str) -> str:
    """The key segment for a display number: ``Article 5`` → ``5``, ``II`` → ``2``."""
    bare = re.sub(r"[^\w]", "", _NUMBER_WORD.sub("", number.strip()))
    bare = bare.removeprefix("第").removesuffix("条")
    with contextlib.suppress(ValueError):
        bare = str(number_value(bare))
    return safe_key(bare)


def language_code(value: str) -> str:
    """ISO 639-1 from FRBRlanguage's ``eng``, ``en-EN`` or ``…/language/FRA``; else empty."""
    code = value.rstrip("/").rsplit("/", 1)[-1].split("-", 1)[0].lower()
    if len(code) == 2 and code.isalpha():
        return code
    return LANGUAGES_3_TO_1.get(code, "")
