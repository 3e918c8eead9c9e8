"""The parse of one document, as plain data shared by the readers, the matcher and the loaders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedClause:
    """One provision as read from a document.

    ``key`` is provisional (derived from the numbering, e.g. ``art_5__para_2``) until the matcher
    gives it the stable key of the clause it continues. ``parent`` is the parent's key.
    ``kind`` is one of the values of ``clauses.models.ClauseKind``.
    """

    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "key": self.key,
            "number": self.number,
            "heading": self.heading,
            "text": self.text,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed document. ``dropped`` holds lines left out as not treaty text (a site's header)."""

    title: str
    clauses: tuple[ParsedClause, ...]
    dropped: tuple[str, ...] = ()
    source_format: str = ""

    def as_json(self) -> dict[str, list[dict[str, str | None]]]:
        return {"clauses": [clause.as_json() for clause in self.clauses]}
