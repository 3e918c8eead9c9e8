"""Real legal English as differ input: the licence texts every Debian machine carries.

``/usr/share/common-licenses`` holds the GPL, LGPL, GFDL, MPL, Apache and Artistic licences as
plain text. Each licence becomes a part (a container headed by its title), each numbered section
an article (a container headed by its title line, or without a heading when the section's text
starts on the number's line), each block of text a paragraph, and each sentence of a block of
several sentences a point under its paragraph (which is then a container). Keys and numbers are
derived from positions, as a careless import derives them, so moving one article gives every
later article of its part (and every clause under them) another key.

The benchmarks and the diff engine's tests both read this; the tests skip where the directory is
absent.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from clauses.diffing import ClauseText

LICENCES_DIR = Path("/usr/share/common-licenses")
# Why this order: the longest structured texts first, so that small sizes are still several
# articles of real prose; the last ones are the oldest versions of the same licences, whose
# sentences often repeat the newer ones word for word, as a treaty's protocols repeat it.
LICENCES = (
    "GPL-3",
    "Apache-2.0",
    "MPL-2.0",
    "GFDL-1.3",
    "LGPL-2.1",
    "GPL-2",
    "MPL-1.1",
    "Artistic",
    "CC0-1.0",
    "LGPL-3",
    "GPL-1",
    "GFDL-1.2",
    "LGPL-2",
)
_SECTION = re.compile(r"(\d+)\.\s+(\S.*)")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z(\"])")


@dataclass
class Article:
    """A section of a licence: its heading and its blocks, each a list of sentences."""

    heading: str
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many clauses the article makes: itself, its paragraphs and their points."""
        return 1 + sum(1 if len(p) == 1 else 1 + len(p) for p in self.paragraphs)


@dataclass
class Part:
    """One licence: its title and its sections."""

    title: str
    articles: list[Article] = field(default_factory=list)


def available(directory: Path = LICENCES_DIR) -> bool:
    return all((directory / name).is_file() for name in LICENCES)


def _blocks(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def read_part(path: Path) -> Part:
    """A licence cut into sections and sentences."""
    blocks = _blocks(path.read_text(encoding="utf-8"))
    part = Part(title=blocks[0])
    current = Article(heading="")
    for block in blocks[1:]:
        found = _SECTION.fullmatch(block)
        if found is not None:
            if current.paragraphs:
                part.articles.append(current)
            rest = found.group(2)
            # Why: a short block with no sentence after its title is the section's heading.
            if len(rest) <= 80 and not _SENTENCE_END.search(rest):
                current = Article(heading=rest)
                continue
            current = Article(heading="")
            block = rest
        current.paragraphs.append(_SENTENCE_END.split(block))
    if current.paragraphs:
        part.articles.append(current)
    return part


def read_parts(directory: Path = LICENCES_DIR) -> list[Part]:
    return [read_part(directory / name) for name in LICENCES]


def clauses_by_position(parts: Sequence[Part]) -> list[ClauseText]:
    """The clauses of ``parts``, every key and number derived from its position."""
    out: list[ClauseText] = []

    def add(key: str, kind: str, number: str, heading: str, text: str, parent: str | None) -> None:
        out.append(ClauseText(key, kind, number, heading, text, parent, order=len(out) + 1))

    for p, part in enumerate(parts, start=1):
        part_key = f"part_{p}"
        add(part_key, "part", f"Part {p}", part.title, "", None)
        for a, article in enumerate(part.articles, start=1):
            article_key = f"{part_key}__art_{a}"
            add(article_key, "article", f"Article {a}", article.heading, "", part_key)
            for k, sentences in enumerate(article.paragraphs, start=1):
                para_key = f"{article_key}__para_{k}"
                if len(sentences) == 1:
                    add(para_key, "paragraph", f"{a}.{k}", "", sentences[0], article_key)
                    continue
                add(para_key, "paragraph", f"{a}.{k}", "", "", article_key)
                for s, sentence in enumerate(sentences, start=1):
                    add(f"{para_key}__point_{s}", "point", f"({s})", "", sentence, para_key)
    return out


def first_clauses(parts: Sequence[Part], clauses: int) -> list[Part]:
    """Whole articles, in reading order, until about ``clauses`` clauses (one part at least)."""
    taken: list[Part] = []
    count = 0
    for part in parts:
        if count >= clauses:
            break
        kept = Part(part.title)
        taken.append(kept)
        count += 1
        for article in part.articles:
            if count >= clauses:
                break
            kept.articles.append(article)
            count += article.size
    return taken


def with_article_moved(parts: Sequence[Part], part: int = 0, article: int = 1) -> list[Part]:
    """``parts`` with one article (by index) moved to the end of the last part."""
    out = [replace(p, articles=list(p.articles)) for p in parts]
    moving = out[part].articles.pop(article)
    out[-1].articles.append(moving)
    return out


def real_pair(
    clauses: int, directory: Path = LICENCES_DIR
) -> tuple[list[ClauseText], list[ClauseText]]:
    """About ``clauses`` clauses of real text, and the same with its second article moved to the
    end, both keyed by position."""
    parts = first_clauses(read_parts(directory), clauses)
    return clauses_by_position(parts), clauses_by_position(with_article_moved(parts))


def _edit(sentence: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """One to three local changes: a word replaced, words inserted or deleted, a comma added."""
    tokens = sentence.split(" ")
    for _ in range(rng.randint(1, 3)):
        if len(tokens) < 4:
            break
        at = rng.randrange(len(tokens) - 1)
        action = rng.random()
        if action < 0.4:
            tokens[at] = rng.choice(vocabulary)
        elif action < 0.7:
            tokens[at:at] = rng.choices(vocabulary, k=rng.randint(1, 6))
        elif action < 0.9:
            del tokens[at : at + rng.randint(1, 4)]
        else:
            tokens[at] = tokens[at].rstrip(",") + ","
    return " ".join(tokens)


def with_sentences_edited(parts: Sequence[Part], *, share: float, seed: int) -> list[Part]:
    """``parts`` with about ``share`` of the sentences edited, words drawn from the text itself."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {w for p in parts for a in p.articles for s in a.paragraphs for w in " ".join(s).split()}
    )
    out = []
    for part in parts:
        articles = []
        for article in part.articles:
            paragraphs = [
                [_edit(s, rng, vocabulary) if rng.random() < share else s for s in sentences]
                for sentences in article.paragraphs
            ]
            articles.append(Article(article.heading, paragraphs))
        out.append(Part(part.title, articles))
    return out


def real_revision(
    clauses: int, *, share: float = 0.1, seed: int = 1979, directory: Path = LICENCES_DIR
) -> tuple[list[ClauseText], list[ClauseText]]:
    """About ``clauses`` clauses of real text, and a revision: the second article moved to the
    end and about ``share`` of the sentences edited, both keyed by position."""
    parts = first_clauses(read_parts(directory), clauses)
    revised = with_sentences_edited(with_article_moved(parts), share=share, seed=seed)
    return clauses_by_position(parts), clauses_by_position(revised)
