"""The last check of a parse before anything is written: keys, numbers and headings that fit.

Every reader's document passes through here (``read_document``), so the import page, the command,
the API and the worker refuse the same files with the same words. Keys become URL-safe (a
``/`` in a key would break every page that links to the clause) and fit their column; a number
or heading too long for its column is refused, saying which clause and by how much, rather than
failing in the database half-way through publishing.
"""

from __future__ import annotations

from dataclasses import replace

from sta_tracker.text import strip_bidi_controls

from .akn_names import MAX_HEADING, MAX_NUMBER, bounded_key, safe_key
from .errors import TextImportError
from .structure import ParsedClause, ParsedDocument


def plain(value: str) -> str:
    """Imported text without bidi controls, nor the NUL a PDF's text layer may hold."""
    return strip_bidi_controls(value).replace("\x00", "")


def checked_document(document: ParsedDocument) -> ParsedDocument:
    """``document`` with safe keys and clean text, or TextImportError saying what does not fit."""
    return replace(
        document,
        title=plain(document.title),
        clauses=_checked_clauses(document.clauses),
        other_texts=tuple(checked_document(text) for text in document.other_texts),
    )


def clause_key(raw: str) -> str:
    """A key as the database and the URLs take it: ``[A-Za-z0-9_-]``, at most 200 characters."""
    return bounded_key(safe_key(raw))


def _checked_clauses(clauses: tuple[ParsedClause, ...]) -> tuple[ParsedClause, ...]:
    keys = {c.key: clause_key(c.key) for c in clauses}
    owners: dict[str, str] = {}
    for raw, key in keys.items():
        if not key:
            raise TextImportError(
                f"The clause named {raw[:60]!r} has no letters or digits to make a key from. "
                "Correct the file and import it again."
            )
        if owners.setdefault(key, raw) != raw:
            raise TextImportError(
                f"The clauses {owners[key][:60]!r} and {raw[:60]!r} would share the key "
                f"{key!r}. Correct the file and import it again."
            )
    checked = []
    for clause in clauses:
        number = plain(clause.number)
        heading = plain(clause.heading)
        for label, value, limit in (
            ("number", number, MAX_NUMBER),
            ("heading", heading, MAX_HEADING),
        ):
            if len(value) > limit:
                raise TextImportError(
                    f"The {label} of clause {keys[clause.key][:60]} is {len(value)} characters "
                    f"long, {len(value) - limit} over the {limit} that fit (“{value[:60]}…”). "
                    "Correct the file and import it again."
                )
        checked.append(
            replace(
                clause,
                key=keys[clause.key],
                parent=keys.get(clause.parent, clause.parent) if clause.parent else None,
                number=number,
                heading=heading,
                text=plain(clause.text),
            )
        )
    return tuple(checked)
