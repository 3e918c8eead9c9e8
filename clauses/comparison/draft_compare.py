"""A draft against a version of the record: the version chosen, the diff, and what prints say.

The page, its downloads and the API answer from ``draft_compared``, so they never disagree on
which version a draft was compared with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils import timezone

from ..diffing import VersionDiff, clause_texts_from_rows, diff_versions
from ..models import DEFAULT_LANGUAGE, Agreement, Clause, EventKind, Version
from ..record.dates import long_date
from ..record.pointintime import state_from
from .display import unofficial_notice
from .drafts import CompareDraft
from .sides import ComparedTexts, PrintedText, printed_version, versions_compared

DRAFT_NOTICE = "A draft, not published: nothing in it is the record."


@dataclass(frozen=True)
class DraftComparison:
    version: Version | None
    in_force: bool
    today: dt.date
    diff: VersionDiff | None


def draft_compared(
    draft: CompareDraft, versions: Sequence[Version], label: str = ""
) -> DraftComparison | None:
    """The draft against version ``label``, or the version in force today (else the latest).

    None when ``label`` names no version of the draft's agreement.
    """
    today = timezone.localdate()
    if label:
        version = next((v for v in versions if v.label == label), None)
        if version is None:
            return None
        in_force = False
    else:
        lapses = list(draft.agreement.events.filter(kind=EventKind.LAPSE))
        version = state_from(today, versions, lapses).version or (
            versions[-1] if versions else None
        )
        in_force = version is not None
    if version is None:
        return DraftComparison(None, False, today, None)
    rows = Clause.objects.filter(version=version, language=DEFAULT_LANGUAGE).order_by("order")
    diff = diff_versions(clause_texts_from_rows(rows), draft.clause_texts())
    return DraftComparison(version, in_force, today, diff)


def draft_notice(version: Version) -> str:
    """The draft's notice first, then the record's text status, for every print's header."""
    return " ".join(n for n in (DRAFT_NOTICE, unofficial_notice([version])) if n)


def draft_texts(
    agreement: Agreement, draft: CompareDraft, result: DraftComparison
) -> ComparedTexts:
    """What the prints say: the version, then the draft, "not published" in every header."""
    version = result.version
    assert version is not None  # noqa: S101 - only a compared draft is printed
    owner = draft.owner.get_full_name() or draft.owner.get_username()
    uploaded = long_date(timezone.localtime(draft.created_at).date())
    texts = versions_compared(agreement, version, version, notice=draft_notice(version))
    newer = PrintedText(
        side="Draft",
        title=draft.title,
        label="draft",
        made_by=f"Uploaded by {owner} from {draft.original_name}",
        in_force_from="Not in force: a draft",
        status="Draft, not published",
        when=f"uploaded on {uploaded}, not in force",
    )
    return replace(
        texts,
        older=printed_version("Record", version),
        newer=newer,
        title=f"{agreement.short_title}: draft “{draft.title}” compared with {version.title}",
        header=(
            f"{agreement.title} — draft “{draft.title}” (not published) compared with "
            f"{version.title} ({version.label})"
        ),
        subject=(
            f"Comparative print of a draft of the {agreement.short_title} against "
            f"{version.title} ({version.label})"
        ),
        notes=(
            f"The draft was uploaded by {owner} on {uploaded} and is kept until "
            f"{long_date(timezone.localtime(draft.expires_at).date())}; nothing in it is "
            "published.",
        ),
        filename=f"{agreement.slug}-draft-{draft.pk}-against-{version.label}",
    )
