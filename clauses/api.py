"""The JSON API over the agreement corpus: agreements, versions, clauses and diffs (search is
``search.api``).

Query parameters are validated by serializers (see ``api_conventions``), so bad input is a 400
with a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_conventions import query
from .comparison.cache import version_diff
from .importing.akn_export import AKN_MEDIA_TYPE
from .models import DEFAULT_LANGUAGE, Agreement, Clause, EventKind, Version
from .permissions import can_view_agreements
from .reading.download import version_akn
from .reading.read_models import text_notice
from .reading.views import parse_day
from .record.languages import LANGUAGE_CODE
from .record.pointintime import InForceState, state_from
from .serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    ClauseDetailSerializer,
    ClauseFilterSerializer,
    ClauseSerializer,
    ClauseThroughVersionsSerializer,
    DiffQuerySerializer,
    DiffSerializer,
    EventSerializer,
    InForceSerializer,
    InstrumentSerializer,
    VersionDetailSerializer,
    VersionFilterSerializer,
    VersionSerializer,
)


class CanReadAgreements(BasePermission):
    message = "Only people with a role in the STA Tracker can read the agreements."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_agreements(request.user)


READERS = [IsAuthenticated, CanReadAgreements]


def _agreement(slug: str | None, field: str = "agreement") -> Agreement | None:
    if slug is None:
        return None
    agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None:
        raise ValidationError({field: [f"No agreement has the slug “{slug}”."]})
    return agreement


def _version(pk: int | None, field: str = "version") -> Version | None:
    if pk is None:
        return None
    version = Version.objects.select_related("agreement").filter(pk=pk).first()
    if version is None:
        raise ValidationError({field: [f"No version has the id {pk}."]})
    return version


def versions_in_force(day: dt.date, agreement: Agreement | None = None) -> list[Version]:
    """The one version of each agreement in force on ``day``, by ``clauses.record.inforce``."""
    versions = Version.objects.all()
    if agreement is not None:
        versions = versions.filter(agreement=agreement)
    return versions.in_force_versions(day)


def _versions_query() -> QuerySet[Version]:
    return Version.objects.select_related("agreement", "instrument", "previous")


def _language(request: Request) -> str:
    """The language asked for with ``?lang=`` (ISO 639-1), English by default."""
    code = request.query_params.get("lang", DEFAULT_LANGUAGE)
    if not LANGUAGE_CODE.match(code):
        raise ValidationError({"lang": [f"{code!r} is not an ISO 639-1 code (en, zh)."]})
    return code


# Agreements ----------------------------------------------------------------------------------


class AgreementList(generics.ListAPIView):
    """Every agreement tracked."""

    permission_classes = READERS
    serializer_class = AgreementSerializer
    queryset = Agreement.objects.order_by("short_title", "slug")


class AgreementDetail(generics.RetrieveAPIView):
    """One agreement with its instruments, events and versions."""

    permission_classes = READERS
    serializer_class = AgreementDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Agreement]:
        return Agreement.objects.prefetch_related(
            "instruments", "events", "versions__instrument", "versions__previous"
        )


class _AgreementChildren(generics.ListAPIView):
    permission_classes = READERS

    def agreement(self) -> Agreement:
        return get_object_or_404(Agreement, slug=self.kwargs["slug"])


class InstrumentList(_AgreementChildren):
    """The instruments that made and changed one agreement."""

    serializer_class = InstrumentSerializer

    def get_queryset(self) -> Any:
        return self.agreement().instruments.order_by("effective_from", "signed_on", "slug")


class EventList(_AgreementChildren):
    """Events of one agreement without an instrument, such as the 2024 lapse."""

    serializer_class = EventSerializer

    def get_queryset(self) -> Any:
        return self.agreement().events.order_by("starts_on", "slug")


# Versions and clauses ------------------------------------------------------------------------


class VersionList(generics.ListAPIView):
    """Versions of every agreement, oldest first; filter by agreement, status or a day."""

    permission_classes = READERS
    serializer_class = VersionSerializer

    @extend_schema(parameters=[VersionFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Version]:
        params = query(VersionFilterSerializer, self.request)
        versions = _versions_query().order_by("agreement__short_title", "in_force_from", "label")
        agreement = _agreement(params.get("agreement"))
        if agreement is not None:
            versions = versions.filter(agreement=agreement)
        if "text_status" in params:
            versions = versions.filter(text_status=params["text_status"])
        if "in_force_on" in params:
            chosen = versions_in_force(params["in_force_on"], agreement)
            versions = versions.filter(pk__in=[v.pk for v in chosen])
        return versions


class AknRenderer(BaseRenderer):
    """Akoma Ntoso XML, already rendered by the exporter; errors stay JSON like every other."""

    media_type = AKN_MEDIA_TYPE
    format = "akn"
    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


class VersionDetail(generics.RetrieveAPIView):
    """One version with all its clauses in reading order; ``?format=akn`` for Akoma Ntoso XML."""

    permission_classes = READERS
    serializer_class = VersionDetailSerializer
    renderer_classes = [JSONRenderer, AknRenderer]

    def get_object(self) -> Version:
        return get_object_or_404(
            _versions_query(), agreement__slug=self.kwargs["slug"], label=self.kwargs["label"]
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "language": _language(self.request)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["json", "akn"],
                description="``akn``: the version's text as an Akoma Ntoso 3.0 document.",
            ),
            OpenApiParameter(
                "language",
                str,
                description="With ``format=akn``: the language text (ISO 639-1; default en).",
            ),
        ],
        responses={
            (200, "application/json"): VersionDetailSerializer,
            (200, AKN_MEDIA_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.accepted_renderer.format != "akn":
            return super().get(request, *args, **kwargs)
        data, filename = version_akn(
            self.get_object(),
            request.query_params.get("language") or request.query_params.get("lang", ""),
        )
        return Response(
            data,
            content_type=AKN_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


class ClauseList(generics.ListAPIView):
    """Clauses of every version; filter by agreement, version, key, change or a day."""

    permission_classes = READERS
    serializer_class = ClauseSerializer

    @extend_schema(parameters=[ClauseFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Clause]:
        params = query(ClauseFilterSerializer, self.request)
        clauses = Clause.objects.select_related(
            "version__agreement", "parent", "changed_by"
        ).order_by("version__agreement__short_title", "version__in_force_from", "version", "order")
        agreement = _agreement(params.get("agreement"))
        if agreement is not None:
            clauses = clauses.filter(version__agreement=agreement)
        version = _version(params.get("version"))
        if version is not None:
            clauses = clauses.filter(version=version)
        if "key" in params:
            clauses = clauses.filter(key=params["key"])
        if "change" in params:
            clauses = clauses.filter(change=params["change"])
        if "lang" in params:
            clauses = clauses.filter(language=params["lang"])
        if "in_force_on" in params:
            chosen = versions_in_force(params["in_force_on"], agreement)
            clauses = clauses.filter(version__in=[v.pk for v in chosen])
        return clauses


class ClauseDetail(generics.RetrieveAPIView):
    """One clause of one version, with its simple-history rows: who, when and why."""

    permission_classes = READERS
    serializer_class = ClauseDetailSerializer
    queryset = Clause.objects.select_related("version__agreement", "parent", "changed_by")


class ClauseThroughVersions(APIView):
    """One clause key in every version of an agreement (or its absence), with its history."""

    permission_classes = READERS

    @extend_schema(responses=ClauseThroughVersionsSerializer)
    def get(self, request: Request, slug: str, key: str) -> Response:
        agreement = get_object_or_404(Agreement, slug=slug)
        versions = list(
            _versions_query().filter(agreement=agreement).order_by("in_force_from", "label")
        )
        rows = {
            row.version_id: row
            for row in Clause.objects.filter(
                version__agreement=agreement, key=key, language=_language(request)
            ).select_related("version__agreement", "parent", "changed_by")
        }
        if not rows:
            raise NotFound(f"No clause “{key}” in any version of {agreement.short_title}.")
        entries = []
        for version in versions:
            row = rows.get(version.pk)
            status_name = "absent" if row is None else row.change
            entries.append(
                {
                    "version": version,
                    "status": status_name if status_name in ("absent", "repealed") else "present",
                    "clause": row,
                }
            )
        history = (
            Clause.history.filter(id__in=[row.pk for row in rows.values()])
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        data = {"agreement": agreement.slug, "key": key, "versions": entries, "history": history}
        return Response(ClauseThroughVersionsSerializer(data).data)


class TextInForce(APIView):
    """The text of an agreement in force on a day, and why: lapses, retroactive effect, gaps."""

    permission_classes = READERS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD"
            )
        ],
        responses=InForceSerializer,
    )
    def get(self, request: Request, slug: str, day: str) -> Response:
        agreement = get_object_or_404(Agreement, slug=slug)
        parsed = parse_day(day)
        if parsed is None:
            raise ValidationError(
                {"day": [f"“{day}” is not a date. Write it as YYYY-MM-DD, e.g. 2024-10-01."]}
            )
        versions = list(_versions_query().filter(agreement=agreement))
        lapses = list(agreement.events.filter(kind=EventKind.LAPSE))
        # Why: instruments never found (no dates) make a day's text presumed, as on the page.
        missing = list(agreement.instruments.filter(signed_on=None, effective_from=None))
        state = state_from(
            parsed, versions, lapses, today=timezone.localdate(), instruments=missing
        )
        clauses: list[Clause] = []
        if state.version is not None:
            clauses = list(
                state.version.clauses.filter(language=_language(request))
                .select_related("changed_by")
                .order_by("order")
            )
            for clause in clauses:
                clause.version = state.version
        keys = {clause.pk: clause.key for clause in clauses}
        version_status = state.version.text_status if state.version is not None else None
        data = {
            "agreement": agreement.slug,
            "day": parsed,
            "status": state.status,
            "headline": state.headline,
            "presumed": presumed_data(state),
            "explanations": list(state.explanations),
            "in_lapse": state.in_lapse,
            "retroactive": state.retroactive,
            "signed_on": state.signed_on,
            "in_gap": state.in_gap,
            "before_start": state.before_start,
            "after_end": state.after_end,
            "future": state.future,
            "version": state.version,
            "text_status": version_status,
            "text_notice": text_notice(version_status) if version_status else "",
            "clauses": clauses,
        }
        return Response(InForceSerializer(data, context={"keys_by_id": keys}).data)


def presumed_data(state: InForceState) -> dict[str, Any] | None:
    """The span a day's version is only presumed to cover, and the extensions not found."""
    span = state.presumed
    if span is None:
        return None
    return {
        "from": span.start,
        "until": span.end,
        "missing": [instrument.title for instrument in span.missing],
    }


class VersionDiffView(APIView):
    """The clause-by-clause, word-level diff of two versions of one agreement."""

    permission_classes = READERS

    @extend_schema(parameters=[DiffQuerySerializer], responses=DiffSerializer)
    def get(self, request: Request, slug: str) -> Response:
        agreement = get_object_or_404(Agreement, slug=slug)
        params = query(DiffQuerySerializer, request)
        found = {
            v.label: v
            for v in _versions_query().filter(
                agreement=agreement, label__in=[params["old"], params["new"]]
            )
        }
        missing = {
            name: [f"{agreement.short_title} has no version “{params[name]}”."]
            for name in ("old", "new")
            if params[name] not in found
        }
        if missing:
            raise ValidationError(missing)
        older, newer = found[params["old"]], found[params["new"]]
        diff = version_diff(
            older=older,
            newer=newer,
            ignore_whitespace_and_punctuation=params["ignore_punctuation"],
            language=_language(request),
        )
        notices = [
            f"{v.label}: {text_notice(v.text_status)}"
            for v in (older, newer)
            if text_notice(v.text_status)
        ]
        data = {
            "agreement": agreement.slug,
            "language": _language(request),
            "old": older,
            "new": newer,
            "ignore_whitespace_and_punctuation": diff.ignore_whitespace_and_punctuation,
            "text_notice": " ".join(notices),
            "stats": diff.stats,
            "clauses": diff.changes if params["changes_only"] else diff.clauses,
        }
        return Response(DiffSerializer(data).data)
