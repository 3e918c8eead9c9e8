"""Flagging proposals whose cited clauses a new agreement version amends or repeals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from clauses.models import DEFAULT_LANGUAGE, ChangeKind, Clause, Version
from sta_tracker.history import save_with_history
from sta_tracker.roles import Role

from .. import permissions
from ..errors import TransitionNotAllowed
from ..models import ClauseChangeFlag, Decision, NotificationKind, Proposal
from ..workflow import SCREENABLE_STATES
from .core import clean_reason, lock, require, staff_for
from .notifications import notify

FLAGGED_CHANGES = (ChangeKind.AMENDED, ChangeKind.REPEALED)


def _covers(cited_key: str, changed_key: str) -> bool:
    """Whether a change to ``changed_key`` touches a citation of ``cited_key`` or a part of it."""
    return changed_key == cited_key or changed_key.startswith(cited_key + "__")


def _citations(agreement_id: int, in_force_from: dt.date) -> dict[int, set[int]]:
    """Clause ids each open or approved proposal relies on: cited by it or by its decisions.

    Only clauses of versions in force before ``in_force_from``, the new version's start.
    """
    earlier = {
        "clause__version__agreement_id": agreement_id,
        "clause__version__in_force_from__lt": in_force_from,
    }
    cited: dict[int, set[int]] = defaultdict(set)
    through = Proposal.cited_clauses.through.objects.filter(
        proposal__state__in=SCREENABLE_STATES, **earlier
    )
    for proposal_id, clause_id in through.values_list("proposal_id", "clause_id"):
        cited[proposal_id].add(clause_id)
    decided = Decision.cited_clauses.through.objects.filter(
        decision__proposal__state__in=SCREENABLE_STATES, **earlier
    )
    for proposal_id, clause_id in decided.values_list("decision__proposal_id", "clause_id"):
        cited[proposal_id].add(clause_id)
    return cited


def proposals_flag_for_version(
    *, version: Version, acting_user: Any, reason: str
) -> list[ClauseChangeFlag]:
    """Flag every open or approved proposal relying on a clause that ``version`` changes.

    A proposal is flagged once per changed clause: for the clause it cites, or for any
    paragraph inside it, amended or repealed by ``version``. Running again adds nothing.
    Reviewers are told once per proposal and version. Returns the flags raised by this call.
    """
    reason = clean_reason(reason)
    # Why: proposals cite the English text; a further language text of a version changes nothing.
    changed = list(
        Clause.objects.filter(
            version=version, language=DEFAULT_LANGUAGE, change__in=FLAGGED_CHANGES
        )
    )
    if not changed or version.previous_id is None:
        return []
    before = {
        clause.key: clause
        for clause in Clause.objects.filter(
            version_id=version.previous_id,
            language=DEFAULT_LANGUAGE,
            key__in=[c.key for c in changed],
        )
    }
    citations = _citations(version.agreement_id, version.in_force_from)
    cited_rows = Clause.objects.in_bulk({pk for ids in citations.values() for pk in ids})
    raised: list[ClauseChangeFlag] = []
    with transaction.atomic(durable=True):
        for proposal_id in sorted(citations):
            wanted = [
                (cited, new)
                for cited in sorted(
                    (cited_rows[pk] for pk in citations[proposal_id]), key=lambda c: c.order
                )
                for new in changed
                if _covers(cited.key, new.key)
            ]
            if not wanted:
                continue
            proposal = lock(proposal_id)
            done = set(
                ClauseChangeFlag.objects.filter(proposal=proposal).values_list(
                    "new_clause_id", flat=True
                )
            )
            fresh: list[ClauseChangeFlag] = []
            for cited, new in wanted:
                if new.pk in done:
                    continue
                done.add(new.pk)
                flag = ClauseChangeFlag(
                    proposal=proposal,
                    version=version,
                    cited_clause=cited,
                    old_clause=before.get(new.key),
                    new_clause=new,
                    change=new.change,
                )
                save_with_history(flag, acting_user=acting_user, reason=reason)
                fresh.append(flag)
            if fresh:
                _notify_flagged(proposal, version, fresh)
                raised.extend(fresh)
    return raised


def proposals_flagged_count(
    *, agreement_id: int, in_force_from: dt.date, changed_keys: Iterable[str]
) -> int:
    """How many proposals a version from ``in_force_from`` changing ``changed_keys`` would flag.

    Counted as ``proposals_flag_for_version`` flags them (amended or repealed keys covering a
    cited clause), for an import's preview; writes nothing.
    """
    keys = set(changed_keys)
    if not keys:
        return 0
    citations = _citations(agreement_id, in_force_from)
    cited_keys = dict(
        Clause.objects.filter(pk__in={pk for ids in citations.values() for pk in ids}).values_list(
            "pk", "key"
        )
    )
    return sum(
        1
        for ids in citations.values()
        if any(_covers(cited_keys[pk], key) for pk in ids for key in keys)
    )


def _notify_flagged(proposal: Proposal, version: Version, flags: list[ClauseChangeFlag]) -> None:
    lines = [f"{flag.new_clause.label}: {ChangeKind(flag.change).label.lower()}" for flag in flags]
    notify(
        proposal=proposal,
        kind=NotificationKind.CLAUSE_CHANGED,
        recipients=staff_for(proposal, Role.REVIEWER),
        subject=f"Cited clause changed: {proposal.title}",
        body=(
            f"The new version “{version.title}” changes clauses that the proposal "
            f"“{proposal.title}” relies on:\n\n" + "\n".join(lines)
        ),
        expected="review the change and clear the flag with a reason",
        dedupe_key=f"clause-flag:{proposal.pk}:{version.pk}",
    )


def flag_clear(*, flag: ClauseChangeFlag, acting_user: Any, reason: str) -> ClauseChangeFlag:
    """A reviewer has looked at a changed clause and records why the proposal is still sound."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        proposal = lock(flag.proposal_id)
        require(permissions.refusal_clear_flag(acting_user, proposal))
        row = ClauseChangeFlag.objects.select_for_update().get(pk=flag.pk, proposal=proposal)
        if row.cleared_at is not None:
            raise TransitionNotAllowed("This flag was already cleared.")
        row.cleared_at = timezone.now()
        row.cleared_by = acting_user
        row.clear_reason = reason
        save_with_history(row, acting_user=acting_user, reason=reason)
    return row
