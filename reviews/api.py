"""The JSON API of the review workflow.

Proposals are fetched through ``Proposal.objects.visible_to(user)`` exactly as the pages do, so a
proposal someone may not see is a 404. Every action calls the same service function as the
pages; the services decide who may act and when, and their refusals become JSON errors: invalid
input 400, not allowed 403, wrong state or not ready 409.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from clauses.api_conventions import query
from clauses.models import Agreement, Clause, Version
from sta_tracker.roles import Role, has_role

from . import permissions, services
from .errors import (
    InvalidInput,
    NotReady,
    PermissionRefused,
    PolicyRefused,
    ReviewError,
    TransitionNotAllowed,
)
from .models import (
    AppendOnlyError,
    Assignment,
    ConditionItem,
    Decision,
    Dispute,
    DisputeStep,
    LedgerEntry,
    ProjectGround,
    Proposal,
    ProposalEvent,
    RiskBenefitAssessment,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
)
from .pages import is_review_staff
from .serializers import (
    AdjudicateSerializer,
    AssessmentsSerializer,
    AssignmentInputSerializer,
    AssignmentsSerializer,
    ConditionResolveSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    GroundedReasonSerializer,
    ProposalContentSerializer,
    ProposalDetailSerializer,
    ProposalEventSerializer,
    ProposalFilterSerializer,
    ProposalSerializer,
    ReasonSerializer,
    ReturnSerializer,
    RiskBenefitInputSerializer,
    ScreeningRunSerializer,
    SecurityInputSerializer,
)
from .views_assign import assignable_people, step_rows


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The proposal's state does not allow this now."


class NotReadyConflict(Conflict):
    default_code = "not_ready"


class PolicyConflict(Conflict):
    default_code = "refused_by_policy"


@contextmanager
def service_errors() -> Iterator[None]:
    """The services' refusals as API errors, with their messages unchanged."""
    try:
        yield
    except InvalidInput as error:
        raise ValidationError(error.errors) from None
    except PermissionRefused as error:
        raise PermissionDenied(str(error)) from None
    except TransitionNotAllowed as error:
        raise Conflict(str(error)) from None
    except NotReady as error:
        raise NotReadyConflict(str(error)) from None
    except PolicyRefused as error:
        raise PolicyConflict(str(error)) from None
    except AppendOnlyError as error:
        raise Conflict(str(error)) from None
    except ReviewError as error:
        raise ValidationError({"": [str(error)]}) from None


def _require_review_staff(user: Any) -> None:
    # The pages' rule: the evidence is the reviewers' working material, not the submitter's.
    if not is_review_staff(user):
        raise PermissionDenied(permissions.ONLY_STAFF_SEE_INTERNALS)


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.visible_to(user).select_related(
        "submitter", "us_agency", "scientific_field"
    )


def _proposal(request: Request, pk: int) -> Proposal:
    return get_object_or_404(visible_proposals(request.user), pk=pk)


def _detail_queryset(user: Any) -> QuerySet[Proposal]:
    return visible_proposals(user).prefetch_related(
        "institutions",
        "people__institution",
        Prefetch("cited_clauses", queryset=Clause.objects.select_related("version__agreement")),
        Prefetch("events", queryset=_events()),
        Prefetch("conditions", queryset=_conditions()),
        Prefetch("disputes", queryset=_disputes()),
        Prefetch("grounds", queryset=_grounds()),
    )


def _disputes() -> QuerySet[Dispute]:
    # Why four parents: the clause's label names the provisions it sits in, up to four deep.
    clauses = Clause.objects.select_related(
        "version__agreement", "parent__parent__parent__parent"
    ).order_by("version__agreement", "order", "pk")
    steps = DisputeStep.objects.select_related("actor").order_by("created_at", "pk")
    evidence: QuerySet[LedgerEntry] = LedgerEntry.objects.order_by("pk")
    return (
        Dispute.objects.select_related("opened_by", "incident_follow_up")
        .prefetch_related(
            Prefetch("cited_clauses", queryset=clauses),
            Prefetch("evidence_entries", queryset=evidence),
            Prefetch("steps", queryset=steps),
        )
        .order_by("opened_at", "pk")
    )


def _grounds() -> QuerySet[ProjectGround]:
    return ProjectGround.objects.select_related(
        "event", "recorded_by", "incident_follow_up"
    ).order_by("recorded_at", "pk")


def _conditions() -> QuerySet[ConditionItem]:
    return ConditionItem.objects.select_related("acknowledged_by", "resolved_by").order_by(
        "decision__round", "number"
    )


def _events() -> QuerySet[ProposalEvent]:
    return ProposalEvent.objects.select_related(
        "actor", "ground__recorded_by", "ground__incident_follow_up"
    ).order_by("created_at", "pk")


def _detail(request: Request, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    proposal = get_object_or_404(_detail_queryset(request.user), pk=pk)
    data = ProposalDetailSerializer(proposal, context={"request": request}).data
    return Response(data, status=status_code)


def _body(serializer_class: type[Serializer], request: Request) -> Any:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


DATE_FILTERS = {
    "updated_after": "updated_at__date__gte",
    "updated_before": "updated_at__date__lt",
    "starts_after": "start_date__gte",
    "starts_before": "start_date__lt",
}


class ProposalList(generics.ListAPIView):
    """Proposals you may see (a submitter sees only their own); or start a draft."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProposalSerializer

    @extend_schema(parameters=[ProposalFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Proposal]:
        params = query(ProposalFilterSerializer, self.request)
        proposals = visible_proposals(self.request.user).order_by("-updated_at", "-pk")
        if "state" in params:
            proposals = proposals.filter(state=params["state"])
        if "agreement" in params:
            if not Agreement.objects.filter(slug=params["agreement"]).exists():
                raise ValidationError(
                    {"agreement": [f"No agreement has the slug “{params['agreement']}”."]}
                )
            proposals = proposals.filter(
                cited_clauses__version__agreement__slug=params["agreement"]
            ).distinct()
        if "version" in params:
            if not Version.objects.filter(pk=params["version"]).exists():
                raise ValidationError({"version": [f"No version has the id {params['version']}."]})
            proposals = proposals.filter(cited_clauses__version_id=params["version"]).distinct()
        for name, lookup in DATE_FILTERS.items():
            if name in params:
                proposals = proposals.filter(**{lookup: params[name]})
        return proposals

    @extend_schema(request=ProposalContentSerializer, responses={201: ProposalDetailSerializer})
    def post(self, request: Request) -> Response:
        body = _body(ProposalContentSerializer, request)
        with service_errors():
            proposal = services.proposal_create(
                content=body.content(),
                acting_user=request.user,
                reason=body.validated_data["reason"],
            )
        return _detail(request, proposal.pk, status.HTTP_201_CREATED)


class ProposalDetail(APIView):
    """One proposal: its content, partners, cited clauses, audit trail and your next actions."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProposalDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, pk)

    @extend_schema(request=ProposalContentSerializer, responses=ProposalDetailSerializer)
    def put(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        body = _body(ProposalContentSerializer, request)
        with service_errors():
            services.proposal_update(
                proposal=proposal,
                content=body.content(),
                acting_user=request.user,
                reason=body.validated_data["reason"],
            )
        return _detail(request, pk)


class ProposalEvents(generics.ListAPIView):
    """The audit trail of one proposal: every transition, who, when and why."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProposalEventSerializer

    def get_queryset(self) -> Any:
        proposal = _proposal(self.request, self.kwargs["pk"])
        return _events().filter(proposal=proposal)


class ProposalScreening(generics.ListAPIView):
    """Screening runs of one proposal, newest first, with their hits and adjudications."""

    permission_classes = [IsAuthenticated]
    serializer_class = ScreeningRunSerializer

    def get_queryset(self) -> Any:
        proposal = _proposal(self.request, self.kwargs["pk"])
        _require_review_staff(self.request.user)
        hits = ScreeningHit.objects.select_related(
            "adjudicated_by", "cet_edition", "cet_category", "clause"
        ).order_by("pk")
        return (
            ScreeningRun.objects.filter(proposal=proposal)
            .select_related("started_by", "cet_edition", "screening_list")
            .prefetch_related(Prefetch("hits", queryset=hits))
            .order_by("-created_at", "-pk")
        )


class ProposalAssessments(APIView):
    """The risk–benefit and national-security assessments of every round."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AssessmentsSerializer)
    def get(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        _require_review_staff(request.user)
        data = {
            "risk_benefit": RiskBenefitAssessment.objects.filter(proposal=proposal)
            .select_related("assessor")
            .prefetch_related("scores")
            .order_by("round"),
            "security": SecurityAssessment.objects.filter(proposal=proposal)
            .select_related("assessor")
            .order_by("round"),
        }
        return Response(AssessmentsSerializer(data).data)


class ProposalDecisions(generics.ListAPIView):
    """The decisions recorded on one proposal, one per round at most."""

    permission_classes = [IsAuthenticated]
    serializer_class = DecisionSerializer

    def get_queryset(self) -> Any:
        proposal = _proposal(self.request, self.kwargs["pk"])
        clauses = Clause.objects.select_related("version__agreement")
        return (
            Decision.objects.filter(proposal=proposal)
            .select_related("decided_by")
            .prefetch_related(
                Prefetch("cited_clauses", queryset=clauses),
                Prefetch("condition_items", queryset=_conditions()),
            )
            .order_by("round")
        )


# Actions ---------------------------------------------------------------------------------

Act = Callable[[Proposal, Any, Any], Any]


def _action_view(name: str, body: type[Serializer], act: Act, summary: str) -> Any:
    """A POST endpoint that validates ``body`` and calls one service through ``act``."""

    class ActionView(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(
            operation_id=f"proposals_{name.replace('-', '_')}",
            summary=summary,
            request=body,
            responses=ProposalDetailSerializer,
        )
        def post(self, request: Request, pk: int) -> Response:
            proposal = _proposal(request, pk)
            data = _body(body, request).validated_data
            with service_errors():
                act(proposal, request.user, data)
            return _detail(request, pk)

    ActionView.__name__ = ActionView.__qualname__ = f"Proposal{name.title().replace('-', '')}"
    ActionView.__doc__ = summary
    return ActionView


def _reason_only(service: Callable[..., Any]) -> Act:
    return lambda proposal, user, data: service(
        proposal=proposal, acting_user=user, reason=data["reason"]
    )


def _grounded(service: Callable[..., Any]) -> Act:
    return lambda proposal, user, data: service(
        proposal=proposal,
        acting_user=user,
        reason=data["reason"],
        ground=services.GroundInput(
            kind=data["ground"],
            dispute_id=data["dispute"],
            clause_flag_id=data["clause_flag"],
            detail=data["ground_detail"],
        ),
    )


ProposalSubmit = _action_view(
    "submit", ReasonSerializer, _reason_only(services.proposal_submit), "Submit a draft."
)
ProposalResubmit = _action_view(
    "resubmit",
    ReasonSerializer,
    _reason_only(services.proposal_resubmit),
    "Resubmit a proposal returned for changes.",
)
ProposalWithdraw = _action_view(
    "withdraw",
    ReasonSerializer,
    _reason_only(services.proposal_withdraw),
    "Withdraw your proposal for good.",
)
ProposalReturn = _action_view(
    "return",
    ReturnSerializer,
    lambda proposal, user, data: services.proposal_return(
        proposal=proposal, questions=data["questions"], acting_user=user, reason=data["reason"]
    ),
    "Return a proposal to its submitter with questions.",
)
ProposalScreen = _action_view(
    "screen",
    ReasonSerializer,
    _reason_only(services.screening_run),
    "Run screening again (completeness, CET, restricted parties, clause scope).",
)
ProposalAssessRiskBenefit = _action_view(
    "assess-risk-benefit",
    RiskBenefitInputSerializer,
    lambda proposal, user, data: services.risk_benefit_assess(
        proposal=proposal,
        scores={
            item["criterion"]: services.Score(score=item["score"], rationale=item["rationale"])
            for item in data["scores"]
        },
        recommendation=data["recommendation"],
        summary=data["summary"],
        acting_user=user,
        reason=data["reason"],
    ),
    "Score the benefits and risks and recommend an outcome (reviewers).",
)
ProposalAssessSecurity = _action_view(
    "assess-security",
    SecurityInputSerializer,
    lambda proposal, user, data: services.security_assess(
        proposal=proposal,
        cet_involvement=data["cet_involvement"],
        finding=data["finding"],
        rationale=data["rationale"],
        mitigations=data["mitigations"],
        cleared_hit_ids=data["cleared_hit_ids"],
        acting_user=user,
        reason=data["reason"],
    ),
    "Record the national-security finding (security reviewers).",
)
ProposalDecide = _action_view(
    "decide",
    DecisionInputSerializer,
    lambda proposal, user, data: services.decision_record(
        proposal=proposal,
        outcome=data["outcome"],
        conditions=data["conditions"],
        condition_items=[services.ConditionInput(**item) for item in data["condition_items"]],
        questions=data["questions"],
        cited_clause_ids=data["cited_clause_ids"],
        confirmed_match_ids=data["confirmed_match_ids"],
        acting_user=user,
        reason=data["reason"],
    ),
    "Record the decision of the current round; it can never be changed. Approving, approving "
    'with conditions and rejecting need "confirm": true and every true restricted-party '
    "match named in confirmed_match_ids; the decider must be neither the submitter nor an "
    "assessor nor an adjudicator of the proposal.",
)
ProposalSuspend = _action_view(
    "suspend",
    GroundedReasonSerializer,
    _grounded(services.proposal_suspend),
    "Suspend an approved project.",
)
ProposalResume = _action_view(
    "resume",
    GroundedReasonSerializer,
    _grounded(services.proposal_resume),
    "Resume a suspended project.",
)
ProposalTerminate = _action_view(
    "terminate",
    GroundedReasonSerializer,
    _grounded(services.proposal_terminate),
    "End an approved or suspended project for good.",
)


ProposalConditionsAcknowledge = _action_view(
    "conditions-acknowledge",
    ReasonSerializer,
    _reason_only(services.conditions_acknowledge),
    "Acknowledge the conditions of the approval of your proposal (once).",
)


class ConditionResolve(APIView):
    """Mark one condition of an approval met or waived, with a reason (reviewers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="proposals_conditions_resolve",
        request=ConditionResolveSerializer,
        responses=ProposalDetailSerializer,
    )
    def post(self, request: Request, pk: int, condition_pk: int) -> Response:
        proposal = _proposal(request, pk)
        condition = get_object_or_404(ConditionItem, pk=condition_pk, proposal=proposal)
        data = _body(ConditionResolveSerializer, request).validated_data
        with service_errors():
            services.condition_resolve(
                condition=condition,
                status=data["status"],
                reason=data["reason"],
                evidence=data["evidence"],
                acting_user=request.user,
            )
        return _detail(request, pk)


class HitAdjudicate(APIView):
    """Rule a screening hit a true match or a false positive (security reviewers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="proposals_hits_adjudicate",
        request=AdjudicateSerializer,
        responses=ProposalDetailSerializer,
    )
    def post(self, request: Request, pk: int, hit_pk: int) -> Response:
        proposal = _proposal(request, pk)
        hit = get_object_or_404(
            ScreeningHit.objects.select_related("run"), pk=hit_pk, run__proposal=proposal
        )
        data = _body(AdjudicateSerializer, request).validated_data
        with service_errors():
            services.hit_adjudicate(
                hit=hit,
                adjudication=data["adjudication"],
                acting_user=request.user,
                reason=data["reason"],
            )
        return _detail(request, pk)


class ProposalAssignments(APIView):
    """Who makes each assessment of a proposal: assign a colleague holding its role, or claim
    it (reviewers and security reviewers, as on the assignment page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="proposals_assignments_list", responses=AssignmentsSerializer)
    def get(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        _require_queue_holder(request.user)
        return Response(_assignments(request, proposal))

    @extend_schema(
        operation_id="proposals_assignments_create",
        request=AssignmentInputSerializer,
        responses={201: AssignmentsSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        _require_queue_holder(request.user)
        data = _body(AssignmentInputSerializer, request).validated_data
        assignee = assignable_people().filter(username=data["assignee"]).first()
        if assignee is None:
            raise ValidationError(
                {
                    "assignee": [
                        f"No active reviewer or security reviewer has the username "
                        f"“{data['assignee']}”."
                    ]
                }
            )
        with service_errors():
            services.assignment_set(
                proposal=proposal,
                step=data["step"],
                assignee=assignee,
                acting_user=request.user,
                reason=data["reason"],
            )
        proposal.refresh_from_db()
        return Response(_assignments(request, proposal), status=status.HTTP_201_CREATED)


def _require_queue_holder(user: Any) -> None:
    # The assignment page's rule: only those who make assessments assign them.
    if not (has_role(user, Role.REVIEWER) or has_role(user, Role.SECURITY_REVIEWER)):
        raise PermissionDenied(permissions.ONLY_QUEUE_HOLDERS_ASSIGN)


def _assignments(request: Request, proposal: Proposal) -> Any:
    history = (
        Assignment.history.filter(proposal_id=proposal.pk)
        .select_related("assignee", "history_user")
        .order_by("-history_date", "-history_id")
    )
    data = {"steps": step_rows(request.user, proposal), "history": history}
    return AssignmentsSerializer(data).data
