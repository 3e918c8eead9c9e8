"""Does the text stop short? A file cut off in transfer or printing ends mid-word or mid-sentence.

The last clause of the last language text is looked at. It ends mid-word when its text ends in a
hyphen after a letter; mid-sentence when its text ends without sentence-final punctuation
(``. ! ? ; : …`` and their Chinese forms, before any closing quote or bracket), unless it is a
signature block, a list item (lists end without a full stop), a line holding a date, or ends
as a signature does even where the parser did not see one (a ``(signed)`` mark, a name in
capitals after ``For the Government of …:``). A clause without text (a heading alone) is not
judged.
"""

from __future__ import annotations

import re

from .structure import ParsedDocument

_SENTENCE_END = tuple(".;:!?…。；：！？")
_CLOSERS = "”’\"')）]」』】》»"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?)"
    r"\s+\d{4}$|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|\d{4}-\d{2}-\d{2}$|[〇零一二三四五六七八九"
    r"十]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$",
    re.IGNORECASE,
)
_SIGNED = re.compile(
    r"\((?:signed|sgd|w\.\s?g|get|gez|firmado|firmato|signé|l\.\s?s)\.?\)|[(（]签[字名][)）]",
    re.IGNORECASE,
)
_WORD_HYPHEN = re.compile(r"[^\W\d_]-$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_UNJUDGED_KINDS = {"signature", "item"}


def _tail(text: str) -> str:
    if _CJK.search(text[-20:]):
        return "…" + text[-20:]
    return "…" + " ".join(text.split()[-6:])


def _signed(text: str) -> bool:
    tail = text[-120:]
    if _SIGNED.search(tail):
        return True
    # Why: a signatory's name in capitals closes many prints; two words at least, so that an
    # acronym at a sentence's end ("… of the PRC") does not pass.
    last_words = tail.split()[-2:]
    return len(last_words) == 2 and all(w.isupper() and w.isalpha() for w in last_words)


def truncation_warning(document: ParsedDocument) -> str | None:
    """A warning for a person when the text seems cut off, else None."""
    last_text = document.other_texts[-1] if document.other_texts else document
    if not last_text.clauses:
        return None
    clause = last_text.clauses[-1]
    text = clause.text.strip()
    if not text:
        return None
    last_line = text.splitlines()[-1].strip()
    if _WORD_HYPHEN.search(text):
        return f"The text ends in the middle of a word ({_tail(text)}); the file may be cut off."
    if clause.kind in _UNJUDGED_KINDS or _DATE.search(last_line) or _signed(text):
        return None
    if text.rstrip(_CLOSERS).endswith(_SENTENCE_END):
        return None
    return f"The text ends in the middle of a sentence ({_tail(text)}); the file may be cut off."
