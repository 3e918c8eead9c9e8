"""Loading the lists screening uses (the CET list and the Consolidated Screening List), and
the entries of the lists proposals choose from (agencies, scientific fields)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from sta_tracker.history import bulk_create_with_history, save_with_history
from sta_tracker.transactions import after_commit

from .. import permissions
from ..errors import InvalidInput
from ..models import (
    CetCategory,
    CetEdition,
    CetTerm,
    ReferenceEntry,
    ScreeningList,
    ScreeningListEntry,
)
from ..screening import cet, csl
from .core import clean_reason, delete_with_history, require

DEFAULT_TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "cet_search_terms.toml"
_ENTRY_BATCH = 1000


def default_cet_terms(path: Path = DEFAULT_TERMS_FILE) -> dict[str, tuple[str, ...]]:
    """The shipped starting terms, keyed by category name folded to lower case."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {name.casefold(): tuple(terms) for name, terms in data.items()}


def screening_list_import(
    *, file_name: str, data: bytes, acting_user: Any, reason: str
) -> ScreeningList:
    """Import a Consolidated Screening List CSV file as the current list.

    The whole file is checked before anything is written. Earlier imports are kept, since
    hits cite their entries. Once committed, every open or approved proposal is screened again.
    """
    require(permissions.refusal_manage_screening_lists(acting_user))
    reason = clean_reason(reason)
    try:
        entries = csl.parse_csl(csl.decode(data))
    except csl.CslFormatError as exc:
        raise InvalidInput.single("file", str(exc)) from None
    with transaction.atomic(durable=True):
        for previous in ScreeningList.objects.select_for_update().filter(is_current=True):
            previous.is_current = False
            save_with_history(previous, acting_user=acting_user, reason=reason)
        screening_list = ScreeningList(
            file_name=Path(file_name).name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=acting_user,
            entry_count=len(entries),
            is_current=True,
        )
        save_with_history(screening_list, acting_user=acting_user, reason=reason)
        ScreeningListEntry.objects.bulk_create(
            (
                ScreeningListEntry(
                    screening_list=screening_list,
                    row=entry.line,
                    source=entry.source[:300],
                    entity_number=entry.entity_number[:100],
                    entry_type=entry.type[:60],
                    name=entry.name,
                    alt_names=list(entry.alt_names),
                    addresses=entry.addresses,
                    programs=entry.programs,
                    federal_register_notice=entry.federal_register_notice[:300],
                    start_date=entry.start_date,
                    source_list_url=entry.source_list_url[:500],
                    columns=entry.columns,
                )
                for entry in entries
            ),
            batch_size=_ENTRY_BATCH,
        )
        after_commit(_enqueue_rescreen, screening_list.pk)
    return screening_list


def _enqueue_rescreen(list_id: int) -> None:
    from ..tasks import rescreen_after_list_import

    rescreen_after_list_import.delay(list_id)


def cet_edition_load(
    *,
    name: str,
    text: str,
    acting_user: Any,
    reason: str,
    put_in_force: bool = True,
    default_terms: dict[str, tuple[str, ...]] | None = None,
) -> CetEdition:
    """Load a CET list edition; earlier editions stay, with their categories and terms.

    Each category starts with the shipped terms for its name plus the terms administrators
    gave the same-named category of the edition in force.
    """
    require(permissions.refusal_manage_cet(acting_user))
    reason = clean_reason(reason)
    name = name.strip()
    if not name:
        raise InvalidInput.single("edition", "Name the edition, for example “2024”.")
    try:
        parsed = cet.parse_cet_list(text)
    except cet.CetListError as exc:
        raise InvalidInput.single("file", str(exc)) from None
    defaults = default_cet_terms() if default_terms is None else default_terms
    with transaction.atomic(durable=True):
        if CetEdition.objects.filter(name__iexact=name).exists():
            raise InvalidInput.single("edition", f"An edition named “{name}” is already loaded.")
        current = CetEdition.objects.select_for_update().filter(in_force=True).first()
        kept: dict[str, set[str]] = {}
        if current is not None:
            for term in CetTerm.objects.filter(category__edition=current).select_related(
                "category"
            ):
                kept.setdefault(term.category.name.casefold(), set()).add(term.term)
            if put_in_force:
                current.in_force = False
                save_with_history(current, acting_user=acting_user, reason=reason)
        edition = CetEdition(name=name, source_note="\n".join(parsed.notes), in_force=put_in_force)
        save_with_history(edition, acting_user=acting_user, reason=reason)
        categories = bulk_create_with_history(
            [
                CetCategory(edition=edition, name=category, order=order)
                for order, category in enumerate(parsed.categories, start=1)
            ],
            CetCategory,
            acting_user=acting_user,
            reason=reason,
        )
        terms = [
            CetTerm(category=category, term=term)
            for category in categories
            for term in sorted(
                set(defaults.get(category.name.casefold(), ()))
                | kept.get(category.name.casefold(), set())
            )
        ]
        bulk_create_with_history(terms, CetTerm, acting_user=acting_user, reason=reason)
    return edition


def cet_edition_put_in_force(*, edition: CetEdition, acting_user: Any, reason: str) -> CetEdition:
    """Make ``edition`` the one screening uses."""
    require(permissions.refusal_manage_cet(acting_user))
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        for other in (
            CetEdition.objects.select_for_update().filter(in_force=True).exclude(pk=edition.pk)
        ):
            other.in_force = False
            save_with_history(other, acting_user=acting_user, reason=reason)
        locked = CetEdition.objects.select_for_update().get(pk=edition.pk)
        if not locked.in_force:
            locked.in_force = True
            save_with_history(locked, acting_user=acting_user, reason=reason)
    return locked


def cet_terms_set(
    *, category: CetCategory, terms: Sequence[str], acting_user: Any, reason: str
) -> list[str]:
    """Replace a category's search terms; the terms now in force, sorted."""
    require(permissions.refusal_manage_cet(acting_user))
    reason = clean_reason(reason)
    wanted: dict[str, str] = {}
    for raw in terms:
        term = re.sub(r"\s+", " ", raw).strip()
        if not term:
            continue
        if len(term) > 120:
            raise InvalidInput.single("terms", f"“{term[:40]}…” is longer than 120 characters.")
        if not re.search(r"\w", term):
            raise InvalidInput.single("terms", f"“{term}” has no letters or digits to search for.")
        wanted.setdefault(term.casefold(), term)
    with transaction.atomic(durable=True):
        existing = {
            t.term.casefold(): t
            for t in CetTerm.objects.select_for_update().filter(category=category)
        }
        for key, row in existing.items():
            if key not in wanted:
                delete_with_history(row, acting_user=acting_user, reason=reason)
        for key, term in wanted.items():
            if key not in existing:
                save_with_history(
                    CetTerm(category=category, term=term), acting_user=acting_user, reason=reason
                )
        return sorted(
            CetTerm.objects.filter(category=category).values_list("term", flat=True),
            key=str.casefold,
        )


def entries_ensure(
    *, model: type[ReferenceEntry], names: Sequence[str], acting_user: Any, reason: str
) -> list[ReferenceEntry]:
    """The entries of ``model`` (an agency or scientific field list) named ``names``, in that
    order; the missing ones are added, active, ordered after the others. Names match
    ignoring case."""
    reason = clean_reason(reason)
    entries = []
    with transaction.atomic():
        last = model.objects.order_by("-order").values_list("order", flat=True).first() or 0
        for name in names:
            name = " ".join(name.split())
            if not name:
                raise InvalidInput.single("name", "Every entry needs a name.")
            entry = model.objects.filter(name__iexact=name).first()
            if entry is None:
                last += 1
                entry = model(name=name[:200], order=last)
                save_with_history(entry, acting_user=acting_user, reason=reason)
            entries.append(entry)
    return entries
