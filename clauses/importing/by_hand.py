"""What a person decides on a preview before publishing: instructions applied by hand, pairs.

An amending instrument's instruction the parser could not read is listed "not applied"; an
administrator may apply it by hand (the clause it changes, the kind, the new text) or remove
what was applied. A language text's clause that did not align by number path may be paired
with a clause of the version, or left unaligned. Each decision is kept on the ImportJob and
written to its history with who made it; publishing records the effects applied by hand with a
note naming the person. With four eyes on, whoever changed a preview by hand does not publish it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sta_tracker.history import save_with_history

from ..models import ImportJob, ImportMode, ImportStatus
from ..permissions import ONLY_ADMINS_IMPORT, can_import_versions
from ..record.languages import LanguageTextError, language_preview
from ..record.versions import VersionError, previous_clauses
from .amending import INSERTION, REPEAL
from .errors import TextImportError
from .modes import MANUAL_KINDS, ManualEffect
from .review import ImportRefused, import_plan
from .services import job_document, manual_effects, pairs_of

KIND_LABELS = {"substitution": "substitution", "insertion": "insertion after", "repeal": "repeal"}
NOT_IN_PREVIEW = "only an import ready to publish can be changed by hand."


def _locked(job: ImportJob, acting_user: Any, mode: str) -> ImportJob:
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportStatus.PREVIEW:
        raise ImportRefused(
            f"This import is {locked.get_status_display().lower()}: {NOT_IN_PREVIEW}"
        )
    if locked.mode != mode:
        raise ImportRefused(
            f"This import is a {locked.get_mode_display().lower()}: nothing of it is "
            "applied or paired by hand."
        )
    return locked


def _plan(job: ImportJob, manual: list[ManualEffect]) -> Any:
    try:
        plan, previous = import_plan(
            agreement=job.agreement,
            mode=job.mode,
            document=job_document(job),
            effective_from=job.effective_from,
            manual=manual,
        )
    except (TextImportError, VersionError) as exc:
        raise ImportRefused(str(exc)) from exc
    return plan, previous


def import_job_effect_apply(
    *,
    job: ImportJob,
    acting_user: Any,
    instruction: str,
    affected_key: str,
    kind: str,
    new_text: str = "",
    new_number: str = "",
) -> ImportJob:
    """Apply one unparsed instruction of an amending instrument by hand, on its preview.

    Refused (ImportRefused, nothing changed): an instruction not listed as not applied, no
    clause picked, a clause the version before lacks, no new text for a substitution or an
    insertion, no number for an insertion.
    """
    new_text, new_number = new_text.strip(), new_number.strip()
    with transaction.atomic():
        locked = _locked(job, acting_user, ImportMode.AMENDING)
        manual = manual_effects(locked)
        plan, previous = _plan(locked, manual)
        if instruction not in {u.text for u in plan.unparsed}:
            raise ImportRefused(
                "That instruction is not listed as not applied on this preview: "
                "nothing was applied."
            )
        if kind not in MANUAL_KINDS:
            raise ImportRefused("Say whether the instruction substitutes, inserts or repeals.")
        if not affected_key:
            raise ImportRefused(
                "Pick the clause the instruction changes (or follows, for an insertion)."
            )
        if kind != REPEAL and not new_text:
            raise ImportRefused(f"Paste the new text: a {KIND_LABELS[kind]} needs one.")
        if kind == INSERTION and not new_number:
            raise ImportRefused("Give the number of the inserted provision (Article 3A).")
        labels = {c.key: c.number or c.heading or c.key for c in previous_clauses(previous)}
        if affected_key not in labels:
            raise ImportRefused(
                f"{affected_key!r} is not a clause of version {previous.label}: "
                "nothing was applied."
            )
        by = acting_user.get_username()
        hand = ManualEffect(
            instruction=instruction,
            affected_key=affected_key,
            new_text="" if kind == REPEAL else new_text,
            kind=kind,
            new_number=new_number if kind == INSERTION else "",
            by=by,
        )
        _plan(locked, [*manual, hand])
        locked.manual_effects = [
            *locked.manual_effects,
            {
                "instruction": hand.instruction,
                "affected_key": hand.affected_key,
                "affected_label": labels[affected_key],
                "kind": hand.kind,
                "new_text": hand.new_text,
                "new_number": hand.new_number,
                "by": by,
                "by_id": acting_user.pk,
                "at": timezone.now().isoformat(),
            },
        ]
        save_with_history(
            locked,
            acting_user=acting_user,
            reason=f"Applied by hand: {KIND_LABELS[kind]} of {labels[affected_key]} "
            f"for “{instruction[:120]}”",
        )
    return locked


def import_job_effect_remove(*, job: ImportJob, acting_user: Any, index: int) -> ImportJob:
    """Take back an instruction applied by hand (``index`` in the order applied)."""
    with transaction.atomic():
        locked = _locked(job, acting_user, ImportMode.AMENDING)
        applied = list(locked.manual_effects)
        if not 0 <= index < len(applied):
            raise ImportRefused("No such instruction applied by hand: nothing was removed.")
        removed = applied.pop(index)
        locked.manual_effects = applied
        save_with_history(
            locked,
            acting_user=acting_user,
            reason=f"Removed what {removed['by']} applied by hand: "
            f"{KIND_LABELS.get(removed['kind'], removed['kind'])} of "
            f"{removed.get('affected_label', removed['affected_key'])} "
            f"for “{removed['instruction'][:120]}”",
        )
    return locked


def import_job_pairs_save(
    *, job: ImportJob, acting_user: Any, pairs: Mapping[str, str | None]
) -> ImportJob:
    """Pair clauses of a language text by hand (``None``: leave it to the number path).

    ``pairs`` holds the rows the person answered; a pairing the alignment cannot make (a
    clause of either text that does not exist, two clauses paired with one) is refused and
    nothing changes.
    """
    with transaction.atomic():
        locked = _locked(job, acting_user, ImportMode.LANGUAGE)
        version = locked.target_version
        if version is None:
            raise ImportRefused("This import names no version.")
        stored = dict(locked.language_pairs)
        kept = {k: v for k, v in stored.items() if k not in pairs}
        chosen = {k: v for k, v in pairs.items() if v}
        wanted: dict[str, str | None] = {**{k: v["key"] for k, v in kept.items()}, **chosen}
        document = job_document(locked)
        try:
            language_preview(version, document, language=locked.language, pairs=wanted)
        except LanguageTextError as exc:
            raise ImportRefused(f"{exc} Nothing was paired.") from exc
        before = pairs_of(locked)
        if wanted == before:
            return locked
        by = acting_user.get_username()
        locked.language_pairs = {
            **kept,
            **{
                k: stored[k]
                if before.get(k) == v
                else {"key": v, "by": by, "by_id": acting_user.pk}
                for k, v in chosen.items()
            },
        }
        numbers = {c.key: c.number or c.key for c in document.clauses}
        said = [f"{numbers.get(k, k)} with {v}" for k, v in chosen.items() if before.get(k) != v]
        said += [
            f"{numbers.get(k, k)} no longer paired by hand"
            for k in pairs
            if k in before and not pairs[k]
        ]
        save_with_history(
            locked, acting_user=acting_user, reason="Paired by hand: " + "; ".join(said)
        )
    return locked
