"""Forms of the researcher-safety pages and the programme report: they parse input only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms

from clauses.models import Clause

from .forms import ClauseChoiceField, reason_field
from .models import IncidentKind, TravelPlan
from .services import IncidentInput, TripInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TripForm(forms.Form):
    traveller = forms.CharField(label="Who travels", max_length=200, required=False)
    destination = forms.CharField(label="Where (city, country)", max_length=300, required=False)
    host_institution = forms.CharField(label="Host institution", max_length=300, required=False)
    starts_on = forms.DateField(label="From", widget=DATE, required=False)
    ends_on = forms.DateField(label="To", widget=DATE, required=False)
    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = reason_field(initial="Trip planned")

    def trip(self) -> TripInput:
        data = self.cleaned_data
        return TripInput(
            traveller=data["traveller"],
            destination=data["destination"],
            host_institution=data["host_institution"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            purpose=data["purpose"],
        )


class BriefingForm(forms.Form):
    given_by = forms.CharField(label="Briefing given by", max_length=200, required=False)
    given_on = forms.DateField(label="Given on", widget=DATE, required=False)
    device_guidance_given = forms.BooleanField(
        label="Device guidance given (clean devices, what to leave at home)", required=False
    )
    reason = reason_field(initial="Pre-travel briefing given")


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of incident", choices=IncidentKind.choices)
    occurred_on = forms.DateField(label="On", widget=DATE, required=False)
    place = forms.CharField(label="Where", max_length=300, required=False)
    travel_plan = forms.TypedChoiceField(
        label="On the trip", coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label="Account of events",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    reason = reason_field(initial="Incident reported")

    def __init__(self, *args: Any, trips: list[TravelPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["travel_plan"])
        field.choices = [("", "Not on a recorded trip")] + [(trip.pk, str(trip)) for trip in trips]

    def incident(self) -> IncidentInput:
        data = self.cleaned_data
        return IncidentInput(
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            place=data["place"],
            description=data["description"],
            travel_plan_id=data["travel_plan"],
        )


class IncidentSuspendForm(forms.Form):
    reason = reason_field(initial="The researchers' safety cannot be assured")


class IncidentDisputeForm(forms.Form):
    statement = forms.CharField(
        label="What the other side must answer for",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, clauses: Sequence[Clause], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cited_clause_ids"] = ClauseChoiceField(
            clauses,
            label="Clauses of the agreement in force today that the dispute relies on",
            help_text="Cite at least one.",
        )


class TripSortForm(forms.Form):
    """The sorting of the trips-without-a-briefing queue."""

    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("soonest", "Soonest start first"),
            ("recent", "Newest recorded first"),
            ("title", "Title"),
        ],
    )


class PeriodForm(forms.Form):
    """The period of the programme report, both days included."""

    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", "The period ends before it starts.")
        return data
