"""JSON shapes of proposals and their review, and of the input each review action takes.

Input serializers check only the shape of a request (types, known choices); every rule of the
review (who may act, in which state, what a decision needs) is the services' to enforce.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import permissions
from .countries import COUNTRIES, COUNTRY_NAMES
from .models import (
    INSTITUTION_FIELDS,
    LISTED_FIELDS,
    PROPOSAL_FIELDS,
    Adjudication,
    CetInvolvement,
    ConditionItem,
    ConditionOwner,
    ConditionStatus,
    Decision,
    DecisionOutcome,
    GroundKind,
    PartnerInstitution,
    PartnerPerson,
    Proposal,
    ProposalEvent,
    RiskBenefitAssessment,
    RubricScore,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
    SecurityFinding,
)
from .rubric import MAX_SCORE, MIN_SCORE, Criterion
from .services import InstitutionInput, PersonInput, ProposalContent
from .services.proposals import MAX_CITED_CLAUSES, MAX_INSTITUTIONS, MAX_PEOPLE
from .workflow import ProposalState

MAX_ID = 2**63 - 1


class UsernameField(serializers.CharField):
    def to_representation(self, value: Any) -> str:
        return str(value.get_username())


class InstitutionSerializer(serializers.ModelSerializer):
    country_name = serializers.SerializerMethodField(
        help_text="The country's name, or an empty string when no country is given."
    )

    class Meta:
        model = PartnerInstitution
        fields = [*INSTITUTION_FIELDS, "country_name"]

    def get_country_name(self, institution: PartnerInstitution) -> str:
        return COUNTRY_NAMES.get(institution.country, "")


class PersonSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(allow_null=True, default=None)

    class Meta:
        model = PartnerPerson
        fields = ["name", "position", "institution"]


class CitedClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.CharField(source="version.agreement.slug")
    version = serializers.CharField(source="version.label")
    key = serializers.CharField()
    number = serializers.CharField()
    heading = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return f"{obj.version.get_absolute_url()}#{obj.anchor}"


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = UsernameField()
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = ProposalEvent
        fields = [
            "action",
            "action_label",
            "from_state",
            "to_state",
            "round",
            "actor",
            "reason",
            "created_at",
        ]


class ProposalSerializer(serializers.ModelSerializer):
    submitter = UsernameField()
    state_label = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "state",
            "state_label",
            "round",
            "submitter",
            "state_changed_at",
            "created_at",
            "updated_at",
            "api_url",
        ]

    def get_api_url(self, obj: Proposal) -> str:
        return reverse("api-proposal-detail", args=[obj.pk])


# What the person asking may do now, by action name; each check is the reviews permission.
ACTION_CHECKS = {
    "edit": permissions.can_edit,
    "submit": permissions.can_submit,
    "resubmit": permissions.can_resubmit,
    "withdraw": permissions.can_withdraw,
    "screen": permissions.can_screen,
    "adjudicate": permissions.can_adjudicate,
    "assess-risk-benefit": permissions.can_assess_risk_benefit,
    "assess-security": permissions.can_assess_security,
    "return": permissions.can_return,
    "decide": permissions.can_decide,
    "suspend": permissions.can_suspend,
    "resume": permissions.can_resume,
    "terminate": permissions.can_terminate,
}


class ConditionItemSerializer(serializers.ModelSerializer):
    acknowledged_by = UsernameField(allow_null=True)
    resolved_by = UsernameField(allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")

    class Meta:
        model = ConditionItem
        fields = [
            "id",
            "number",
            "text",
            "owner",
            "due_on",
            "status",
            "overdue",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution_reason",
            "evidence",
        ]

    def get_overdue(self, obj: ConditionItem) -> bool:
        return obj.is_overdue()


# Why stated: an empty name is accepted (no entry), which the name's model field would deny.
@extend_schema_field({"type": "string", "maxLength": 200})
class EntryNameField(serializers.SlugRelatedField):
    """An entry of an admin-kept list, given and shown by its name (any case); an empty name
    is no entry. Whether an inactive entry may still be used is the service's to say."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="name", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        name = " ".join(data.split())
        if not name:
            return None
        entry = self.get_queryset().filter(name__iexact=name).first()
        if entry is None:
            self.fail("does_not_exist", slug_name="name", value=name)
        return entry


class EntriesByName(serializers.ModelSerializer):
    """Lists agency and scientific field by the entry's name, in and out."""

    def build_relational_field(self, field_name: str, relation_info: Any) -> Any:
        if field_name not in LISTED_FIELDS:
            return super().build_relational_field(field_name, relation_info)
        model = LISTED_FIELDS[field_name]
        label = model._meta.verbose_name
        return EntryNameField, {
            "queryset": model.objects.all(),
            "allow_null": True,
            "required": False,
            "help_text": f"The name of an active {label}, as the admin lists them.",
            "error_messages": {
                "does_not_exist": f"Choose a {label} from the list; “{{value}}” is not on it.",
                "incorrect_type": f"Give the {label}'s name as text.",
            },
        }


class ProposalDetailSerializer(EntriesByName, ProposalSerializer):
    institutions = InstitutionSerializer(many=True)
    people = PersonSerializer(many=True)
    cited_clauses = CitedClauseSerializer(many=True)
    events = ProposalEventSerializer(many=True)
    conditions = ConditionItemSerializer(
        many=True, help_text="The conditions of its approval, each with its state."
    )
    actions = serializers.SerializerMethodField(
        help_text="The actions you may take on this proposal now."
    )

    class Meta(ProposalSerializer.Meta):
        fields = [
            *ProposalSerializer.Meta.fields,
            *(name for name in PROPOSAL_FIELDS if name not in ProposalSerializer.Meta.fields),
            "return_questions",
            "institutions",
            "people",
            "cited_clauses",
            "events",
            "conditions",
            "actions",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ACTION_CHECKS)))
    )
    def get_actions(self, obj: Proposal) -> list[str]:
        user = self.context["request"].user
        return [name for name, check in ACTION_CHECKS.items() if check(user, obj)]


class ScreeningHitSerializer(serializers.ModelSerializer):
    adjudicated_by = UsernameField(allow_null=True)
    cet_edition = serializers.CharField(source="cet_edition.name", allow_null=True, default=None)
    cet_category = serializers.CharField(source="cet_category.name", allow_null=True, default=None)
    clause = serializers.CharField(source="clause.key", allow_null=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ScreeningHit
        fields = [
            "id",
            "kind",
            "kind_label",
            "summary",
            "details",
            "screened_text",
            "cet_edition",
            "cet_category",
            "matched_terms",
            "matched_name",
            "score",
            "score_parts",
            "list_imported_at",
            "clause",
            "adjudication",
            "adjudicated_by",
            "adjudication_reason",
            "adjudicated_at",
            "carried_from",
        ]


class ScreeningRunSerializer(serializers.ModelSerializer):
    started_by = UsernameField()
    cet_edition = serializers.CharField(source="cet_edition.name", allow_null=True, default=None)
    screening_list = serializers.CharField(
        source="screening_list.file_name", allow_null=True, default=None
    )
    hits = ScreeningHitSerializer(many=True)

    class Meta:
        model = ScreeningRun
        fields = [
            "id",
            "round",
            "is_current",
            "cet_edition",
            "screening_list",
            "started_by",
            "reason",
            "created_at",
            "partners_screened",
            "hits",
        ]


class RubricScoreSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_criterion_display")

    class Meta:
        model = RubricScore
        fields = ["criterion", "label", "score", "rationale"]


class RiskBenefitAssessmentSerializer(serializers.ModelSerializer):
    assessor = UsernameField()
    scores = RubricScoreSerializer(many=True)

    class Meta:
        model = RiskBenefitAssessment
        fields = ["id", "round", "assessor", "recommendation", "summary", "assessed_at", "scores"]


class SecurityAssessmentSerializer(serializers.ModelSerializer):
    assessor = UsernameField()

    class Meta:
        model = SecurityAssessment
        fields = [
            "id",
            "round",
            "assessor",
            "screening_run",
            "cet_involvement",
            "finding",
            "mitigations",
            "cleared_matches",
            "rationale",
            "assessed_at",
        ]


class AssessmentsSerializer(serializers.Serializer):
    risk_benefit = RiskBenefitAssessmentSerializer(many=True)
    security = SecurityAssessmentSerializer(many=True)


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = UsernameField()
    cited_clauses = CitedClauseSerializer(many=True)
    condition_items = ConditionItemSerializer(many=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "round",
            "outcome",
            "conditions",
            "questions",
            "reason",
            "decided_by",
            "decided_at",
            "cited_clauses",
            "condition_items",
        ]


# Input -----------------------------------------------------------------------------------


class ProposalFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ProposalState.choices, required=False)
    agreement = serializers.SlugField(
        required=False, help_text="Only proposals citing a clause of this agreement (slug)."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only proposals citing a clause of this version (id).",
    )
    updated_after = serializers.DateField(required=False, help_text="Changed on or after.")
    updated_before = serializers.DateField(required=False, help_text="Changed before.")
    starts_after = serializers.DateField(required=False, help_text="Project starts on or after.")
    starts_before = serializers.DateField(required=False, help_text="Project starts before.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Why; recorded with your name in the audit trail."
    )


class GroundedReasonSerializer(ReasonSerializer):
    """A reason and the ground of a suspension, resumption or termination."""

    ground = serializers.ChoiceField(
        choices=GroundKind.choices,
        help_text="A dispute (give dispute), an incident, a changed clause (give clause_flag), "
        "or other (give ground_detail).",
    )
    dispute = serializers.IntegerField(required=False, allow_null=True, default=None)
    clause_flag = serializers.IntegerField(required=False, allow_null=True, default=None)
    ground_detail = serializers.CharField(required=False, allow_blank=True, default="")


class InstitutionInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=300,
        help_text="In English; needed for submission, because screening lists name parties in "
        "English.",
    )
    name_local = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=300,
        help_text="In Chinese, when known.",
    )
    city = serializers.CharField(allow_blank=True, required=False, default="", max_length=120)
    country = serializers.ChoiceField(
        choices=COUNTRIES,
        allow_blank=True,
        required=False,
        default="",
        help_text="ISO 3166 two-letter code of the country the institution is in.",
    )


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=200)
    position = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    institution = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=300,
        help_text="One of the institutions' names.",
    )


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(allow_blank=True, required=False, default="", **kwargs)


class ProposalContentSerializer(EntriesByName):
    """The declared proposal fields as the model defines them, the partners, the cited clauses
    and a reason. A field left out takes the model's default."""

    reason = serializers.CharField(
        allow_blank=True, help_text="Why; recorded with your name in the audit trail."
    )
    institutions = InstitutionInputSerializer(
        many=True, required=False, default=list, max_length=MAX_INSTITUTIONS
    )
    people = PersonInputSerializer(many=True, required=False, default=list, max_length=MAX_PEOPLE)
    cited_clause_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=MAX_CITED_CLAUSES,
        help_text="Clauses of the version in force today that the project falls under.",
    )

    class Meta:
        model = Proposal
        fields = ["reason", *PROPOSAL_FIELDS, "institutions", "people", "cited_clause_ids"]
        # Why: the service words the refusal of an empty title, as on the pages.
        extra_kwargs = {"title": {"allow_blank": True}}

    def content(self) -> ProposalContent:
        data = dict(self.validated_data)
        return ProposalContent(
            **{name: data[name] for name in PROPOSAL_FIELDS if name in data},
            institutions=tuple(InstitutionInput(**i) for i in data["institutions"]),
            people=tuple(PersonInput(**p) for p in data["people"]),
            cited_clause_ids=tuple(data["cited_clause_ids"]),
        )


class ReturnSerializer(ReasonSerializer):
    questions = serializers.CharField(
        allow_blank=True, help_text="What the submitter must change or answer."
    )


class AdjudicateSerializer(ReasonSerializer):
    adjudication = serializers.ChoiceField(choices=Adjudication.choices)


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(choices=Criterion.choices)
    score = serializers.IntegerField(
        min_value=-(2**31), max_value=2**31, help_text=f"From {MIN_SCORE} to {MAX_SCORE}."
    )
    rationale = serializers.CharField(allow_blank=True)


class RiskBenefitInputSerializer(ReasonSerializer):
    scores = ScoreInputSerializer(many=True, help_text="One score for every criterion.")
    recommendation = serializers.ChoiceField(choices=DecisionOutcome.choices)
    summary = serializers.CharField(allow_blank=True)

    def validate_scores(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen = [item["criterion"] for item in value]
        if len(set(seen)) != len(seen):
            raise serializers.ValidationError("Score each criterion once.")
        return value


class SecurityInputSerializer(ReasonSerializer):
    cet_involvement = serializers.ChoiceField(choices=CetInvolvement.choices)
    finding = serializers.ChoiceField(choices=SecurityFinding.choices)
    rationale = serializers.CharField(allow_blank=True)
    mitigations = _text()
    cleared_hit_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
        help_text=(
            "Ids of the true restricted-party matches that the mitigations clear; an approval "
            "needs every true match cleared."
        ),
    )


# Why: the confirmation page's rule; a return is not final (the submitter answers, a new round
# follows), so it is recorded at once.
FINAL_OUTCOMES = (
    DecisionOutcome.APPROVE,
    DecisionOutcome.APPROVE_WITH_CONDITIONS,
    DecisionOutcome.REJECT,
)
UNCONFIRMED = 'A decision cannot be changed once recorded; send "confirm": true to record it.'


class ConditionInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    owner = serializers.ChoiceField(choices=ConditionOwner.choices)
    due_on = serializers.DateField(allow_null=True)


class DecisionInputSerializer(ReasonSerializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    conditions = _text(
        help_text=(
            "Conditions as text, one a line: each becomes a condition owned by the submitter, "
            "with no due date. Prefer condition_items."
        )
    )
    condition_items = ConditionInputSerializer(
        many=True,
        required=False,
        default=list,
        max_length=20,
        help_text="The conditions of an approval with conditions: text, owner, due date each.",
    )
    questions = _text()
    cited_clause_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Approving, approving with conditions and rejecting cannot be undone: send true to "
            "confirm, as the decision page's confirmation step does. A return needs no "
            "confirmation."
        ),
    )
    confirmed_match_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
        help_text=(
            "Ids of the true restricted-party matches the approval accepts, each cleared by the "
            "security assessment; every true match must be named."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["outcome"] in FINAL_OUTCOMES and not attrs["confirm"]:
            raise serializers.ValidationError({"confirm": [UNCONFIRMED]})
        return attrs


class ConditionResolveSerializer(ReasonSerializer):
    status = serializers.ChoiceField(
        choices=[(ConditionStatus.MET, "Met"), (ConditionStatus.WAIVED, "Waived")]
    )
    evidence = _text(help_text="What shows the condition is met, and where it is kept.")
