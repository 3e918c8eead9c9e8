"""Forms of the review pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings

from clauses.models import Clause

from .attachments import ALLOWED_EXTENSIONS
from .models import Adjudication, CetInvolvement, DecisionOutcome, HitKind, SecurityFinding
from .rubric import BENEFITS, MAX_SCORE, MIN_SCORE, RISKS, SCORE_MEANING, Criterion
from .services import InstitutionInput, PersonInput, ProposalContent, Score, match_label
from .workflow import ProposalState

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

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=300)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    scientific_field = forms.CharField(max_length=200, required=False)
    us_agency = forms.CharField(label="U.S. agency", max_length=200, required=False)
    principal_investigator = forms.CharField(
        label="Principal investigator", max_length=200, required=False
    )
    basic_research_declared = forms.BooleanField(
        label="I declare the project basic research",
        required=False,
        help_text="The 2024 text limits cooperation to basic research.",
    )
    basic_research_explanation = forms.CharField(
        label="Why it is basic research", required=False, widget=TEXTAREA
    )
    data_description = forms.CharField(label="Data to be shared", required=False, widget=TEXTAREA)
    data_storage = forms.CharField(
        label="Where the data is stored", required=False, widget=TEXTAREA
    )
    data_access = forms.CharField(label="Who can access the data", required=False, widget=TEXTAREA)
    data_reciprocity = forms.CharField(
        label="What the partner shares in return", required=False, widget=TEXTAREA
    )
    travel_safety_plan = forms.CharField(
        label="Researcher travel and safety plan", required=False, widget=TEXTAREA
    )
    funding_amount = forms.DecimalField(
        label="Funding (USD)", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    funding_source = forms.CharField(max_length=300, required=False)
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = reason_field("Note for the record", initial="First draft")

    def __init__(self, *args: Any, clauses: Sequence[Clause], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cited_clause_ids"] = ClauseChoiceField(
            clauses,
            label="STA clauses the project falls under",
            help_text="From the version of the agreement in force today.",
        )


class InstitutionForm(forms.Form):
    name = forms.CharField(max_length=300, required=False)
    name_local = forms.CharField(label="Name in Chinese", max_length=300, required=False)
    city = forms.CharField(max_length=120, required=False)


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    position = forms.CharField(max_length=200, required=False)
    institution = forms.CharField(
        max_length=300,
        required=False,
        help_text="As named in the institutions above.",
        widget=forms.TextInput(attrs={"list": "institution-names"}),
    )


InstitutionFormSet = forms.formset_factory(InstitutionForm, extra=2, can_delete=True, max_num=50)
PersonFormSet = forms.formset_factory(PersonForm, extra=2, can_delete=True, max_num=100)


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
        title=data["title"],
        summary=data["summary"],
        scientific_field=data["scientific_field"],
        us_agency=data["us_agency"],
        principal_investigator=data["principal_investigator"],
        basic_research_declared=data["basic_research_declared"],
        basic_research_explanation=data["basic_research_explanation"],
        data_description=data["data_description"],
        data_storage=data["data_storage"],
        data_access=data["data_access"],
        data_reciprocity=data["data_reciprocity"],
        travel_safety_plan=data["travel_safety_plan"],
        funding_amount=data["funding_amount"],
        funding_source=data["funding_source"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        institutions=tuple(
            InstitutionInput(name=i["name"], name_local=i["name_local"], city=i["city"])
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
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when approving with conditions.",
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


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label="Title contains", required=False, max_length=200)
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *ProposalState.choices])
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
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("waiting", "Waiting longest first"),
            ("recent", "Newest first"),
            ("title", "Title"),
        ],
    )


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
