"""JSON shapes of proposals and their review, and of the input each review action takes.

Input serializers check only the shape of a request (types, known choices); every rule of the
review (who may act, in which state, what a decision needs) is the services' to enforce.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clauses.models import Clause

from . import permissions
from .countries import COUNTRIES, COUNTRY_NAMES, NOT_A_COUNTRY
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
    Dispute,
    DisputeStep,
    GroundKind,
    LedgerEntry,
    LedgerStatus,
    PartnerInstitution,
    PartnerPerson,
    ProjectGround,
    Proposal,
    ProposalEvent,
    ReviewStep,
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
from .templatetags.reviews_tags import clause_name
from .workflow import DisputeAction, DisputeStatus, ProposalAction, ProposalState, dispute_actions

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


def _incident_id(obj: Any) -> int | None:
    # Why getattr: a missing reverse one-to-one raises; loaded with select_related, it costs no
    # query either way.
    follow_up = getattr(obj, "incident_follow_up", None)
    return follow_up.incident_id if follow_up is not None else None


class GroundSerializer(serializers.ModelSerializer):
    """Why a project was suspended, resumed or terminated, as recorded with that transition."""

    kind_label = serializers.CharField(source="get_kind_display")
    dispute = serializers.IntegerField(
        source="dispute_id", allow_null=True, help_text="The dispute named, for a dispute."
    )
    incident = serializers.SerializerMethodField(
        help_text="The incident named, when the ground is an incident recorded in the safety "
        "log; null otherwise (an older incident ground says which in its detail)."
    )
    clause_flag = serializers.IntegerField(
        source="clause_flag_id",
        allow_null=True,
        help_text="The changed-clause flag named, for a changed clause.",
    )
    recorded_by = UsernameField()

    class Meta:
        model = ProjectGround
        fields = [
            "kind",
            "kind_label",
            "dispute",
            "incident",
            "clause_flag",
            "detail",
            "recorded_by",
            "recorded_at",
        ]

    def get_incident(self, obj: ProjectGround) -> int | None:
        return _incident_id(obj)


class ProjectGroundSerializer(GroundSerializer):
    """A ground with the transition it was given for."""

    action = serializers.ChoiceField(source="event.action", choices=ProposalAction.choices)
    action_label = serializers.CharField(source="event.get_action_display")
    round = serializers.IntegerField(source="event.round")

    class Meta(GroundSerializer.Meta):
        fields = ["action", "action_label", "round", *GroundSerializer.Meta.fields]


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = UsernameField()
    action_label = serializers.CharField(source="get_action_display")
    ground = GroundSerializer(
        allow_null=True,
        help_text="For a suspension, resumption or termination: its ground; null otherwise.",
    )

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
            "ground",
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


class DisputeClauseSerializer(CitedClauseSerializer):
    label = serializers.SerializerMethodField(
        help_text="The clause named with the provisions it sits in, as the pages name it."
    )

    def get_label(self, obj: Clause) -> str:
        return clause_name(obj)


class EvidenceEntrySerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__")
    status = serializers.ChoiceField(
        choices=LedgerStatus.choices, help_text="Whether the request was met, refused or is open."
    )
    url = serializers.SerializerMethodField(help_text="The ledger entry's page.")

    class Meta:
        model = LedgerEntry
        fields = ["id", "label", "status", "url"]

    def get_url(self, obj: LedgerEntry) -> str:
        return reverse("reviews:ledger_entry", args=[obj.proposal_id, obj.pk])


class DisputeStepSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")
    actor = UsernameField()

    class Meta:
        model = DisputeStep
        fields = [
            "action",
            "action_label",
            "from_status",
            "to_status",
            "notes",
            "due_on",
            "actor",
            "created_at",
        ]


class DisputeSerializer(serializers.ModelSerializer):
    """One dispute of the project: its ground, the step it has reached, what it relies on."""

    ground_label = serializers.CharField(source="get_ground_display")
    status_label = serializers.CharField(source="get_status_display")
    is_open = serializers.BooleanField()
    overdue = serializers.SerializerMethodField(help_text="Open and past the next step's date.")
    next_steps = serializers.SerializerMethodField(
        help_text="The steps its status allows next; who may take them is the reviewers' rule."
    )
    outcome = serializers.SerializerMethodField(
        help_text="How it ended (resolved, cooperation resumed, project terminated); null while "
        "it is open."
    )
    opened_by = UsernameField()
    cited_clauses = DisputeClauseSerializer(
        many=True, help_text="The clauses of the version in force that it relies on."
    )
    evidence_entries = EvidenceEntrySerializer(
        many=True, help_text="The ledger entries cited as evidence."
    )
    incident = serializers.SerializerMethodField(
        help_text="The incident it was opened from, if any."
    )
    steps = DisputeStepSerializer(many=True, help_text="Every step taken, the opening first.")
    url = serializers.SerializerMethodField(help_text="The dispute's page.")

    class Meta:
        model = Dispute
        fields = [
            "id",
            "ground",
            "ground_label",
            "statement",
            "status",
            "status_label",
            "is_open",
            "due_on",
            "overdue",
            "next_steps",
            "outcome",
            "opened_by",
            "opened_at",
            "closed_at",
            "cited_clauses",
            "evidence_entries",
            "incident",
            "steps",
            "url",
        ]

    def get_overdue(self, obj: Dispute) -> bool:
        return obj.is_overdue()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=DisputeAction.choices))
    )
    def get_next_steps(self, obj: Dispute) -> list[str]:
        return [str(action) for action in dispute_actions(obj.status)]

    @extend_schema_field(serializers.ChoiceField(choices=DisputeStatus.choices, allow_null=True))
    def get_outcome(self, obj: Dispute) -> str | None:
        return None if obj.is_open else obj.status

    def get_incident(self, obj: Dispute) -> int | None:
        return _incident_id(obj)

    def get_url(self, obj: Dispute) -> str:
        return reverse("reviews:dispute_detail", args=[obj.proposal_id, obj.pk])


class ProposalDetailSerializer(EntriesByName, ProposalSerializer):
    institutions = InstitutionSerializer(many=True)
    people = PersonSerializer(many=True)
    cited_clauses = CitedClauseSerializer(many=True)
    events = ProposalEventSerializer(many=True)
    conditions = ConditionItemSerializer(
        many=True, help_text="The conditions of its approval, each with its state."
    )
    disputes = DisputeSerializer(
        many=True, help_text="Its disputes under the 2024 mechanism, the oldest first."
    )
    grounds = ProjectGroundSerializer(
        many=True,
        help_text="The ground of each suspension, resumption and termination, the oldest first.",
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
            "disputes",
            "grounds",
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
        # Why: the nested error reaches the caller under "institutions"; it names the country.
        error_messages={
            "invalid_choice": NOT_A_COUNTRY,
            "null": "Give the country as an ISO 3166 two-letter code, or leave it out.",
        },
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


# Assigning assessments ---------------------------------------------------------------------


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class AssignmentStepSerializer(serializers.Serializer):
    """One assessment of the proposal's round: who has it, whether it is made, when it is due."""

    step = serializers.ChoiceField(choices=ReviewStep.choices)
    step_label = serializers.CharField(source="step.label")
    assignee = serializers.CharField(
        source="assignment.assignee.username", allow_null=True, help_text="Username, or null."
    )
    assignee_name = serializers.SerializerMethodField()
    assigned_by = serializers.CharField(source="assignment.assigned_by.username", allow_null=True)
    reason = serializers.CharField(source="assignment.reason", allow_null=True)
    assigned_at = serializers.DateTimeField(source="assignment.assigned_at", allow_null=True)
    made = serializers.BooleanField(help_text="This round's assessment is made.")
    due = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    can_assign = serializers.BooleanField(help_text="You may assign it now.")
    can_claim = serializers.BooleanField(help_text="You may assign it to yourself now.")

    def get_assignee_name(self, row: Any) -> str | None:
        return _person(row.assignment.assignee) if row.assignment is not None else None


class AssignmentHistorySerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=ReviewStep.choices)
    step_label = serializers.CharField(source="get_step_display")
    assignee = serializers.CharField(source="assignee.username")
    assigned_by = serializers.CharField(source="history_user.username", allow_null=True)
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    recorded_at = serializers.DateTimeField(source="history_date")


class AssignmentsSerializer(serializers.Serializer):
    steps = AssignmentStepSerializer(many=True)
    history = AssignmentHistorySerializer(
        many=True, help_text="Every assignment and reassignment, the newest first."
    )


class AssignmentInputSerializer(ReasonSerializer):
    step = serializers.ChoiceField(choices=ReviewStep.choices)
    assignee = serializers.CharField(
        max_length=150,
        help_text="The username of an active reviewer (risk–benefit) or security reviewer "
        "(security); your own to claim the assessment.",
    )
