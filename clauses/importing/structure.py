"""The parse of one document, as plain data shared by the readers, the matcher and the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

# Where a passage of the source went when it reached no clause (``SetAside.where``).
TITLE = "title"
FRONT_MATTER = "front_matter"
PAGE_FURNITURE = "page_furniture"
NOTE = "note"
METADATA = "metadata"
SET_ASIDE_LABELS = {
    TITLE: "the document's title",
    FRONT_MATTER: "front matter before the first provision",
    PAGE_FURNITURE: "running headers, footers and page numbers",
    NOTE: "footnotes, attached to their clauses",
    METADATA: "the publisher's metadata about the text",
}


@dataclass(frozen=True)
class ParsedClause:
    """One provision as read from a document.

    ``key`` is provisional (derived from the numbering, e.g. ``art_5__para_2``) until the matcher
    gives it the stable key of the clause it continues. ``parent`` is the parent's key.
    ``kind`` is one of the values of ``clauses.models.ClauseKind``. ``notes`` are the clause's
    footnotes, kept apart from its text so that they never run into a sentence.
    """

    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent: str | None = None
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, str | None]:
        return {
            "key": self.key,
            "number": self.number,
            "heading": self.heading,
            "text": self.text,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class SetAside:
    """A passage of the source that reached no clause, and where it went (one of the above)."""

    text: str
    where: str


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed document.

    ``dropped`` holds lines left out as not treaty text (a site's header); ``set_aside`` says
    the same and more with the place each passage went. ``source_text`` is the source's text as
    the reader saw it (for Akoma Ntoso, every text node outside ``meta``), the yardstick the word
    accounting measures the parse against. ``warnings`` are said to the person in the preview
    (a text that ends mid-sentence). ``language`` is the ISO 639-1 code of the text where the
    reader knows it; ``other_texts`` holds the further language texts of a bilingual print.
    """

    title: str
    clauses: tuple[ParsedClause, ...]
    dropped: tuple[str, ...] = ()
    source_format: str = ""
    source_text: str = ""
    front_matter: tuple[str, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    warnings: tuple[str, ...] = ()
    language: str = ""
    other_texts: tuple[ParsedDocument, ...] = field(default=())

    def as_json(self) -> dict[str, list[dict[str, str | None]]]:
        return {"clauses": [clause.as_json() for clause in self.clauses]}
