"""The STA's further language texts, from clauses/data/sta/texts/<language>/<version label>.json.

A text missing from the database is added through ``version_text_add`` (aligned by number path,
like an imported one); a text already there is corrected clause by clause. The file names each
clause's key so that a change of alignment is caught instead of written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sta_tracker.history import save_with_history

from ..importing.structure import ParsedClause, ParsedDocument
from ..models import Agreement, Clause, ClauseKind, TextStatus, Version
from .languages import LanguageTextError, language_check, version_text_add

CLAUSE_FIELDS = ("key", "kind", "number", "heading", "text", "parent")


@dataclass(frozen=True)
class LanguageText:
    language: str
    label: str
    text_status: str
    note: str
    clauses: tuple[ParsedClause, ...]


@dataclass
class LanguageLoad:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def language_texts_read(texts_dir: Path) -> list[LanguageText]:
    """Every language text file under ``texts_dir``; LanguageTextError on a malformed one."""
    found: list[LanguageText] = []
    for folder in sorted(p for p in texts_dir.iterdir() if p.is_dir()):
        language = language_check(folder.name)
        for path in sorted(folder.glob("*.json")):
            where = f"{folder.name}/{path.name}"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise LanguageTextError(f"{where}: cannot be read as JSON: {exc}.") from exc
            items = data.get("clauses") or []
            if not all(isinstance(i, dict) and set(i) == set(CLAUSE_FIELDS) for i in items):
                raise LanguageTextError(f"{where}: each clause needs exactly {CLAUSE_FIELDS}.")
            clauses = tuple(ParsedClause(**{k: i[k] for k in CLAUSE_FIELDS}) for i in items)
            if not clauses or any(c.kind not in ClauseKind.values for c in clauses):
                raise LanguageTextError(f"{where}: no clauses, or a clause of an unknown kind.")
            if data.get("text_status") not in TextStatus.values:
                raise LanguageTextError(f"{where}: unknown text status.")
            found.append(
                LanguageText(
                    language, data.get("label", ""), data["text_status"], data.get("note", ""),
                    clauses,
                )
            )  # fmt: skip
    return found


def language_texts_load(
    *, agreement: Agreement, texts_dir: Path, acting_user: Any, reason: str
) -> LanguageLoad:
    """Add or correct every language text of ``agreement``'s versions; writes nothing unchanged."""
    load = LanguageLoad()
    if not texts_dir.is_dir():
        return load
    versions = {v.label: v for v in Version.objects.filter(agreement=agreement)}
    for entry in language_texts_read(texts_dir):
        version = versions.get(entry.label)
        where = f"{entry.language} text of version {entry.label!r}"
        if version is None:
            raise LanguageTextError(f"The {where}: no such version.")
        stored = {c.key: c for c in version.clauses.filter(language=entry.language)}
        if not stored:
            version_text_add(
                version=version,
                document=ParsedDocument(title="", clauses=entry.clauses, language=entry.language),
                language=entry.language,
                text_status=entry.text_status,
                acting_user=acting_user,
                reason=reason,
                notes=entry.note,
            )
            stored = {c.key: c for c in version.clauses.filter(language=entry.language)}
            load.created.append(where)
        wanted = [c.key for c in entry.clauses]
        if sorted(stored) != sorted(wanted):
            raise LanguageTextError(
                f"The {where} no longer lines up with the English text: stored "
                f"{', '.join(sorted(set(stored) - set(wanted))) or '-'}; in the file "
                f"{', '.join(sorted(set(wanted) - set(stored))) or '-'}."
            )
        for clause in entry.clauses:
            _correct(stored[clause.key], clause, f"{where}/{clause.key}", acting_user, reason, load)
    return load


def _correct(
    row: Clause, clause: ParsedClause, label: str, acting_user: Any, reason: str, load: LanguageLoad
) -> None:
    changed = [
        name
        for name in ("number", "heading", "text")
        if getattr(row, name) != getattr(clause, name)
    ]
    if not changed:
        return
    for name in changed:
        setattr(row, name, getattr(clause, name))
    save_with_history(row, acting_user=acting_user, reason=f"{reason} (corrected)"[:100])
    load.updated.append(f"{label}: {', '.join(changed)}")
