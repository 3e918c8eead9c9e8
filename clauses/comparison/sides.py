"""What a comparative print says of the two texts it compares, whatever they are.

Two versions, the texts in force on two dates, a draft against a version, one agreement against
another: the CSV, the Word print and the PDF print write their title, running header, table of
the two texts and notice from a ``ComparedTexts``, so every comparison goes through the one
writer of each format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..diffing import VersionDiff
from ..models import Agreement, Version
from ..record.dates import dated
from .display import CompareRow, compare_rows, export_filename, summary_counts


@dataclass(frozen=True)
class PrintedText:
    """One of the two texts, as the print's table and the CSV's first rows name it."""

    side: str
    title: str
    label: str
    made_by: str
    in_force_from: str
    status: str
    # How the CSV's first rows say when it applies: "in force from 31 January 1979".
    when: str

    @property
    def line(self) -> str:
        return f"{self.side}: {self.title} ({self.label}), {self.when}; {self.status.lower()}"


@dataclass(frozen=True)
class ComparedTexts:
    """The two texts of a comparison and what every export says about them."""

    agreement: str
    older: PrintedText
    newer: PrintedText
    title: str
    header: str
    subject: str
    notice: str
    filename: str
    # Lines every export prints under the table: what was in force on each date, a draft's state.
    notes: tuple[str, ...] = ()
    # Renames a row's change for comparisons whose "added" and "removed" mean something else.
    relabel: Callable[[CompareRow], CompareRow] | None = None
    # The clause counts in words, where "added" and "removed" would mislead.
    counts: tuple[tuple[str, int], ...] = ()

    def rows(self, diff: VersionDiff, *, changed_only: bool = False) -> tuple[CompareRow, ...]:
        rows = compare_rows(diff, changed_only=changed_only)
        return tuple(map(self.relabel, rows)) if self.relabel is not None else rows

    def clause_counts(self, diff: VersionDiff) -> tuple[tuple[str, int], ...]:
        return self.counts or summary_counts(diff.stats)


def printed_version(side: str, version: Version) -> PrintedText:
    instrument = version.instrument
    start = dated(version, "in_force_from")
    return PrintedText(
        side=side,
        title=version.title,
        label=version.label,
        made_by=f"{instrument.title} ({instrument.get_kind_display().lower()})",
        in_force_from=start,
        status=version.get_text_status_display(),
        when=f"in force from {start}",
    )


def print_title(agreement: Agreement, older: Version, newer: Version) -> str:
    return f"{agreement.short_title}: {older.title} compared with {newer.title}"


def running_header(agreement: Agreement, older: Version, newer: Version) -> str:
    """The line at the top of every page: the agreement and both versions with their labels."""
    return (
        f"{agreement.title} — {older.title} ({older.label}) compared with "
        f"{newer.title} ({newer.label})"
    )


def versions_compared(
    agreement: Agreement,
    older: Version,
    newer: Version,
    *,
    notice: str,
    notes: tuple[str, ...] = (),
    header: str = "",
    filename: str = "",
) -> ComparedTexts:
    """Two versions of one agreement (``header`` and ``filename`` replace the defaults)."""
    return ComparedTexts(
        agreement=agreement.title,
        older=printed_version("Older", older),
        newer=printed_version("Newer", newer),
        title=print_title(agreement, older, newer),
        header=header or running_header(agreement, older, newer),
        subject=(
            f"Comparative print of the {agreement.short_title}: {older.title} ({older.label}) "
            f"and {newer.title} ({newer.label})"
        ),
        notice=notice,
        filename=filename or export_filename(agreement, older, newer, "")[:-1],
        notes=notes,
    )
