"""Publishing an import plan: the version it makes, its effects and the instrument's document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from sta_tracker.history import bulk_create_with_history, save_with_history

from ..importing.modes import AMENDING, DOCUMENT, PARTIAL, ImportPlan
from ..importing.structure import ParsedClause, ParsedDocument
from ..models import DEFAULT_LANGUAGE, Agreement, Instrument, Version
from .effects import DocumentClause, Effect, InstrumentDocument
from .tree import write_tree
from .versions import VersionError, version_publish


def _affected_version(agreement: Agreement) -> Version | None:
    """The version an amending instrument or a partial text changes: the latest one."""
    return (
        Version.objects.filter(agreement=agreement)
        .order_by("-in_force_from", "-published_at")
        .first()
    )


def import_plan_publish(
    *,
    agreement: Agreement,
    instrument: Instrument,
    plan: ImportPlan,
    document: ParsedDocument,
    label: str,
    title: str,
    in_force_from: dt.date,
    in_force_until: dt.date | None,
    text_status: str,
    acting_user: Any,
    reason: str,
    previous: Version | None = None,
    source_name: str = "",
    period_reason: str = "",
) -> Version | InstrumentDocument:
    """Write what ``plan`` says, all or nothing, for an ``instrument`` already saved.

    A consolidated text, a partial text and an amending instrument publish a version (through
    ``version_publish``) and record their effects, applied or not, with the version they
    produced; an amending instrument also keeps its own text as the instrument's document.
    A side document writes only that document: no version, nothing repealed. ``previous`` is
    the version the plan was made against (by default, for an amendment or a partial text, the
    latest version; for a consolidated text, the one ``version_publish`` picks); an effect
    dated before that version starts is refused. ``period_reason`` (why an earlier version
    stops being in force) goes into that version's history row.
    """
    if instrument.agreement_id != agreement.pk:
        raise VersionError(f"{instrument} is not an instrument of {agreement.short_title}.")
    if not reason.strip():
        raise VersionError("Say why the text is imported; the reason is kept in the history.")
    if plan.mode == DOCUMENT:
        with transaction.atomic():
            return instrument_document_write(
                instrument=instrument,
                document=document,
                text_status=text_status,
                source_name=source_name,
                acting_user=acting_user,
                reason=reason,
            )
    if plan.mode in (AMENDING, PARTIAL) and previous is None:
        previous = _affected_version(agreement)
        if previous is None:
            raise VersionError(
                f"{agreement.short_title} has no version yet for this text to change; "
                "import the agreement's text as a consolidated text first."
            )
    if previous is not None and plan.effects and in_force_from < previous.in_force_from:
        raise VersionError(
            f"The effects would take effect on {in_force_from.isoformat()}, before the "
            f"{previous.label} version they change starts ({previous.in_force_from.isoformat()})."
        )
    with transaction.atomic():
        version = version_publish(
            agreement=agreement,
            instrument=instrument,
            label=label,
            title=title,
            in_force_from=in_force_from,
            in_force_until=in_force_until,
            text_status=text_status,
            clauses=None,
            matched=plan.clauses,
            wording=plan.wording_by_key,
            previous=previous,
            acting_user=acting_user,
            reason=reason,
            period_reason=period_reason,
        )
        bulk_create_with_history(
            [
                Effect(
                    instrument=instrument,
                    order=order,
                    kind=effect.kind,
                    affected_key=effect.affected_key,
                    affected_label=effect.affected_label,
                    affecting_provision=effect.affecting,
                    effective_from=in_force_from,
                    applied=effect.applied,
                    version=version if effect.applied else None,
                    new_number=effect.new_number,
                    new_heading=effect.new_heading,
                    new_text=effect.new_text,
                    after_key=effect.after_key,
                    term=effect.term,
                    note=effect.why_not or effect.note,
                )
                for order, effect in enumerate(plan.effects, start=1)
            ],
            Effect,
            acting_user=acting_user,
            reason=reason,
        )
        if plan.mode == AMENDING:
            instrument_document_write(
                instrument=instrument,
                document=document,
                text_status=text_status,
                source_name=source_name,
                acting_user=acting_user,
                reason=reason,
            )
    return version


def instrument_document_write(
    *,
    instrument: Instrument,
    document: ParsedDocument,
    text_status: str,
    acting_user: Any,
    reason: str,
    source_name: str = "",
) -> InstrumentDocument:
    """Keep an instrument's own text, in its language, with its provisions."""
    if not document.clauses:
        raise VersionError("No clauses were found in the text.")
    language = document.language or DEFAULT_LANGUAGE
    if InstrumentDocument.objects.filter(instrument=instrument, language=language).exists():
        raise VersionError(f"{instrument} already has its text in this language ({language}).")
    with transaction.atomic():
        kept = InstrumentDocument(
            instrument=instrument,
            language=language,
            text_status=text_status,
            title=(document.title or instrument.title)[:400],
            source_name=source_name[:255],
        )
        save_with_history(kept, acting_user=acting_user, reason=reason)
        _write_document_clauses(kept, document.clauses, acting_user=acting_user, reason=reason)
    return kept


def _write_document_clauses(
    document: InstrumentDocument,
    clauses: Sequence[ParsedClause],
    *,
    acting_user: Any,
    reason: str,
) -> None:
    keys = {c.key for c in clauses}

    def build(
        c: ParsedClause, order: int, level: int, parent: DocumentClause | None
    ) -> DocumentClause:
        return DocumentClause(
            document=document,
            key=c.key,
            kind=c.kind,
            number=c.number,
            heading=c.heading,
            text=c.text,
            parent=parent,
            order=order,
            depth=level,
            notes=list(c.notes),
        )

    write_tree(
        clauses,
        DocumentClause,
        build,
        acting_user=acting_user,
        reason=reason,
        # Why: a side document's clause whose parent the parse left out is kept at the top.
        parent_of=lambda c: c.parent if c.parent in keys else None,
    )
