"""Forms of the review pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from clauses.models import Clause

from .attachments import ALLOWED_EXTENSIONS
from .countries import COUNTRIES
from .models import (
    INSTITUTION_FIELDS,
    LISTED_FIELDS,
    PROPOSAL_FIELDS,
    Adjudication,
    Agency,
    CetInvolvement,
    ConditionOwner,
    ConditionStatus,
    DecisionOutcome,
    HitKind,
    Proposal,
    ReviewStep,
    ScientificField,
    SecurityFinding,
)
from .queues import ANY_STATE, Choices
from .rubric import BENEFITS, MAX_SCORE, MIN_SCORE, RISKS, SCORE_MEANING, Criterion
from .screening import completeness
from .services import (
    ConditionInput,
    InstitutionInput,
    PersonInput,
    ProposalContent,
    Score,
    match_label,
)
from .services.proposals import MAX_INSTITUTIONS, MAX_PEOPLE
from .workflow import ProposalState

# The form's inputs that submission needs: completeness screening's facts, by the form's names.
_INPUT_OF_FACT = {
    "institution_count": "institutions",
    "person_count": "people",
    "cited_clause_count": "cited_clause_ids",
}
REQUIRED_FOR_SUBMISSION = frozenset(
    _INPUT_OF_FACT.get(name, name) for name in completeness.REQUIRED_FACTS
)

REASON_HELP = "Recorded with your name in the proposal's history."


def reason_field(label: str = "Reason", initial: str = "", help_text: str = REASON_HELP) -> Any:
    return forms.CharField(
        label=label,
        initial=initial,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason; it is recorded with your name."},
    )


# --- Choosing clauses, grouped by article ---------------------------------------------------


@dataclass
class ClauseOption:
    pk: int
    number: str
    text: str
    depth: int


@dataclass
class ClauseGroup:
    """One article (or preamble, or annex) with the provisions inside it."""

    agreement: str
    title: str
    options: list[ClauseOption] = field(default_factory=list)
    first_of_agreement: bool = False


def _snippet(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clause_groups(clauses: Iterable[Clause]) -> list[ClauseGroup]:
    """Clauses in reading order, each top-level provision opening a group.

    ``clauses`` must be ordered by version then order, with ``version__agreement`` loaded.
    """
    groups: list[ClauseGroup] = []
    for clause in clauses:
        if clause.depth == 0 or not groups:
            title = " ".join(p for p in (clause.number, clause.heading) if p) or clause.key
            agreement = clause.version.agreement.short_title
            first = not groups or groups[-1].agreement != agreement
            groups.append(ClauseGroup(agreement=agreement, title=title, first_of_agreement=first))
        groups[-1].options.append(
            ClauseOption(
                pk=clause.pk,
                number=clause.number if clause.depth else "Whole provision",
                text=_snippet(clause.text) if clause.text else clause.heading,
                depth=clause.depth,
            )
        )
    return groups


class ClauseChoiceField(forms.TypedMultipleChoiceField):
    """Clause ids chosen by checkbox; the service checks they are in force."""

    def __init__(self, clauses: Sequence[Clause], **kwargs: Any) -> None:
        super().__init__(
            choices=[(c.pk, c.label) for c in clauses],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": (
                    "Choose clauses of the version in force; one of the chosen clauses is not."
                )
            },
            **kwargs,
        )
        self.groups = clause_groups(clauses)


# --- Proposals ------------------------------------------------------------------------------


class ProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    """The declared proposal fields, as the model defines them, plus the cited clauses.

    It parses input only: the service checks the rules and writes, so the model's own
    validation is not run here.
    """

    reason = reason_field("Note for the record", initial="First draft")

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        # Why: a checkbox reads in the first person; everywhere else the model's name is used.
        labels = {"basic_research_declared": "I declare the project basic research"}

    def __init__(self, *args: Any, clauses: Sequence[Clause], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, input_field in self.fields.items():
            if isinstance(input_field.widget, forms.Textarea):
                input_field.widget.attrs["rows"] = 4 if name == "summary" else 3
            elif isinstance(input_field, forms.DateField):
                input_field.widget = forms.DateInput(attrs={"type": "date"})
            elif isinstance(input_field, forms.DecimalField):
                input_field.min_value = 0
                input_field.widget.attrs["min"] = 0
            if name in LISTED_FIELDS:
                self._offer_active_entries(name, input_field)
        self.fields["cited_clause_ids"] = ClauseChoiceField(
            clauses,
            label="STA clauses the project falls under",
            help_text="From the version of the agreement in force today.",
        )

    def _offer_active_entries(self, name: str, field: Any) -> None:
        # Why names, not ids: the API takes the names too, and a name reads in a request log.
        model = LISTED_FIELDS[name]
        current = getattr(self.instance, name)
        keep = Q(active=True) | Q(pk=current.pk) if current else Q(active=True)
        field.queryset = model.objects.filter(keep)
        field.to_field_name = "name"
        field.empty_label = "Choose…"
        if current is not None and not self.is_bound:
            self.initial[name] = current.name

    def _post_clean(self) -> None:
        """Leave the rules to the service (see the class docstring)."""


class InstitutionForm(forms.Form):
    name = forms.CharField(label="Name in English", max_length=300, required=False)
    name_local = forms.CharField(label="Name in Chinese", max_length=300, required=False)
    city = forms.CharField(max_length=120, required=False)
    country = forms.ChoiceField(choices=[("", "Not given"), *COUNTRIES], required=False)


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    position = forms.CharField(max_length=200, required=False)
    institution = forms.CharField(
        max_length=300,
        required=False,
        help_text="As named in the institutions above.",
        widget=forms.TextInput(attrs={"list": "institution-names"}),
    )


InstitutionFormSet = forms.formset_factory(
    InstitutionForm, extra=2, can_delete=True, max_num=MAX_INSTITUTIONS, validate_max=True
)
PersonFormSet = forms.formset_factory(
    PersonForm, extra=2, can_delete=True, max_num=MAX_PEOPLE, validate_max=True
)


def _filled(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data
        and not f.cleaned_data.get("DELETE")
        and any(str(v).strip() for k, v in f.cleaned_data.items() if k != "DELETE")
    ]


def proposal_content(
    form: ProposalForm,
    institutions: forms.BaseFormSet[Any],
    people: forms.BaseFormSet[Any],
) -> ProposalContent:
    data = form.cleaned_data
    return ProposalContent(
        **{name: data[name] for name in PROPOSAL_FIELDS},
        institutions=tuple(
            InstitutionInput(**{name: i[name] for name in INSTITUTION_FIELDS})
            for i in _filled(institutions)
        ),
        people=tuple(
            PersonInput(name=p["name"], position=p["position"], institution=p["institution"])
            for p in _filled(people)
        ),
        cited_clause_ids=tuple(data["cited_clause_ids"]),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        help_text=(
            f"{', '.join(ALLOWED_EXTENSIONS)}; at most "
            f"{settings.STA_ATTACHMENT_MAX_BYTES / 1_000_000:g} MB."
        ),
        error_messages={"required": "Choose a file to attach."},
    )
    reason = reason_field("Note for the record", initial="Supporting document")


class ReasonForm(forms.Form):
    reason = reason_field()


class ReturnForm(forms.Form):
    questions = forms.CharField(
        label="Questions for the submitter",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what the submitter must change or answer."},
    )
    reason = reason_field()


# --- Screening and assessments --------------------------------------------------------------


class AdjudicationForm(forms.Form):
    adjudication = forms.ChoiceField(
        label="Ruling",
        choices=Adjudication.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Rule the hit a true match or a false positive."},
    )
    reason = reason_field(help_text="Why, in a sentence a later reader can check.")


SCORE_CHOICES = [(n, str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]


@dataclass
class RubricRow:
    criterion: Criterion
    score: forms.BoundField
    rationale: forms.BoundField


class RiskBenefitForm(forms.Form):
    recommendation = forms.ChoiceField(
        choices=[("", "Choose…"), *DecisionOutcome.choices],
        error_messages={"required": "Recommend an outcome."},
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Sum up the assessment."},
    )
    reason = reason_field(initial="Risk–benefit assessment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[f"{criterion.value}_score"] = forms.TypedChoiceField(
                label=f"{criterion.label}: score",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"“{criterion.label}” needs a score from {MIN_SCORE} to "
                    f"{MAX_SCORE}."
                },
            )
            self.fields[f"{criterion.value}_rationale"] = forms.CharField(
                label=f"{criterion.label}: rationale",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Explain the score for “{criterion.label}”."},
            )

    def rows(self, criteria: Sequence[Criterion]) -> list[RubricRow]:
        return [
            RubricRow(c, self[f"{c.value}_score"], self[f"{c.value}_rationale"]) for c in criteria
        ]

    @property
    def benefit_rows(self) -> list[RubricRow]:
        return self.rows(BENEFITS)

    @property
    def risk_rows(self) -> list[RubricRow]:
        return self.rows(RISKS)

    score_meaning = SCORE_MEANING

    def scores(self) -> dict[str, Score]:
        data = self.cleaned_data
        return {
            c.value: Score(score=data[f"{c.value}_score"], rationale=data[f"{c.value}_rationale"])
            for c in Criterion
        }

    def add_service_error(self, key: str, message: str) -> None:
        """Place a service's error on the criterion's rationale, or the named field."""
        if key in Criterion.values:
            self.add_error(f"{key}_rationale", message)
        elif key in self.fields:
            self.add_error(key, message)
        else:
            self.add_error(None, message)


class SecurityForm(forms.Form):
    cet_involvement = forms.ChoiceField(
        label="CET involvement",
        choices=CetInvolvement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how far the project involves CET: none, adjacent or direct."
        },
    )
    finding = forms.ChoiceField(
        choices=SecurityFinding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Give a finding."},
    )
    mitigations = forms.CharField(
        label="Required mitigations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the finding is “mitigations required”.",
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain the finding."},
    )
    reason = reason_field(initial="National-security assessment")

    def __init__(self, *args: Any, true_matches: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cleared_hit_ids"] = forms.TypedMultipleChoiceField(
            label="True matches the mitigations clear",
            coerce=int,
            required=False,
            choices=[(hit.pk, match_label(hit)) for hit in true_matches],
            widget=forms.CheckboxSelectMultiple,
            help_text=(
                "Tick a true restricted-party match only if the mitigations above make the "
                "cooperation acceptable despite it; an unticked match blocks approval."
            ),
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve, approve with conditions, return or reject."},
    )
    questions = forms.CharField(
        label="Questions for the submitter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when returning for changes.",
    )
    reason = reason_field(
        "Reason for the decision",
        help_text="Required for every outcome; the submitter reads it. It cannot be changed later.",
    )

    def __init__(self, *args: Any, clauses: Sequence[Clause], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cited_clause_ids"] = ClauseChoiceField(
            clauses,
            label="Clauses the decision relies on",
            help_text="In force on the project's start date; an approval must cite at least one.",
        )


class ConditionForm(forms.Form):
    """One condition of an approval; the decision page shows a few empty rows of these."""

    text = forms.CharField(
        label="Condition", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(
        label="Fulfilled by", choices=ConditionOwner.choices, initial=ConditionOwner.SUBMITTER
    )
    due_on = forms.DateField(
        label="Due on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BaseConditionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The conditions entered, with the service's objections to them shown beside the rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_errors: list[str] = []

    def add_service_error(self, message: str) -> None:
        self.service_errors.append(message)

    def items(self) -> list[ConditionInput]:
        """The rows with a condition written in; rows left empty are skipped."""
        return [
            ConditionInput(text=data["text"], owner=data["owner"], due_on=data.get("due_on"))
            for data in (f.cleaned_data for f in self.forms)
            if data and (data.get("text") or "").strip()
        ]


ConditionFormSet = cast(
    type[BaseConditionFormSet],
    forms.formset_factory(
        ConditionForm, formset=BaseConditionFormSet, extra=3, max_num=20, validate_max=True
    ),
)


class ConditionAcknowledgeForm(forms.Form):
    reason = reason_field(
        "Note for the record",
        initial="I have read the conditions and accept them.",
        help_text="Recorded with your name and the time; the conditions are acknowledged once.",
    )


class ConditionResolveForm(forms.Form):
    status = forms.ChoiceField(
        label="Ruling",
        choices=[(ConditionStatus.MET, "Met"), (ConditionStatus.WAIVED, "Waived")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the condition is met or waived."},
    )
    reason = reason_field(
        "Reason",
        help_text="Required; recorded with your name. A ruling is not changed later.",
    )
    evidence = forms.CharField(
        label="Evidence note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What shows it: a document, a receipt, a message, where it is kept.",
    )


class DecisionConfirmForm(forms.Form):
    """The confirmation step: the decider ticks that it is final and names each true match."""

    confirm = forms.BooleanField(
        label="I have read the summary; record this decision, which cannot be changed.",
        error_messages={"required": "Tick the box to confirm the decision."},
    )

    def __init__(self, *args: Any, true_matches: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirmed_match_ids"] = forms.TypedMultipleChoiceField(
            label="True restricted-party matches this approval accepts",
            coerce=int,
            required=False,
            choices=[(hit.pk, match_label(hit)) for hit in true_matches],
            widget=forms.CheckboxSelectMultiple,
            help_text="Each was cleared with mitigations by the national-security assessment.",
        )


class FlagClearForm(forms.Form):
    reason = reason_field(
        "Why the proposal still stands",
        help_text="Recorded with your name; the flag stays in the proposal's history.",
    )


# --- Lists and filters ----------------------------------------------------------------------


def offer(chooser: forms.ModelChoiceField[Any], rows: Iterable[Any]) -> None:
    """Show ``rows`` (read already, as the chooser's queryset would give them) as its options,
    which the chooser would otherwise read for itself; its queryset still checks a value."""
    chooser.choices = [
        ("", chooser.empty_label),
        *((row.pk, chooser.label_from_instance(row)) for row in rows),
    ]


class ListEntryFilter(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A filter by one entry of the admin's lists (a U.S. agency, a scientific field), given
    by its id; an id that is not an entry offered is reported on the form."""

    def __init__(self, *, label: str, queryset: Any, empty_label: str) -> None:
        kind = queryset.model._meta.verbose_name
        super().__init__(
            queryset=queryset,
            label=label,
            required=False,
            empty_label=empty_label,
            error_messages={
                "invalid_choice": f"Choose a {kind} from the list; “%(value)s” is not on it."
            },
        )


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label="Title contains", required=False, max_length=200)
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *ProposalState.choices])
    agency = ListEntryFilter(label="U.S. agency", queryset=Agency.objects.all(), empty_label="Any")
    field = ListEntryFilter(
        label="Scientific field", queryset=ScientificField.objects.all(), empty_label="Any"
    )
    flagged = forms.BooleanField(label="Flagged only", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-updated", "Last changed, newest first"),
            ("updated", "Last changed, oldest first"),
            ("waiting", "Longest in its state first"),
            ("title", "Title"),
            ("state", "State"),
            ("-created", "Created, newest first"),
        ],
    )


class QueueSortForm(forms.Form):
    """The sorting of the overdue-conditions queue."""

    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("waiting", "Waiting longest first"),
            ("recent", "Newest first"),
            ("title", "Title"),
        ],
    )


class QueueFilterForm(forms.Form):
    """The queue's filters and sorting; the work list adds the state and decision filters."""

    agency = ListEntryFilter(
        label="U.S. agency", queryset=Agency.objects.none(), empty_label="Any agency"
    )
    field = ListEntryFilter(
        label="Scientific field", queryset=ScientificField.objects.none(), empty_label="Any field"
    )
    city = forms.ChoiceField(label="Partner city", required=False)
    assignee = forms.ChoiceField(
        label="Assigned",
        required=False,
        choices=[("", "Anyone or nobody"), ("me", "To me"), ("none", "To nobody")],
    )
    overdue = forms.BooleanField(label="Past due only", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("waiting", "Waiting longest first"),
            ("due", "Due soonest first"),
            ("recent", "Newest first"),
            ("title", "Title"),
        ],
    )

    def __init__(self, *args: Any, choices: Choices, work_list: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, entries, shown in (
            ("agency", choices.agencies, choices.agencies_shown),
            ("field", choices.fields, choices.fields_shown),
        ):
            entry = cast(ListEntryFilter, self.fields[name])
            entry.queryset = entries
            offer(entry, shown)
        city = cast(forms.ChoiceField, self.fields["city"])
        city.choices = [("", "Any city"), *((c, c) for c in choices.cities)]
        if work_list:
            self.fields["state"] = forms.ChoiceField(
                label="State",
                required=False,
                choices=[
                    ("", "Open (submitted, screening, in review)"),
                    (ANY_STATE, "Any state"),
                    *ProposalState.choices,
                ],
            )
            self.fields["outcome"] = forms.ChoiceField(
                label="Decided",
                required=False,
                choices=[("", "Any or none"), *DecisionOutcome.choices],
            )
            self.fields["waiting"] = forms.IntegerField(
                label="In its state more than (days)", required=False, min_value=0, max_value=3650
            )
            self.order_fields(["state", "agency", "field", "city", "assignee", "outcome"])


def _person_label(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class AssignForm(forms.Form):
    """One step of one proposal given to one person (or claimed), with a reason."""

    step = forms.ChoiceField(label="Assessment", choices=ReviewStep.choices)
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=get_user_model().objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose the person to assign."},
    )
    reason = reason_field(initial="Assigned from the queue")

    def __init__(
        self, *args: Any, people: Any, people_shown: Iterable[Any] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        chooser = self.fields["assignee"]
        chooser.queryset = people  # type: ignore[attr-defined]
        chooser.label_from_instance = _person_label  # type: ignore[attr-defined]
        if people_shown is not None:
            offer(cast("forms.ModelChoiceField[Any]", chooser), people_shown)


class BatchAssignForm(AssignForm):
    proposals = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.all(),
        error_messages={"required": "Tick the proposals to assign."},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class HitFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *HitKind.choices])
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("oldest", "Oldest first"),
            ("newest", "Newest first"),
            ("score", "Highest match score first"),
        ],
    )


# --- Administration -------------------------------------------------------------------------


class ScreeningListUploadForm(forms.Form):
    file = forms.FileField(
        label="Consolidated Screening List (CSV)",
        error_messages={"required": "Choose the CSV file to import."},
    )
    reason = reason_field(initial="Monthly screening list update")


class CetEditionForm(forms.Form):
    name = forms.CharField(
        label="Edition",
        max_length=100,
        help_text="For example “2026”.",
        error_messages={"required": "Name the edition, for example “2024”."},
    )
    file = forms.FileField(
        label="Category list (text file)",
        help_text="One category a line; lines starting with # are notes.",
        error_messages={"required": "Choose the text file of the edition."},
    )
    put_in_force = forms.BooleanField(label="Put it in force now", required=False, initial=True)
    reason = reason_field(initial="New CET list edition")


class CetTermsForm(forms.Form):
    terms = forms.CharField(
        label="Search terms, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Whole words, ignoring case, with an optional plural “s”; short all-capital terms "
            "match in capitals only."
        ),
    )
    reason = reason_field()

    def term_list(self) -> list[str]:
        return [line for line in self.cleaned_data["terms"].splitlines() if line.strip()]
