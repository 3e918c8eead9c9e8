"""Read models for the browsing pages, built in Python from rows loaded in a fixed few queries.

Views load every clause of a version (or every row of one clause key) at once and hand them here,
so page cost does not grow with the number of clauses or versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import (
    Agreement,
    ChangeKind,
    Clause,
    ClauseKind,
    Instrument,
    InstrumentKind,
    TextStatus,
    Version,
    key_anchor,
    provision_label,
)
from ..record.dates import dated

NOTICES = {
    TextStatus.ILLUSTRATIVE: (
        "Illustrative text — written for this product, not the official wording. "
        "Do not quote it as the agreement."
    ),
    TextStatus.PARTIAL: (
        "Partial text — only part of the official wording is available; the rest is missing "
        "or summarised."
    ),
    TextStatus.NONE: "No text of this instrument is available.",
}


CITATION_NOTES = {
    TextStatus.ILLUSTRATIVE: " (illustrative text)",
    TextStatus.PARTIAL: " (partial text)",
}


def citation_note(status: str) -> str:
    """`` (illustrative text)``: what a copied citation says of a text that is not official."""
    return CITATION_NOTES.get(TextStatus(status), "") if status in TextStatus.values else ""


def text_notice(status: str) -> str:
    """The plain warning a page shows above a text that is not the complete official wording."""
    return NOTICES.get(TextStatus(status), "") if status in TextStatus.values else ""


def change_sources(clause: Clause | TextClause) -> list[dict[str, str]]:
    """The sources of the instrument that changed ``clause`` naming it or a provision above it.

    Uses ``changed_by`` as loaded with the clause, so a page costs no extra query.
    """
    if clause.changed_by_id is None or clause.changed_by is None:
        return []
    found = []
    for source in clause.changed_by.sources or []:
        keys = source.get("provisions", []) if isinstance(source, dict) else []
        if any(clause.key == k or clause.key.startswith(f"{k}__") for k in keys):
            found.append(
                {"citation": str(source.get("citation", "")), "url": str(source.get("url", ""))}
            )
    return found


def citation_name(agreement: Agreement, version: Version) -> str:
    """``STA (2024 protocol)``: how a reader names one version in a citation."""
    kind = version.instrument.kind
    noun = (
        "agreement" if kind == InstrumentKind.AGREEMENT else version.instrument.get_kind_display()
    )
    return f"{agreement.short_title} ({version.in_force_from.year} {noun.lower()})"


@dataclass(slots=True)
class TextClause:
    """A clause of a version's text as the text pages print it: its stored columns, read as
    values.

    Why not the model: building a model instance for each of a version's clauses (and its
    previous version's, for the badges) cost more than the query that read them.
    ``changed_by`` is set afterwards, from the instruments the page already loaded.
    """

    pk: int
    key: str
    kind: str
    number: str
    heading: str
    text: str
    parent_id: int | None
    order: int
    depth: int
    version_id: int
    language: str
    change: str
    changed_by_id: int | None
    previous_number: str
    changed_by: Instrument | None = None
    # Why fields: the text prints both for every clause, some more than once.
    label: str = field(init=False)
    anchor: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = provision_label(self.number, self.heading, self.key)
        self.anchor = key_anchor(self.key)

    def get_change_display(self) -> str:
        # Why the stored value itself for an unknown one: that is what the model prints.
        return str(dict(ChangeKind.choices).get(self.change, self.change))


# The columns of ``TextClause`` in its order, as the query names them.
TEXT_CLAUSE_COLUMNS = (
    "id",
    "key",
    "kind",
    "number",
    "heading",
    "text",
    "parent_id",
    "order",
    "depth",
    "version_id",
    "language",
    "change",
    "changed_by_id",
    "previous_number",
)


HEADING_KINDS = {
    ClauseKind.PREAMBLE,
    ClauseKind.ARTICLE,
    ClauseKind.ANNEX,
    ClauseKind.SECTION,
    ClauseKind.SIGNATURE,
}


@dataclass(frozen=True)
class ClauseNode:
    clause: TextClause
    children: tuple[ClauseNode, ...]
    citation: str
    badge: str
    repealed: bool
    history_url: str
    as_heading: bool
    former_url: str
    repealed_with_parent: bool = False
    anchor_suffix: str = ""

    @property
    def anchor(self) -> str:
        # Why: texts set side by side share clause keys; a suffix keeps the page's ids unique.
        return self.clause.anchor + self.anchor_suffix

    badge_css: str = ""

    @property
    def heading_level(self) -> int:
        # Why: text pages use h2 for "Text"; deeper levels stop at h6.
        return min(3 + self.clause.depth, 6)

    @property
    def toc_children(self) -> tuple[ClauseNode, ...]:
        return tuple(child for child in self.children if child.as_heading)


def _place_name(clause: TextClause) -> str:
    """The clause's own part of a citation's place: ``Article 5`` in ``Article 5, 2``."""
    return (clause.number or clause.heading or clause.key).rstrip(".") or clause.key


def _badge(clause: Clause | TextClause) -> str:
    if clause.change == ChangeKind.UNCHANGED:
        return ""
    if clause.change == ChangeKind.RENUMBERED and clause.previous_number:
        return f"Renumbered (was {clause.previous_number})"
    if clause.change == ChangeKind.AMENDED and clause.previous_number:
        return f"Amended and renumbered (was {clause.previous_number})"
    return clause.get_change_display()


def clause_tree(
    clauses: Sequence[TextClause],
    *,
    cite_as: str,
    page_url: str,
    history_url: Any,
    badges: bool = True,
    previous_url: str = "",
    cite_note: str = "",
    anchor_suffix: str = "",
    change_badges: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[ClauseNode, ...]:
    """The clauses of one version as a tree, each with its citation and change badge.

    ``history_url`` is called with a clause key and returns the clause's history page address.
    ``badges=False`` for a first version, where every clause is trivially "added".
    ``previous_url`` is the previous version's page, where a repealed clause's text still reads.
    ``cite_note`` ends every citation, so a copied citation keeps the text's status with it.
    ``anchor_suffix`` tells a second language's anchors apart when texts are side by side.
    ``change_badges`` maps keys to (badge, status) from the diff with the previous version
    (``comparison.display.version_badges``); a repealed placeholder keeps its own unless merged
    away.
    """
    by_id = {c.pk: c for c in clauses}
    children: dict[int | None, list[TextClause]] = defaultdict(list)
    for clause in sorted(clauses, key=lambda c: c.order):
        parent = clause.parent_id if clause.parent_id in by_id else None
        children[parent].append(clause)

    def badge_of(clause: TextClause, repealed: bool) -> tuple[str, str]:
        if not badges:
            return "", ""
        if change_badges is None:
            return _badge(clause), clause.change
        if repealed:
            return change_badges.get(clause.key, (_badge(clause), clause.change))
        return change_badges.get(clause.key, ("", ""))

    def build(clause: TextClause, parent_repealed: bool = False, above: str = "") -> ClauseNode:
        # Why ``above``: the place of the clause's parent, so no clause walks up the tree again.
        where = above + _place_name(clause)
        repealed = clause.change == ChangeKind.REPEALED
        badge, badge_css = badge_of(clause, repealed)
        return ClauseNode(
            clause=clause,
            children=tuple(build(child, repealed, f"{where}, ") for child in children[clause.pk]),
            citation=f"{cite_as}, {where}, {page_url}#{clause.anchor}{anchor_suffix}{cite_note}",
            badge=badge,
            repealed=repealed,
            history_url=history_url(clause.key),
            as_heading=clause.kind in HEADING_KINDS or bool(clause.heading),
            former_url=f"{previous_url}#{clause.anchor}"
            if previous_url and repealed and not parent_repealed
            else "",
            repealed_with_parent=repealed and parent_repealed,
            anchor_suffix=anchor_suffix,
            badge_css=badge_css,
        )

    return tuple(build(clause) for clause in children[None])


@dataclass(frozen=True)
class ClauseInVersion:
    """One clause key as it stands in one version (or its absence), with its sub-clauses."""

    version: Version
    clause: Clause | None
    status: str  # "present", "repealed" or "absent"
    badge: str
    badge_css: str
    changed_by: Instrument | None
    previous_text: str
    version_url: str
    parts: tuple[Clause, ...] = ()
    same_as_before: bool = False
    part_badges: bool = False


def _descendants(clause: Clause, children: dict[int, list[Clause]]) -> list[Clause]:
    found: list[Clause] = []
    stack = list(reversed(children.get(clause.pk, [])))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return sorted(found, key=lambda c: c.order)


def clause_through_versions(
    versions: Sequence[Version],
    rows: Iterable[Clause],
    *,
    key: str,
    version_url: Any,
) -> tuple[ClauseInVersion, ...]:
    """The clause ``key`` in each version (or its absence), oldest first, with what changed.

    ``rows`` holds the clause in every version and its sub-clauses, however deep.
    """
    rows = list(rows)
    by_version = {c.version_id: c for c in rows if c.key == key}
    children: dict[int, list[Clause]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None:
            children[row.parent_id].append(row)
    result: list[ClauseInVersion] = []
    previous: Clause | None = None
    for version in versions:
        clause = by_version.get(version.pk)
        if clause is None:
            result.append(
                ClauseInVersion(
                    version, None, "absent", "Not present", "absent", None, "", version_url(version)
                )
            )
            previous = None
            continue
        url = f"{version_url(version)}#{clause.anchor}"
        repealed = clause.change == ChangeKind.REPEALED
        parts = tuple(_descendants(clause, children)) if not repealed else ()
        parts_changed = any(p.change != ChangeKind.UNCHANGED for p in parts)
        same = previous is not None and clause.change == ChangeKind.UNCHANGED and not parts_changed
        if clause.change == ChangeKind.UNCHANGED and parts_changed:
            badge, css = "Changed within", ChangeKind.AMENDED.value
        else:
            badge, css = _badge(clause) or clause.get_change_display(), clause.change
        before = ""
        if previous is not None and clause.change in (ChangeKind.AMENDED, ChangeKind.REPEALED):
            before = previous.text
        result.append(
            ClauseInVersion(
                version,
                clause,
                "repealed" if repealed else "present",
                badge,
                css,
                clause.changed_by,
                before,
                url,
                parts,
                same,
                # Why: under a clause that is itself new, every sub-clause is new too.
                part_badges=clause.change != ChangeKind.ADDED,
            )
        )
        previous = clause
    return tuple(result)


@dataclass(frozen=True)
class Edit:
    """One simple-history row of a clause: who, when, why, and which fields it changed."""

    version_label: str
    when: Any
    who: str
    why: str
    correction: bool
    fields: tuple[str, ...]
    text_before: str


def editorial_history(records: Sequence[Any], label_of: dict[int, str]) -> tuple[Edit, ...]:
    """History rows (oldest first) of the clause in every version, each compared with the
    previous row of the same clause so a correction says what it touched."""
    last: dict[int, Any] = {}
    edits: list[Edit] = []
    for record in records:
        before = last.get(record.id)
        fields: tuple[str, ...] = ()
        if before is not None:
            fields = tuple(
                f for f in ("number", "heading", "text") if getattr(before, f) != getattr(record, f)
            )
        user = record.history_user
        edits.append(
            Edit(
                version_label=label_of.get(record.version_id, "?"),
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "unknown",
                why=record.history_change_reason or "",
                correction=record.history_type == "~",
                fields=fields,
                text_before=before.text if before is not None and "text" in fields else "",
            )
        )
        last[record.id] = record
    return tuple(edits)


def period_text(version: Version) -> str:
    """``from 31 January 1984 (assumed: ...) until 18 April 2006``, each date as recorded."""
    until = (
        f" until {dated(version, 'in_force_until')}" if version.in_force_until else ", open-ended"
    )
    return f"from {dated(version, 'in_force_from')}{until}"
