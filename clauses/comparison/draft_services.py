"""Drafts kept for comparison: upload, share, delete, and the sweep of expired ones.

Nothing here writes a version, a clause or a history row of the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..importing.document import read_document
from ..importing.errors import TextImportError
from ..importing.limits import over_size
from ..importing.services import import_limits
from ..models import Agreement
from ..permissions import DESK_ROLES, ONLY_DESK_USERS, can_manage_draft, can_use_desk
from .drafts import CompareDraft

ONLY_THE_OWNER = "Only the analyst who uploaded a draft shares or deletes it."


def compare_draft_create(
    *, agreement: Agreement, filename: str, content: bytes, title: str, acting_user: Any
) -> CompareDraft:
    """Parse an upload with the import page's readers and limits and keep it as a draft.

    Raises TextImportError (with a message for a person) for a file the readers refuse.
    """
    if not can_use_desk(acting_user):
        raise PermissionDenied(ONLY_DESK_USERS)
    limits = import_limits()
    if len(content) > limits.max_bytes:
        raise over_size("The file is", len(content), limits.max_bytes, "max_bytes")
    document = read_document(content, filename, limits)
    if not document.clauses:
        raise TextImportError("No provision was found in the file: nothing to compare.")
    now = timezone.now()
    draft = CompareDraft(
        owner=acting_user,
        agreement=agreement,
        title=(title.strip() or document.title or filename)[:300],
        original_name=filename[:255],
        source_format=document.source_format,
        clauses=[{**clause.as_json(), "kind": clause.kind} for clause in document.clauses],
        warnings=list(document.warnings),
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.STA_DRAFT_KEEP_DAYS),
    )
    draft.save()
    return draft


def compare_draft_share(
    *, draft: CompareDraft, acting_user: Any, user_ids: Iterable[int], everyone: bool
) -> CompareDraft:
    """Share a draft with the named people (who must compare drafts too), or with all of them.

    Replaces the previous sharing: an empty list and ``everyone`` off make it private again.
    """
    if not can_manage_draft(acting_user, draft.owner_id):
        raise PermissionDenied(ONLY_THE_OWNER)
    people = list(
        get_user_model()
        .objects.filter(pk__in=set(user_ids), is_active=True, groups__name__in=DESK_ROLES)
        .exclude(pk=draft.owner_id)
        .distinct()
    )
    with transaction.atomic():
        draft.shared_with_all = everyone
        draft.save(update_fields=["shared_with_all"])
        draft.shared_with.set(people)
    return draft


def compare_draft_delete(*, draft: CompareDraft, acting_user: Any) -> None:
    if not can_manage_draft(acting_user, draft.owner_id):
        raise PermissionDenied(ONLY_THE_OWNER)
    draft.delete()


def compare_drafts_expire(*, now: dt.datetime | None = None) -> int:
    """Delete every draft past its time; the number deleted. Safe to run twice."""
    expired = CompareDraft.objects.filter(expires_at__lte=now or timezone.now())
    count = expired.count()
    expired.delete()
    return count
