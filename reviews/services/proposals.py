"""What submitters do with their proposals, and a reviewer's early return for changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from clauses.models import DEFAULT_LANGUAGE, ChangeKind, Clause, Version
from sta_tracker.history import save_with_history
from sta_tracker.text import NUL_MESSAGE, strip_bidi_controls
from sta_tracker.transactions import after_commit

from .. import permissions
from ..attachments import attachment_problem, content_type_for
from ..countries import COUNTRY_NAMES, NOT_A_COUNTRY
from ..errors import InvalidInput, NotReady, TransitionNotAllowed
from ..models import (
    LISTED_FIELDS,
    PROPOSAL_FIELDS,
    NotificationKind,
    PartnerInstitution,
    PartnerPerson,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ReferenceEntry,
    declared_field,
)
from ..screening import completeness
from ..workflow import EDITABLE_STATES, ProposalAction, ProposalState
from .core import (
    clean_reason,
    delete_with_history,
    enqueue_screening,
    lock,
    move,
    recording,
    require,
    require_action,
    without_history,
)
from .notifications import notify

MAX_ATTACHMENTS = 20
# Why: each partner and person is screened against every listed party; the page offers no more.
MAX_INSTITUTIONS = 50
MAX_PEOPLE = 100
MAX_CITED_CLAUSES = 500
_HEAD_BYTES = 4096


@dataclass(frozen=True)
class InstitutionInput:
    name: str
    name_local: str = ""
    city: str = ""
    # ISO 3166 two-letter code, or "" when not given.
    country: str = ""


@dataclass(frozen=True)
class PersonInput:
    name: str
    position: str = ""
    institution: str = ""


class ProposalContent:
    """Everything a submitter writes: the fields of ``PROPOSAL_FIELDS`` by name (any left out
    take the model's default), the partners, and the ids of the cited clauses.

    A listed field (agency, scientific field) takes an entry or the name of an active one. A
    person's ``institution`` names one of ``institutions``.
    """

    __slots__ = ("cited_clause_ids", "institutions", "people", "values")

    def __init__(
        self,
        *,
        institutions: Sequence[InstitutionInput] = (),
        people: Sequence[PersonInput] = (),
        cited_clause_ids: Sequence[int] = (),
        **values: Any,
    ) -> None:
        unknown = sorted(set(values) - set(PROPOSAL_FIELDS))
        if unknown:
            raise TypeError(f"Not a proposal field: {', '.join(unknown)}.")
        self.values: dict[str, Any] = {
            name: values[name] if name in values else declared_field(name).get_default()
            for name in PROPOSAL_FIELDS
        }
        self.institutions = tuple(institutions)
        self.people = tuple(people)
        self.cited_clause_ids = tuple(cited_clause_ids)

    def __repr__(self) -> str:
        return f"ProposalContent({self.values.get('title')!r})"


def clauses_in_force(day: dt.date) -> Any:
    """English clauses of the versions in force on ``day``, repealed placeholders left out.

    Proposals cite the English text; its clauses share their keys with the other languages'.
    """
    versions = Version.objects.in_force_on(day)
    return Clause.objects.filter(version__in=versions, language=DEFAULT_LANGUAGE).exclude(
        change=ChangeKind.REPEALED
    )


def _listed_entry(
    name: str, value: Any, current: ReferenceEntry | None
) -> tuple[ReferenceEntry | None, str]:
    """The list entry ``value`` stands for, or an error. An entry taken off the list stays
    allowed on a proposal that already names it."""
    model = LISTED_FIELDS[name]
    label = model._meta.verbose_name
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, str):
        wanted = " ".join(value.split())
        entry = model.objects.filter(name__iexact=wanted).first()
    elif isinstance(value, model):
        wanted, entry = value.name, value
    else:
        return None, f"Choose a {label} from the list."
    if entry is None or not (entry.active or entry == current):
        return None, f"Choose a {label} from the list; “{wanted}” is not on it."
    return entry, ""


def _plain(content: ProposalContent) -> ProposalContent:
    """The content under the text rule (sta_tracker/text.py): bidi controls out, NUL refused."""
    errors: dict[str, list[str]] = {}

    def clean(field: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if "\x00" in value:
            errors.setdefault(field, [NUL_MESSAGE])
        return strip_bidi_controls(value)

    def cleaned(field: str, item: Any) -> Any:
        return replace(item, **{f.name: clean(field, getattr(item, f.name)) for f in fields(item)})

    plain = ProposalContent(
        institutions=tuple(cleaned("institutions", i) for i in content.institutions),
        people=tuple(cleaned("people", p) for p in content.people),
        cited_clause_ids=content.cited_clause_ids,
        **{name: clean(name, value) for name, value in content.values.items()},
    )
    if errors:
        raise InvalidInput(errors)
    return plain


def _too_many(content: ProposalContent) -> dict[str, list[str]]:
    counts = (
        ("institutions", len(content.institutions), MAX_INSTITUTIONS, "partner institutions"),
        ("people", len(content.people), MAX_PEOPLE, "partner researchers"),
        ("cited_clause_ids", len(content.cited_clause_ids), MAX_CITED_CLAUSES, "cited clauses"),
    )
    return {
        field: [f"At most {limit} {what}; {count} were given."]
        for field, count, limit, what in counts
        if count > limit
    }


def _validate(
    content: ProposalContent, today: dt.date, proposal: Proposal | None = None
) -> tuple[dict[str, Any], list[Clause]]:
    """The proposal's new field values and its cited clauses, or ``InvalidInput``."""
    # Why first: thousands of partners would each be compared with all the others below.
    errors: dict[str, list[str]] = _too_many(content)
    if errors:
        raise InvalidInput(errors)

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, model, items in (
        ("institutions", PartnerInstitution, content.institutions),
        ("people", PartnerPerson, content.people),
    ):
        for item in items:
            for part in fields(item):
                # Why: a person's institution names a partner institution.
                column = ("name", PartnerInstitution) if part.name == "institution" else None
                name, owner = column or (part.name, model)
                limit = getattr(owner._meta.get_field(name), "max_length", None)
                value = getattr(item, part.name).strip()
                if limit and len(value) > limit:
                    label = part.name.replace("_", " ")
                    add(field, f"“{value[:40]}…”: the {label} has at most {limit} characters.")
        if field == "institutions":
            for item in content.institutions:
                code = item.country.strip()
                if code and code not in COUNTRY_NAMES:
                    add(field, NOT_A_COUNTRY.format(input=code[:8]))

    values: dict[str, Any] = {}
    for name in PROPOSAL_FIELDS:
        value = content.values[name]
        if name in LISTED_FIELDS:
            current = getattr(proposal, name) if proposal is not None else None
            value, problem = _listed_entry(name, value, current)
            if problem:
                add(name, problem)
        elif isinstance(value, str):
            value = value.strip()
            limit = getattr(Proposal._meta.get_field(name), "max_length", None)
            if limit and len(value) > limit:
                add(name, f"At most {limit} characters.")
        values[name] = value
    if not values["title"]:
        errors.setdefault("title", []).insert(0, "Give the proposal a title.")
    start, end = values["start_date"], values["end_date"]
    if start and end and end <= start:
        add("end_date", "The project must end after it starts.")
    if values["funding_amount"] is not None and values["funding_amount"] < 0:
        add("funding_amount", "Funding cannot be negative.")
    names = [(i.name.strip() or i.name_local.strip()) for i in content.institutions]
    if any(not name for name in names):
        add("institutions", "Every partner institution needs a name, in English or in Chinese.")
    if len({n.casefold() for n in names}) != len(names):
        add("institutions", "A partner institution is listed twice.")
    known = {
        n.strip().casefold()
        for i in content.institutions
        for n in (i.name, i.name_local)
        if n.strip()
    }
    for person in content.people:
        if not person.name.strip():
            add("people", "Every partner researcher needs a name.")
        elif person.institution.strip() and person.institution.strip().casefold() not in known:
            add(
                "people",
                f"{person.name.strip()}'s institution “{person.institution.strip()}” is not "
                "among the partner institutions.",
            )
    wanted = list(dict.fromkeys(content.cited_clause_ids))
    clauses = list(clauses_in_force(today).filter(pk__in=wanted).select_related("version"))
    if len(clauses) != len(wanted):
        add(
            "cited_clause_ids",
            "Cite clauses of the version of the agreement in force today; "
            f"{len(wanted) - len(clauses)} of the chosen clauses are not.",
        )
    if errors:
        raise InvalidInput(errors)
    return values, clauses


def _write(
    proposal: Proposal,
    content: ProposalContent,
    values: dict[str, Any],
    clauses: Sequence[Clause],
    *,
    acting_user: Any,
    reason: str,
    creating: bool,
) -> None:
    for name, value in values.items():
        setattr(proposal, name, value)
    if creating:
        save_with_history(proposal, acting_user=acting_user, reason=reason)
        if clauses:
            with recording(proposal, acting_user=acting_user, reason=reason):
                proposal.cited_clauses.set(clauses)
    else:
        # Why: one history row per edit, holding both the fields and the cited clauses.
        with without_history(proposal):
            proposal.cited_clauses.set(clauses)
        save_with_history(proposal, acting_user=acting_user, reason=reason)
        for person in proposal.people.all():
            delete_with_history(person, acting_user=acting_user, reason=reason)
        for institution in proposal.institutions.all():
            delete_with_history(institution, acting_user=acting_user, reason=reason)
    saved: dict[str, PartnerInstitution] = {}
    for order, item in enumerate(content.institutions):
        institution = PartnerInstitution(
            proposal=proposal,
            name=item.name.strip(),
            name_local=item.name_local.strip(),
            city=item.city.strip(),
            country=item.country.strip(),
            order=order,
        )
        save_with_history(institution, acting_user=acting_user, reason=reason)
        for name in (institution.name_local, institution.name):
            if name:
                saved[name.casefold()] = institution
    for order, person_input in enumerate(content.people):
        person = PartnerPerson(
            proposal=proposal,
            name=person_input.name.strip(),
            position=person_input.position.strip(),
            order=order,
            institution=saved.get(person_input.institution.strip().casefold()),
        )
        save_with_history(person, acting_user=acting_user, reason=reason)


def proposal_create(*, content: ProposalContent, acting_user: Any, reason: str) -> Proposal:
    """Start a draft proposal for ``acting_user``, who becomes its submitter."""
    require(permissions.refusal_create(acting_user))
    reason = clean_reason(reason)
    content = _plain(content)
    with transaction.atomic(durable=True):
        values, clauses = _validate(content, timezone.localdate())
        proposal = Proposal(submitter=acting_user)
        _write(
            proposal,
            content,
            values,
            clauses,
            acting_user=acting_user,
            reason=reason,
            creating=True,
        )
    return proposal


def proposal_update(
    *, proposal: Proposal, content: ProposalContent, acting_user: Any, reason: str
) -> Proposal:
    """Replace the content of a draft or returned proposal."""
    reason = clean_reason(reason)
    content = _plain(content)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        _require_editable(locked)
        require(permissions.refusal_edit(acting_user, locked))
        values, clauses = _validate(content, timezone.localdate(), locked)
        _write(
            locked, content, values, clauses, acting_user=acting_user, reason=reason, creating=False
        )
    return locked


def _require_editable(proposal: Proposal) -> None:
    if proposal.state not in EDITABLE_STATES:
        state = ProposalState(proposal.state).label.lower()
        raise TransitionNotAllowed(
            f"A proposal that is {state} cannot be edited; only drafts and proposals returned "
            "for changes can."
        )


def unscreenable_institutions(proposal: Proposal) -> tuple[str, ...]:
    """The proposal's partner institutions that screening cannot compare with English names."""
    return completeness.without_english_name(
        list(proposal.institutions.values_list("name", "name_local"))
    )


def _require_screenable(proposal: Proposal) -> None:
    unnamed = unscreenable_institutions(proposal)
    if unnamed:
        listed = ", ".join(f"“{name}”" for name in unnamed)
        raise NotReady(
            f"Partner institution{'s' if len(unnamed) > 1 else ''} {listed}: "
            f"{completeness.NOT_SCREENED}. Screening lists name parties in English, so edit "
            "the proposal and give the English name (keep the Chinese name too)."
        )


def proposal_submit(*, proposal: Proposal, acting_user: Any, reason: str) -> ProposalEvent:
    """Submit a draft; screening starts once the submission is committed.

    Refused while a partner institution has no English name, which screening needs.
    """
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked, ProposalAction.SUBMIT, permissions.refusal_submit(acting_user, locked)
        )
        _require_screenable(locked)
        event = move(locked, ProposalAction.SUBMIT, acting_user=acting_user, reason=reason)
        _screen_after_commit(locked, event, "Screening on submission")
    return event


def proposal_resubmit(*, proposal: Proposal, acting_user: Any, reason: str) -> ProposalEvent:
    """Send a returned proposal back for review; it is screened again in a new round."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked, ProposalAction.RESUBMIT, permissions.refusal_resubmit(acting_user, locked)
        )
        _require_screenable(locked)
        locked.round += 1
        locked.return_questions = ""
        event = move(
            locked, ProposalAction.RESUBMIT, acting_user=acting_user, reason=reason, changed=True
        )
        _screen_after_commit(locked, event, "Screening on resubmission")
    return event


def proposal_withdraw(*, proposal: Proposal, acting_user: Any, reason: str) -> ProposalEvent:
    """The submitter takes a proposal out of the process for good."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked, ProposalAction.WITHDRAW, permissions.refusal_withdraw(acting_user, locked)
        )
        return move(locked, ProposalAction.WITHDRAW, acting_user=acting_user, reason=reason)


def proposal_return(
    *, proposal: Proposal, questions: str, acting_user: Any, reason: str
) -> ProposalEvent:
    """A reviewer sends a proposal back before any decision (for instance, incomplete)."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        require_action(
            locked, ProposalAction.RETURN, permissions.refusal_return(acting_user, locked)
        )
        if not questions.strip():
            raise InvalidInput.single("questions", "Say what the submitter must change or answer.")
        locked.return_questions = questions.strip()
        event = move(
            locked, ProposalAction.RETURN, acting_user=acting_user, reason=reason, changed=True
        )
        notify_returned(locked, questions.strip())
    return event


def notify_returned(proposal: Proposal, questions: str) -> None:
    notify(
        proposal=proposal,
        kind=NotificationKind.RETURNED,
        recipients=[proposal.submitter],
        subject=f"Returned for changes: {proposal.title}",
        body=(
            f"Your proposal “{proposal.title}” was returned for changes.\n\n"
            f"The reviewers ask:\n{questions}"
        ),
        expected="answer the questions by editing the proposal, then resubmit it",
    )


def _screen_after_commit(proposal: Proposal, event: ProposalEvent, reason: str) -> None:
    after_commit(enqueue_screening, proposal.pk, f"event:{event.pk}", reason)


def attachment_add(
    *, proposal: Proposal, upload: File[Any], acting_user: Any, reason: str
) -> ProposalAttachment:
    """Attach a document to a draft or returned proposal, if its type and size are allowed."""
    reason = clean_reason(reason)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    problem = attachment_problem(
        name, upload.size or 0, head, max_bytes=settings.STA_ATTACHMENT_MAX_BYTES
    )
    if problem:
        raise InvalidInput.single("file", problem)
    with transaction.atomic(durable=True):
        locked = lock(proposal)
        _require_editable(locked)
        require(permissions.refusal_edit(acting_user, locked))
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise InvalidInput.single(
                "file", f"A proposal can carry at most {MAX_ATTACHMENTS} attachments."
            )
        attachment = ProposalAttachment(
            proposal=locked,
            name=name[:200],
            content_type=content_type_for(name),
            size=upload.size or 0,
            uploaded_by=acting_user,
        )
        try:
            attachment.file.save(name, upload, save=False)
            save_with_history(attachment, acting_user=acting_user, reason=reason)
        except Exception:
            # Why: a refused or failed attachment must not leave its file behind.
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def attachment_remove(*, attachment: ProposalAttachment, acting_user: Any, reason: str) -> None:
    """Remove an attachment from a draft or returned proposal."""
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = lock(attachment.proposal_id)
        _require_editable(locked)
        require(permissions.refusal_edit(acting_user, locked))
        row = ProposalAttachment.objects.get(pk=attachment.pk, proposal=locked)
        storage, stored = row.file.storage, row.file.name
        delete_with_history(row, acting_user=acting_user, reason=reason)
        after_commit(storage.delete, stored)
