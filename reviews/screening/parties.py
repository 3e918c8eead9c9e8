"""Restricted-party screening: compare partner names with listed names, fuzzily.

Plain Python. Names are normalised first (case, accents, punctuation, common abbreviations),
then every listed name and alternative name is scored against the partner's name with
rapidfuzz's token-sort ratio, so word order ("Wang Wei" / "Wei Wang") does not matter. A listed
name that appears whole inside the partner's name (a campus, branch or department of a listed
party, such as "Harbin Institute of Technology (Shenzhen)") scores at least ``CONTAINED_SCORE``.

Institution names share long generic tails ("Institute of Technology"), which alone would make
"Beijing Institute of Technology" resemble "Harbin Institute of Technology". So the score is
capped by how well the distinctive words (the rest) agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

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
DEFAULT_THRESHOLD = 88.0
CONTAINED_SCORE = 90.0
# Why: a one-word alias such as "CAS" inside a long name proves little on its own.
_CONTAINED_MIN_LENGTH = 8


class PartyKind:
    ENTITY = "entity"
    INDIVIDUAL = "individual"
    ANY = ""


@dataclass(frozen=True)
class ListedParty:
    """One entry of a screening list: its key, name, alternative names and kind."""

    key: int
    name: str
    alt_names: tuple[str, ...] = ()
    kind: str = PartyKind.ANY


@dataclass(frozen=True)
class PartyMatch:
    """The best-scoring name of one listed party for one screened name."""

    screened: str
    key: int
    matched_name: str
    score: float


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
    return " ".join(word for word in normal.split() if word not in GENERIC_WORDS)


def _distinctive_score(query: str, listed: str) -> float:
    mine, theirs = distinctive(query), distinctive(listed)
    if not mine and not theirs:
        return 100.0
    if not mine or not theirs:
        return 0.0
    return float(fuzz.token_set_ratio(mine, theirs))


def party_kind(entry_type: str) -> str:
    value = entry_type.strip().casefold()
    if value == "individual":
        return PartyKind.INDIVIDUAL
    if value in {"entity", "organization", "organisation", "company"}:
        return PartyKind.ENTITY
    return PartyKind.ANY


class PartyIndex:
    """Every normalised name of a list, ready to be searched many times."""

    def __init__(self, parties: Iterable[ListedParty]) -> None:
        self._names: list[str] = []
        self._owners: list[tuple[ListedParty, str]] = []
        for party in parties:
            seen: set[str] = set()
            for original in (party.name, *party.alt_names):
                normal = normalise(original)
                if normal and normal not in seen:
                    seen.add(normal)
                    self._names.append(normal)
                    self._owners.append((party, original))

    def __len__(self) -> int:
        return len(self._owners)

    def search(
        self, name: str, *, kind: str = PartyKind.ANY, threshold: float = DEFAULT_THRESHOLD
    ) -> tuple[PartyMatch, ...]:
        """Listed parties whose name or an alternative name scores at least ``threshold``.

        ``kind`` leaves out parties of the other kind (a person is not compared with listed
        companies); parties of unknown kind are always compared. Best score first, then key.
        """
        query = normalise(name)
        if not query:
            return ()
        scored: dict[int, float] = {}
        for listed, score, index in process.extract(
            query, self._names, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        ):
            capped = min(score, _distinctive_score(query, listed))
            if capped >= threshold:
                scored[index] = capped
        if threshold <= CONTAINED_SCORE:
            padded = f" {query} "
            for index, listed in enumerate(self._names):
                if len(listed) >= _CONTAINED_MIN_LENGTH and f" {listed} " in padded:
                    scored[index] = max(scored.get(index, 0.0), CONTAINED_SCORE)
        best: dict[int, PartyMatch] = {}
        for index, score in scored.items():
            party, original = self._owners[index]
            if kind and party.kind and party.kind != kind:
                continue
            current = best.get(party.key)
            if current is None or score > current.score:
                best[party.key] = PartyMatch(
                    screened=name, key=party.key, matched_name=original, score=round(score, 1)
                )
        return tuple(sorted(best.values(), key=lambda m: (-m.score, m.key)))


def screen_names(
    names: Sequence[tuple[str, str]], index: PartyIndex, *, threshold: float = DEFAULT_THRESHOLD
) -> tuple[PartyMatch, ...]:
    """Screen ``(name, kind)`` pairs; one match per screened name and listed party."""
    found: list[PartyMatch] = []
    for name, kind in names:
        found.extend(index.search(name, kind=kind, threshold=threshold))
    return tuple(found)
