"""What the preview page shows of the decisions a person makes by hand, ready for templates."""

from __future__ import annotations

from typing import Any

from ..models import ImportJob
from ..names import key_name, places_by_key
from ..record.languages import LanguagePreview, PreviewRow
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


def _file_name(row: PreviewRow) -> str:
    """A clause of the language file, by its number as the file prints it."""
    return row.new_number or key_name(row.new_key)


def by_hand_context(
    job: ImportJob,
    consequences: Consequences | None,
    hand_error: tuple[str, str] | None,
    posted: dict[str, str],
) -> dict[str, Any]:
    """The instructions applied by hand, and a form for each one still not applied."""
    prior = []
    if consequences is not None and consequences.previous is not None:
        prior = previous_clauses(consequences.previous)
    places = places_by_key(prior)
    applied = [
        {
            **entry,
            "index": index,
            "kind_label": KIND_LABELS.get(entry["kind"], entry["kind"]),
            "place": places.get(entry["affected_key"]) or key_name(entry["affected_key"]),
        }
        for index, entry in enumerate(job.manual_effects)
    ]
    context: dict[str, Any] = {"hand_applied": applied, "hand_rows": [], "hand_clauses": []}
    if consequences is None or consequences.previous is None or consequences.plan is None:
        context["hand_error"] = hand_error[1] if hand_error else ""
        return context
    context["hand_clauses"] = [(c.key, f"{places[c.key]}: {_first_words(c.text)}") for c in prior]
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
    prior = previous_clauses(version)
    places = places_by_key(prior)
    labels = {c.key: places[c.key] + (f": {_first_words(c.text)}" if c.text else "") for c in prior}
    context["existing_choices"] = list(labels.items())
    by_whom = {k: v.get("by", "") for k, v in job.language_pairs.items()}
    context["aligned"] = [
        {
            "row": row,
            "existing": labels.get(row.key) or key_name(row.key),
            "by": by_whom.get(row.new_key, ""),
            "name": _file_name(row),
        }
        for row in preview.pairs
    ]
    shown = [*preview.unaligned_new, *(row for row in preview.pairs if row.by_person)]
    context["pair_rows"] = [
        {
            "row": row,
            "selected": row.key if row.by_person else "",
            "field": f"pair-{row.new_key}",
            "name": _file_name(row),
        }
        for row in shown
    ]
    context["unaligned_existing"] = [
        {"key": row.key, "label": labels.get(row.key) or key_name(row.key)}
        for row in preview.unaligned_existing
    ]
    return context
