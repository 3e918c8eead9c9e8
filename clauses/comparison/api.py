"""The JSON API of the analyst's desk: compare by dates, a draft, and across agreements.

Each endpoint answers from the function its page uses (``dates_compared``, ``draft_compared``,
``across_compared``), so the page, its prints and the API never disagree. Read-only; the same
permission rules as the pages: a draft is found only by its uploader and those it is shared
with (404 for anyone else), and the desk's comparisons are refused (403) to other roles.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api import READERS
from ..api_conventions import query
from ..permissions import ONLY_DESK_USERS, can_use_desk
from ..reading.read_models import text_notice
from ..reading.views import agreement_and_versions
from ..record.pointintime import STATUSES
from ..serializers import (
    TEXT_NOTICE_HELP,
    ClauseDiffSerializer,
    DiffStatsSerializer,
    OpSerializer,
    VersionSerializer,
)
from .across import PARAMS, across_compared
from .dates import DateSide, dates_compared
from .draft_compare import DRAFT_NOTICE, draft_compared
from .drafts import CompareDraft


class CanUseDesk(BasePermission):
    message = ONLY_DESK_USERS

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_use_desk(request.user)


DESK_USERS = [IsAuthenticated, CanUseDesk]


def _notice(*versions: Any) -> str:
    return " ".join(
        f"{v.label}: {text_notice(v.text_status)}"
        for v in dict.fromkeys(versions)
        if text_notice(v.text_status)
    )


# Compare by dates -----------------------------------------------------------------------------


class DatesQuerySerializer(serializers.Serializer):
    a = serializers.CharField(max_length=40, help_text="The first date, YYYY-MM-DD.")
    b = serializers.CharField(max_length=40, help_text="The second date, YYYY-MM-DD.")
    changes_only = serializers.BooleanField(
        required=False, default=False, help_text="Leave out unchanged clauses."
    )


class DateSideSerializer(serializers.Serializer):
    day = serializers.DateField()
    status = serializers.ChoiceField(
        choices=list(STATUSES),
        help_text="; ".join(f"``{name}``: {meaning}" for name, meaning in STATUSES.items()),
    )
    lead = serializers.CharField(help_text="What the page says first of the date.")
    explanations = serializers.ListField(child=serializers.CharField())
    retroactive = serializers.BooleanField()
    version = VersionSerializer(allow_null=True)


class DatesDiffSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    a = DateSideSerializer()
    b = DateSideSerializer()
    same = serializers.BooleanField(help_text="Both dates fall in one version: no changes.")
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    stats = DiffStatsSerializer(allow_null=True, help_text="Null when a date has no text.")
    clauses = ClauseDiffSerializer(many=True)


def _side(side: DateSide) -> dict[str, Any]:
    return {
        "day": side.day,
        "status": side.state.status,
        "lead": side.lead,
        "explanations": list(side.state.explanations),
        "retroactive": side.state.retroactive,
        "version": side.version,
    }


def _stats(diff: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(diff.stats), "changed": diff.stats.changed}


class DatesDiffView(APIView):
    """The text in force on one date against the text in force on another, with each date's
    status (in force, presumed, lapsed, not in force) as the page says it."""

    permission_classes = READERS

    @extend_schema(parameters=[DatesQuerySerializer], responses=DatesDiffSerializer)
    def get(self, request: Request, slug: str) -> Response:
        params = query(DatesQuerySerializer, request)
        agreement, versions = agreement_and_versions(slug)
        result = dates_compared(agreement, versions, {"a": params["a"], "b": params["b"]})
        if result.errors:
            raise ValidationError({name: [message] for name, message in result.errors.items()})
        a, b = result.sides
        diff = result.diff
        clauses = () if diff is None else diff.changes if params["changes_only"] else diff.clauses
        data = {
            "agreement": agreement.slug,
            "a": _side(a),
            "b": _side(b),
            "same": a.version is not None and a.version == b.version,
            "text_notice": _notice(*(v for v in (a.version, b.version) if v is not None)),
            "stats": None if diff is None else _stats(diff),
            "clauses": clauses,
        }
        return Response(DatesDiffSerializer(data).data)


# A draft against the record -------------------------------------------------------------------


class DraftQuerySerializer(serializers.Serializer):
    against = serializers.SlugField(
        required=False, help_text="A version's label; by default the version in force today."
    )
    changes_only = serializers.BooleanField(required=False, default=False)


class DraftSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username")

    class Meta:
        model = CompareDraft
        fields = [
            "id",
            "title",
            "original_name",
            "source_format",
            "owner",
            "created_at",
            "expires_at",
            "shared_with_all",
            "warnings",
        ]


class DraftDiffSerializer(serializers.Serializer):
    draft = DraftSerializer()
    status = serializers.ChoiceField(choices=["draft"], help_text="Always ``draft``.")
    notice = serializers.CharField(help_text="A draft is never published.")
    against = VersionSerializer(allow_null=True)
    in_force = serializers.BooleanField(help_text="``against`` is the version in force today.")
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    stats = DiffStatsSerializer(allow_null=True)
    clauses = ClauseDiffSerializer(many=True)


class DraftDiffView(APIView):
    """A draft redlined against a version of the record: its uploader's and those it is
    shared with, nobody else's (404)."""

    permission_classes = DESK_USERS

    @extend_schema(parameters=[DraftQuerySerializer], responses=DraftDiffSerializer)
    def get(self, request: Request, pk: int) -> Response:
        params = query(DraftQuerySerializer, request)
        draft = (
            CompareDraft.objects.visible_to(request.user)
            .select_related("owner", "agreement")
            .filter(pk=pk)
            .first()
        )
        if draft is None:
            raise NotFound("No such draft.")
        _, versions = agreement_and_versions(draft.agreement.slug)
        result = draft_compared(draft, versions, params.get("against", ""))
        if result is None:
            raise ValidationError(
                {"against": [f"The {draft.agreement.short_title} has no such version."]}
            )
        diff = result.diff
        clauses = () if diff is None else diff.changes if params["changes_only"] else diff.clauses
        data = {
            "draft": draft,
            "status": "draft",
            "notice": DRAFT_NOTICE,
            "against": result.version,
            "in_force": result.in_force,
            "text_notice": _notice(result.version) if result.version else "",
            "stats": None if diff is None else _stats(diff),
            "clauses": clauses,
        }
        return Response(DraftDiffSerializer(data).data)


# Across agreements ----------------------------------------------------------------------------


class AcrossQuerySerializer(serializers.Serializer):
    with_ = serializers.SlugField(help_text="The other agreement's slug.")
    ours = serializers.SlugField(required=False, help_text="This agreement's version.")
    theirs = serializers.SlugField(required=False, help_text="The other agreement's version.")
    our_part = serializers.CharField(
        required=False, max_length=200, help_text="A provision of ours (its key); all by default."
    )
    their_part = serializers.CharField(required=False, max_length=200)

    def get_fields(self) -> dict[str, Any]:
        # Why renamed here: "with" is a Python keyword, so it cannot be a class attribute.
        fields = super().get_fields()
        return {"with": fields.pop("with_"), **fields}


class AlonePathSerializer(serializers.Serializer):
    key = serializers.CharField()
    path = serializers.CharField()
    text = serializers.CharField(trim_whitespace=False)


class PairSerializer(serializers.Serializer):
    left_key = serializers.CharField()
    left_path = serializers.CharField()
    right_key = serializers.CharField()
    right_path = serializers.CharField()
    similarity = serializers.FloatField()
    by_contents = serializers.BooleanField(help_text="Paired by what they hold, not by text.")
    changed = serializers.BooleanField()
    ops = OpSerializer(many=True)
    heading_ops = OpSerializer(many=True)


class AcrossSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    other = serializers.CharField()
    ours = VersionSerializer()
    theirs = VersionSerializer()
    our_part = serializers.CharField(help_text="The provision of ours compared; '' for all.")
    their_part = serializers.CharField()
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    pairs = PairSerializer(many=True)
    left_only = AlonePathSerializer(many=True, help_text="Provisions only in ours.")
    right_only = AlonePathSerializer(many=True, help_text="Provisions only in theirs.")


class AcrossDiffView(APIView):
    """One agreement's text (or a provision) against another's, aligned by wording: the pairs
    with their similarity and redline, and the provisions alone on either side."""

    permission_classes = DESK_USERS

    @extend_schema(parameters=[AcrossQuerySerializer], responses=AcrossSerializer)
    def get(self, request: Request, slug: str) -> Response:
        params = query(AcrossQuerySerializer, request)
        agreement, versions = agreement_and_versions(slug)
        raw = {name: str(params.get(name, "")) for name in PARAMS}
        result = across_compared(agreement, versions, raw)
        alignment = result.alignment
        if result.errors or alignment is None:
            raise ValidationError(result.errors)
        if result.ours is None or result.theirs is None or result.other is None:
            raise ValueError("An alignment is made only of two chosen texts.")
        left, right = result.left_places, result.right_places
        data = {
            "agreement": agreement.slug,
            "other": result.other.slug,
            "ours": result.ours,
            "theirs": result.theirs,
            "our_part": result.params["our_part"],
            "their_part": result.params["their_part"],
            "text_notice": _notice(result.ours, result.theirs),
            "pairs": [
                {
                    "left_key": p.left.key,
                    "left_path": left.path(p.left.key),
                    "right_key": p.right.key,
                    "right_path": right.path(p.right.key),
                    "similarity": round(p.text.similarity, 4),
                    "by_contents": not p.left.text and not p.right.text,
                    "changed": p.text.changed or p.heading.changed,
                    "ops": p.text.ops,
                    "heading_ops": p.heading.ops,
                }
                for p in alignment.pairs
            ],
            "left_only": [
                {"key": c.key, "path": left.path(c.key), "text": c.text}
                for c in alignment.left_only
            ],
            "right_only": [
                {"key": c.key, "path": right.path(c.key), "text": c.text}
                for c in alignment.right_only
            ],
        }
        return Response(AcrossSerializer(data).data)
