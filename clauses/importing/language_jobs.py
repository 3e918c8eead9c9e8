"""A further language text of a published version, uploaded on the import page.

The job is kept for its preview like any other upload, with the version it is a text of; the
preview shows how its clauses align with the version's by number path, the person may pair
what did not align, and a second administrator publishes it (``import_job_publish``), which
adds the text with ``version_text_add``. Nothing in force changes, nothing is repealed and no
proposal is flagged.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from ..models import Agreement, ImportJob, ImportMode, Version, language_name
from ..permissions import ONLY_ADMINS_IMPORT, can_import_versions
from ..record.languages import (
    LANGUAGE_TEXT_STATUSES,
    LanguageTextError,
    language_check,
    languages_held,
)
from .errors import TextImportError
from .services import NO_REASON, NO_TEXT_STATUS, import_job_keep

NO_VERSION = "Choose the version the file is a text of."


def language_job_create(
    *,
    agreement: Agreement,
    target_version: Version | None,
    filename: str,
    content: bytes,
    language: str,
    text_status: str,
    acting_user: Any,
    reason: str,
) -> ImportJob:
    """Keep an upload of ``target_version``'s text in ``language`` for its preview.

    Refused, with nothing kept (LanguageTextError, TextImportError): a version of another
    agreement, a code that is not ISO 639-1, a language the version already holds, a file
    with no clauses, a pairing the alignment cannot make.
    """
    if not can_import_versions(acting_user):
        raise PermissionDenied(ONLY_ADMINS_IMPORT)
    if len(content) > settings.STA_IMPORT_MAX_BYTES:
        limit = settings.STA_IMPORT_MAX_BYTES / 1_000_000
        raise TextImportError(f"The file is larger than the limit of {limit:g} MB.")
    if not reason.strip():
        raise LanguageTextError(NO_REASON)
    if target_version is None:
        raise LanguageTextError(NO_VERSION)
    if target_version.agreement_id != agreement.pk:
        raise LanguageTextError(
            f"Version {target_version.label} is a version of "
            f"{target_version.agreement.short_title}, not of {agreement.short_title}."
        )
    language_check(language)
    if not text_status:
        raise LanguageTextError(NO_TEXT_STATUS)
    if text_status not in LANGUAGE_TEXT_STATUSES:
        allowed = ", ".join(str(s) for s in LANGUAGE_TEXT_STATUSES)
        raise LanguageTextError(f"Text status {text_status!r} is not one of: {allowed}.")
    if language in languages_held(target_version):
        raise LanguageTextError(
            f"Version {target_version.label} already has a text in {language_name(language)} "
            f"({language}); correct its clauses instead of adding it again."
        )
    instrument = target_version.instrument
    job = ImportJob(
        agreement=agreement,
        original_name=filename[:255],
        content=content,
        size=len(content),
        mode=ImportMode.LANGUAGE,
        language=language,
        target_version=target_version,
        # Why the version's own: a language text makes no instrument; the job names the
        # version it belongs to and the dates that version is in force from.
        label=target_version.label[:50],
        kind=instrument.kind,
        title=target_version.title,
        signed_on=instrument.signed_on or target_version.in_force_from,
        effective_from=target_version.in_force_from,
        expires_on=target_version.in_force_until,
        text_status=text_status,
        reason=reason.strip(),
        created_by=acting_user,
    )
    return import_job_keep(job, acting_user=acting_user, reason=reason)
