"""Restricted-party screening: compare partner names with listed names, in every script.

Plain Python. Each name is screened in several forms: as written (case, accents, punctuation
and common abbreviations normalised; Wade–Giles and postal spellings read as pinyin, see
``scripts.RESPELLINGS``), and for a name in Chinese characters, the characters themselves and
their pinyin (for a person, family name first and family name last). Listed names and aliases
get the same forms, so Chinese meets a Chinese alias and pinyin meets a pinyin alias. An English
listed name is not expected to meet pinyin: "Harbin Institute of Technology" and "Haerbin Gongye
Daxue" share no words, which is why an institution needs its English name to be screened.

Three comparisons score a form against a listed form: rapidfuzz's token-sort ratio of the
words (word order does not matter), the plain ratio of the words run together (so "Haerbin" and
"Ha Er Bin" meet), and, between Chinese characters, the ratio of the characters. A listed name
that appears whole inside the partner's name (a campus, branch or department of a listed party,
such as "Harbin Institute of Technology (Shenzhen)") scores at least ``CONTAINED_SCORE``; a
person's name whose initials stand for a listed person's names ("Z. Wei" and "Wei Zhang")
scores ``INITIALS_SCORE``.

Institution names share long generic parts ("Institute of Technology", "Daxue", "大学"), which
alone would make "Beijing Institute of Technology" resemble "Harbin Institute of Technology". So
the score is capped by how well the distinctive parts (the rest) agree.

The name's score is then combined with the other evidence (``evidence``) into the match's
score; a match at or above the threshold is a hit, one at or above the near-miss threshold is
reported as a near miss.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from . import evidence
from .scripts import has_cjk, person_orders, respell, syllables

# Why: listed names and proposal forms abbreviate the same words differently; both sides are
# expanded so "Nat'l Univ. of Defense Tech." meets "National University of Defense Technology".
ABBREVIATIONS: dict[str, str] = {
    "univ": "university",
    "uni": "university",
    "inst": "institute",
    "instit": "institute",
    "acad": "academy",
    "academia": "academy",
    "natl": "national",
    "nat": "national",
    "intl": "international",
    "tech": "technology",
    "technol": "technology",
    "sci": "science",
    "lab": "laboratory",
    "labs": "laboratories",
    "ctr": "center",
    "centre": "center",
    "cntr": "center",
    "dept": "department",
    "co": "company",
    "corp": "corporation",
    "ltd": "limited",
    "inc": "incorporated",
    "grp": "group",
    "assn": "association",
    "assoc": "association",
    "res": "research",
    "eng": "engineering",
    "engg": "engineering",
    "aero": "aeronautics",
    "prc": "peoples republic of china",
}
_APOSTROPHES = "'’‘`´"
GENERIC_WORDS = frozenset(
    {
        "a", "an", "and", "at", "for", "in", "of", "on", "the",
        "university", "institute", "institution", "technology", "technologies", "science",
        "sciences", "academy", "college", "school", "center", "laboratory", "laboratories",
        "key", "state", "national", "research", "engineering", "company", "corporation",
        "limited", "incorporated", "group", "department",
        "china", "chinese", "peoples", "republic",
    }
)  # fmt: skip
# Pinyin words as generic as "university" or "institute" in English names. Words that tell
# institutions apart ("gongye", industry; "gongcheng", engineering; "keji", science and
# technology) are not among them: "Haerbin Gongye Daxue" and "Haerbin Gongcheng Daxue" are two
# universities, and in names this short little else differs.
PINYIN_GENERIC_WORDS = frozenset(
    {
        "daxue", "xueyuan", "yanjiusuo", "yanjiuyuan", "kexueyuan", "zhongxin", "shiyanshi",
        "gongsi", "youxian", "jituan", "zhongguo", "guojia", "zhongdian", "gufen", "fenyuan",
        "fenxiao",
    }
)  # fmt: skip
# The same generic parts in Chinese characters, longest first (they are cut out as substrings).
CJK_GENERIC_PARTS = (
    "有限责任公司", "研究中心", "有限公司", "科学院", "研究院", "研究所", "实验室", "大学",
    "学院", "中心", "公司", "集团", "中国", "国家", "重点", "股份",
)  # fmt: skip
_GENERIC = GENERIC_WORDS | PINYIN_GENERIC_WORDS
DEFAULT_THRESHOLD = 88.0
DEFAULT_NEAR_MISS_THRESHOLD = 70.0
NEAR_MISS_LIMIT = 5
CONTAINED_SCORE = 90.0
INITIALS_SCORE = 90.0
# Why: a one-word alias such as "CAS" inside a long name proves little on its own.
_CONTAINED_MIN_LENGTH = 8
_CJK_CONTAINED_MIN_LENGTH = 4
_COMPACT_CONTAINED_MIN_LENGTH = 12
_PREFIX = 3
# Names that differ in a distinctive part ("Beijing Gongye" and "Beijing Ligong", "Zhang Wei"
# and "Zhang Wen") name different parties however alike they look, unless the part is a small
# share of a long name (a typing slip).
DIFFERING_CAP = 80.0
_DIFFERING_SHARE = 0.1


class PartyKind:
    ENTITY = "entity"
    INDIVIDUAL = "individual"
    ANY = ""


class Form:
    """How a screened name was written when it matched (the labels the hit page shows)."""

    AS_WRITTEN = "as written"
    REORDERED = "family name moved"
    INITIALS = "initials"
    CHINESE = "Chinese characters"
    PINYIN = "pinyin of the Chinese"
    PINYIN_FAMILY_FIRST = "pinyin, family name first"
    PINYIN_FAMILY_LAST = "pinyin, family name last"


class ListedAs:
    """Which of a listed party's names matched."""

    PRIMARY = "primary name"
    ALIAS = "alias"
    PRIMARY_CHINESE = "primary name in Chinese characters"
    ALIAS_CHINESE = "alias in Chinese characters"
    PRIMARY_PINYIN = "primary name in Chinese, read as pinyin"
    ALIAS_PINYIN = "alias in Chinese, read as pinyin"


@dataclass(frozen=True)
class ListedParty:
    """One entry of a screening list: its key, names, kind and what the score weighs."""

    key: int
    name: str
    alt_names: tuple[str, ...] = ()
    kind: str = PartyKind.ANY
    addresses: str = ""
    source: str = ""
    programs: str = ""


@dataclass(frozen=True)
class PartyMatch:
    """The best-scoring name of one listed party for one screened partner.

    ``form`` says how the partner's name was read, ``listed_as`` which listed name it met,
    ``name_score`` the names' likeness and ``parts`` every part of ``score``.
    """

    screened: str
    key: int
    matched_name: str
    score: float
    form: str = Form.AS_WRITTEN
    listed_as: str = ListedAs.PRIMARY
    name_score: float = 0.0
    parts: tuple[evidence.ScorePart, ...] = ()


@dataclass(frozen=True)
class PartnerScreening:
    """What screening one partner came to: the forms compared, hits and near misses."""

    names: tuple[str, ...]
    forms: tuple[str, ...]
    hits: tuple[PartyMatch, ...]
    near_misses: tuple[PartyMatch, ...]


def normalise(name: str) -> str:
    """Lower-case ASCII words with abbreviations spelled out and punctuation removed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    # Why: "Nat'l" and "People's" lose the apostrophe without splitting the word.
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    words = re.split(r"[^\w]+", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in words if word)


def distinctive(normal: str) -> str:
    """The words of a normalised name that are not generic parts of institution names."""
    return " ".join(_distinct_tokens(normal.split()))


def _distinct_tokens(tokens: Sequence[str]) -> list[str]:
    # Why: pinyin read from characters comes a syllable at a time ("da", "xue"), so up to three
    # neighbours are joined before asking whether they make a generic word ("daxue").
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            if i + size <= len(tokens) and "".join(tokens[i : i + size]) in _GENERIC:
                i += size
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept


def _distinct_cjk(chars: str) -> str:
    for part in CJK_GENERIC_PARTS:
        chars = chars.replace(part, "")
    return chars


def _cap(mine: str, theirs: str, scorer: str) -> float:
    if not mine and not theirs:
        return 100.0
    if not mine or not theirs:
        return 0.0
    if scorer == "set":
        return float(fuzz.token_set_ratio(mine, theirs))
    return float(fuzz.ratio(mine, theirs))


def party_kind(entry_type: str) -> str:
    value = entry_type.strip().casefold()
    if value == "individual":
        return PartyKind.INDIVIDUAL
    if value in {"entity", "organization", "organisation", "company"}:
        return PartyKind.ENTITY
    return PartyKind.ANY


@dataclass(frozen=True)
class _Form:
    """One way of writing a name, with what each comparison needs precomputed."""

    given: str
    label: str
    shown: str
    words: str
    compact: str
    distinct_words: str
    distinct_compact: str
    distinct_tokens: tuple[str, ...]
    syllabic: bool = False
    cjk: str = ""
    distinct_cjk: str = ""


def _latin_tokens(text: str) -> list[str]:
    return [w for w in normalise(text).split() if not has_cjk(w)]


def _make_form(
    given: str, label: str, tokens: Sequence[str], cjk: str = "", *, syllabic: bool = False
) -> _Form:
    spelled = [respell(t) for t in tokens]
    kept = _distinct_tokens(spelled)
    return _Form(
        given=given,
        label=label,
        shown=" ".join(tokens),
        words=" ".join(spelled),
        compact="".join(spelled),
        distinct_words=" ".join(kept),
        distinct_compact="".join(kept),
        distinct_tokens=tuple(kept),
        syllabic=syllabic,
        cjk=cjk,
        distinct_cjk=_distinct_cjk(cjk),
    )


def _forms(name: str, kind: str) -> list[_Form]:
    """Every form a screened name is compared in."""
    forms: list[_Form] = []
    latin = _latin_tokens(name)
    if has_cjk(name):
        chars = "".join(ch for ch in name if has_cjk(ch))
        forms.append(_make_form(name, Form.CHINESE, [], cjk=chars))
        orders = person_orders(name) if kind == PartyKind.INDIVIDUAL else None
        if orders is not None:
            first, last = orders
            forms.append(_make_form(name, Form.PINYIN_FAMILY_FIRST, [w for w in first if w]))
            forms.append(_make_form(name, Form.PINYIN_FAMILY_LAST, [w for w in last if w]))
        else:
            forms.append(_make_form(name, Form.PINYIN, [*syllables(name), *latin], syllabic=True))
    elif latin:
        forms.append(_make_form(name, Form.AS_WRITTEN, latin))
        if kind != PartyKind.ENTITY and len(latin) > 1 and all(len(w) > 1 for w in latin):
            # Why: run together, "Xiaoming Zhang" only meets "Zhang Xiaoming" with the family
            # name moved; the token-sort comparison needs no such help.
            forms.append(_make_form(name, Form.REORDERED, [latin[-1], *latin[:-1]]))
            if len(latin) > 2:
                forms.append(_make_form(name, Form.REORDERED, [*latin[1:], latin[0]]))
    return forms


@dataclass(frozen=True)
class _Listed:
    party: ListedParty
    original: str
    listed_as: str
    form: _Form


def _listed_forms(party: ListedParty) -> list[tuple[str, str, _Form]]:
    out: list[tuple[str, str, _Form]] = []
    for position, original in enumerate((party.name, *party.alt_names)):
        primary = position == 0
        if has_cjk(original):
            chars = "".join(ch for ch in original if has_cjk(ch))
            as_chinese = ListedAs.PRIMARY_CHINESE if primary else ListedAs.ALIAS_CHINESE
            out.append((original, as_chinese, _make_form(original, Form.CHINESE, [], cjk=chars)))
            orders = person_orders(original) if party.kind == PartyKind.INDIVIDUAL else None
            tokens = [w for w in orders[0] if w] if orders else list(syllables(original))
            as_pinyin = ListedAs.PRIMARY_PINYIN if primary else ListedAs.ALIAS_PINYIN
            form = _make_form(original, Form.PINYIN, tokens, syllabic=orders is None)
            out.append((original, as_pinyin, form))
        else:
            tokens = _latin_tokens(original)
            if tokens:
                label = ListedAs.PRIMARY if primary else ListedAs.ALIAS
                out.append((original, label, _make_form(original, Form.AS_WRITTEN, tokens)))
    return out


def _initials_agree(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether two names agree word for word, initials standing for whole words."""
    if len(mine) != len(theirs) or len(mine) < 2:
        return False
    if not any(len(w) == 1 for w in mine):
        mine, theirs = theirs, mine
    rest = list(theirs)
    for word in sorted(mine, key=len, reverse=True):
        if len(word) == 1:
            match = next((w for w in rest if w[0] == word), None)
        else:
            match = word if word in rest else None
        if match is None:
            return False
        rest.remove(match)
    return True


@dataclass(frozen=True)
class _Found:
    score: float
    how: str
    note: str = ""


@dataclass
class _Best:
    score: float
    form: _Form
    listed: _Listed
    how: str
    note: str = ""


def _starting_in(by_start: dict[str, list[int]], text: str, size: int) -> set[int]:
    """The indexed names whose first ``size`` characters occur somewhere in ``text``."""
    found: set[int] = set()
    for start in range(len(text) - size + 1):
        found.update(by_start.get(text[start : start + size], ()))
    return found


def _differing(mine_tokens: Sequence[str], theirs_tokens: Sequence[str]) -> tuple[str, str] | None:
    """The differing middles of two names, when each has one and they are not a slip.

    The names are compared run together, letter by letter; the middles are then widened to
    whole words for the reader ("gongye" and "gongcheng", not "ye" and "cheng").
    """
    mine, theirs = "".join(mine_tokens), "".join(theirs_tokens)
    if not mine or not theirs or mine == theirs:
        return None
    start = 0
    while start < min(len(mine), len(theirs)) and mine[start] == theirs[start]:
        start += 1
    end = 0
    while end < min(len(mine), len(theirs)) - start and mine[-1 - end] == theirs[-1 - end]:
        end += 1
    a, b = mine[start : len(mine) - end], theirs[start : len(theirs) - end]
    if not a or not b:
        return None
    if max(len(a), len(b)) / max(len(mine), len(theirs)) < _DIFFERING_SHARE:
        return None
    return _widen(mine_tokens, start, len(mine) - end), _widen(
        theirs_tokens, start, len(theirs) - end
    )


def _widen(tokens: Sequence[str], start: int, stop: int) -> str:
    """The whole words of ``tokens`` that cover the letters from ``start`` to ``stop``."""
    words, at = [], 0
    for token in tokens:
        if at < stop and at + len(token) > start:
            words.append(token)
        at += len(token)
    return ("" if has_cjk("".join(words)) else " ").join(words)


class PartyIndex:
    """Every form of every name of a list, ready to be searched many times."""

    def __init__(self, parties: Iterable[ListedParty]) -> None:
        self._listed: list[_Listed] = []
        self._words: list[str] = []
        self._words_at: list[int] = []
        self._compacts: list[str] = []
        self._compacts_at: list[int] = []
        self._cjks: list[str] = []
        self._cjks_at: list[int] = []
        # Why: initials are compared only with listed people who share every whole word, found
        # through this word index, so that no search walks the whole list for them.
        self._people_by_word: dict[str, set[int]] = {}
        self._people_with_initials: set[int] = set()
        # Why: a listed name inside the partner's begins where one of the partner's words (or
        # characters) begins, so containment looks only at names that begin that way.
        self._words_by_first: dict[str, list[int]] = {}
        self._cjks_by_first: dict[str, list[int]] = {}
        self._compacts_by_prefix: dict[str, list[int]] = {}
        for party in parties:
            seen: set[tuple[str, str]] = set()
            for original, listed_as, form in _listed_forms(party):
                if (form.words, form.cjk) in seen:
                    continue
                seen.add((form.words, form.cjk))
                tokens = form.words.split()
                at = len(self._listed)
                self._listed.append(_Listed(party, original, listed_as, form))
                if form.cjk:
                    if len(form.cjk) >= _CJK_CONTAINED_MIN_LENGTH:
                        self._cjks_by_first.setdefault(form.cjk[0], []).append(len(self._cjks))
                    self._cjks.append(form.cjk)
                    self._cjks_at.append(at)
                    continue
                if not form.syllabic:
                    if len(form.words) >= _CONTAINED_MIN_LENGTH:
                        self._words_by_first.setdefault(tokens[0], []).append(len(self._words))
                    self._words.append(form.words)
                    self._words_at.append(at)
                if len(form.compact) >= _COMPACT_CONTAINED_MIN_LENGTH:
                    prefix = form.compact[:_PREFIX]
                    self._compacts_by_prefix.setdefault(prefix, []).append(len(self._compacts))
                self._compacts.append(form.compact)
                self._compacts_at.append(at)
                if party.kind != PartyKind.ENTITY:
                    for token in tokens:
                        if len(token) > 1:
                            self._people_by_word.setdefault(token, set()).add(at)
                    if any(len(t) == 1 for t in tokens):
                        self._people_with_initials.add(at)

    def __len__(self) -> int:
        return len(self._listed)

    def _compare(self, form: _Form, floor: float, kind: str) -> dict[int, _Found]:
        found: dict[int, _Found] = {}

        def keep(
            at: int,
            score: float,
            how: str,
            mine: Sequence[str] = (),
            theirs: Sequence[str] = (),
        ) -> None:
            note = ""
            differ = _differing(mine, theirs) if mine or theirs else None
            if differ is not None and score > DIFFERING_CAP:
                score = DIFFERING_CAP
                note = (
                    f"They differ in a distinctive part (“{differ[0]}” and “{differ[1]}”), so "
                    f"the names score at most {DIFFERING_CAP:g}."
                )
            if score >= floor and score > found.get(at, _Found(-1.0, "")).score:
                found[at] = _Found(score, how, note)

        def how(score: float) -> str:
            return "matches" if score == 100 else "resembles"

        if form.cjk:
            for _, score, i in process.extract(
                form.cjk, self._cjks, scorer=fuzz.ratio, score_cutoff=floor, limit=None
            ):
                at = self._cjks_at[i]
                theirs = self._listed[at].form.distinct_cjk
                cap = _cap(form.distinct_cjk, theirs, "ratio")
                keep(at, min(score, cap), how(score), tuple(form.distinct_cjk), tuple(theirs))
            for i in _starting_in(self._cjks_by_first, form.cjk, 1):
                if self._cjks[i] in form.cjk:
                    keep(self._cjks_at[i], CONTAINED_SCORE, "contains")
            return found
        if not form.words:
            return found
        if not form.syllabic:
            # Why: pinyin read from characters comes a syllable at a time, and syllables are
            # shared by unrelated names, so it is compared run together only.
            for _, score, i in process.extract(
                form.words,
                self._words,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=floor,
                limit=None,
            ):
                at = self._words_at[i]
                listed = self._listed[at].form
                cap = _cap(form.distinct_words, listed.distinct_words, "set")
                keep(
                    at,
                    min(score, cap),
                    how(score),
                    sorted(form.distinct_tokens),
                    sorted(listed.distinct_tokens),
                )
            padded = f" {form.words} "
            for i in {i for w in form.words.split() for i in self._words_by_first.get(w, ())}:
                if f" {self._words[i]} " in padded:
                    keep(self._words_at[i], CONTAINED_SCORE, "contains")
        for _, score, i in process.extract(
            form.compact, self._compacts, scorer=fuzz.ratio, score_cutoff=floor, limit=None
        ):
            at = self._compacts_at[i]
            listed = self._listed[at].form
            cap = _cap(form.distinct_compact, listed.distinct_compact, "ratio")
            keep(at, min(score, cap), how(score), form.distinct_tokens, listed.distinct_tokens)
        if form.syllabic:
            for i in _starting_in(self._compacts_by_prefix, form.compact, _PREFIX):
                if self._compacts[i] in form.compact:
                    keep(self._compacts_at[i], CONTAINED_SCORE, "contains")
        if kind != PartyKind.ENTITY and floor <= INITIALS_SCORE:
            self._initials(form, keep)
        return found

    def _initials(self, form: _Form, keep: Callable[..., None]) -> None:
        tokens = form.words.split()
        whole = [t for t in tokens if len(t) > 1]
        if not whole:
            return
        candidates = set.intersection(*(self._people_by_word.get(t, set()) for t in whole))
        if len(whole) == len(tokens):
            candidates &= self._people_with_initials
        for at in candidates:
            if _initials_agree(tokens, self._listed[at].form.words.split()):
                keep(at, INITIALS_SCORE, "agrees by initials with")

    def screen(
        self,
        names: Sequence[str],
        *,
        kind: str = PartyKind.ANY,
        city: str = "",
        threshold: float = DEFAULT_THRESHOLD,
        near_miss_threshold: float = DEFAULT_NEAR_MISS_THRESHOLD,
    ) -> PartnerScreening:
        """Screen one partner, given by one or more names (in any script).

        ``kind`` leaves out parties of the other kind (a person is not compared with listed
        companies); parties of unknown kind are always compared. ``city`` is compared with the
        listed addresses. Hits score at least ``threshold``; near misses below it, at least
        ``near_miss_threshold`` (at most ``NEAR_MISS_LIMIT`` of them). Best score first.
        """
        near_miss_threshold = min(near_miss_threshold, threshold)
        # Why: the other parts can lift a name's score by at most this much, so names below
        # the floor cannot reach even a near miss and are not scored further.
        rest = 100.0 * (1 - evidence.NAME_WEIGHT)
        floor = max(0.0, (near_miss_threshold - rest) / evidence.NAME_WEIGHT)
        given = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
        forms = [form for name in given for form in _forms(name, kind)]
        best: dict[int, _Best] = {}
        for form in forms:
            for at, found in self._compare(form, floor, kind).items():
                listed = self._listed[at]
                if kind and listed.party.kind and listed.party.kind != kind:
                    continue
                current = best.get(listed.party.key)
                if current is None or found.score > current.score:
                    best[listed.party.key] = _Best(found.score, form, listed, found.how, found.note)
        matches = sorted(
            (self._match(b, kind, city) for b in best.values()), key=lambda m: (-m.score, m.key)
        )
        return PartnerScreening(
            names=given,
            forms=tuple(dict.fromkeys(_describe(form) for form in forms)),
            hits=tuple(m for m in matches if m.score >= threshold),
            near_misses=tuple(m for m in matches if near_miss_threshold <= m.score < threshold)[
                :NEAR_MISS_LIMIT
            ],
        )

    def _match(self, best: _Best, kind: str, city: str) -> PartyMatch:
        party = best.listed.party
        name_score = round(best.score, 1)
        parts = (
            evidence.ScorePart(
                "name",
                "Name",
                name_score,
                evidence.NAME_WEIGHT,
                _name_sentence(best, name_score),
            ),
            evidence.country_part(party.addresses, city),
            evidence.type_part(kind, party.kind),
            evidence.program_part(party.source, party.programs),
        )
        return PartyMatch(
            screened=best.form.given,
            key=party.key,
            matched_name=best.listed.original,
            score=evidence.combine(parts),
            form=best.form.label if best.how != "agrees by initials with" else Form.INITIALS,
            listed_as=best.listed.listed_as,
            name_score=name_score,
            parts=parts,
        )

    def search(
        self, name: str, *, kind: str = PartyKind.ANY, threshold: float = DEFAULT_THRESHOLD
    ) -> tuple[PartyMatch, ...]:
        """The hits for one name; see ``screen``."""
        return self.screen([name], kind=kind, threshold=threshold).hits


def _describe(form: _Form) -> str:
    if form.label == Form.AS_WRITTEN:
        return f"“{form.given}” as written"
    if form.label == Form.CHINESE:
        return f"“{form.cjk}” in Chinese characters"
    return f"“{form.shown}” ({form.label})"


def _name_sentence(best: _Best, score: float) -> str:
    form, listed = best.form, best.listed
    if form.label == Form.AS_WRITTEN:
        mine = f"“{form.given}”"
    elif form.label == Form.CHINESE:
        mine = f"“{form.given}” in Chinese characters"
    else:
        mine = f"“{form.given}”, read as “{form.shown}” ({form.label}),"
    theirs = f"the list's {listed.listed_as} “{listed.original}”"
    if listed.form.label == Form.PINYIN:
        theirs += f" (“{listed.form.shown}”)"
    sentence = f"{mine} {best.how} {theirs}: {score:g} of 100."
    if best.note:
        sentence += " " + best.note
    # Why: a spelling both names share ("Harbin" and "Harbin") needs no note.
    notes = (
        *_respelled_against(form, listed.form),
        *_respelled_against(listed.form, form),
    )
    if notes:
        sentence += (
            " Older and postal spellings read as pinyin: " + ", ".join(dict.fromkeys(notes)) + "."
        )
    return sentence


def _respelled_against(form: _Form, other: _Form) -> list[str]:
    theirs = set(other.shown.split())
    return [
        f"{word.capitalize()} → {respell(word).capitalize()}"
        for word in form.shown.split()
        if respell(word) != word and word not in theirs
    ]


def screen_names(
    names: Sequence[tuple[str, str]], index: PartyIndex, *, threshold: float = DEFAULT_THRESHOLD
) -> tuple[PartyMatch, ...]:
    """Screen ``(name, kind)`` pairs; one match per screened name and listed party."""
    found: list[PartyMatch] = []
    for name, kind in names:
        found.extend(index.search(name, kind=kind, threshold=threshold))
    return tuple(found)
