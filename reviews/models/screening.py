"""The lists proposals are screened against, and the runs and hits screening produces."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..workflow import ProposalState
from .proposals import Proposal


class CetEdition(models.Model):
    """One edition of the Critical and Emerging Technologies list; old editions are kept."""

    name = models.CharField(max_length=100, unique=True)
    source_note = models.TextField(blank=True)
    in_force = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"],
                condition=models.Q(in_force=True),
                name="cet_one_edition_in_force",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CetCategory(models.Model):
    edition = models.ForeignKey(CetEdition, on_delete=models.PROTECT, related_name="categories")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "order"]
        verbose_name_plural = "CET categories"
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="cet_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CetTerm(models.Model):
    """A search term for a category, maintained by administrators."""

    category = models.ForeignKey(CetCategory, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=120)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "term"]
        constraints = [models.UniqueConstraint(fields=["category", "term"], name="cet_term_unique")]

    def __str__(self) -> str:
        return self.term


class ScreeningList(models.Model):
    """One imported copy of the Consolidated Screening List; earlier imports stay as evidence."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry_count = models.PositiveIntegerField()
    is_current = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="screening_one_current_list",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class ScreeningListEntry(models.Model):
    """One listed party, as the file had it; ``columns`` keeps every column of the row."""

    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.PROTECT, related_name="entries"
    )
    row = models.PositiveIntegerField(help_text="Line number in the imported file.")
    source = models.CharField(max_length=300)
    entity_number = models.CharField(max_length=100, blank=True)
    entry_type = models.CharField(max_length=60, blank=True)
    name = models.TextField()
    alt_names = models.JSONField(default=list, blank=True)
    addresses = models.TextField(blank=True)
    programs = models.TextField(blank=True)
    federal_register_notice = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    source_list_url = models.URLField(max_length=500, blank=True)
    columns = models.JSONField(default=dict)

    class Meta:
        ordering = ["screening_list", "row"]
        verbose_name_plural = "screening list entries"
        constraints = [
            models.UniqueConstraint(fields=["screening_list", "row"], name="screening_entry_row")
        ]

    def __str__(self) -> str:
        return self.name


class HitKind(models.TextChoices):
    COMPLETENESS = "completeness", "Completeness"
    CET = "cet", "Critical and emerging technology"
    RESTRICTED_PARTY = "restricted_party", "Restricted party"
    CLAUSE_SCOPE = "clause_scope", "Clause scope"


class Adjudication(models.TextChoices):
    TRUE_MATCH = "true_match", "True match"
    FALSE_POSITIVE = "false_positive", "False positive"


# What each ruling does, by kind of hit, as the hit page states it to the person ruling.
RULING_EFFECTS: dict[str, dict[str, str]] = {
    HitKind.RESTRICTED_PARTY: {
        Adjudication.TRUE_MATCH: (
            "A true match blocks approval unless the security assessment clears it with "
            "mitigations."
        ),
        Adjudication.FALSE_POSITIVE: (
            "A false positive sets the match aside: it no longer holds the proposal in "
            "screening, and later screenings of this round keep the ruling while they find "
            "the same match."
        ),
    },
    HitKind.CET: {
        Adjudication.TRUE_MATCH: (
            "A true match says the project touches this critical and emerging technology; the "
            "security assessment must weigh it."
        ),
        Adjudication.FALSE_POSITIVE: (
            "A false positive says the terms were used in another sense; the finding no longer "
            "holds the proposal in screening."
        ),
    },
}
_DEFAULT_EFFECTS = {
    Adjudication.TRUE_MATCH: (
        "A true match says the finding stands; the assessments must address it before a decision."
    ),
    Adjudication.FALSE_POSITIVE: (
        "A false positive sets the finding aside; it no longer holds the proposal in screening."
    ),
}


def ruling_effects(kind: str) -> list[tuple[str, str]]:
    """Each ruling's label and what it does, for a hit of ``kind``."""
    effects = RULING_EFFECTS.get(kind, _DEFAULT_EFFECTS)
    return [(choice.label, effects[choice]) for choice in Adjudication]


class ScreeningRun(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="screening_runs")
    round = models.PositiveSmallIntegerField()
    is_current = models.BooleanField(default=True)
    request_key = models.CharField(
        max_length=100,
        blank=True,
        help_text="Names the request that started the run, so a repeated request runs once.",
    )
    cet_edition = models.ForeignKey(
        CetEdition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    partners_screened = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Each partner's names, the forms they were compared in (as written, Chinese "
            "characters, pinyin) and its near misses: matches below the threshold."
        ),
    )

    class Meta:
        ordering = ["proposal", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(is_current=True),
                name="screening_one_current_run",
            ),
            models.UniqueConstraint(
                fields=["proposal", "request_key"],
                condition=~models.Q(request_key=""),
                name="screening_run_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening of {self.proposal_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ScreeningHitQuerySet(HistoriedQuerySet["ScreeningHit"]):
    def pending(self) -> ScreeningHitQuerySet:
        """Hits of current runs that nobody has adjudicated yet."""
        return self.filter(run__is_current=True, adjudication="")

    def to_adjudicate_by(self, user: AbstractBaseUser | AnonymousUser) -> ScreeningHitQuerySet:
        """Pending hits of proposals whose state allows adjudication, that ``user`` neither
        submitted nor assessed for risks and benefits nor decided."""
        from ..workflow import ProposalAction, allowed_actions

        states = [
            state
            for state in ProposalState
            if ProposalAction.ADJUDICATE in allowed_actions(state)
            or ProposalAction.ADJUDICATE_LAST in allowed_actions(state)
        ]
        free = Proposal.objects.filter(state__in=states).free_for(user, "security")
        return self.pending().filter(run__proposal__in=free)


class ScreeningHit(models.Model):
    """A potential problem found by screening, with its evidence and a person's adjudication."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    kind = models.CharField(max_length=20, choices=HitKind.choices)
    summary = models.TextField()
    fingerprint = models.CharField(
        max_length=500, help_text="The same finding in another run has the same fingerprint."
    )
    details = models.JSONField(default=dict, blank=True)
    screened_text = models.TextField(
        blank=True, help_text="What was screened: a partner's name, or the proposal fields."
    )
    cet_edition = models.ForeignKey(
        CetEdition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cet_category = models.ForeignKey(
        CetCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_terms = models.JSONField(default=list, blank=True)
    list_entry = models.ForeignKey(
        ScreeningListEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="hits"
    )
    matched_name = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True)
    score_parts = models.JSONField(
        default=list,
        blank=True,
        help_text="The parts of the score (name, country, type, list), each weighed and explained.",
    )
    list_imported_at = models.DateTimeField(null=True, blank=True)
    clause = models.ForeignKey(
        "clauses.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjudication = models.CharField(max_length=20, choices=Adjudication.choices, blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adjudication_reason = models.TextField(blank=True)
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The identical hit of an earlier run whose adjudication this one keeps.",
    )
    history = HistoricalRecords()

    objects = ScreeningHitQuerySet.as_manager()

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        adjudication="", adjudicated_by__isnull=True, adjudicated_at__isnull=True
                    )
                    | (
                        models.Q(
                            adjudication__in=Adjudication.values,
                            adjudicated_by__isnull=False,
                            adjudicated_at__isnull=False,
                        )
                        & ~models.Q(adjudication_reason="")
                    )
                ),
                name="screening_hit_adjudication_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(list_entry__isnull=True)
                | models.Q(score__isnull=False, list_imported_at__isnull=False),
                name="screening_list_match_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_adjudicated(self) -> bool:
        return bool(self.adjudication)
