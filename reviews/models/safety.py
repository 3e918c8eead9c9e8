"""Researcher safety: the trips made under an approved project, and what happened on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..workflow import ProposalState
from .proposals import AppendOnlyError, Proposal

# Trips are planned and briefed only while a project may go ahead.
TRAVEL_STATES = (ProposalState.APPROVED, ProposalState.APPROVED_WITH_CONDITIONS)


class TravelPlanQuerySet(HistoriedQuerySet["TravelPlan"]):
    def unbriefed(self, today: dt.date | None = None) -> TravelPlanQuerySet:
        """Trips with no pre-travel briefing that have not started before ``today`` (a trip
        starting today still shows: the traveller can be reached), on projects still running."""
        return self.filter(
            briefing_given_on__isnull=True,
            starts_on__gte=today or timezone.localdate(),
            proposal__state__in=TRAVEL_STATES,
        )


class TravelPlan(models.Model):
    """One trip by one researcher under an approved project, and the briefing before it.

    The trip itself is set when it is recorded; the security reviewer records the briefing
    (who gave it, when, whether device guidance was given) on it later.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="travel_plans")
    traveller = models.CharField("who travels", max_length=200)
    destination = models.CharField("where", max_length=300)
    host_institution = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField("from")
    ends_on = models.DateField("to")
    purpose = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    briefing_given_by = models.CharField(
        "briefing given by", max_length=200, blank=True, help_text="The person or office."
    )
    briefing_given_on = models.DateField("briefing given on", null=True, blank=True)
    device_guidance_given = models.BooleanField(default=False)
    briefing_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = TravelPlanQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="travel_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(traveller="") & ~models.Q(destination=""),
                name="travel_plan_names_who_and_where",
            ),
            # Why: a briefing is recorded whole — by whom, when, recorded by a named person.
            models.CheckConstraint(
                condition=models.Q(
                    briefing_given_on__isnull=True,
                    briefing_given_by="",
                    briefing_recorded_by__isnull=True,
                )
                | (
                    models.Q(briefing_given_on__isnull=False, briefing_recorded_by__isnull=False)
                    & ~models.Q(briefing_given_by="")
                ),
                name="travel_plan_briefing_recorded_whole",
            ),
        ]
        indexes = [models.Index(fields=["briefing_given_on", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.traveller} to {self.destination}, {self.starts_on.isoformat()}"

    @property
    def briefed(self) -> bool:
        return self.briefing_given_on is not None

    def days_to_start(self, today: dt.date | None = None) -> int:
        return (self.starts_on - (today or timezone.localdate())).days


class IncidentKind(models.TextChoices):
    DETENTION = "detention", "Detention or questioning"
    DEVICE = "device", "Device search or seizure"
    HARASSMENT = "harassment", "Harassment"
    DATA_DEMAND = "data_demand", "Demand for data"
    OTHER = "other", "Other"


class IncidentQuerySet(HistoriedQuerySet["Incident"]):
    def occurred_between(self, start: dt.date, end: dt.date) -> IncidentQuerySet:
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)


class Incident(models.Model):
    """Something that happened to a researcher, as reported; never changed once written.

    What is learnt later is a new report; the incident can ground a suspension or a dispute.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="incidents")
    travel_plan = models.ForeignKey(
        TravelPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    kind = models.CharField(max_length=16, choices=IncidentKind.choices)
    occurred_on = models.DateField()
    place = models.CharField(max_length=300)
    description = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IncidentKind.values), name="incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(description="") & ~models.Q(place=""),
                name="incident_says_what_and_where",
            ),
        ]
        indexes = [models.Index(fields=["occurred_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on.isoformat()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Incident reports are never changed; report what is new.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Incident reports are never deleted.")


class IncidentFollowUp(models.Model):
    """An incident named as the ground of a suspension or as the cause of a dispute; written
    once, with the step it grounds."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="follow_ups")
    ground = models.OneToOneField(
        "reviews.ProjectGround",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incident_follow_up",
    )
    dispute = models.OneToOneField(
        "reviews.Dispute",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incident_follow_up",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incident", "recorded_at", "pk"]
        constraints = [
            # Why: each follow-up names exactly one thing the incident led to.
            models.CheckConstraint(
                condition=models.Q(ground__isnull=False, dispute__isnull=True)
                | models.Q(ground__isnull=True, dispute__isnull=False),
                name="incident_follow_up_names_one",
            ),
        ]

    def __str__(self) -> str:
        what = f"dispute {self.dispute_id}" if self.dispute_id else f"ground {self.ground_id}"
        return f"Incident {self.incident_id} → {what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("What an incident led to is never changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("What an incident led to is never deleted.")
