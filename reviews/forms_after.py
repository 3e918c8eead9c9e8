"""Forms of the after-approval pages: grounds, ledger entries, disputes. They validate input
only; the services apply the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings

from clauses.models import Clause

from .attachments import ALLOWED_EXTENSIONS
from .forms import ClauseChoiceField, reason_field
from .models import (
    ClauseChangeFlag,
    Dispute,
    DisputeGround,
    GroundKind,
    LedgerDirection,
    LedgerEntry,
    LedgerItem,
    Proposal,
)
from .services import ExchangeInput, GroundInput

DATE = forms.DateInput(attrs={"type": "date"})


class GroundedReasonForm(forms.Form):
    """A reason, and the ground it rests on."""

    ground_kind = forms.ChoiceField(
        label="Ground",
        choices=GroundKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Name the ground."},
    )
    dispute = forms.TypedChoiceField(
        label="The dispute", coerce=int, required=False, empty_value=None
    )
    clause_flag = forms.TypedChoiceField(
        label="The changed clause", coerce=int, required=False, empty_value=None
    )
    ground_detail = forms.CharField(
        label="The ground in words",
        required=False,
        help_text="Required for an incident or “other”.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = reason_field()

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        disputes = Dispute.objects.filter(proposal=proposal).order_by("-opened_at")
        cast(forms.ChoiceField, self.fields["dispute"]).choices = [("", "Choose…")] + [
            (d.pk, f"Dispute {d.pk}: {d.get_ground_display()} ({d.get_status_display()})")
            for d in disputes
        ]
        flags = ClauseChangeFlag.objects.filter(proposal=proposal).select_related("new_clause")
        cast(forms.ChoiceField, self.fields["clause_flag"]).choices = [("", "Choose…")] + [
            (f.pk, f"{f.new_clause.label} ({f.change})") for f in flags
        ]

    def ground(self) -> GroundInput:
        data = self.cleaned_data
        return GroundInput(
            kind=data["ground_kind"],
            dispute_id=data.get("dispute"),
            clause_flag_id=data.get("clause_flag"),
            detail=data.get("ground_detail") or "",
        )


class ExchangeForm(forms.Form):
    direction = forms.ChoiceField(
        choices=LedgerDirection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which way the request went."},
    )
    item = forms.ChoiceField(label="What", choices=[("", "Choose…"), *LedgerItem.choices])
    description = forms.CharField(
        label="What exactly was asked for", widget=forms.Textarea(attrs={"rows": 2})
    )
    requested_on = forms.DateField(label="Requested on", widget=DATE)
    channel = forms.CharField(
        max_length=200, help_text="Letter, e-mail, the partner's data portal, a meeting."
    )
    provided_on = forms.DateField(label="Provided on", required=False, widget=DATE)
    refused_on = forms.DateField(label="Refused on", required=False, widget=DATE)
    refusal_reason = forms.CharField(
        label="Reason given for the refusal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def exchange(self) -> ExchangeInput:
        data = self.cleaned_data
        return ExchangeInput(
            direction=data["direction"],
            item=data["item"],
            description=data["description"],
            requested_on=data["requested_on"],
            channel=data["channel"],
            provided_on=data.get("provided_on"),
            refused_on=data.get("refused_on"),
            refusal_reason=data.get("refusal_reason") or "",
        )


class CorrectionForm(ExchangeForm):
    reason = reason_field(
        "Why the entry is corrected", help_text="An answer that came since, or a mistake."
    )

    @classmethod
    def initial_from(cls, entry: LedgerEntry) -> dict[str, Any]:
        return {
            "direction": entry.direction,
            "item": entry.item,
            "description": entry.description,
            "requested_on": entry.requested_on,
            "channel": entry.channel,
            "provided_on": entry.provided_on,
            "refused_on": entry.refused_on,
            "refusal_reason": entry.refusal_reason,
        }


class LedgerAttachmentForm(forms.Form):
    file = forms.FileField(
        help_text=(
            f"{', '.join(ALLOWED_EXTENSIONS)}; at most "
            f"{settings.STA_ATTACHMENT_MAX_BYTES / 1_000_000:g} MB."
        ),
        error_messages={"required": "Choose a file to attach."},
    )
    reason = reason_field("Note for the record", initial="Evidence of the exchange")


class DisputeOpenForm(forms.Form):
    ground = forms.ChoiceField(
        choices=DisputeGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the ground of the dispute."},
    )
    statement = forms.CharField(
        label="What the partner failed to do",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the dispute is about."},
    )
    evidence_entry_ids = forms.TypedMultipleChoiceField(
        label="Evidence from the ledger",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        clauses: Sequence[Clause],
        entries: Sequence[LedgerEntry],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cited_clause_ids"] = ClauseChoiceField(
            clauses,
            label="Clauses relied on",
            help_text="From the version of the agreement in force today.",
        )
        cast(forms.ChoiceField, self.fields["evidence_entry_ids"]).choices = [
            (e.pk, f"{e} — {e.description} ({e.status.label.lower()})") for e in entries
        ]


class DisputeStepForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the notes of this step; they are recorded."},
    )
