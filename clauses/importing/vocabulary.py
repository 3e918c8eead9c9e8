"""The words that head the parts of a treaty or law, per language, as data.

Each entry is ``(kind, prefix, rank)`` with the words that print it. ``kind`` is the clause
kind, ``prefix`` the key segment (``art``, ``chp``), ``rank`` its depth in the tree (a part
holds chapters, a chapter sections, a section articles). Words are matched as printed and in
capitals (``Article``, ``ARTICLE``); a lower-case word at the start of a line is a wrapped
reference, never a heading. The patterns built here are plain alternations of literals followed
by a number, so matching takes time linear in the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StructureWord:
    kind: str
    prefix: str
    rank: int
    words: tuple[str, ...]


# Words written before the number: ``Article 5``, ``SEC. 2.``, ``Hoofdstuk III``, ``§ 3``.
WORDS_BEFORE = (
    StructureWord("section", "part", 1, (
        "Part", "Partie", "Teil", "Deel", "Parte", "Avdelning", "Title", "Titre", "Titel",
        "Titolo", "Título",
    )),
    StructureWord("section", "chp", 2, (
        "Chapter", "Chapitre", "Kapitel", "Hoofdstuk", "Capo", "Capitolo", "Capítulo",
    )),
    StructureWord("section", "sec", 3, (
        "Section", "Sec.", "Abschnitt", "Afdeling", "Sezione", "Sección", "Avsnitt",
    )),
    StructureWord("article", "art", 4, (
        "Article", "Art.", "Artikel", "Articolo", "Artículo", "Articulo", "Artikla", "§",
    )),
    StructureWord("annex", "annex", 0, (
        "Annex", "Annexe", "Appendix", "Schedule", "Anhang", "Anlage", "Bijlage", "Allegato",
        "Anexo", "Bilaga", "Liite",
    )),
)  # fmt: skip

# Words written after the number (Finnish and Swedish law): ``1 artikla``, ``3 luku``, ``5 §``.
WORDS_AFTER = (
    StructureWord("section", "part", 1, ("osa", "avd.")),
    StructureWord("section", "chp", 2, ("luku", "kap.")),
    StructureWord("article", "art", 4, ("artikla", "§")),
    StructureWord("annex", "annex", 0, ("liite",)),
)

# Chinese: 第一编 / 第一章 / 第一节 / 第一条 and 附件一, 附录二.
CHINESE_DIVISIONS = {"编": ("part", 1), "章": ("chp", 2), "节": ("sec", 3)}
CHINESE_ANNEX_WORDS = ("附件", "附录")
# Why: 第五条的规定 / 第五条至第七条 at the start of a line is a reference, not an article.
CHINESE_REFERENCE_FOLLOWERS = tuple("的之和或及至、，,规所中第")

# Parts that follow a signature or an annex and start afresh (their own top-level part).
PART_TITLES = (
    "Agreed Minute", "Agreed Minutes", "Agreed Minutes of", "Understanding", "Understandings",
    "Annexed Understanding", "Memorandum of Understanding", "Final Act", "Exchange of Letters",
    "Exchange of Notes", "Protocol", "Procès-verbal agréé", "Acte final", "Slotakte",
    "Schlussakte", "Protokoll", "Notawisseling", "Briefwisseling",
)  # fmt: skip

# Salutations that open a letter of an exchange (``Excellency:``, ``Sir,``).
SALUTATIONS = (
    "Excellency", "Your Excellency", "Sir", "Dear Sir", "Madam", "Dear Madam", "Monsieur",
    "Madame", "Excellence", "Exzellenz", "Excellentie", "Eccellenza", "Excelencia", "Herr",
)  # fmt: skip
COMPLIMENTARY_CLOSES = ("Sincerely", "Yours sincerely", "Very truly yours", "Respectfully")

# Lines a collection adds to each record (the Dutch treaty database's status notes).
COLLECTION_NOTES = ("Wordt voorlopig toegepast per ", "Treedt in werking per ")

SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")


def case_forms(word: str) -> tuple[str, ...]:
    """The printed word, its capitals, and the capitalised form of a lower-case word."""
    return tuple(dict.fromkeys((word, word.upper(), word[:1].upper() + word[1:])))


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first so ``Annexe`` wins over ``Annex``."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


def words_before() -> dict[str, StructureWord]:
    """Every printed form of a word written before the number, to its entry."""
    return {form: entry for entry in WORDS_BEFORE for w in entry.words for form in case_forms(w)}


def words_after() -> dict[str, StructureWord]:
    return {form: entry for entry in WORDS_AFTER for w in entry.words for form in case_forms(w)}


def part_title_forms() -> tuple[str, ...]:
    return tuple(form for title in PART_TITLES for form in case_forms(title))


def salutation_forms() -> tuple[str, ...]:
    return tuple(form for word in SALUTATIONS for form in case_forms(word))


# Lines that open a signature block (checked as prefixes, in the printed and capital forms).
SIGNATURE_OPENINGS = (
    "Done at", "Done in", "In witness whereof", "For the Government of", "For the Kingdom of",
    "For the Republic of", "Gedaan te", "Gedaan in", "Ten blijke waarvan", "Voor de Regering van",
    "Voor het Koninkrijk der Nederlanden", "Fait à", "Fait en", "En foi de quoi",
    "Pour le Gouvernement", "Geschehen zu", "Geschehen in", "Zu Urkund dessen",
    "Für die Regierung", "Fatto a", "Fatto in", "In fede di che", "Per il Governo", "Hecho en",
    "En fe de lo cual", "Por el Gobierno", "Upprättat", "Till bekräftelse härav",
    "För regeringen", "Tehty", "Tämän vakuudeksi",
)  # fmt: skip
# Marks that stand for a signature in a printed copy: ``(Signed)``, ``(w.g.)``, ``(签字)``.
SIGNED_MARKS = (
    "Signed", "signed", "SIGNED", "s.", "sgd.", "w.g.", "get.", "gez.", "signé", "firmato",
    "firmado", "undertecknat", "allekirjoitettu", "签字", "签署", "签 字", "签 署",
)  # fmt: skip


def signature_opening_forms() -> tuple[str, ...]:
    return tuple(form for words in SIGNATURE_OPENINGS for form in case_forms(words))


# A line ending in one of these words goes on to the next line: what follows is not a heading
# or a numbered paragraph but the rest of the sentence (``… referred to in paragraph`` / ``2.``).
CONTINUATION_WORDS = frozenset(
    (
        "paragraph",
        "paragraphs",
        "subparagraph",
        "subparagraphs",
        "article",
        "articles",
        "section",
        "sections",
        "point",
        "points",
        "annex",
        "annexes",
        "item",
        "items",
        "chapter",
        "part",
        "in",
        "of",
        "to",
        "under",
        "with",
        "by",
        "the",
        "a",
        "an",
        "from",
        "per",
        "artikel",
        "lid",
        "bijlage",
        "van",
        "het",
        "de",
        "der",
        "den",
        "des",
        "im",
        "zum",
        "zur",
        "la",
        "le",
        "les",
        "du",
        "au",
        "aux",
        "del",
        "della",
    )
)  # fmt: skip

# Lines a publisher puts before or around the text: an HTML ``<meta>`` line, an HTML comment
# (the LawRefBook collection ends its header with ``<!-- INFO END -->``).
METADATA_PREFIXES = ("<meta ", "<meta\t", "<!--")
METADATA_HEADER_END = "<!-- INFO END -->"

# Words that open a sentence after a title run into it (``IV. Business Confidential Information
# In the event that …``).
SENTENCE_OPENERS = frozenset(
    ("The", "In", "Each", "Both", "Unless", "Where", "A", "An", "This", "These", "Any", "All",
     "Subject", "Nothing", "If", "When", "Except", "Neither", "No", "Notwithstanding")
)  # fmt: skip
