"""The forms of the import page: the upload, the confirmation before publishing, the discard,
and what a person decides by hand on a preview."""

from __future__ import annotations

from typing import Any

from django import forms

from sta_tracker.text import PlainTextForm

from ..models import Agreement, ImportMode, InstrumentKind, TextStatus, Version
from ..record.dates import long_date
from .amending import INSERTION, REPEAL, SUBSTITUTION
from .modes import MODES
from .readers import ACCEPTED_EXTENSIONS
from .review import Accounting, Consequences
from .services import IMPORTABLE_STATUSES, NO_TEXT_STATUS

MODE_HELP = {
    ImportMode.CONSOLIDATED: (
        "The whole agreement as amended: it becomes the new version, and any clause of the "
        "version before that it lacks is recorded as repealed."
    ),
    ImportMode.AMENDING: (
        "A protocol or exchange of notes saying what changes (“Article 5 is replaced by …”): "
        "its instructions are applied to the version in force."
    ),
    ImportMode.PARTIAL: (
        "An official text of some clauses only: it replaces those clauses and keeps every "
        "other clause of the version before; nothing is repealed."
    ),
    ImportMode.DOCUMENT: (
        "Letters, agreed minutes or an understanding that does not amend: kept as the "
        "instrument's document; no new version, nothing repealed."
    ),
    ImportMode.LANGUAGE: (
        "Another authentic language of a version already published: never changes what is in force."
    ),
}
TEXT_STATUS_LABELS = {
    TextStatus.OFFICIAL: "Official text",
    TextStatus.PARTIAL: "Partial official text (official, but not the whole instrument)",
    TextStatus.UNOFFICIAL: "Unofficial translation",
    TextStatus.ILLUSTRATIVE: "Illustrative text (not the official wording)",
}


MODE_CHOICES = [(m.value, m.label) for m in ImportMode if m in MODES or m == ImportMode.LANGUAGE]
# What only a new instrument needs; a language text takes them from its version.
INSTRUMENT_FIELDS = ("label", "kind", "signed_on", "effective_from")
LANGUAGE_FIELDS = ("target_version", "language")


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Version) -> str:
        # Why no label: it is the version's address (2024-protocol), not its name.
        since = long_date(obj.in_force_from)
        return f"{obj.agreement.short_title}: {obj.title}, in force from {since}"


class DateInput(forms.DateInput):
    input_type = "date"


class ImportUploadForm(PlainTextForm, forms.Form):
    file = forms.FileField(
        help_text="PDF, Word (DOCX), plain text, Markdown or Akoma Ntoso XML.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.all(), empty_label=None)
    mode = forms.ChoiceField(
        label="What the file is",
        choices=MODE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Required once the agreement has a version.",
    )
    text_status = forms.ChoiceField(
        label="Status of the text",
        choices=[(s, TEXT_STATUS_LABELS[TextStatus(s)]) for s in IMPORTABLE_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": NO_TEXT_STATUS},
    )
    label = forms.SlugField(
        max_length=50,
        required=False,
        help_text="Names the new version and instrument in addresses, e.g. 2024-protocol.",
    )
    kind = forms.ChoiceField(choices=InstrumentKind.choices, required=False)
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty to use the title in the text."
    )
    signed_on = forms.DateField(widget=DateInput, required=False)
    signed_at = forms.CharField(max_length=200, required=False, label="Signed at")
    effective_from = forms.DateField(
        widget=DateInput,
        required=False,
        help_text="May be earlier than the signature (retroactive effect).",
    )
    expires_on = forms.DateField(widget=DateInput, required=False)
    target_version = VersionChoiceField(
        queryset=Version.objects.select_related("agreement").order_by(
            "agreement__short_title", "in_force_from", "label"
        ),
        required=False,
        label="Version it is a text of",
        empty_label="(choose the version)",
    )
    language = forms.CharField(
        max_length=8,
        required=False,
        label="Language code",
        help_text="ISO 639-1, two lower-case letters: zh for Chinese, fr for French.",
    )
    reason = forms.CharField(
        max_length=300,
        initial="Imported official text",
        help_text="Kept in the history of every clause written.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = LANGUAGE_FIELDS if data.get("mode") == ImportMode.LANGUAGE else INSTRUMENT_FIELDS
        for name in needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, self.required_message(name))
        return data

    @staticmethod
    def required_message(name: str) -> str:
        if name in LANGUAGE_FIELDS:
            return "A language text needs this: say which version and which language."
        return "This field is required."

    def mode_choices(self) -> list[dict[str, Any]]:
        """The ways a file comes in, each with its sentence of help, for the template."""
        chosen = self["mode"].value()
        return [
            {
                "value": value,
                "label": label,
                "help": MODE_HELP[ImportMode(value)],
                "checked": value == chosen,
                "id": f"id_mode_{value}",
            }
            for value, label in MODE_CHOICES
        ]


class ImportPublishForm(PlainTextForm, forms.Form):
    """What the publisher acknowledges; only what the preview asked for is required."""

    confirm_repeals = forms.BooleanField(required=False)
    accept_lost_words = forms.BooleanField(required=False)
    period_reason = forms.CharField(max_length=300, required=False, label="Why end that period")

    def __init__(
        self,
        *args: Any,
        accounting: Accounting,
        consequences: Consequences | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["accept_lost_words"].label = (
            f"I have read that {accounting.lost_words} words of the file reached no clause "
            "and publish it without them"
        )
        self.needs_lost_words = accounting.lost_words > 0
        fields["accept_lost_words"].required = self.needs_lost_words
        fields["accept_lost_words"].error_messages["required"] = (
            "Acknowledge the words that reached no clause to publish."
        )
        if consequences is None:
            self.needs_repeal_confirmation = self.needs_period_reason = False
            return
        fields["confirm_repeals"].label = (
            f"I confirm that {consequences.repealed} of the {consequences.previous_clauses} "
            "clauses of the version before are repealed"
        )
        self.needs_repeal_confirmation = consequences.many_repealed
        self.needs_period_reason = bool(consequences.periods_changed)
        fields["confirm_repeals"].required = self.needs_repeal_confirmation
        fields["period_reason"].required = self.needs_period_reason
        fields["confirm_repeals"].error_messages["required"] = "Confirm the repeals to publish."
        fields["period_reason"].error_messages["required"] = (
            "Say why the earlier version stops being in force; the reason is kept."
        )


class ImportDiscardForm(PlainTextForm, forms.Form):
    reason = forms.CharField(
        max_length=300, label="Why discard it", help_text="Kept in the import's history."
    )


class ManualEffectForm(forms.Form):
    """One unparsed instruction applied by hand; the service checks it against the plan."""

    instruction = forms.CharField(widget=forms.HiddenInput)
    affected_key = forms.CharField(required=False, label="Clause it changes")
    kind = forms.ChoiceField(
        label="What it does",
        choices=[
            (SUBSTITUTION, "Substitutes the clause's text"),
            (INSERTION, "Inserts a new provision after the clause"),
            (REPEAL, "Repeals the clause"),
        ],
    )
    new_number = forms.CharField(
        max_length=200, required=False, label="Number of the new provision"
    )
    new_text = forms.CharField(widget=forms.Textarea, required=False, label="New text")


class ManualEffectRemoveForm(forms.Form):
    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
