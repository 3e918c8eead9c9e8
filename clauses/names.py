"""Names people read for clauses and versions: never a stable key or a slug.

Keys (``art_5``, ``annex_1__sec_II__para_C``) and version labels (``2024-protocol``) stay in
addresses and the API; pages show a clause's number with its place and a version's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

# A number that starts with a word ("Article 5", "Annex 1") names itself; a bare one ("2.",
# "(iii)", "II.") reads better with its kind in front ("paragraph 2").
NAMED_NUMBER = re.compile(r"[^\W\d_]{3,}\s")
SELF_NAMED_KINDS = {"article", "annex", "preamble", "signature"}

# The parts of a stable key, spelled out: ``sec_II`` is "Section II".
KEY_WORDS = {
    "art": "Article",
    "annex": "Annex",
    "sec": "Section",
    "para": "paragraph",
    "item": "item",
    "preamble": "Preamble",
    "signature": "Signature",
    "part": "Part",
    "chapter": "Chapter",
    "schedule": "Schedule",
    "appendix": "Appendix",
}
KEY_PART = re.compile(r"(?P<word>[a-z]+)(?:_(?P<number>[0-9A-Za-z]+))?(?:_(?P<again>\d+))?")


def key_name(key: str) -> str:
    """``preamble_2`` → "Preamble, paragraph 2"; ``art_5`` → "Article 5"; for a clause that
    has neither number nor heading. A second number (``art_5_2``, the key of a later provision
    that took a number already used) is not part of the name."""
    names: list[str] = []
    for n, part in enumerate(key.split("__")):
        match = KEY_PART.fullmatch(part)
        if match is None:
            names.append(part.replace("_", " "))
            continue
        word = KEY_WORDS.get(match["word"], match["word"])
        if n == 0:
            word = word[:1].upper() + word[1:]
        number = match["number"]
        if number and match["word"] == "preamble":
            # Why: the preamble's numbered parts are its paragraphs.
            names.append(f"{word}, paragraph {number}")
        else:
            names.append(f"{word} {number}" if number else word)
    return ", ".join(names)


def clause_name(*, key: str, kind: str, number: str, heading: str) -> str:
    """The clause's own name within its parent: "Article 5", "paragraph 2", "Preamble"."""
    name = number.rstrip(".").strip() or heading or key_name(key)
    if number and kind not in SELF_NAMED_KINDS and not NAMED_NUMBER.match(number):
        name = f"{kind} {name}"
    return name


class Named(Protocol):
    key: str
    kind: str
    number: str
    heading: str

    @property
    def parent(self) -> Named | None: ...


def clause_place(clause: Named) -> str:
    """``Article 5, paragraph 2``: the clause's name with its parents', outermost first."""
    names: list[str] = []
    current: Named | None = clause
    while current is not None and len(names) < 8:
        names.append(
            clause_name(
                key=current.key, kind=current.kind, number=current.number, heading=current.heading
            )
        )
        current = current.parent
    return ", ".join(reversed(names))


class Keyed(Protocol):
    """A clause whose parent is named by its key (a parse, a plan, a version's rows)."""

    # Why properties: the clauses of a parse or a plan are frozen dataclasses.
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


def places_by_key(clauses: Iterable[Keyed]) -> dict[str, str]:
    """Each clause's place (``Article 5, paragraph 2``) by its key, as :func:`clause_place`
    names a clause whose parents are loaded with it."""
    rows = list(clauses)
    names = {
        c.key: clause_name(key=c.key, kind=c.kind, number=c.number, heading=c.heading) for c in rows
    }
    parents = {c.key: c.parent for c in rows}
    places: dict[str, str] = {}
    for key in names:
        chain: list[str] = []
        current: str | None = key
        # Why the bound: a parse with a parent loop must not hang the page.
        while current is not None and current in names and len(chain) < 8:
            chain.append(names[current])
            current = parents[current]
        places[key] = ", ".join(reversed(chain))
    return places
