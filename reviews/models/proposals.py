"""Proposals for cooperative projects, their partners and attachments, and their audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models.functions import Greatest
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet
from sta_tracker.roles import Role, has_role

from ..countries import COUNTRIES, country_label
from ..screening import completeness
from ..workflow import ProposalAction, ProposalState


class AppendOnlyError(Exception):
    """A row of the audit trail was about to be changed or removed."""


class ProposalQuerySet(HistoriedQuerySet["Proposal"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ProposalQuerySet:
        """Reviewers and administrators see every proposal; submitters only their own."""
        if any(
            has_role(user, role)
            for role in (Role.REVIEWER, Role.SECURITY_REVIEWER, Role.ADMINISTRATOR)
        ):
            return self.all()
        if has_role(user, Role.SUBMITTER):
            return self.filter(submitter_id=user.pk)
        return self.none()

    def in_states(self, states: Any) -> ProposalQuerySet:
        return self.filter(state__in=list(states))

    def with_round_progress(self) -> ProposalQuerySet:
        """Annotate whether this round's assessments exist and how many hits are pending."""
        from .assessments import RiskBenefitAssessment, SecurityAssessment
        from .screening import ScreeningHit

        this_round = {"proposal": models.OuterRef("pk"), "round": models.OuterRef("round")}
        return self.annotate(
            has_risk_benefit=models.Exists(RiskBenefitAssessment.objects.filter(**this_round)),
            has_security=models.Exists(SecurityAssessment.objects.filter(**this_round)),
            pending_hits=models.Subquery(
                ScreeningHit.objects.pending()
                .filter(run__proposal=models.OuterRef("pk"))
                .order_by()
                .values("run__proposal")
                .annotate(n=models.Count("pk"))
                .values("n")[:1],
                output_field=models.IntegerField(),
            ),
        )

    def with_deadlines(self) -> ProposalQuerySet:
        """Annotate ``step_since`` (when the step the proposal waits on could first be done) and
        ``due_at`` (that moment plus the step's service level), after ``with_round_progress``.

        In review with neither assessment made, the nearer of the two assessments' due dates
        counts. Proposals waiting on nobody (drafts, decided ones) get neither.
        """
        from .assessments import RiskBenefitAssessment, SecurityAssessment

        this_round = {"proposal": models.OuterRef("pk"), "round": models.OuterRef("round")}

        def made_at(
            model: type[RiskBenefitAssessment] | type[SecurityAssessment],
        ) -> models.Subquery:
            return models.Subquery(
                model.objects.filter(**this_round)
                .order_by("-assessed_at")
                .values("assessed_at")[:1]
            )

        def plus(start: Any, days: int) -> models.ExpressionWrapper[Any]:
            span = models.Value(dt.timedelta(days=days), output_field=models.DurationField())
            return models.ExpressionWrapper(start + span, output_field=models.DateTimeField())

        both_made = Greatest(made_at(RiskBenefitAssessment), made_at(SecurityAssessment))
        since = models.F("state_changed_at")
        in_review = models.Q(state=ProposalState.IN_REVIEW)
        screening = models.Q(state__in=[ProposalState.SUBMITTED, ProposalState.SCREENING])
        sla = settings
        decided_next = in_review & models.Q(has_risk_benefit=True, has_security=True)
        return self.annotate(
            step_since=models.Case(
                models.When(decided_next, then=both_made),
                models.When(screening | in_review, then=since),
                default=None,
                output_field=models.DateTimeField(),
            ),
            due_at=models.Case(
                models.When(screening, then=plus(since, sla.STA_SLA_SCREENING_DAYS)),
                models.When(decided_next, then=plus(both_made, sla.STA_SLA_DECISION_DAYS)),
                models.When(
                    in_review & models.Q(has_risk_benefit=True),
                    then=plus(since, sla.STA_SLA_SECURITY_DAYS),
                ),
                models.When(
                    in_review & models.Q(has_security=True),
                    then=plus(since, sla.STA_SLA_RISK_BENEFIT_DAYS),
                ),
                models.When(
                    in_review,
                    then=plus(since, min(sla.STA_SLA_RISK_BENEFIT_DAYS, sla.STA_SLA_SECURITY_DAYS)),
                ),
                default=None,
                output_field=models.DateTimeField(),
            ),
        )

    def free_for(self, user: AbstractBaseUser | AnonymousUser, part: str) -> ProposalQuerySet:
        """Leave out proposals ``user`` submitted or played another part in, in any round.

        ``part`` is the one ``user`` would take: "risk_benefit", "security" (the assessment
        and ruling on screening hits) or "decide"; see ``permissions.Duty``.
        """
        from .assessments import Decision, RiskBenefitAssessment, SecurityAssessment
        from .screening import ScreeningHit

        mine = {"proposal": models.OuterRef("pk")}
        played: dict[str, list[models.QuerySet[Any]]] = {
            "risk_benefit": [RiskBenefitAssessment.objects.filter(**mine, assessor=user.pk)],
            "security": [
                SecurityAssessment.objects.filter(**mine, assessor=user.pk),
                ScreeningHit.objects.filter(
                    run__proposal=models.OuterRef("pk"), adjudicated_by=user.pk
                ),
            ],
            "decide": [Decision.objects.filter(**mine, decided_by=user.pk)],
        }
        free = self.exclude(submitter_id=user.pk)
        for other, rows in played.items():
            if other != part:
                for row in rows:
                    free = free.exclude(models.Exists(row))
        return free

    def awaiting_risk_benefit_by(self, user: AbstractBaseUser | AnonymousUser) -> ProposalQuerySet:
        """In review, without this round's risk–benefit assessment, and ``user`` may make it:
        not their own proposal, and none they played another part in."""
        from .assessments import RiskBenefitAssessment

        this_round = {"proposal": models.OuterRef("pk"), "round": models.OuterRef("round")}
        return (
            self.filter(state=ProposalState.IN_REVIEW)
            .free_for(user, "risk_benefit")
            .exclude(models.Exists(RiskBenefitAssessment.objects.filter(**this_round)))
        )

    def awaiting_security_by(self, user: AbstractBaseUser | AnonymousUser) -> ProposalQuerySet:
        """In review, without this round's national-security assessment, and ``user`` may make
        it (the mirror of ``awaiting_risk_benefit_by``)."""
        from .assessments import SecurityAssessment

        this_round = {"proposal": models.OuterRef("pk"), "round": models.OuterRef("round")}
        return (
            self.filter(state=ProposalState.IN_REVIEW)
            .free_for(user, "security")
            .exclude(models.Exists(SecurityAssessment.objects.filter(**this_round)))
        )

    def decision_due_for(self, user: AbstractBaseUser | AnonymousUser) -> ProposalQuerySet:
        """In review with both assessments of the round made, and ``user`` neither submitted it
        nor assessed it nor ruled on its screening hits."""
        from .assessments import RiskBenefitAssessment, SecurityAssessment

        this_round = {"proposal": models.OuterRef("pk"), "round": models.OuterRef("round")}
        return (
            self.filter(state=ProposalState.IN_REVIEW)
            .free_for(user, "decide")
            .filter(models.Exists(RiskBenefitAssessment.objects.filter(**this_round)))
            .filter(models.Exists(SecurityAssessment.objects.filter(**this_round)))
        )

    def flagged(self) -> ProposalQuerySet:
        """Proposals with a changed-clause flag nobody has cleared yet."""
        from .flags import ClauseChangeFlag

        return self.filter(
            models.Exists(ClauseChangeFlag.objects.open().filter(proposal=models.OuterRef("pk")))
        )


class ReferenceListQuerySet(HistoriedQuerySet[Any]):
    def active(self) -> ReferenceListQuerySet:
        return self.filter(active=True)


class ReferenceEntry(models.Model):
    """One entry of a list proposals choose from, kept by administrators in the admin.

    Entries are never removed once a proposal names them (the foreign keys protect them);
    an entry no longer offered is made inactive instead.
    """

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(
        default=True,
        help_text="Offered on the proposal form and in the API; old proposals keep it.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lists show entries by this number, then by name."
    )

    objects = ReferenceListQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(ReferenceEntry):
    """A U.S. agency that sponsors cooperative projects."""

    history = HistoricalRecords()

    class Meta(ReferenceEntry.Meta):
        verbose_name = "U.S. agency"
        verbose_name_plural = "U.S. agencies"


class ScientificField(ReferenceEntry):
    """A scientific field a project belongs to."""

    history = HistoricalRecords()

    class Meta(ReferenceEntry.Meta):
        verbose_name = "scientific field"


class ProposalHistoryBefore0007(models.Model):
    """Free-text columns that history rows written before the lists existed still hold.

    Why: history rows are append-only, so the rows from before agency and field became list
    entries keep the text they were written with; newer rows leave these empty.
    """

    us_agency_text = models.CharField("U.S. agency (free text)", max_length=200, blank=True)
    scientific_field_text = models.CharField(
        "scientific field (free text)", max_length=200, blank=True
    )

    class Meta:
        abstract = True


class Proposal(models.Model):
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    scientific_field = models.ForeignKey(
        ScientificField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    us_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="U.S. agency",
    )
    principal_investigator = models.CharField(max_length=200, blank=True)
    basic_research_declared = models.BooleanField(
        "declared basic research",
        default=False,
        help_text="The 2024 text limits cooperation to basic research.",
    )
    basic_research_explanation = models.TextField("why it is basic research", blank=True)
    data_description = models.TextField("data to be shared", blank=True)
    data_storage = models.TextField("where the data is stored", blank=True)
    data_access = models.TextField("who can access the data", blank=True)
    data_reciprocity = models.TextField("what the partner shares in return", blank=True)
    travel_safety_plan = models.TextField("researcher travel and safety plan", blank=True)
    funding_amount = models.DecimalField(
        "funding (USD)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    cited_clauses = models.ManyToManyField(
        "clauses.Clause",
        blank=True,
        related_name="proposals",
        help_text="The agreement's clauses the project falls under, from the version in force.",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    state = models.CharField(
        max_length=32, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Counts submissions: a resubmission after a return opens a new round."
    )
    return_questions = models.TextField(
        blank=True, help_text="The reviewers' questions when the proposal was last returned."
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[cited_clauses], bases=[ProposalHistoryBefore0007])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="proposal_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(funding_amount__isnull=True) | models.Q(funding_amount__gte=0),
                name="proposal_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ProposalState.values), name="proposal_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        return ProposalState(self.state).label


# What a submitter writes, in the order the form asks for it. The form, the API, the services
# and the proposal page all read this list: a new proposal field is declared on the model and
# named here, nowhere else. Partners and cited clauses have their own inputs.
PROPOSAL_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "scientific_field",
    "us_agency",
    "principal_investigator",
    "basic_research_declared",
    "basic_research_explanation",
    "data_description",
    "data_storage",
    "data_access",
    "data_reciprocity",
    "travel_safety_plan",
    "funding_amount",
    "funding_source",
    "start_date",
    "end_date",
)


def declared_field(name: str) -> models.Field[Any, Any]:
    """The model field behind a name of ``PROPOSAL_FIELDS``."""
    return cast("models.Field[Any, Any]", Proposal._meta.get_field(name))


# The fields whose value is an entry of a list kept in the admin.
LISTED_FIELDS: dict[str, type[ReferenceEntry]] = {
    "scientific_field": ScientificField,
    "us_agency": Agency,
}


# What a partner institution is described by, in this order: the form, the API, the service's
# input and the pages follow this list.
INSTITUTION_FIELDS: tuple[str, ...] = ("name", "name_local", "city", "country")


class PartnerInstitution(models.Model):
    """A PRC institution taking part in the project."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="institutions")
    name = models.CharField(
        "name in English",
        max_length=300,
        blank=True,
        help_text="Needed for submission: screening lists name parties in English.",
    )
    name_local = models.CharField("name in Chinese", max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    # Why blank: rows made before the field have no country on record; none is guessed.
    country = models.CharField(
        max_length=2,
        blank=True,
        choices=COUNTRIES,
        help_text="The country the institution is in (ISO 3166 two-letter code).",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "order", "pk"]

    def __str__(self) -> str:
        return self.name or self.name_local

    @property
    def country_label(self) -> str:
        """``China (CN)``, or "" when no country is given."""
        return country_label(self.country) if self.country else ""

    @property
    def has_english_name(self) -> bool:
        return completeness.has_english_name(self.name)


class PartnerPerson(models.Model):
    """A researcher on the PRC side."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="people")
    institution = models.ForeignKey(
        PartnerInstitution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "order", "pk"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{filename}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ProposalEvent(models.Model):
    """One transition of one proposal: the audit trail, written once and never changed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32, choices=ProposalAction.choices)
    from_state = models.CharField(max_length=32, choices=ProposalState.choices)
    to_state = models.CharField(max_length=32, choices=ProposalState.choices)
    round = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"])]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_state} → {self.to_state} ({self.action})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Proposal events are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Proposal events are never deleted.")
