"""Effects (what an instrument changed, legislation.gov.uk style) and instruments' own texts.

An amending protocol's text is not a version of the agreement: it is the instrument's document,
kept with its own clauses, while the version it produces is the agreement as amended. A side
document (agreed minutes, an exchange of letters) has a document and no version at all.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from ..models import DEFAULT_LANGUAGE, Instrument, Provision, TextStatus, Version, language_name


class EffectKind(models.TextChoices):
    SUBSTITUTION = "substitution", "Substituted"
    INSERTION = "insertion", "Inserted"
    REPEAL = "repeal", "Repealed"
    RENUMBERING = "renumbering", "Renumbered"
    EXTENSION = "extension", "Term extended"
    OTHER = "other", "Instruction not understood"


class EffectQuerySet(HistoriedQuerySet["Effect"]):
    def on_key(self, agreement_id: int, key: str) -> EffectQuerySet:
        """The effects on one provision of an agreement, oldest first."""
        return self.filter(instrument__agreement_id=agreement_id, affected_key=key).order_by(
            "effective_from", "instrument_id", "order"
        )


class Effect(models.Model):
    """One change an instrument made (or was meant to make) to a provision of the agreement.

    ``affected_label`` is the provision's label when the instrument was made ("Article 10"),
    which later renumbering does not change; ``affecting_provision`` says where in the
    instrument the change is made ("Article 2"). An effect that was not applied (an instruction
    that was not understood) has no version.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="effects")
    order = models.PositiveIntegerField(help_text="Position among the instrument's effects.")
    kind = models.CharField(max_length=16, choices=EffectKind.choices)
    affected_key = models.CharField(max_length=200, blank=True)
    affected_label = models.CharField(max_length=200, blank=True)
    affecting_provision = models.CharField(max_length=300, blank=True)
    effective_from = models.DateField()
    applied = models.BooleanField(default=False)
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="effects",
        help_text="The version the effect produced; empty when it was not applied.",
    )
    new_number = models.CharField(max_length=200, blank=True)
    new_heading = models.CharField(max_length=300, blank=True)
    new_text = models.TextField(blank=True)
    after_key = models.CharField(
        max_length=200, blank=True, help_text="For an insertion: the provision it follows."
    )
    term = models.CharField(max_length=200, blank=True, help_text="For an extension of term.")
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = EffectQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="effect_unique_order"),
            models.CheckConstraint(
                condition=models.Q(applied=True) | models.Q(version__isnull=True),
                name="effect_unapplied_has_no_version",
            ),
        ]

    def __str__(self) -> str:
        target = self.affected_label or self.affected_key or "the agreement"
        return f"{self.get_kind_display()}: {target} by {self.instrument}"


class InstrumentDocument(models.Model):
    """An instrument's own text in one language, as published by the instrument itself."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="documents")
    language = models.CharField(max_length=8, default=DEFAULT_LANGUAGE)
    text_status = models.CharField(max_length=16, choices=TextStatus.choices)
    title = models.CharField(max_length=400, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "language"], name="instrumentdocument_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({language_name(self.language)})"

    def get_absolute_url(self) -> str:
        instrument = self.instrument
        return reverse(
            "clauses:instrument_detail", args=[instrument.agreement.slug, instrument.slug]
        )


class DocumentClause(Provision):
    """One provision of an instrument's own document."""

    document = models.ForeignKey(
        InstrumentDocument, on_delete=models.CASCADE, related_name="clauses"
    )
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="documentclause_unique_key"),
            models.UniqueConstraint(
                fields=["document", "order"], name="documentclause_unique_order"
            ),
        ]
