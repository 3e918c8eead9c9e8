"""The forms of the analyst's desk: a draft's upload and its sharing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from sta_tracker.text import PlainTextForm

from ..importing.readers import ACCEPTED_EXTENSIONS
from ..models import Agreement
from ..permissions import DESK_ROLES


class DraftUploadForm(PlainTextForm, forms.Form):
    file = forms.FileField(
        label="Draft",
        help_text="PDF, Word (DOCX), plain text, Markdown or Akoma Ntoso XML, as for an import.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.order_by("short_title"),
        empty_label=None,
        label="Compare with",
        to_field_name="slug",
    )
    title = forms.CharField(
        max_length=300, required=False, help_text="A name for the draft; the file's title if blank."
    )


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return str(name)


class DraftShareForm(PlainTextForm, forms.Form):
    everyone = forms.BooleanField(required=False, label="Every analyst and reviewer")
    people = PeopleField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Or these people",
    )

    def __init__(self, *args: Any, owner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.fields["people"]
        assert isinstance(people, PeopleField)  # noqa: S101 - declared above
        people.queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=DESK_ROLES)
            .exclude(pk=owner_id)
            .distinct()
            .order_by("username")
        )
