"""Agreements, the instruments that make and change them, their versions and clauses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sta_tracker.history import HistoriedQuerySet

from .names import key_name
from .record import inforce
from .record.dates import date_note_errors


class TextStatus(models.TextChoices):
    OFFICIAL = "official", "Official text"
    PARTIAL = "partial", "Partial official text"
    UNOFFICIAL = "unofficial", "Unofficial translation"
    ILLUSTRATIVE = "illustrative", "Illustrative text (not the official wording)"
    NONE = "none", "No text available"


class InstrumentKind(models.TextChoices):
    AGREEMENT = "agreement", "Original agreement"
    EXTENSION = "extension", "Extension"
    AMENDMENT = "amendment", "Amendment"
    PROTOCOL = "protocol", "Protocol"
    ANNEX = "annex", "Annex"
    EXCHANGE_OF_NOTES = "exchange_of_notes", "Exchange of notes or letters"


class EventKind(models.TextChoices):
    LAPSE = "lapse", "Lapse"
    EXPIRY = "expiry", "Expiry"
    ANNOUNCEMENT = "announcement", "Announcement"
    MEETING = "meeting", "Meeting"
    LEGISLATION = "legislation", "Domestic legislation"
    OTHER = "other", "Other"


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    AMENDED = "amended", "Amended"
    UNCHANGED = "unchanged", "Unchanged"
    RENUMBERED = "renumbered", "Renumbered"
    REPEALED = "repealed", "Repealed"


class Wording(models.TextChoices):
    """Where a clause's wording in a version comes from."""

    OFFICIAL = "official", "From this version's text"
    PARTIAL = "partial", "From a partial official text of this version"
    CARRIED_OVER = "carried_over", "Carried over unchanged from the previous version"


class ClauseKind(models.TextChoices):
    PREAMBLE = "preamble", "Preamble"
    ARTICLE = "article", "Article"
    PARAGRAPH = "paragraph", "Paragraph"
    ITEM = "item", "Item"
    ANNEX = "annex", "Annex"
    SECTION = "section", "Section"
    SIGNATURE = "signature", "Signature block"


DEFAULT_LANGUAGE = "en"
# ISO 639-1 codes with their names in English and in the language itself; any other two-letter
# code is accepted and shown as the code.
LANGUAGE_NAMES = {
    "en": ("English", "English"),
    "zh": ("Chinese", "中文"),
    "nl": ("Dutch", "Nederlands"),
}


DATE_NOTES_HELP = (
    "Per date field: its precision (day, month, year, on_or_before) and what an assumed date "
    'stands for, e.g. {"signed_on": {"assumed": "the announcement date"}}.'
)


def _clean_date_notes(record: Any, fields: tuple[str, ...]) -> None:
    errors = date_note_errors(record.date_notes, fields)
    if errors:
        raise ValidationError({"date_notes": errors})


def language_name(code: str) -> str:
    """``Chinese`` for ``zh``; the code itself for a language without a recorded name."""
    return LANGUAGE_NAMES.get(code, (code, code))[0]


class Agreement(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=120)
    title_zh = models.CharField("title in Chinese", max_length=200, blank=True)
    parties = models.JSONField(default=list, help_text="The governments that are parties.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["short_title"]

    def __str__(self) -> str:
        return self.short_title

    def get_absolute_url(self) -> str:
        return reverse("clauses:agreement_detail", args=[self.slug])


class Instrument(models.Model):
    """A dated legal act on an agreement.

    ``sources`` is a list of ``{"fact": ..., "citation": ..., "url": ...}`` so that every date,
    place and name keeps the address it came from.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="instruments")
    slug = models.SlugField()
    kind = models.CharField(max_length=32, choices=InstrumentKind.choices)
    title = models.CharField(max_length=400)
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField("place of signature", max_length=200, blank=True)
    signatories = models.JSONField(default=list, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    term = models.CharField(max_length=100, blank=True)
    text_status = models.CharField(
        max_length=16, choices=TextStatus.choices, default=TextStatus.NONE
    )
    source_citation = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    sources = models.JSONField(default=list, blank=True)
    date_conflict = models.TextField(
        blank=True, help_text="Where sources disagree on a date, what each one says."
    )
    date_notes = models.JSONField(default=dict, blank=True, help_text=DATE_NOTES_HELP)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    DATE_FIELDS = ("signed_on", "effective_from", "expires_on")

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "effective_from", "signed_on", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="instrument_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _clean_date_notes(self, self.DATE_FIELDS)

    @property
    def is_retroactive(self) -> bool:
        return bool(self.signed_on and self.effective_from and self.effective_from < self.signed_on)


class AgreementEvent(models.Model):
    """Something that happened to an agreement without an instrument, such as a lapse."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="events")
    slug = models.SlugField()
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    title = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="For a lapse: the day cooperation had a legal basis again."
    )
    description = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    date_notes = models.JSONField(default=dict, blank=True, help_text=DATE_NOTES_HELP)
    history = HistoricalRecords()

    DATE_FIELDS = ("starts_on", "ends_on")

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "starts_on", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="event_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on.isoformat()})"

    def clean(self) -> None:
        _clean_date_notes(self, self.DATE_FIELDS)


class VersionQuerySet(HistoriedQuerySet["Version"]):
    def in_force_versions(self, day: dt.date) -> list[Version]:
        """The version of each agreement in force on ``day``, by ``clauses.record.inforce``'s rule.

        The rule runs in Python on the versions whose period covers ``day`` and the lapses
        around that day: two queries, whatever the number of agreements.
        """
        covering = list(
            self.filter(in_force_from__lte=day)
            .filter(models.Q(in_force_until__isnull=True) | models.Q(in_force_until__gt=day))
            .select_related("instrument")
        )
        if not covering:
            return []
        lapses = AgreementEvent.objects.filter(
            kind=EventKind.LAPSE,
            agreement_id__in={v.agreement_id for v in covering},
            starts_on__lte=day,
        ).filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day))
        return inforce.versions_in_force(day, covering, list(lapses))

    def in_force_on(self, day: dt.date) -> VersionQuerySet:
        """``in_force_versions`` as a queryset, for building queries on it."""
        return self.filter(pk__in=[v.pk for v in self.in_force_versions(day)])


class Version(models.Model):
    """The consolidated text of an agreement as in force from a date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    label = models.SlugField(max_length=64)
    title = models.CharField(max_length=300)
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="The instrument that produced this version.",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    in_force_from = models.DateField()
    in_force_until = models.DateField(
        null=True, blank=True, help_text="First day no longer in force; empty while open-ended."
    )
    text_status = models.CharField(max_length=16, choices=TextStatus.choices)
    notes = models.TextField(blank=True)
    date_notes = models.JSONField(default=dict, blank=True, help_text=DATE_NOTES_HELP)
    published_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    DATE_FIELDS = ("in_force_from", "in_force_until")

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "in_force_from", "label"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "label"], name="version_unique_label"),
            models.CheckConstraint(
                condition=models.Q(in_force_until__isnull=True)
                | models.Q(in_force_until__gt=models.F("in_force_from")),
                name="version_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.short_title} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clauses:version_detail", args=[self.agreement.slug, self.label])

    def clean(self) -> None:
        _clean_date_notes(self, self.DATE_FIELDS)

    @property
    def text_is_official(self) -> bool:
        return self.text_status == TextStatus.OFFICIAL

    @property
    def short_name(self) -> str:
        """A short name for tight places (a timeline row, a column head): "2024 protocol".

        The year the version came into force and what made it; reads the instrument, which
        the pages load with the version.
        """
        kind = VERSION_KIND_WORDS.get(InstrumentKind(self.instrument.kind), self.instrument.kind)
        return f"{self.in_force_from.year} {kind}"


VERSION_KIND_WORDS = {
    InstrumentKind.AGREEMENT: "agreement",
    InstrumentKind.EXTENSION: "extension",
    InstrumentKind.AMENDMENT: "amendment",
    InstrumentKind.PROTOCOL: "protocol",
    InstrumentKind.ANNEX: "annex",
    InstrumentKind.EXCHANGE_OF_NOTES: "exchange of notes",
}


class VersionText(models.Model):
    """One language text of a version: a version holds one per authentic language.

    Adding or correcting a language text never changes what is in force; the in-force period
    belongs to the version. ``notes`` say what a reader should know of this text (that it was
    cut off, that it holds only some articles).
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(
        max_length=8, default=DEFAULT_LANGUAGE, help_text="ISO 639-1 code (en, zh, ...)."
    )
    text_status = models.CharField(max_length=16, choices=TextStatus.choices)
    source_name = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="versiontext_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({language_name(self.language)})"


class Provision(models.Model):
    """What a provision is wherever it is kept: in a version, or in an instrument's own document.

    ``key`` is stable (``art_5``, ``annex_1__sec_II__para_C``): a provision keeps its key when
    it is renumbered, so its history can be followed from version to version.
    """

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ClauseKind.choices)
    number = models.CharField(max_length=200, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(help_text="Position in the text, in reading order.")
    depth = models.PositiveSmallIntegerField(default=0)
    notes = models.JSONField(
        default=list, blank=True, help_text="Footnotes of the clause, kept apart from its text."
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return provision_label(self.number, self.heading, self.key)

    @property
    def anchor(self) -> str:
        return key_anchor(self.key)


def provision_label(number: str, heading: str, key: str) -> str:
    """How a provision is named: its number and heading, or a name made from its key."""
    return " ".join(part for part in (number, heading) if part) or key_name(key)


def key_anchor(key: str) -> str:
    """The id of a provision's place on a page: its key, with a hyphen between the levels."""
    return key.replace("__", "-")


class Clause(Provision):
    """One provision in one version, in one language."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="clauses")
    language = models.CharField(
        max_length=8,
        default=DEFAULT_LANGUAGE,
        help_text="ISO 639-1 code of the text; clauses of one provision share their key.",
    )
    change = models.CharField(max_length=16, choices=ChangeKind.choices)
    changed_by = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The instrument that made the change; empty when unchanged.",
    )
    previous_number = models.CharField(max_length=200, blank=True)
    wording = models.CharField(
        max_length=16,
        choices=Wording.choices,
        default=Wording.OFFICIAL,
        help_text="Where the wording comes from when a partial text or an amendment made the "
        "version.",
    )
    history = HistoricalRecords()

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "key"], name="clause_unique_key"
            ),
            models.UniqueConstraint(
                fields=["version", "language", "order"], name="clause_unique_order"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("clauses:clause_detail", args=[self.version.agreement.slug, self.key])


def system_user() -> Any:
    """The account that loads reference data and runs tasks, so history always names a user."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=settings.STA_SYSTEM_USERNAME,
        defaults={
            "is_active": False,
            "first_name": "STA Tracker",
            "last_name": "(system)",
            "password": "!unusable-system-account",
        },
    )
    return user


class ImportStatus(models.TextChoices):
    PARSING = "parsing", "Reading the file"
    PREVIEW = "preview", "Ready to publish"
    QUEUED = "queued", "Waiting to be published"
    RUNNING = "running", "Publishing"
    DONE = "done", "Published"
    FAILED = "failed", "Failed"
    DISCARDED = "discarded", "Discarded"


class ImportMode(models.TextChoices):
    """Which way an instrument's text comes in: what publishing it does to the record."""

    CONSOLIDATED = "consolidated", "Consolidated text"
    AMENDING = "amending", "Amending instrument"
    PARTIAL = "partial", "Partial official text"
    DOCUMENT = "document", "Side document"
    LANGUAGE = "language", "Language text of an existing version"


class ImportJob(models.Model):
    """An uploaded official text between its preview and its publication, and the outcome.

    The file is kept in the database, not on disk, so the web process and the worker that
    reads and publishes it need not share a file system; it is emptied once the job is
    finished (published, failed or discarded), so nothing is left behind. ``created_by``
    uploaded it; with four eyes on, ``published_by`` is another administrator. A discarded
    preview stays, with its reason.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="import_jobs")
    original_name = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    source_format = models.CharField(max_length=16)
    mode = models.CharField(
        max_length=16, choices=ImportMode.choices, default=ImportMode.CONSOLIDATED
    )
    language = models.CharField(
        max_length=8, default=DEFAULT_LANGUAGE, help_text="ISO 639-1 code of the text."
    )
    target_version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a language text: the version it is a text of.",
    )
    label = models.SlugField(max_length=50)
    kind = models.CharField(max_length=32, choices=InstrumentKind.choices)
    title = models.CharField(max_length=300, blank=True)
    signed_on = models.DateField()
    signed_at = models.CharField(max_length=200, blank=True)
    effective_from = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # Why no default: the person says what the file is; an upload is never "official" by default.
    text_status = models.CharField(max_length=16, choices=TextStatus.choices)
    reason = models.CharField(max_length=300)
    preview = models.JSONField(
        default=dict, blank=True, help_text="The parse shown to the person before publishing."
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times reading the file (while parsing) or publishing started; bounded by "
        "STA_TASK_MAX_ATTEMPTS.",
    )
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, related_name="import_jobs"
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
        help_text="The instrument published; a side document makes no version.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the publisher ends an earlier in-force period."
    )
    lost_words_accepted = models.BooleanField(
        default=False, help_text="The publisher acknowledged words that reached no clause."
    )
    discard_reason = models.CharField(max_length=300, blank=True)
    manual_effects = models.JSONField(
        default=list,
        blank=True,
        help_text="Instructions of an amending instrument applied by hand on the preview: "
        "the instruction, the clause, the kind, the new text and who applied it.",
    )
    language_pairs = models.JSONField(
        default=dict,
        blank=True,
        help_text="For a language text: clauses paired by hand, the new text's key to the "
        "version's key (empty: left unaligned).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Why excluded: the file and its parse are kept once, on the job; the history says who did
    # what to it and why.
    history = HistoricalRecords(excluded_fields=["content", "preview"])

    objects = HistoriedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importjob_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | models.Q(version__isnull=False)
                | models.Q(mode="document", instrument__isnull=False),
                name="importjob_done_has_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.agreement.short_title} {self.label}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.DISCARDED}


# Why: the record's further models live in their own module; imported here so that Django
# finds them with the app's models.
from .comparison.drafts import CompareDraft as CompareDraft  # noqa: E402
from .record.effects import (  # noqa: E402
    DocumentClause as DocumentClause,
)
from .record.effects import Effect as Effect  # noqa: E402
from .record.effects import EffectKind as EffectKind  # noqa: E402
from .record.effects import InstrumentDocument as InstrumentDocument  # noqa: E402
