"""Screening runs and the adjudication of their hits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clauses.models import DEFAULT_LANGUAGE, Clause, Version
from sta_tracker.background import given_up_keys
from sta_tracker.history import bulk_create_with_history, save_with_history
from sta_tracker.roles import Role
from sta_tracker.transactions import after_commit

from .. import permissions
from ..deadlines import assessment_due, screening_due
from ..errors import InvalidInput, TransitionNotAllowed
from ..models import (
    LISTED_FIELDS,
    Adjudication,
    CetCategory,
    CetEdition,
    HitKind,
    NotificationKind,
    Proposal,
    ProposalEvent,
    ReviewStep,
    ScreeningHit,
    ScreeningList,
    ScreeningListEntry,
    ScreeningRun,
)
from ..screening import cet, completeness, parties, scope
from ..workflow import SCREENABLE_STATES, ProposalAction, ProposalState
from .core import clean_reason, enqueue_screening, lock, move, require_action, staff_for
from .notifications import ASSESSMENT_WORDS, notify, step_people

# The proposal fields CET screening reads, with the names hits report them under.
CET_FIELDS = (
    ("title", "Title"),
    ("summary", "Summary"),
    ("scientific_field", "Scientific field"),
    ("data_description", "Data to be shared"),
    ("basic_research_explanation", "Basic-research explanation"),
)
_PRE_REVIEW = (ProposalState.SUBMITTED, ProposalState.SCREENING)


def screening_run(
    *, proposal: Proposal, acting_user: Any, reason: str, request_key: str = ""
) -> ScreeningRun:
    """Screen a proposal for completeness, CET, restricted parties and clause scope.

    Hits identical to ones already adjudicated in this round keep that adjudication. A new
    submission with nothing left to adjudicate goes straight to review; otherwise it waits in
    screening. A repeated ``request_key`` returns the earlier run and changes nothing.
    """
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        if request_key:
            earlier = ScreeningRun.objects.filter(proposal=locked, request_key=request_key).first()
            if earlier is not None:
                return earlier
        require_action(
            locked, ProposalAction.SCREEN, permissions.refusal_screen(acting_user, locked)
        )

        edition = CetEdition.objects.filter(in_force=True).first()
        screening_list = ScreeningList.objects.filter(is_current=True).first()
        party_hits, partners_screened = _party_hits(locked, screening_list)
        hits = [
            *_completeness_hits(locked),
            *_english_name_hits(locked),
            *_cet_hits(locked, edition),
            *party_hits,
            *_scope_hits(locked),
        ]
        ScreeningRun.objects.filter(proposal=locked, is_current=True).update(is_current=False)
        run = ScreeningRun.objects.create(
            proposal=locked,
            round=locked.round,
            request_key=request_key,
            cet_edition=edition,
            screening_list=screening_list,
            started_by=acting_user,
            reason=reason,
            partners_screened=partners_screened,
        )
        _carry_adjudications(locked, hits)
        for hit in hits:
            hit.run = run
        bulk_create_with_history(hits, ScreeningHit, acting_user=acting_user, reason=reason)
        pending = sum(1 for hit in hits if not hit.adjudication)
        before = locked.state
        clear = before in _PRE_REVIEW and pending == 0
        action = ProposalAction.SCREEN_CLEAR if clear else ProposalAction.SCREEN
        move(locked, action, acting_user=acting_user, reason=reason)
        if clear:
            notify_entered_review(locked)
        if pending:
            _notify_hits(locked, pending)
    return run


def _completeness_hits(proposal: Proposal) -> list[ScreeningHit]:
    facts = completeness.ProposalFacts(
        **{name: _value(proposal, name) for name in _FACT_FIELDS},
        institution_count=proposal.institutions.count(),
        person_count=proposal.people.count(),
        cited_clause_count=proposal.cited_clauses.count(),
    )
    missing = completeness.missing_parts(facts)
    if not missing:
        return []
    return [
        ScreeningHit(
            kind=HitKind.COMPLETENESS,
            summary="Missing: " + "; ".join(missing) + ".",
            fingerprint=("completeness:" + "|".join(missing))[:500],
            details={"missing": list(missing)},
        )
    ]


def _value(proposal: Proposal, name: str) -> Any:
    """A field's value as screening reads it: a list entry by its name."""
    value = getattr(proposal, name)
    if name in LISTED_FIELDS:
        return value.name if value is not None else ""
    return value


_FACT_FIELDS = tuple(
    name
    for name in completeness.ProposalFacts.__dataclass_fields__
    if name not in {"institution_count", "person_count", "cited_clause_count"}
)


def _cet_hits(proposal: Proposal, edition: CetEdition | None) -> list[ScreeningHit]:
    if edition is None:
        return [
            ScreeningHit(
                kind=HitKind.CET,
                summary="No CET list edition is in force, so CET screening could not run.",
                fingerprint="cet:unavailable",
                details={"unavailable": True},
            )
        ]
    rows = list(CetCategory.objects.filter(edition=edition).prefetch_related("terms"))
    by_name = {row.name: row for row in rows}
    categories = [
        cet.Category(name=row.name, terms=tuple(t.term for t in row.terms.all())) for row in rows
    ]
    texts = {label: str(_value(proposal, field)) for field, label in CET_FIELDS}
    hits = []
    for match in cet.screen(texts, categories):
        hits.append(
            ScreeningHit(
                kind=HitKind.CET,
                summary=(
                    f"{match.category}: “{'”, “'.join(match.terms)}” in "
                    f"{', '.join(match.fields).lower()} ({edition.name})."
                ),
                fingerprint=f"cet:{edition.pk}:{match.category}:{'|'.join(match.terms)}"[:500],
                details={"fields": list(match.fields), "edition": edition.name},
                screened_text="\n\n".join(texts[f] for f in match.fields),
                cet_edition=edition,
                cet_category=by_name[match.category],
                matched_terms=list(match.terms),
            )
        )
    return hits


@lru_cache(maxsize=2)
def _party_index(
    list_id: int, imported_at: str
) -> tuple[parties.PartyIndex, dict[int, ScreeningListEntry]]:
    # Why: an imported list never changes, so its names' forms are built once per process;
    # the import time is part of the key in case an id is ever reused.
    entries = {
        entry.pk: entry
        for entry in ScreeningListEntry.objects.filter(screening_list_id=list_id).only(
            "pk",
            "name",
            "alt_names",
            "entry_type",
            "source",
            "entity_number",
            "addresses",
            "programs",
            "screening_list",
        )
    }
    index = parties.PartyIndex(
        parties.ListedParty(
            key=pk,
            name=entry.name,
            alt_names=tuple(entry.alt_names),
            kind=parties.party_kind(entry.entry_type),
            addresses=entry.addresses,
            source=entry.source,
            programs=entry.programs,
        )
        for pk, entry in entries.items()
    )
    return index, entries


def _match_record(match: parties.PartyMatch, entry: ScreeningListEntry) -> dict[str, Any]:
    return {
        "entry": entry.pk,
        "matched_name": match.matched_name,
        "source": entry.source,
        "entity_number": entry.entity_number,
        "screened": match.screened,
        "form": match.form,
        "listed_as": match.listed_as,
        "score": match.score,
        "name_score": match.name_score,
        "parts": [part.as_dict() for part in match.parts],
    }


def _party_hits(
    proposal: Proposal, screening_list: ScreeningList | None
) -> tuple[list[ScreeningHit], list[dict[str, Any]]]:
    """The hits of the proposal's partners, and what was screened for each with its near misses."""
    if screening_list is None:
        unavailable = ScreeningHit(
            kind=HitKind.RESTRICTED_PARTY,
            summary=(
                "No screening list has been imported, so restricted-party screening could not run."
            ),
            fingerprint="party:unavailable",
            details={"unavailable": True},
        )
        return [unavailable], []
    index, entries = _party_index(screening_list.pk, screening_list.imported_at.isoformat())
    threshold = float(settings.STA_SCREENING_MATCH_THRESHOLD)
    near = float(settings.STA_SCREENING_NEAR_MISS_THRESHOLD)
    screened: list[tuple[str, str, list[str], str]] = []
    for institution in proposal.institutions.all():
        names = [n for n in (institution.name, institution.name_local) if n]
        screened.append(("institution", parties.PartyKind.ENTITY, names, institution.city))
    for person in proposal.people.select_related("institution"):
        city = person.institution.city if person.institution else ""
        screened.append(("person", parties.PartyKind.INDIVIDUAL, [person.name], city))
    hits = []
    record: list[dict[str, Any]] = []
    for partner_kind, kind, names, city in screened:
        result = index.screen(
            names, kind=kind, city=city, threshold=threshold, near_miss_threshold=near
        )
        record.append(
            {
                "partner": partner_kind,
                "names": list(result.names),
                "forms": list(result.forms),
                "hits": len(result.hits),
                "near_misses": [_match_record(m, entries[m.key]) for m in result.near_misses],
            }
        )
        for match in result.hits:
            entry = entries[match.key]
            hits.append(
                ScreeningHit(
                    kind=HitKind.RESTRICTED_PARTY,
                    summary=(
                        f"{match.screened} resembles “{match.matched_name}” on the "
                        f"{entry.source} (score {match.score:g})."
                    ),
                    fingerprint=(
                        f"party:{match.screened.casefold()}:{entry.source}:"
                        f"{entry.entity_number or entry.name}:{match.matched_name}"
                    )[:500],
                    details={
                        "partner": partner_kind,
                        "partner_names": list(result.names),
                        "source": entry.source,
                        "entity_number": entry.entity_number,
                        "list": str(screening_list),
                        "form": match.form,
                        "listed_as": match.listed_as,
                        "name_score": match.name_score,
                    },
                    screened_text=match.screened,
                    list_entry=entry,
                    matched_name=match.matched_name,
                    score=match.score,
                    score_parts=[part.as_dict() for part in match.parts],
                    list_imported_at=screening_list.imported_at,
                )
            )
    return hits, record


def _english_name_hits(proposal: Proposal) -> list[ScreeningHit]:
    unnamed = completeness.without_english_name(
        [(i.name, i.name_local) for i in proposal.institutions.all()]
    )
    return [
        ScreeningHit(
            kind=HitKind.COMPLETENESS,
            summary=f"{name}: {completeness.NOT_SCREENED}.",
            fingerprint=f"completeness:english-name:{name}"[:500],
            details={"not_screened": name},
            screened_text=name,
        )
        for name in unnamed
    ]


def _scope_hits(proposal: Proposal) -> list[ScreeningHit]:
    day = proposal.start_date
    cited = list(proposal.cited_clauses.select_related("version__agreement"))
    if day is None or not cited:
        return []
    agreements = {clause.version.agreement_id for clause in cited}
    in_force: dict[str, scope.InForce] = {}
    for version in (
        Version.objects.in_force_on(day)
        .filter(agreement__in=agreements)
        .select_related("agreement")
    ):
        changes = dict(
            Clause.objects.filter(version=version, language=DEFAULT_LANGUAGE).values_list(
                "key", "change"
            )
        )
        in_force[version.agreement.short_title] = scope.InForce(
            version_id=version.pk, version_label=version.label, changes=changes
        )
    problems = scope.scope_problems(
        [
            scope.CitedClause(
                clause_id=c.pk,
                key=c.key,
                label=c.label,
                agreement=c.version.agreement.short_title,
                version_id=c.version_id,
                version_label=c.version.label,
            )
            for c in cited
        ],
        in_force,
        day,
    )
    clauses = {c.pk: c for c in cited}
    return [
        ScreeningHit(
            kind=HitKind.CLAUSE_SCOPE,
            summary=problem.message,
            fingerprint=f"scope:{problem.clause_id}:{day.isoformat()}",
            details={"start_date": day.isoformat(), "key": problem.key},
            clause=clauses[problem.clause_id],
        )
        for problem in problems
    ]


def _carry_adjudications(proposal: Proposal, hits: Iterable[ScreeningHit]) -> None:
    earlier = {
        hit.fingerprint: hit
        for hit in ScreeningHit.objects.filter(run__proposal=proposal, run__round=proposal.round)
        .exclude(adjudication="")
        .order_by("pk")
    }
    for hit in hits:
        previous = earlier.get(hit.fingerprint)
        if previous is not None:
            hit.adjudication = previous.adjudication
            hit.adjudicated_by_id = previous.adjudicated_by_id
            hit.adjudication_reason = previous.adjudication_reason
            hit.adjudicated_at = previous.adjudicated_at
            hit.carried_from = previous


def hit_adjudicate(
    *, hit: ScreeningHit, adjudication: str, acting_user: Any, reason: str
) -> ScreeningHit:
    """A security reviewer rules a hit a true match or a false positive, with a reason.

    Ruling on the last open hit of a proposal in screening sends it on to review.
    """
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(hit.run.proposal_id)
        row = ScreeningHit.objects.select_for_update().select_related("run").get(pk=hit.pk)
        others = ScreeningHit.objects.pending().filter(run=row.run).exclude(pk=row.pk).exists()
        last = locked.state == ProposalState.SCREENING and not others
        action = ProposalAction.ADJUDICATE_LAST if last else ProposalAction.ADJUDICATE
        require_action(locked, action, permissions.refusal_adjudicate(acting_user, locked))
        if adjudication not in Adjudication.values:
            raise InvalidInput.single(
                "adjudication", "Rule the hit a true match or a false positive."
            )
        if not row.run.is_current:
            raise TransitionNotAllowed(
                "This hit belongs to an earlier screening run; adjudicate the latest run's hits."
            )
        if row.adjudication:
            raise TransitionNotAllowed(
                f"This hit was already ruled a {Adjudication(row.adjudication).label.lower()}."
            )
        row.adjudication = adjudication
        row.adjudicated_by = acting_user
        row.adjudication_reason = reason
        row.adjudicated_at = timezone.now()
        save_with_history(row, acting_user=acting_user, reason=reason)
        move(locked, action, acting_user=acting_user, reason=reason)
        if last:
            notify_entered_review(locked)
    return row


def proposals_rescreen(*, reason: str, request_key: str) -> int:
    """Queue a screening run for every open or approved proposal; the number queued."""
    reason = clean_reason(reason)
    ids = list(
        Proposal.objects.filter(state__in=SCREENABLE_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        after_commit(enqueue_screening, pk, request_key, reason)
    return len(ids)


# A proposal still submitted this long after its submission has not been screened: the broker
# may have been down, or the worker died. The sweep queues its screening again.
STALLED_AFTER = dt.timedelta(minutes=10)
SCREENING_TASK = "reviews.tasks.screen_proposal"
_SCREENING_REASONS = {
    ProposalAction.SUBMIT: "Screening on submission",
    ProposalAction.RESUBMIT: "Screening on resubmission",
}


def screenings_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue screening again for proposals left submitted for a while; the number queued.

    The request key is the one the submission used, so a screening that did run meanwhile is
    not repeated.
    """
    cutoff = (now or timezone.now()) - STALLED_AFTER
    stalled = Proposal.objects.filter(
        state=ProposalState.SUBMITTED, state_changed_at__lt=cutoff
    ).order_by("pk")
    queued = 0
    # Why: a screening that failed too often, or for good, waits for an administrator (the
    # failure is listed in the admin) instead of failing again every ten minutes.
    given_up = given_up_keys(SCREENING_TASK)
    for proposal in stalled:
        event = (
            ProposalEvent.objects.filter(proposal=proposal, to_state=ProposalState.SUBMITTED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if event is None or f"{proposal.pk}:event:{event.pk}" in given_up:
            continue
        reason = _SCREENING_REASONS.get(ProposalAction(event.action), "Screening")
        enqueue_screening(proposal.pk, f"event:{event.pk}", reason)
        queued += 1
    return queued


def notify_entered_review(proposal: Proposal) -> None:
    """Each assessment's assignee, or everyone who could make it while nobody is assigned,
    hears that it can now be made and by when."""
    for step in ReviewStep:
        notify(
            proposal=proposal,
            kind=NotificationKind.ENTERED_REVIEW,
            recipients=step_people(proposal, step),
            subject=f"Ready for review: {proposal.title}",
            body=(
                f"The proposal “{proposal.title}” has been screened and is ready for its "
                "risk–benefit and national-security assessments."
            ),
            expected="make " + ASSESSMENT_WORDS[step],
            due=assessment_due(proposal, step),
        )


def _notify_hits(proposal: Proposal, pending: int) -> None:
    notify(
        proposal=proposal,
        kind=NotificationKind.HITS_TO_ADJUDICATE,
        recipients=staff_for(proposal, Role.SECURITY_REVIEWER),
        subject=f"Screening hits to adjudicate: {proposal.title}",
        body=(
            f"Screening of “{proposal.title}” found {pending} potential "
            f"problem{'s' if pending != 1 else ''} awaiting adjudication."
        ),
        expected="adjudicate the screening hits",
        due=screening_due(proposal),
    )
