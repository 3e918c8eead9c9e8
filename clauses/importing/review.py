"""What publishing an import would do, worked out before anything is written.

The preview page, the confirmation page, the publishing service and ``import_instrument
--dry-run`` all read the same two things from here: the word accounting of the parse (did every
word of the file reach a clause, once?) and the consequences of publishing it in the mode the
person chose (clauses added, amended, repealed; periods ended; proposals flagged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..hooks import flagged_count
from ..models import Agreement, ChangeKind, ImportMode, Version
from ..names import key_name
from ..record.languages import LanguagePreview
from ..record.pointintime import long_date
from ..record.versions import VersionError, previous_clauses
from .accounting import NOWHERE, Unplaced, WordCounts, account
from .errors import TextImportError
from .matching import MatchedClause
from .modes import (
    MODES,
    ImportPlan,
    ManualEffect,
    PlannedEffect,
    plan_amending,
    plan_consolidated,
    plan_document,
    plan_partial,
)
from .structure import ParsedDocument

# Why a quarter: a consolidated text that drops this much of the text in force is more often
# a partial text or an amending instrument imported the wrong way than a real repeal.
MANY_REPEALED_SHARE = 0.25
# Modes that publish a new version, and so may end an earlier one's in-force period.
VERSION_MODES = (ImportMode.CONSOLIDATED, ImportMode.AMENDING, ImportMode.PARTIAL)
_QUOTE_WORDS = 30


@dataclass(frozen=True)
class Accounting(WordCounts):
    """The parse's words against the file's, by the corpus's counting rule, as the preview keeps it.

    ``lost_words`` reached no clause and were not set aside anywhere either; ``extra_words``
    are in the parse but not in the file (duplicated or injected). ``measured`` is false when
    the reader gave no source text to count against.
    """

    measured: bool
    lost_words: int
    unplaced: tuple[Unplaced, ...]
    duplicated: tuple[str, ...]

    @property
    def unplaced_words(self) -> int:
        return self.source_words - self.kept_words

    @property
    def every_word_kept(self) -> bool:
        return self.unplaced_words == 0 and self.extra_words == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "measured": self.measured,
            "source_words": self.source_words,
            "kept_words": self.kept_words,
            "extra_words": self.extra_words,
            "lost_words": self.lost_words,
            "unplaced_words": self.unplaced_words,
            "kept": round(self.kept, 4),
            "extra": round(self.extra, 4),
            "unplaced": [
                {"text": u.text, "where": u.where, "words": u.words} for u in self.unplaced
            ],
            "duplicated": list(self.duplicated),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Accounting:
        return cls(
            measured=bool(data.get("measured", False)),
            source_words=int(data.get("source_words", 0)),
            kept_words=int(data.get("kept_words", 0)),
            extra_words=int(data.get("extra_words", 0)),
            lost_words=int(data.get("lost_words", 0)),
            unplaced=tuple(
                Unplaced(u["text"], u["where"], int(u["words"])) for u in data.get("unplaced", [])
            ),
            duplicated=tuple(data.get("duplicated", [])),
        )


def word_accounting(document: ParsedDocument) -> Accounting:
    """Account for every word of ``document``'s source: kept, set aside, lost or extra.

    The order-aware account of the parse (``importing.accounting.account``): a passage moved
    elsewhere counts as unplaced where it was and as duplicated where it landed.
    """
    if not document.source_text.strip():
        return Accounting(
            source_words=0,
            kept_words=0,
            extra_words=0,
            measured=False,
            lost_words=0,
            unplaced=(),
            duplicated=(),
        )
    counted = account(document)
    labels = {
        clause.key: (
            " ".join(p for p in (clause.number, clause.heading) if p) or key_name(clause.key)
        )
        for text in (document, *document.other_texts)
        for clause in text.clauses
    }
    return Accounting(
        measured=True,
        source_words=counted.source_words,
        kept_words=counted.kept_words,
        extra_words=counted.extra_words,
        lost_words=sum(u.words for u in counted.unplaced if u.where == NOWHERE),
        unplaced=counted.unplaced,
        duplicated=tuple(
            f"{labels.get(d.key, d.key)}: “{_first_words(d.text)}”" for d in counted.duplicated
        ),
    )


def _first_words(text: str) -> str:
    parts = text.split()
    return " ".join(parts[:_QUOTE_WORDS]) + (" …" if len(parts) > _QUOTE_WORDS else "")


@dataclass(frozen=True)
class PeriodChange:
    """An earlier version whose in-force period publishing would end (or end sooner)."""

    version_label: str
    version_title: str
    until_before: dt.date | None
    until_after: dt.date

    @property
    def sentence(self) -> str:
        recorded = (
            f"recorded as in force until {long_date(self.until_before)}"
            if self.until_before
            else "recorded as open-ended"
        )
        return (
            f"The version “{self.version_title}” would stop being in force on "
            f"{long_date(self.until_after)} ({recorded})."
        )

    def as_json(self) -> dict[str, str | None]:
        return {
            "version": self.version_label,
            "in_force_until_before": self.until_before.isoformat() if self.until_before else None,
            "in_force_until_after": self.until_after.isoformat(),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Consequences:
    """What publishing would do to the record, in numbers, with the plan behind them."""

    previous: Version | None
    added: int
    amended: int
    renumbered: int
    repealed: int
    unchanged: int
    effects_applied: int
    effects_not_applied: int
    flagged_proposals: int
    periods_changed: tuple[PeriodChange, ...]
    plan: ImportPlan | None = None

    @property
    def previous_clauses(self) -> int:
        return self.amended + self.renumbered + self.repealed + self.unchanged

    @property
    def many_repealed(self) -> bool:
        """More than a quarter of the version before would be repealed."""
        total = self.previous_clauses
        return bool(total) and self.repealed > total * MANY_REPEALED_SHARE

    @property
    def effects(self) -> tuple[PlannedEffect, ...]:
        return self.plan.effects if self.plan else ()

    @property
    def repealed_clauses(self) -> tuple[MatchedClause, ...]:
        clauses = self.plan.clauses if self.plan else ()
        return tuple(c for c in clauses if c.change == ChangeKind.REPEALED)

    @property
    def changed_clauses(self) -> tuple[MatchedClause, ...]:
        """The clauses of the resulting version that are not carried over unchanged."""
        clauses = self.plan.clauses if self.plan else ()
        return tuple(c for c in clauses if c.change != ChangeKind.UNCHANGED)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "amended": self.amended,
            "renumbered": self.renumbered,
            "repealed": self.repealed,
            "unchanged": self.unchanged,
            "effects_applied": self.effects_applied,
            "effects_not_applied": self.effects_not_applied,
            "flagged_proposals": self.flagged_proposals,
            "previous_clauses": self.previous_clauses,
            "many_repealed": self.many_repealed,
            "periods_changed": [p.as_json() for p in self.periods_changed],
        }


def effect_json(effect: PlannedEffect) -> dict[str, Any]:
    return {
        "kind": effect.kind,
        "affected_key": effect.affected_key,
        "affected": effect.affected_label,
        "affecting": effect.affecting,
        "applied": effect.applied,
        "why_not": effect.why_not,
        "new_number": effect.new_number,
        "new_heading": effect.new_heading,
        "new_text": effect.new_text,
        "term": effect.term,
        "note": effect.note,
    }


def previous_version(agreement: Agreement, mode: str, effective_from: dt.date) -> Version | None:
    """The version the new one follows, as publishing picks it for ``mode``.

    A consolidated text follows the version in force before it starts; an amending instrument
    or a partial text changes the latest version.
    """
    versions = Version.objects.filter(agreement=agreement)
    if mode == ImportMode.CONSOLIDATED:
        versions = versions.filter(in_force_from__lte=effective_from)
    return versions.order_by("-in_force_from", "-published_at").first()


def mode_for(agreement: Agreement, mode: str) -> str:
    """The mode asked for; consolidated only by default, and only for a first version."""
    if mode:
        if mode not in MODES:
            raise VersionError(f"Unknown mode {mode!r}; use one of: {', '.join(MODES)}.")
        return mode
    if agreement.versions.exists():
        raise VersionError(
            f"{agreement.short_title} already has versions: say which way the file comes in "
            f"(mode: {', '.join(MODES)})."
        )
    return ImportMode.CONSOLIDATED


def import_plan(
    *,
    agreement: Agreement,
    mode: str,
    document: ParsedDocument,
    effective_from: dt.date,
    manual: Sequence[ManualEffect] = (),
) -> tuple[ImportPlan, Version | None]:
    """The plan of ``document`` in ``mode`` against the version it follows, and that version.

    ``manual`` holds an amending instrument's instructions a person applied by hand.

    Raises TextImportError (an instruction naming a clause that does not exist, a partial
    text matching no clause) or VersionError (nothing to amend yet), naming the problem.
    """
    if mode == ImportMode.DOCUMENT:
        return plan_document(document), None
    previous = previous_version(agreement, mode, effective_from)
    if previous is None and mode != ImportMode.CONSOLIDATED:
        raise VersionError(
            f"{agreement.short_title} has no version yet for this text to change; "
            "import the agreement's text as a consolidated text first."
        )
    prior = previous_clauses(previous) if previous is not None else []
    if mode == ImportMode.CONSOLIDATED:
        return plan_consolidated(prior, document), previous
    assert previous is not None  # noqa: S101 - refused above
    label = f"version {previous.label}"
    if mode == ImportMode.PARTIAL:
        return plan_partial(prior, document, previous_label=label), previous
    return plan_amending(prior, document, manual=manual, previous_label=label), previous


def import_consequences(
    *,
    agreement: Agreement,
    mode: str,
    document: ParsedDocument,
    effective_from: dt.date,
    manual: Sequence[ManualEffect] = (),
) -> Consequences:
    """What publishing ``document`` in ``mode`` would do; reads, never writes."""
    plan, previous = import_plan(
        agreement=agreement,
        mode=mode,
        document=document,
        effective_from=effective_from,
        manual=manual,
    )
    counts = plan.counts
    changed_keys = [
        m.key for m in plan.clauses if m.change in (ChangeKind.AMENDED, ChangeKind.REPEALED)
    ]
    return Consequences(
        previous=previous,
        added=counts.added if plan.makes_version else len(document.clauses),
        amended=counts.amended,
        renumbered=counts.renumbered,
        repealed=counts.repealed,
        unchanged=counts.unchanged,
        effects_applied=counts.effects_applied,
        effects_not_applied=counts.effects_not_applied,
        flagged_proposals=_flagged(agreement, previous, effective_from, changed_keys),
        periods_changed=_periods_changed(previous, effective_from) if plan.makes_version else (),
        plan=plan,
    )


def _flagged(
    agreement: Agreement, previous: Version | None, effective_from: dt.date, keys: list[str]
) -> int:
    if previous is None or not keys:
        return 0
    return flagged_count(agreement_id=agreement.pk, in_force_from=effective_from, changed_keys=keys)


def _periods_changed(previous: Version | None, effective_from: dt.date) -> tuple[PeriodChange, ...]:
    """The earlier period the new version cuts, exactly as publishing supersedes it."""
    if previous is None or previous.in_force_from >= effective_from:
        return ()
    if previous.in_force_until is not None and previous.in_force_until <= effective_from:
        return ()
    return (PeriodChange(previous.label, previous.title, previous.in_force_until, effective_from),)


@dataclass(frozen=True)
class ImportReview:
    """Everything the preview and confirmation pages show, and the publisher must acknowledge.

    ``problem`` says why the text cannot be published in its mode as things stand now (an
    instruction naming a clause the version lacks), when it cannot. A language text of a
    version has no consequences for what is in force: ``language`` holds its alignment.
    """

    accounting: Accounting
    consequences: Consequences | None
    warnings: tuple[str, ...]
    problem: str = ""
    language: LanguagePreview | None = None

    @property
    def refused(self) -> str | None:
        """Why the parse cannot be published at all, whatever the publisher acknowledges."""
        if self.problem:
            return self.problem
        if not self.accounting.extra_words:
            return None
        return (
            f"The parse holds {self.accounting.extra_words} words the file does not "
            "(duplicated or injected), so it cannot be published: "
            + "; ".join(self.accounting.duplicated)
        )


def import_review(
    *,
    agreement: Agreement,
    mode: str,
    document: ParsedDocument,
    effective_from: dt.date,
    manual: Sequence[ManualEffect] = (),
) -> ImportReview:
    """The accounting and the consequences of ``document``, or the problem that stops it."""
    accounting = word_accounting(document)
    try:
        consequences = import_consequences(
            agreement=agreement,
            mode=mode,
            document=document,
            effective_from=effective_from,
            manual=manual,
        )
    except (TextImportError, VersionError) as exc:
        return ImportReview(accounting, None, document.warnings, problem=str(exc))
    return ImportReview(accounting, consequences, document.warnings)


class ImportRefused(Exception):
    """Publishing was refused as asked; the message names the rule, nothing was written."""


def publish_checks(
    review: ImportReview,
    *,
    confirm_repeals: bool,
    accept_lost_words: bool,
    period_reason: str,
) -> None:
    """Refuse what the publisher has not acknowledged (the preview said each of these)."""
    if review.refused or (review.consequences is None and review.language is None):
        raise ImportRefused(review.refused or "This text cannot be published.")
    lost = review.accounting.lost_words
    if lost and not accept_lost_words:
        raise ImportRefused(
            f"{lost} words of the file reached no clause: acknowledge them before publishing."
        )
    consequences = review.consequences
    if consequences is None:
        return
    if consequences.many_repealed and not confirm_repeals:
        raise ImportRefused(
            f"Publishing repeals {consequences.repealed} of the "
            f"{consequences.previous_clauses} clauses of the version before: confirm it."
        )
    if consequences.periods_changed and not period_reason.strip():
        raise ImportRefused(
            " ".join(p.sentence for p in consequences.periods_changed)
            + " Say why, for the history."
        )
