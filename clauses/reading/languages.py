"""Which language texts a reading page shows (``?lang=en|zh|both``), and the toggle to switch.

A page asked for a language its version does not hold shows the English text with a notice
rather than an empty page; ``both`` sets the texts side by side, one row per top-level clause.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..models import DEFAULT_LANGUAGE, LANGUAGE_NAMES, VersionText, language_name
from .read_models import ClauseNode, text_notice

BOTH = "both"
# The toggle always offers these, so a reader learns a version lacks one from the notice.
OFFERED = ("en", "zh")


@dataclass(frozen=True)
class ToggleLink:
    code: str
    label: str
    query: str
    current: bool


@dataclass(frozen=True)
class LanguageChoice:
    """What a page shows: ``shown`` languages (first one leads), the toggle, and notices."""

    asked: str
    shown: tuple[str, ...]
    held: tuple[str, ...]
    toggle: tuple[ToggleLink, ...]
    missing: str = ""

    @property
    def both(self) -> bool:
        return len(self.shown) > 1

    @property
    def lead(self) -> str:
        return self.shown[0]


def _native(code: str) -> str:
    return LANGUAGE_NAMES.get(code, (code, code))[1]


def language_choice(asked: str | None, held: Collection[str]) -> LanguageChoice:
    """The languages to show for ``?lang=asked`` on a version holding ``held``."""
    held_codes = tuple(sorted(set(held), key=lambda c: (c != DEFAULT_LANGUAGE, c)))
    asked = (asked or DEFAULT_LANGUAGE).strip().lower()
    offered = [*OFFERED, *(c for c in held_codes if c not in OFFERED)]
    if asked not in offered and asked != BOTH:
        asked = DEFAULT_LANGUAGE
    toggle = (
        *tuple(ToggleLink(code, _native(code), f"?lang={code}", code == asked) for code in offered),
        ToggleLink(BOTH, "Both", f"?lang={BOTH}", asked == BOTH),
    )
    others = [c for c in held_codes if c != DEFAULT_LANGUAGE]
    wanted = [DEFAULT_LANGUAGE, *(others or ["zh"])] if asked == BOTH else [asked]
    missing = [c for c in wanted if c not in held_codes]
    shown = tuple(c for c in wanted if c in held_codes) or (held_codes[:1] or (DEFAULT_LANGUAGE,))
    return LanguageChoice(
        asked=asked,
        shown=shown,
        held=held_codes,
        toggle=toggle,
        missing=", ".join(language_name(c) for c in missing),
    )


@dataclass(frozen=True)
class LanguageColumn:
    """One language's text on the page, with the notice its own status calls for."""

    code: str
    name: str
    native: str
    notice: str
    notes: str
    tree: tuple[ClauseNode, ...]


@dataclass(frozen=True)
class SideBySideRow:
    """One top-level clause (or its absence) in each shown language."""

    key: str
    cells: tuple[tuple[str, ClauseNode | None], ...]


def language_column(
    code: str, text: VersionText | None, tree: tuple[ClauseNode, ...]
) -> LanguageColumn:
    return LanguageColumn(
        code=code,
        name=language_name(code),
        native=_native(code),
        notice=text_notice(text.text_status) if text and code != DEFAULT_LANGUAGE else "",
        notes=text.notes if text else "",
        tree=tree,
    )


def side_by_side(columns: Sequence[LanguageColumn]) -> tuple[SideBySideRow, ...]:
    """Rows of top-level clauses matched by key, in the lead language's order, others after."""
    by_key = [{node.clause.key: node for node in column.tree} for column in columns]
    keys: list[str] = []
    for column in columns:
        keys.extend(n.clause.key for n in column.tree if n.clause.key not in keys)
    return tuple(
        SideBySideRow(
            key, tuple((c.code, nodes.get(key)) for c, nodes in zip(columns, by_key, strict=True))
        )
        for key in keys
    )
