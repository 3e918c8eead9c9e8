"""The upload form of the import page: a file and the instrument's metadata."""

from __future__ import annotations

from django import forms

from .importing.readers import ACCEPTED_EXTENSIONS
from .models import Agreement, InstrumentKind, TextStatus


class DateInput(forms.DateInput):
    input_type = "date"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        help_text="PDF, Word (DOCX), plain text, Markdown or Akoma Ntoso XML.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.all(), empty_label=None)
    label = forms.SlugField(
        max_length=50,
        help_text="Names the new version and instrument in addresses, e.g. 2024-protocol.",
    )
    kind = forms.ChoiceField(choices=InstrumentKind.choices)
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty to use the title in the text."
    )
    signed_on = forms.DateField(widget=DateInput)
    signed_at = forms.CharField(max_length=200, required=False, label="Signed at")
    effective_from = forms.DateField(
        widget=DateInput, help_text="May be earlier than the signature (retroactive effect)."
    )
    expires_on = forms.DateField(widget=DateInput, required=False)
    text_status = forms.ChoiceField(
        choices=[
            (TextStatus.OFFICIAL.value, TextStatus.OFFICIAL.label),
            (TextStatus.PARTIAL.value, TextStatus.PARTIAL.label),
        ],
        label="Text",
    )
    reason = forms.CharField(
        max_length=300,
        initial="Imported official text",
        help_text="Kept in the history of every clause written.",
    )
