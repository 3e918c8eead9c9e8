"""Which language a passage is in, and where a bilingual print passes from one to the other.

The language of a passage is the one whose commonest words (stop words, below) it uses most;
Chinese is told by characters. A print holds two language texts when lines fall into a
first run in one language and a second run in another, and the structure starts again in the
second (the title or the first article repeated): the boundary is the line that best separates
the two, found in one pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

STOP_WORDS = {
    "en": [
        "the",
        "of",
        "and",
        "to",
        "in",
        "shall",
        "be",
        "by",
        "or",
        "for",
        "this",
        "with",
        "that",
        "any",
        "as",
        "on",
        "which",
        "are",
        "its",
    ],
    "nl": [
        "de",
        "het",
        "een",
        "van",
        "en",
        "in",
        "te",
        "dat",
        "op",
        "voor",
        "met",
        "door",
        "zijn",
        "wordt",
        "worden",
        "bij",
        "dit",
        "die",
        "aan",
        "als",
        "of",
        "niet",
        "ter",
        "krachtens",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "et",
        "en",
        "un",
        "une",
        "dans",
        "par",
        "pour",
        "sur",
        "est",
        "sont",
        "qui",
        "que",
        "au",
        "aux",
        "ou",
        "ces",
        "cette",
    ],
    "de": [
        "der",
        "die",
        "das",
        "und",
        "zu",
        "den",
        "von",
        "mit",
        "ist",
        "im",
        "für",
        "auf",
        "dem",
        "des",
        "nicht",
        "eine",
        "ein",
        "sich",
        "oder",
        "wird",
        "werden",
    ],
    "it": [
        "il",
        "lo",
        "la",
        "gli",
        "le",
        "di",
        "del",
        "della",
        "dei",
        "e",
        "in",
        "un",
        "una",
        "per",
        "con",
        "che",
        "sono",
        "è",
        "dal",
        "alla",
        "ai",
    ],
    "es": [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "un",
        "una",
        "por",
        "para",
        "con",
        "que",
        "se",
        "al",
        "es",
        "son",
        "o",
    ],
    "sv": [
        "och",
        "att",
        "det",
        "som",
        "en",
        "ett",
        "på",
        "är",
        "för",
        "med",
        "av",
        "till",
        "den",
        "de",
        "om",
        "eller",
        "skall",
        "ska",
    ],
    "fi": [
        "ja",
        "on",
        "ei",
        "että",
        "tai",
        "se",
        "ovat",
        "sekä",
        "joka",
        "jotka",
        "tämän",
        "sen",
        "kuin",
        "mukaan",
        "osapuolet",
    ],
}
_STOP = {lang: frozenset(ws) for lang, ws in STOP_WORDS.items()}
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOP.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)
_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Why: a passage needs a few stop words before language is more than a guess.
_MIN_HITS = 3
_SAMPLE = 4000


def language_scores(text: str) -> dict[str, int]:
    """Stop-word hits per language (and CJK characters for ``zh``)."""
    scores = dict.fromkeys(_STOP, 0)
    for word, count in Counter(_WORD.findall(text.lower())).items():
        for lang in _LANGUAGES_OF.get(word, ()):
            scores[lang] += count
    scores["zh"] = len(_CJK.findall(text))
    return scores


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``""`` when there is too little to tell."""
    # Why: a passage shows its language in its first few thousand characters.
    scores = language_scores(text[:_SAMPLE])
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= _MIN_HITS else ""


def line_languages(lines: Sequence[str]) -> list[str]:
    # Why: a line of fewer than three words cannot hold three stop words.
    return [
        detect_language(line) if line.count(" ") >= 2 or _CJK.match(line) else "" for line in lines
    ]


def split_point(lines: Sequence[str], labels: Sequence[str]) -> tuple[int, str, str] | None:
    """``(index, first, second)``: where a second language text begins, or None.

    The index maximises the lines labelled ``first`` before it plus those labelled ``second``
    after it; the split stands only when each side is long and nearly pure.
    """
    labelled = [lab for lab in labels if lab]
    if len(labelled) < 8:
        return None
    first = _majority(labelled[: len(labelled) // 3])
    rest = [lab for lab in labelled[len(labelled) // 2 :] if lab != first]
    if not first or not rest:
        return None
    second = _majority(rest)
    total_second = sum(1 for lab in labels if lab == second)
    best, best_at = -1, 0
    firsts = seconds_before = 0
    for i, lab in enumerate(labels):
        score = firsts + (total_second - seconds_before)
        if score > best:
            best, best_at = score, i
        firsts += lab == first
        seconds_before += lab == second
    before = [lab for lab in labels[:best_at] if lab]
    after = [lab for lab in labels[best_at:] if lab]
    if len(before) < 4 or len(after) < 4:
        return None
    if _share(before, first) < 0.8 or _share(after, second) < 0.8:
        return None
    return best_at, first, second


def _majority(labels: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    return max(counts, key=lambda lab: counts[lab]) if counts else ""


def _share(labels: Sequence[str], lang: str) -> float:
    return sum(1 for lab in labels if lab == lang) / len(labels)
