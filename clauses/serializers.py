"""JSON shapes of the agreement corpus and its diffs (search results: ``search.api``).

Every shape that carries treaty text also carries ``text_status`` and ``text_notice``, so a
reader of the JSON is told, as a reader of the page is, when the text is not the official one.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    DEFAULT_LANGUAGE,
    Agreement,
    AgreementEvent,
    Clause,
    Instrument,
    TextStatus,
    Version,
)
from .reading.read_models import text_notice
from .record.pointintime import STATUSES

TEXT_NOTICE_HELP = (
    "Empty for official text; otherwise a plain warning, e.g. that the text is illustrative."
)


class TextStatusMixin(serializers.Serializer):
    text_status = serializers.ChoiceField(choices=TextStatus.choices, read_only=True)
    text_notice = serializers.SerializerMethodField(help_text=TEXT_NOTICE_HELP)

    def get_text_notice(self, obj: Any) -> str:
        return text_notice(obj.text_status)


class AgreementSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "short_title",
            "title_zh",
            "parties",
            "description",
            "url",
            "api_url",
        ]

    def get_api_url(self, obj: Agreement) -> str:
        return reverse("api-agreement-detail", args=[obj.slug])


class InstrumentSerializer(TextStatusMixin, serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_retroactive = serializers.BooleanField(read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "slug",
            "kind",
            "kind_label",
            "title",
            "signed_on",
            "signed_at",
            "signatories",
            "effective_from",
            "expires_on",
            "is_retroactive",
            "term",
            "text_status",
            "text_notice",
            "source_citation",
            "source_url",
            "sources",
            "date_conflict",
            "date_notes",
            "notes",
        ]


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AgreementEvent
        fields = [
            "slug",
            "kind",
            "kind_label",
            "title",
            "starts_on",
            "ends_on",
            "date_notes",
            "description",
            "sources",
        ]


class VersionSerializer(TextStatusMixin, serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    instrument = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    previous = serializers.SlugRelatedField(slug_field="label", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "id",
            "agreement",
            "label",
            "title",
            "instrument",
            "previous",
            "in_force_from",
            "in_force_until",
            "date_notes",
            "text_status",
            "text_notice",
            "notes",
            "published_at",
            "url",
            "api_url",
        ]

    def get_api_url(self, obj: Version) -> str:
        return reverse("api-version-detail", args=[obj.agreement.slug, obj.label])


class AgreementDetailSerializer(AgreementSerializer):
    instruments = InstrumentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "instruments", "events", "versions"]


class ClauseSerializer(serializers.ModelSerializer):
    """One clause of one version; ``parent`` is the parent's key, ``url`` its place on the page."""

    agreement = serializers.CharField(source="version.agreement.slug", read_only=True)
    version = serializers.CharField(source="version.label", read_only=True)
    version_id = serializers.IntegerField(read_only=True)
    parent = serializers.SerializerMethodField()
    changed_by = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    anchor = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    text_status = serializers.ChoiceField(
        choices=TextStatus.choices, source="version.text_status", read_only=True
    )
    text_notice = serializers.SerializerMethodField(help_text=TEXT_NOTICE_HELP)

    class Meta:
        model = Clause
        fields = [
            "id",
            "agreement",
            "version",
            "version_id",
            "key",
            "language",
            "anchor",
            "kind",
            "number",
            "heading",
            "text",
            "parent",
            "order",
            "depth",
            "change",
            "changed_by",
            "previous_number",
            "text_status",
            "text_notice",
            "url",
            "api_url",
        ]

    def get_parent(self, obj: Clause) -> str | None:
        keys: dict[int, str] = self.context.get("keys_by_id", {})
        if obj.parent_id is None:
            return None
        if obj.parent_id in keys:
            return keys[obj.parent_id]
        return obj.parent.key if obj.parent is not None else None

    def get_url(self, obj: Clause) -> str:
        return f"{obj.version.get_absolute_url()}#{obj.anchor}"

    def get_api_url(self, obj: Clause) -> str:
        return reverse("api-clause-detail", args=[obj.pk])

    def get_text_notice(self, obj: Clause) -> str:
        return text_notice(obj.version.text_status)


class HistoryRecordSerializer(serializers.Serializer):
    """One simple-history row: who changed the clause, when, why, and what it then read."""

    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.ChoiceField(
        choices=[("+", "created"), ("~", "changed"), ("-", "deleted")]
    )
    change = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    number = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()

    def get_change(self, obj: Any) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}.get(obj.history_type, "")

    def get_user(self, obj: Any) -> str | None:
        user = obj.history_user
        return user.get_username() if user is not None else None


class ClauseDetailSerializer(ClauseSerializer):
    history = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField(
        help_text="The languages in which this version holds this clause, English first."
    )

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "languages", "history"]

    def get_languages(self, obj: Clause) -> list[str]:
        codes = set(
            Clause.objects.filter(version_id=obj.version_id, key=obj.key).values_list(
                "language", flat=True
            )
        )
        return sorted(codes, key=lambda code: (code != DEFAULT_LANGUAGE, code))

    @extend_schema_field(HistoryRecordSerializer(many=True))
    def get_history(self, obj: Clause) -> Any:
        records = obj.history.select_related("history_user").order_by("history_date", "history_id")
        return HistoryRecordSerializer(records, many=True).data


class VersionDetailSerializer(VersionSerializer):
    language = serializers.SerializerMethodField(
        help_text="ISO 639-1 code of the clauses given (?lang=, English by default)."
    )
    languages = serializers.SerializerMethodField(
        help_text="The languages this version holds a text in, English first."
    )
    clauses = serializers.SerializerMethodField()

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "language", "languages", "clauses"]

    def get_language(self, obj: Version) -> str:
        return str(self.context.get("language", DEFAULT_LANGUAGE))

    def get_languages(self, obj: Version) -> list[str]:
        codes = {text.language for text in obj.texts.all()}
        return sorted(codes, key=lambda code: (code != DEFAULT_LANGUAGE, code))

    @extend_schema_field(ClauseSerializer(many=True))
    def get_clauses(self, obj: Version) -> Any:
        language = self.context.get("language", DEFAULT_LANGUAGE)
        rows = list(
            obj.clauses.filter(language=language).select_related("changed_by").order_by("order")
        )
        for row in rows:
            row.version = obj
        keys = {row.pk: row.key for row in rows}
        return ClauseSerializer(rows, many=True, context={**self.context, "keys_by_id": keys}).data


class ClauseInVersionSerializer(serializers.Serializer):
    version = VersionSerializer()
    status = serializers.ChoiceField(choices=["present", "repealed", "absent"])
    clause = ClauseSerializer(allow_null=True)


class ClauseThroughVersionsSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    key = serializers.CharField()
    versions = ClauseInVersionSerializer(many=True)
    history = HistoryRecordSerializer(many=True)


class PresumedSerializer(serializers.Serializer):
    """The days a version is only presumed to cover: its term ran out, extensions not found."""

    until = serializers.DateField(help_text="The first day no longer presumed.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="The extensions that were not found."
    )

    def get_fields(self) -> dict[str, Any]:
        # Why here: "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        return {"from": serializers.DateField(help_text="The first day presumed."), **fields}


class InForceSerializer(serializers.Serializer):
    """The text in force on a day, and why (lapse, retroactive effect, gap)."""

    agreement = serializers.CharField()
    day = serializers.DateField()
    status = serializers.ChoiceField(
        choices=list(STATUSES),
        help_text="; ".join(f"``{name}``: {meaning}" for name, meaning in STATUSES.items()),
    )
    headline = serializers.CharField(
        help_text="What the text-on-a-date page says first: “In force (presumed): …”."
    )
    presumed = PresumedSerializer(allow_null=True)
    explanations = serializers.ListField(child=serializers.CharField())
    in_lapse = serializers.BooleanField()
    retroactive = serializers.BooleanField()
    signed_on = serializers.DateField(allow_null=True)
    in_gap = serializers.BooleanField()
    before_start = serializers.BooleanField()
    after_end = serializers.BooleanField()
    future = serializers.BooleanField()
    version = VersionSerializer(allow_null=True)
    text_status = serializers.ChoiceField(choices=TextStatus.choices, allow_null=True)
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    clauses = ClauseSerializer(many=True)


# Diff engine structures -------------------------------------------------------------------


class OpSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField(trim_whitespace=False)
    old_text = serializers.CharField(allow_null=True, trim_whitespace=False)


class ClauseDiffSerializer(serializers.Serializer):
    status = serializers.CharField()
    kind = serializers.CharField()
    key = serializers.CharField()
    anchor = serializers.CharField()
    old_key = serializers.CharField(allow_null=True)
    new_key = serializers.CharField(allow_null=True)
    old_number = serializers.CharField()
    new_number = serializers.CharField()
    old_heading = serializers.CharField()
    new_heading = serializers.CharField()
    old_parent = serializers.CharField(allow_null=True)
    new_parent = serializers.CharField(allow_null=True)
    ops = OpSerializer(many=True)
    heading_ops = OpSerializer(many=True)
    words_inserted = serializers.IntegerField()
    words_deleted = serializers.IntegerField()
    similarity = serializers.FloatField()
    edited = serializers.BooleanField()
    changed = serializers.BooleanField()
    renumbered = serializers.BooleanField()
    parts = serializers.ListField(child=serializers.CharField())


class DiffStatsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    amended = serializers.IntegerField()
    moved = serializers.IntegerField()
    renumbered = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    split = serializers.IntegerField()
    merged = serializers.IntegerField()
    words_inserted = serializers.IntegerField()
    words_deleted = serializers.IntegerField()
    changed = serializers.IntegerField()


class DiffSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    language = serializers.CharField(help_text="ISO 639-1 code of the texts compared (?lang=).")
    old = VersionSerializer()
    new = VersionSerializer()
    ignore_whitespace_and_punctuation = serializers.BooleanField()
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    stats = DiffStatsSerializer()
    clauses = ClauseDiffSerializer(many=True)


# Query parameters ---------------------------------------------------------------------------


class VersionFilterSerializer(serializers.Serializer):
    agreement = serializers.SlugField(required=False, help_text="An agreement's slug.")
    in_force_on = serializers.DateField(
        required=False, help_text="Only the version in force on this day (YYYY-MM-DD)."
    )
    text_status = serializers.ChoiceField(choices=TextStatus.choices, required=False)


class ClauseFilterSerializer(serializers.Serializer):
    agreement = serializers.SlugField(required=False, help_text="An agreement's slug.")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62, help_text="A version's id."
    )
    key = serializers.CharField(required=False, max_length=200, help_text="A stable clause key.")
    change = serializers.ChoiceField(
        choices=["added", "amended", "unchanged", "renumbered", "repealed"], required=False
    )
    in_force_on = serializers.DateField(
        required=False, help_text="Only clauses of the versions in force on this day."
    )
    lang = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="Only clauses of this language (ISO 639-1)."
    )


class DiffQuerySerializer(serializers.Serializer):
    old = serializers.SlugField(help_text="The older version's label.")
    new = serializers.SlugField(help_text="The newer version's label.")
    ignore_punctuation = serializers.BooleanField(
        required=False, default=False, help_text="Ignore differences of whitespace and punctuation."
    )
    changes_only = serializers.BooleanField(
        required=False, default=False, help_text="Leave out unchanged clauses."
    )
    lang = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="Compare the texts in this language (en)."
    )
