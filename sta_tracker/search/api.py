"""``/api/search/``: one result per provision, as the search page shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clauses.api import READERS, _agreement, _version
from clauses.api_conventions import query
from clauses.models import ClauseKind, TextStatus
from clauses.serializers import TEXT_NOTICE_HELP

from .query import FULL_TEXT, MAX_QUERY_LENGTH, SearchQueryError, search


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH, trim_whitespace=True, help_text="Words to search for."
    )
    agreement = serializers.SlugField(required=False, help_text="An agreement's slug.")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62, help_text="A version's id."
    )
    in_force_on = serializers.DateField(
        required=False, help_text="Only clauses of the versions in force on this day."
    )
    language = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="Only texts in this language (ISO 639-1: en, zh)."
    )
    kind = serializers.ChoiceField(
        choices=ClauseKind.choices, required=False, help_text="Only clauses of this kind."
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class VersionMentionSerializer(serializers.Serializer):
    version = serializers.CharField(source="label")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The provision on that version's page.")
    changed = serializers.BooleanField(help_text="Whether that version changed its text.")
    matched = serializers.BooleanField(help_text="Whether its text there matches the search.")


class ProvisionHitSerializer(serializers.Serializer):
    agreement = serializers.CharField(source="agreement_slug")
    agreement_title = serializers.CharField()
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField(
        help_text="The provision's path: Annex 1 › Section II › C. Ownership of rights."
    )
    title_html = serializers.CharField(help_text="The path, HTML-escaped, matches in <mark>.")
    number = serializers.CharField()
    heading = serializers.CharField()
    snippet_html = serializers.CharField(
        help_text="The latest matching text around its first match, HTML-escaped, matches in "
        "<mark>."
    )
    url = serializers.CharField(help_text="The latest matching text on its version's page.")
    history_url = serializers.CharField(help_text="The provision through every version.")
    rank = serializers.FloatField()
    clause_id = serializers.IntegerField(help_text="The clause of the latest matching text.")
    language = serializers.CharField()
    version_id = serializers.IntegerField()
    version = serializers.CharField(source="version_label")
    version_title = serializers.CharField()
    in_force_from = serializers.DateField()
    in_force_until = serializers.DateField(allow_null=True)
    text_status = serializers.ChoiceField(choices=TextStatus.choices)
    text_notice = serializers.CharField(help_text=TEXT_NOTICE_HELP)
    versions = VersionMentionSerializer(many=True, help_text="Every version holding it, in order.")
    versions_text = serializers.CharField(
        help_text="The same in words: in the 1979 text to the 2018 text; changed in ..."
    )


class ProposalHitSerializer(serializers.Serializer):
    proposal_id = serializers.IntegerField()
    title = serializers.CharField()
    title_html = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    snippet_html = serializers.CharField()
    url = serializers.CharField()
    rank = serializers.FloatField()


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    method = serializers.ChoiceField(choices=[FULL_TEXT])
    method_note = serializers.CharField()
    count = serializers.IntegerField(
        source="total", help_text="Provisions found (each agreement and key once)."
    )
    clause_count = serializers.IntegerField(
        source="clause_total", help_text="Clauses found, in every version."
    )
    count_estimated = serializers.BooleanField(
        source="total_estimated",
        help_text="Whether clause_count is the database's estimate (a very common word).",
    )
    ranked_among = serializers.IntegerField(
        help_text="When the count is estimated: the results are the provisions of this many "
        "matching clauses, the most recently added ones; otherwise 0 (ranked among all).",
    )
    corrected = serializers.CharField(
        help_text="When set, nothing matched it and the results are those of suggestion."
    )
    suggestion = serializers.CharField(help_text="The nearest words the index holds, or empty.")
    language_message = serializers.CharField(
        help_text="Set when the language asked for, or written in, has no text to search."
    )
    ignored = serializers.ListField(
        child=serializers.CharField(),
        help_text="Single letters or digits left out of the query (not after a word they label).",
    )
    ignored_message = serializers.CharField(help_text="Why they were left out, or empty.")
    notices = serializers.ListField(
        child=serializers.CharField(), help_text="The text notices of the results, once each."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = ProvisionHitSerializer(many=True, source="provisions")
    proposal_count = serializers.IntegerField(source="proposal_total")
    proposals = ProposalHitSerializer(many=True)


class SearchView(APIView):
    """Provisions matching all the words, each once with its latest matching text and the
    versions holding it, best first; and the proposals you may see that match."""

    permission_classes = READERS

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchResultsSerializer)
    def get(self, request: Request) -> Response:
        params = query(SearchQuerySerializer, request)
        agreement = _agreement(params.get("agreement"))
        version = _version(params.get("version"))
        page, size = params["page"], params["page_size"]
        try:
            results = search(
                query=params["q"],
                user=request.user,
                agreement=agreement,
                version=version,
                in_force_on=params.get("in_force_on"),
                language=params.get("language", ""),
                kind=params.get("kind", ""),
                limit=size,
                offset=(page - 1) * size,
            )
        except SearchQueryError as error:
            raise ValidationError({"q": [str(error)]}) from None
        data = {**results.__dict__, "page": page, "page_size": size}
        return Response(SearchResultsSerializer(data).data)
