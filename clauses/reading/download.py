"""A version's text as an Akoma Ntoso download, for the version page and the API alike."""

from __future__ import annotations

from django.db.models import Min
from django.http import Http404, HttpResponse

from ..importing.akn_export import AKN_MEDIA_TYPE, AknIdentity, akn_export
from ..importing.structure import ParsedClause
from ..models import DEFAULT_LANGUAGE, Clause, Version


def version_languages(version: Version) -> list[str]:
    return sorted(set(version.clauses.values_list("language", flat=True)))


def version_akn(version: Version, language: str = "") -> tuple[bytes, str]:
    """The XML of ``version`` in ``language`` (English, else its first language) and a file name.

    Raises Http404 when the version holds no text in that language.
    """
    languages = version_languages(version)
    if not language:
        language = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else next(iter(languages), "")
    if language not in languages:
        raise Http404(f"This version has no text in the language “{language}”.")
    rows = (
        Clause.objects.filter(version=version, language=language)
        .order_by("order")
        .values_list("key", "kind", "number", "heading", "text", "parent__key", "notes")
    )
    clauses = [
        ParsedClause(key, kind, number, heading, text, parent, tuple(str(n) for n in notes or ()))
        for key, kind, number, heading, text, parent, notes in rows
    ]
    agreement = version.agreement
    first_signed = agreement.instruments.aggregate(first=Min("signed_on"))["first"]
    identity = AknIdentity(
        work=f"/akn/us/act/{(first_signed or version.in_force_from).isoformat()}/{agreement.slug}",
        title=version.title,
        language=language,
        work_date=first_signed or version.in_force_from,
        expression_date=version.in_force_from,
    )
    return akn_export(clauses, identity), f"{agreement.slug}-{version.label}-{language}.akn.xml"


def version_akn_response(version: Version, language: str = "") -> HttpResponse:
    data, filename = version_akn(version, language)
    response = HttpResponse(data, content_type=AKN_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
