"""The parts a restricted-party score is made of, each with its weight and a sentence.

Plain Python. A match's score is the weighted mean of the parts that could be compared, as
moov-io/watchman combines its pieces: the name's similarity always counts; the country of the
listed addresses counts when the list gives an address; the type counts when the list says
whether the party is a person or an entity. The list program is stated for the reader and
weighs nothing: what a listing means is the list's business, not a measure of likeness.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .scripts import has_cjk, respell, syllables

NAME_WEIGHT = 0.8
COUNTRY_WEIGHT = 0.1
TYPE_WEIGHT = 0.1
PROGRAM_WEIGHT = 0.0

# The partners are in the People's Republic of China; these are how list addresses name it.
_PRC = frozenset({"cn", "chn", "china", "prc", "peoples republic of china", "p r china"})
_PRC_SEPARATE = {
    "hk": "Hong Kong",
    "hong kong": "Hong Kong",
    "mo": "Macau",
    "macau": "Macau",
    "macao": "Macau",
}
_COUNTRY_NAMES = frozenset(
    {"russia", "iran", "pakistan", "united arab emirates", "singapore", "taiwan", "belarus",
     "north korea", "syria", "turkey", "germany", "united kingdom", "united states"}
)  # fmt: skip


@dataclass(frozen=True)
class ScorePart:
    """One part of a score: ``score`` is ``None`` when the part could not be compared."""

    part: str
    label: str
    score: float | None
    weight: float
    explanation: str

    def as_dict(self) -> dict[str, object]:
        return {
            "part": self.part,
            "label": self.label,
            "score": self.score,
            "weight": self.weight,
            "explanation": self.explanation,
        }


def combine(parts: Sequence[ScorePart]) -> float:
    """The weighted mean of the compared parts, rounded to one decimal."""
    counted = [p for p in parts if p.score is not None and p.weight > 0]
    total = sum(p.weight for p in counted)
    if not total:
        return 0.0
    return round(sum(p.weight * (p.score or 0.0) for p in counted) / total, 1)


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.findall(r"[a-z0-9]+", plain.replace("'", "").replace("’", ""))


def _plain(text: str) -> str:
    words = _words(text)
    if has_cjk(text):
        words = [*words, *syllables(text)]
    return "".join(respell(word) for word in words)


def _country_of(address: str) -> str:
    return " ".join(_words(address.rsplit(",", 1)[-1]))


def country_part(addresses: str, city: str = "") -> ScorePart:
    """Whether the listed addresses are in the PRC, where every partner is, and in its city."""
    found = [a.strip() for a in addresses.split(";") if a.strip()]
    label = "Country and address"
    if not found:
        return ScorePart(
            "country",
            label,
            None,
            COUNTRY_WEIGHT,
            "The list gives no address, so the country was not compared.",
        )
    countries = [_country_of(a) for a in found]
    place = _plain(city) if city.strip() else ""
    in_prc = [a for a, c in zip(found, countries, strict=True) if c in _PRC]
    if in_prc:
        if not place:
            return ScorePart(
                "country", label, 100.0, COUNTRY_WEIGHT, "A listed address is in China."
            )
        if any(place in _plain(a) for a in in_prc):
            return ScorePart(
                "country",
                label,
                100.0,
                COUNTRY_WEIGHT,
                f"A listed address is in China, in {city.strip()}, the partner's city.",
            )
        return ScorePart(
            "country",
            label,
            75.0,
            COUNTRY_WEIGHT,
            f"A listed address is in China, but none is in {city.strip()}, the partner's city.",
        )
    separate = sorted({_PRC_SEPARATE[c] for c in countries if c in _PRC_SEPARATE})
    if separate:
        return ScorePart(
            "country",
            label,
            50.0,
            COUNTRY_WEIGHT,
            f"The listed addresses are in {' and '.join(separate)}, which lists keep apart "
            "from mainland China.",
        )
    known = [c for c in countries if len(c) == 2 or c in _COUNTRY_NAMES]
    if known:
        return ScorePart(
            "country",
            label,
            0.0,
            COUNTRY_WEIGHT,
            f"The listed addresses are outside China ({', '.join(sorted(set(known))).upper()}).",
        )
    return ScorePart(
        "country",
        label,
        None,
        COUNTRY_WEIGHT,
        "The listed addresses name no country, so the country was not compared.",
    )


def type_part(partner_kind: str, listed_kind: str) -> ScorePart:
    """Whether a person was compared with a listed person, an institution with an entity."""
    label = "Type"
    noun = {"entity": "an entity", "individual": "a person"}
    if not partner_kind:
        return ScorePart("type", label, None, TYPE_WEIGHT, "The screened name has no type.")
    if not listed_kind:
        return ScorePart(
            "type",
            label,
            None,
            TYPE_WEIGHT,
            "The list does not say whether this party is a person or an entity.",
        )
    return ScorePart(
        "type",
        label,
        100.0 if partner_kind == listed_kind else 0.0,
        TYPE_WEIGHT,
        f"Listed as {noun.get(listed_kind, listed_kind)}, "
        f"{'as' if partner_kind == listed_kind else 'unlike'} the partner.",
    )


def program_part(source: str, programs: str) -> ScorePart:
    """Which list and program the party is on; stated, not scored."""
    where = source.strip() or "the screening list"
    extra = f" (programs: {programs.strip()})" if programs.strip() else ""
    return ScorePart(
        "program",
        "List and program",
        None,
        PROGRAM_WEIGHT,
        f"On the {where}{extra}. The listing's consequences come from that list; "
        "this part does not change the score.",
    )
