"""A synthetic agreement and a revision of it, for timing the diff engine.

The agreement has articles (headings, no text of their own) holding numbered paragraphs, and an
annex of paragraphs at the end. Words come from a pseudo-vocabulary with a Zipf-like frequency,
so common words repeat across clauses the way "the" and "Parties" do in a real agreement.
Everything depends only on the seed.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace

from clauses.diffing import ClauseText

PARAGRAPHS_PER_ARTICLE = 4
ANNEX_SHARE = 0.1
VOCABULARY_SIZE = 3000
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


@dataclass(frozen=True)
class Rates:
    """Shares of paragraphs changed by a revision.

    ``renumber`` is the share of paragraphs whose key is re-derived from their new position, as
    a careless import would do, so that only their text can pair them with the old version.
    Every paragraph after an insertion, removal or move is renumbered in any case.
    """

    edit: float = 0.1
    move: float = 0.02
    renumber: float = 0.05
    add: float = 0.02
    remove: float = 0.02


class _Words:
    def __init__(self, rng: random.Random) -> None:
        vocabulary: list[str] = []
        seen: set[str] = set()
        while len(vocabulary) < VOCABULARY_SIZE:
            word = "".join(rng.choices(_SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                vocabulary.append(word)
        self.vocabulary = vocabulary
        zipf = (1 / rank for rank in range(1, VOCABULARY_SIZE + 1))
        self.cumulative = list(itertools.accumulate(zipf))
        self.rng = rng

    def pick(self, k: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=k)

    def sentence(self, length: int) -> str:
        chosen = self.pick(length)
        chosen[0] = chosen[0].capitalize()
        for k in range(3, length - 2, 7):
            if self.rng.random() < 0.5:
                chosen[k] += ","
        return " ".join(chosen) + "."

    def paragraph(self, length: int) -> str:
        sentences = []
        while length > 0:
            n = min(length, self.rng.randint(8, 25))
            sentences.append(self.sentence(n))
            length -= n
        return " ".join(sentences)


def synthetic_agreement(*, clauses: int, words: int, seed: int) -> list[ClauseText]:
    """About ``clauses`` clauses holding about ``words`` words in all."""
    rng = random.Random(seed)
    vocabulary = _Words(rng)
    articles = max(1, round(clauses * (1 - ANNEX_SHARE) / (PARAGRAPHS_PER_ARTICLE + 1)))
    annex_paragraphs = max(0, clauses - articles * (PARAGRAPHS_PER_ARTICLE + 1) - 1)
    paragraphs = articles * PARAGRAPHS_PER_ARTICLE + annex_paragraphs
    mean = max(1, words // max(paragraphs, 1))
    out: list[ClauseText] = []

    def add(key: str, kind: str, number: str, heading: str, text: str, parent: str | None) -> None:
        out.append(ClauseText(key, kind, number, heading, text, parent, len(out) + 1))

    for a in range(1, articles + 1):
        heading = " ".join(vocabulary.pick(rng.randint(1, 4))).capitalize()
        add(f"art_{a}", "article", f"Article {a}", heading, "", None)
        for p in range(1, PARAGRAPHS_PER_ARTICLE + 1):
            text = vocabulary.paragraph(rng.randint(mean // 2, mean * 3 // 2) or 1)
            add(f"art_{a}__para_{p}", "paragraph", f"{a}.{p}", "", text, f"art_{a}")
    if annex_paragraphs:
        add("annex_1", "annex", "Annex I", "Annex", "", None)
        for p in range(1, annex_paragraphs + 1):
            text = vocabulary.paragraph(rng.randint(mean // 2, mean * 3 // 2) or 1)
            add(f"annex_1__para_{p}", "paragraph", f"{p}", "", text, "annex_1")
    return out


def _edit(text: str, rng: random.Random, vocabulary: _Words) -> str:
    tokens = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        if len(tokens) < 4:
            break
        at = rng.randrange(len(tokens) - 1)
        action = rng.random()
        if action < 0.4:
            tokens[at] = vocabulary.pick(1)[0]
        elif action < 0.7:
            tokens[at:at] = vocabulary.pick(rng.randint(1, 6))
        elif action < 0.9:
            del tokens[at : at + rng.randint(1, 4)]
        else:
            tokens[at] = tokens[at].rstrip(",") + ","
    return " ".join(tokens)


def _exactly(rate: float, population: int) -> int:
    """How many of ``population`` a rate asks for, rounded, so the share is the same at any size."""
    return min(population, round(rate * population))


def synthetic_revision(
    base: list[ClauseText], *, seed: int, rates: Rates | None = None
) -> list[ClauseText]:
    """A new version of ``base``: paragraphs edited, moved, added, removed and renumbered.

    Each rate is applied exactly (its share of the paragraphs, rounded), to paragraphs the seed
    chooses. Why exactly: a draw per paragraph gives a share of change that wanders with the seed
    (5.7% at one size, 11.5% at another), and a fit across sizes then measures the input.
    """
    rates = rates or Rates()
    rng = random.Random(seed)
    vocabulary = _Words(random.Random(seed + 1))
    containers = [c for c in base if c.parent is None]
    children: dict[str, list[ClauseText]] = {c.key: [] for c in containers}
    for clause in base:
        if clause.parent is not None:
            children[clause.parent].append(clause)
    paragraphs = [c for c in base if c.parent is not None]
    lengths = [len(c.text.split()) for c in paragraphs] or [10]
    count = len(paragraphs)
    removes = _exactly(rates.remove, count)
    moves = _exactly(rates.move, count) if len(containers) > 1 else 0
    edits = _exactly(rates.edit, count)
    chosen = rng.sample(range(count), min(count, removes + moves + edits))
    action = dict.fromkeys(chosen[:removes], "remove")
    action.update(dict.fromkeys(chosen[removes : removes + moves], "move"))
    action.update(dict.fromkeys(chosen[removes + moves :], "edit"))
    for at, clause in enumerate(paragraphs):
        siblings = children[clause.parent or ""]
        what = action.get(at)
        if what == "remove":
            siblings.remove(clause)
        elif what == "move":
            siblings.remove(clause)
            target = rng.choice([c for c in containers if c.key != clause.parent])
            moved = replace(clause, parent=target.key)
            children[target.key].insert(rng.randint(0, len(children[target.key])), moved)
        elif what == "edit":
            edited = replace(clause, text=_edit(clause.text, rng, vocabulary))
            siblings[siblings.index(clause)] = edited
    for added in range(1, _exactly(rates.add, count) + 1):
        parent = rng.choice(containers).key
        text = vocabulary.paragraph(rng.choice(lengths))
        new = ClauseText(f"new_{added}", "paragraph", "", "", text, parent)
        children[parent].insert(rng.randint(0, len(children[parent])), new)
    placed = sum(len(held) for held in children.values())
    renumbered = set(rng.sample(range(placed), _exactly(rates.renumber, placed)))
    out: list[ClauseText] = []
    seen = 0
    for container in containers:
        out.append(replace(container, order=len(out) + 1))
        prefix = container.number.removeprefix("Article ")
        for n, clause in enumerate(children[container.key], start=1):
            number = f"{prefix}.{n}" if container.kind == "article" else str(n)
            key = clause.key
            if seen in renumbered:
                key = f"{container.key}__para_{n}_renumbered"
            seen += 1
            out.append(replace(clause, key=key, number=number, order=len(out) + 1))
    return out


def synthetic_pair(
    *, clauses: int, words: int, seed: int, rates: Rates | None = None
) -> tuple[list[ClauseText], list[ClauseText]]:
    """An agreement and its revision, both from ``seed``."""
    base = synthetic_agreement(clauses=clauses, words=words, seed=seed)
    return base, synthetic_revision(base, seed=seed + 1, rates=rates)
