"""Further language texts of a version: preview the alignment, then write the text.

A language text is another authentic (or translated) text of the same point in time: it never
changes what is in force, repeals nothing and flags no proposal, so adding one queues no work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sta_tracker.history import save_with_history

from ..importing.languages import (
    AlignmentError,
    ExistingClause,
    LanguageAlignment,
    align_language,
)
from ..importing.structure import ParsedClause, ParsedDocument
from ..models import (
    DEFAULT_LANGUAGE,
    ChangeKind,
    Clause,
    TextStatus,
    Version,
    VersionText,
    language_name,
)
from ..names import key_name
from .tree import write_tree
from .versions import VersionError

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
LANGUAGE_TEXT_STATUSES = (
    TextStatus.OFFICIAL,
    TextStatus.PARTIAL,
    TextStatus.UNOFFICIAL,
    TextStatus.ILLUSTRATIVE,
)


class LanguageTextError(VersionError):
    """A language text cannot be added as asked; the message says why."""


@dataclass(frozen=True)
class PreviewRow:
    """One line of the preview: a clause of the new text, of the version's text, or both."""

    new_key: str
    new_number: str
    new_text: str
    key: str
    existing_label: str
    by_person: bool = False


@dataclass(frozen=True)
class LanguagePreview:
    """What adding ``language`` to ``version`` would write, for the import page."""

    language: str
    language_name: str
    held: tuple[str, ...]
    pairs: tuple[PreviewRow, ...]
    unaligned_new: tuple[PreviewRow, ...]
    unaligned_existing: tuple[PreviewRow, ...]
    alignment: LanguageAlignment

    def as_json(self) -> dict[str, object]:
        return {"language": self.language, "held": list(self.held), **self.alignment.as_json()}


def language_check(code: str) -> str:
    """``code`` if it is an ISO 639-1 code (two lower-case letters); else LanguageTextError."""
    if not LANGUAGE_CODE.match(code):
        raise LanguageTextError(
            f"{code!r} is not a language code: give the ISO 639-1 code in two lower-case "
            "letters (en, zh, fr)."
        )
    return code


def languages_held(version: Version) -> list[str]:
    """The languages ``version`` holds a text in, English first."""
    codes = {text.language for text in version.texts.all()}
    return sorted(codes, key=lambda code: (code != DEFAULT_LANGUAGE, code))


def _existing(version: Version) -> list[ExistingClause]:
    rows = (
        version.clauses.filter(language=DEFAULT_LANGUAGE)
        .exclude(change=ChangeKind.REPEALED)
        .select_related("parent")
        .order_by("order")
    )
    return [
        ExistingClause(c.key, c.kind, c.number, c.parent.key if c.parent else None) for c in rows
    ]


def _align(
    version: Version,
    document: ParsedDocument,
    language: str,
    pairs: Mapping[str, str | None] | None,
) -> tuple[LanguageAlignment, list[ExistingClause]]:
    existing = _existing(version)
    taken = set(
        Clause.objects.filter(version__agreement_id=version.agreement_id).values_list(
            "key", flat=True
        )
    )
    try:
        return align_language(
            existing, document.clauses, language=language, taken=taken, pairs=pairs
        ), existing
    except AlignmentError as exc:
        raise LanguageTextError(str(exc)) from exc


def _snippet(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= 80 else first[:79] + "…"


def language_preview(
    version: Version,
    document: ParsedDocument,
    *,
    language: str = "",
    pairs: Mapping[str, str | None] | None = None,
) -> LanguagePreview:
    """The alignment of ``document`` with ``version``'s English text; writes nothing.

    ``language`` defaults to the one the reader found in the document.
    """
    language = language_check(language or document.language)
    alignment, existing = _align(version, document, language, pairs)
    labels = {c.key: c.number or c.key for c in existing}
    new = {c.key: c for c in document.clauses}

    def row(new_key: str = "", key: str = "", by_person: bool = False) -> PreviewRow:
        clause = new.get(new_key)
        return PreviewRow(
            new_key=new_key,
            new_number=clause.number if clause else "",
            new_text=_snippet(clause.text) if clause else "",
            key=key,
            existing_label=labels.get(key, ""),
            by_person=by_person,
        )

    final = dict(alignment.keys)
    return LanguagePreview(
        language=language,
        language_name=language_name(language),
        held=tuple(languages_held(version)),
        pairs=tuple(row(p.new_key, p.key, p.by_person) for p in alignment.pairs),
        unaligned_new=tuple(row(k, final[k]) for k in alignment.unaligned_new),
        unaligned_existing=tuple(row(key=k) for k in alignment.unaligned_existing),
        alignment=alignment,
    )


def version_text_add(
    *,
    version: Version,
    document: ParsedDocument,
    language: str,
    text_status: str,
    acting_user: Any,
    reason: str,
    pairs: Mapping[str, str | None] | None = None,
    source_name: str = "",
    notes: str = "",
) -> VersionText:
    """Add ``version``'s text in ``language``: a VersionText and its clauses, with history.

    Clauses aligned with the English text take their keys (and their change and instrument);
    ``pairs`` (provisional key → existing key, or ``None``) records what a person paired or
    left unaligned. Nothing else is touched: no period, no other clause, no queued work.
    """
    reason = reason.strip()
    if not reason:
        raise LanguageTextError("Say why the text is added; the reason is kept in the history.")
    language_check(language)
    if text_status not in LANGUAGE_TEXT_STATUSES:
        allowed = ", ".join(str(s) for s in LANGUAGE_TEXT_STATUSES)
        raise LanguageTextError(f"Text status {text_status!r} is not one of: {allowed}.")
    if not document.clauses:
        raise LanguageTextError("No clauses were found in the text.")
    with transaction.atomic():
        # Why: two people adding the same language at once must not both pass the check below.
        version = Version.objects.select_for_update().get(pk=version.pk)
        if version.texts.filter(language=language).exists():
            raise LanguageTextError(
                f"Version {version.label} already has a text in {language_name(language)} "
                f"({language}); correct its clauses instead of adding it again."
            )
        alignment, _ = _align(version, document, language, pairs)
        text = VersionText(
            version=version,
            language=language,
            text_status=text_status,
            source_name=source_name[:255],
            notes=notes,
        )
        save_with_history(text, acting_user=acting_user, reason=reason)
        _write(version, alignment.clauses, language, acting_user=acting_user, reason=reason)
    return text


def _write(
    version: Version,
    clauses: tuple[ParsedClause, ...],
    language: str,
    *,
    acting_user: Any,
    reason: str,
) -> None:
    counterparts = {
        c.key: c for c in version.clauses.filter(language=DEFAULT_LANGUAGE).only(
            "key", "change", "changed_by_id"
        )
    }  # fmt: skip

    def build(c: ParsedClause, order: int, level: int, parent: Clause | None) -> Clause:
        twin = counterparts.get(c.key)
        return Clause(
            version=version,
            language=language,
            key=c.key,
            kind=c.kind,
            number=c.number,
            heading=c.heading,
            text=c.text,
            parent=parent,
            order=order,
            depth=level,
            # Why: the provision changed as its English text did; a clause only this text
            # holds is new to the record.
            change=twin.change if twin else ChangeKind.ADDED,
            changed_by_id=twin.changed_by_id if twin else version.instrument_id,
            notes=list(c.notes),
        )

    write_tree(clauses, Clause, build, acting_user=acting_user, reason=reason)


OTHER_TEXT_REASON = "Second language text of the same print"


def other_texts_summary(document: ParsedDocument) -> list[dict[str, Any]]:
    """The further language texts of a bilingual print, as the preview and the command say them.

    Each is aligned with the print's first text, the one publishing makes the version's
    English text; a clause that finds no counterpart keeps a key of its own and is listed.
    """
    first = [ExistingClause(c.key, c.kind, c.number, c.parent) for c in document.clauses]
    taken = {c.key for c in document.clauses}
    summary = []
    for other in document.other_texts:
        try:
            alignment = align_language(first, other.clauses, language=other.language, taken=taken)
        except AlignmentError:
            unaligned: list[str] = [c.number or key_name(c.key) for c in other.clauses]
        else:
            numbers = {c.key: c.number or key_name(c.key) for c in other.clauses}
            unaligned = [numbers[k] for k in alignment.unaligned_new]
        summary.append(
            {
                "language": other.language,
                "language_name": language_name(other.language),
                "clauses": len(other.clauses),
                "unaligned": unaligned,
            }
        )
    return summary


def other_texts_add(
    *, version: Version, document: ParsedDocument, text_status: str, acting_user: Any,
    source_name: str = "",
) -> list[VersionText]:  # fmt: skip
    """Add each further language text of a bilingual print to the version made of its first."""
    return [
        version_text_add(
            version=version,
            document=other,
            language=other.language,
            text_status=text_status,
            acting_user=acting_user,
            reason=OTHER_TEXT_REASON,
            source_name=source_name,
        )
        for other in document.other_texts
    ]
