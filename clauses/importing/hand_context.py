"""What the preview page shows of the decisions a person makes by hand, ready for templates."""

from __future__ import annotations

from typing import Any

from ..models import DEFAULT_LANGUAGE, ChangeKind, ImportJob
from ..record.languages import LanguagePreview
from ..record.versions import previous_clauses
from .by_hand import KIND_LABELS
from .review import Consequences

_LABEL_WORDS = 8


def _first_words(text: str) -> str:
    words = text.split()
    if len(words) > _LABEL_WORDS:
        return " ".join(words[:_LABEL_WORDS]) + " …"
    if len(text) > 30 and len(words) < 3:
        return text[:24] + " …"
    return text


def by_hand_context(
    job: ImportJob,
    consequences: Consequences | None,
    hand_error: tuple[str, str] | None,
    posted: dict[str, str],
) -> dict[str, Any]:
    """The instructions applied by hand, and a form for each one still not applied."""
    applied = [
        {**entry, "index": index, "kind_label": KIND_LABELS.get(entry["kind"], entry["kind"])}
        for index, entry in enumerate(job.manual_effects)
    ]
    context: dict[str, Any] = {"hand_applied": applied, "hand_rows": [], "hand_clauses": []}
    if consequences is None or consequences.previous is None or consequences.plan is None:
        context["hand_error"] = hand_error[1] if hand_error else ""
        return context
    context["hand_clauses"] = [
        (c.key, f"{c.number or c.heading or c.key}: {_first_words(c.text)}")
        for c in previous_clauses(consequences.previous)
    ]
    rows = []
    for index, unparsed in enumerate(consequences.plan.unparsed):
        mine = hand_error is not None and hand_error[0] == unparsed.text
        rows.append(
            {
                "index": index,
                "instruction": unparsed.text,
                "where": unparsed.where,
                "error": hand_error[1] if hand_error and mine else "",
                "values": posted if mine else {},
            }
        )
    context["hand_rows"] = rows
    # Why: an error about an instruction no longer listed (applied meanwhile) still shows.
    listed = {row["instruction"] for row in rows}
    context["hand_error"] = hand_error[1] if hand_error and hand_error[0] not in listed else ""
    return context


def language_context(
    job: ImportJob, preview: LanguagePreview | None, hand_error: tuple[str, str] | None
) -> dict[str, Any]:
    """The alignment of a language text: pairs, what did not align, and the pairing form."""
    context: dict[str, Any] = {
        "pair_error": hand_error[1] if hand_error else "",
        "aligned": [],
        "pair_rows": [],
        "unaligned_existing": [],
        "existing_choices": [],
    }
    version = job.target_version
    if preview is None or version is None:
        return context
    rows = (
        version.clauses.filter(language=DEFAULT_LANGUAGE)
        .exclude(change=ChangeKind.REPEALED)
        .order_by("order")
        .values_list("key", "number", "heading", "text", "parent__number")
    )
    labels = {}
    for key, number, heading, text, parent_number in rows:
        own = number or heading or key
        labels[key] = (f"{parent_number}, {own}" if parent_number else own) + (
            f": {_first_words(text)}" if text else ""
        )
    context["existing_choices"] = list(labels.items())
    by_whom = {k: v.get("by", "") for k, v in job.language_pairs.items()}
    context["aligned"] = [
        {"row": row, "existing": labels.get(row.key, row.key), "by": by_whom.get(row.new_key, "")}
        for row in preview.pairs
    ]
    shown = [*preview.unaligned_new, *(row for row in preview.pairs if row.by_person)]
    context["pair_rows"] = [
        {
            "row": row,
            "selected": row.key if row.by_person else "",
            "field": f"pair-{row.new_key}",
        }
        for row in shown
    ]
    context["unaligned_existing"] = [
        {"key": row.key, "label": labels.get(row.key, row.key)}
        for row in preview.unaligned_existing
    ]
    return context
