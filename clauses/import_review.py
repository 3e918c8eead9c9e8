"""What publishing an import would do, worked out before anything is written.

The preview page, the confirmation page, the publishing service and ``import_instrument
--dry-run`` all read the same two things from here: the word accounting of the parse (did every
word of the file reach a clause, once?) and the consequences of publishing it in the mode the
person chose (clauses added, amended, repealed; periods ended; proposals flagged).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .importing.accounting import clause_words, words
from .importing.matching import MatchedClause, match_clauses
from .importing.structure import SET_ASIDE_LABELS, ParsedClause, ParsedDocument
from .models import Agreement, ChangeKind, ImportMode, Version
from .pointintime import long_date
from .services import previous_clauses

# Why a quarter: a consolidated text that drops this much of the text in force is more often
# a partial text or an amending instrument imported the wrong way than a real repeal.
MANY_REPEALED_SHARE = 0.25
# Modes that publish a new version, and so may end an earlier one's in-force period.
VERSION_MODES = (ImportMode.CONSOLIDATED, ImportMode.AMENDING, ImportMode.PARTIAL)
_QUOTE_WORDS = 30


@dataclass(frozen=True)
class Unplaced:
    """A passage of the file that reached no clause, and where it went."""

    text: str
    where: str
    words: int

    @property
    def where_label(self) -> str:
        return SET_ASIDE_LABELS.get(self.where, self.where)


@dataclass(frozen=True)
class Accounting:
    """The parse's words against the file's, by the corpus's counting rule.

    ``lost_words`` reached no clause and were not set aside anywhere either; ``extra_words``
    are in the parse but not in the file (duplicated or injected). ``measured`` is false when
    the reader gave no source text to count against.
    """

    measured: bool
    source_words: int
    kept_words: int
    extra_words: int
    lost_words: int
    unplaced: tuple[Unplaced, ...]
    duplicated: tuple[str, ...]

    @property
    def unplaced_words(self) -> int:
        return self.source_words - self.kept_words

    @property
    def kept(self) -> float:
        return self.kept_words / self.source_words if self.source_words else 1.0

    @property
    def extra(self) -> float:
        return self.extra_words / self.source_words if self.source_words else 0.0

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
    """Account for every word of ``document``'s source: kept, set aside, lost or extra."""
    if not document.source_text.strip():
        return Accounting(False, 0, 0, 0, 0, (), ())
    source = Counter(words(document.source_text))
    parse = Counter(clause_words(document.clauses))
    missing = source - parse
    set_aside = Counter(w for passage in document.set_aside for w in words(passage.text))
    extra = parse - source
    return Accounting(
        measured=True,
        source_words=sum(source.values()),
        kept_words=sum((source & parse).values()),
        extra_words=sum(extra.values()),
        lost_words=sum((missing - set_aside).values()),
        unplaced=tuple(Unplaced(p.text, p.where, len(words(p.text))) for p in document.set_aside),
        duplicated=_duplicated(document.clauses, extra),
    )


def _duplicated(clauses: Sequence[ParsedClause], extra: Counter[str]) -> tuple[str, ...]:
    """The clauses holding the words the file lacks, named so the person can find them."""
    if not extra:
        return ()
    named = []
    for clause in clauses:
        if any(w in extra for w in words(clause.text)):
            label = " ".join(p for p in (clause.number, clause.heading) if p) or clause.key
            named.append(f"{label}: “{_first_words(clause.text)}”")
    return tuple(named)


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
            f"Version {self.version_label} ({self.version_title}) would stop being in force on "
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
    """What publishing would do to the record, in numbers."""

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
    repealed_clauses: tuple[MatchedClause, ...] = ()
    changes: tuple[tuple[str, MatchedClause], ...] = ()

    @property
    def previous_clauses(self) -> int:
        return self.amended + self.renumbered + self.repealed + self.unchanged

    @property
    def many_repealed(self) -> bool:
        """More than a quarter of the version before would be repealed."""
        total = self.previous_clauses
        return bool(total) and self.repealed > total * MANY_REPEALED_SHARE

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


def previous_version(agreement: Agreement, effective_from: dt.date) -> Version | None:
    """The version a new one in force from ``effective_from`` follows (as publishing picks it)."""
    return (
        Version.objects.filter(agreement=agreement, in_force_from__lte=effective_from)
        .order_by("-in_force_from", "-published_at")
        .first()
    )


def import_consequences(
    *,
    agreement: Agreement,
    mode: str,
    clauses: Sequence[ParsedClause],
    effective_from: dt.date,
    expires_on: dt.date | None = None,
) -> Consequences:
    """What publishing ``clauses`` in ``mode`` would do; reads, never writes."""
    if mode not in VERSION_MODES:
        return Consequences(None, len(clauses), 0, 0, 0, 0, 0, 0, 0, ())
    previous = previous_version(agreement, effective_from)
    prior = previous_clauses(previous) if previous is not None else []
    try:
        matched = match_clauses(prior, list(clauses))
    except ValueError:
        matched = []
    counts = Counter(m.change for m in matched)
    kept = [m for m in matched if m.change != ChangeKind.REPEALED]
    changed_keys = [m.key for m in matched if m.change in (ChangeKind.AMENDED, ChangeKind.REPEALED)]
    return Consequences(
        previous=previous,
        added=counts[ChangeKind.ADDED],
        amended=counts[ChangeKind.AMENDED],
        renumbered=counts[ChangeKind.RENUMBERED],
        repealed=counts[ChangeKind.REPEALED],
        unchanged=counts[ChangeKind.UNCHANGED],
        effects_applied=0,
        effects_not_applied=0,
        flagged_proposals=_flagged(agreement, previous, effective_from, changed_keys),
        periods_changed=_periods_changed(previous, effective_from),
        repealed_clauses=tuple(m for m in matched if m.change == ChangeKind.REPEALED),
        changes=tuple(zip((c.key for c in clauses), kept, strict=True)) if kept else (),
    )


def _flagged(
    agreement: Agreement, previous: Version | None, effective_from: dt.date, keys: list[str]
) -> int:
    if previous is None or not keys:
        return 0
    # Why imported here: the reviews app imports this app's models at start-up.
    from reviews.services.flags import proposals_flagged_count

    return proposals_flagged_count(
        agreement_id=agreement.pk, in_force_from=effective_from, changed_keys=keys
    )


def _periods_changed(previous: Version | None, effective_from: dt.date) -> tuple[PeriodChange, ...]:
    """The earlier period the new version cuts, exactly as publishing supersedes it."""
    if previous is None or previous.in_force_from >= effective_from:
        return ()
    if previous.in_force_until is not None and previous.in_force_until <= effective_from:
        return ()
    return (PeriodChange(previous.label, previous.title, previous.in_force_until, effective_from),)
