"""The STA's reference data: its agreement, instruments, events and versions, from clauses/data/sta.

The data files are the source of truth. Loading creates what is missing and corrects what differs,
one history row per changed row, so a second run over unchanged files writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from sta_tracker.history import save_with_history

from ..importing.matching import MatchedClause, carry_forward, match_clauses
from ..importing.structure import ParsedClause
from ..models import (
    DEFAULT_LANGUAGE,
    Agreement,
    AgreementEvent,
    ChangeKind,
    ClauseKind,
    Instrument,
    Version,
)
from .dates import date_note_errors
from .languages import LanguageTextError
from .reference_languages import language_texts_load
from .versions import VersionError, previous_clauses, version_publish

STA_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "sta"
# Why: simple-history keeps 100 characters of reason, and corrections append the field names.
MAX_REASON = 70

_REQUIRED = object()
Spec = Mapping[str, tuple[type, Any]]

AGREEMENT_SPEC: Spec = {
    "slug": (str, _REQUIRED),
    "title": (str, _REQUIRED),
    "short_title": (str, _REQUIRED),
    "title_zh": (str, ""),
    "parties": (list, _REQUIRED),
    "description": (str, ""),
}
INSTRUMENT_SPEC: Spec = {
    "slug": (str, _REQUIRED),
    "kind": (str, _REQUIRED),
    "title": (str, _REQUIRED),
    "signed_on": (dt.date, None),
    "signed_at": (str, ""),
    "signatories": (list, ()),
    "effective_from": (dt.date, None),
    "expires_on": (dt.date, None),
    "term": (str, ""),
    "text_status": (str, _REQUIRED),
    "date_conflict": (str, ""),
    "date_notes": (dict, {}),
    "notes": (str, ""),
    "sources": (list, ()),
    "former_slugs": (list, ()),
}
EVENT_SPEC: Spec = {
    "slug": (str, _REQUIRED),
    "kind": (str, _REQUIRED),
    "title": (str, _REQUIRED),
    "starts_on": (dt.date, _REQUIRED),
    "ends_on": (dt.date, None),
    "description": (str, ""),
    "date_notes": (dict, {}),
    "sources": (list, ()),
}
VERSION_SPEC: Spec = {
    "label": (str, _REQUIRED),
    "title": (str, _REQUIRED),
    "instrument": (str, _REQUIRED),
    "in_force_from": (dt.date, _REQUIRED),
    "in_force_until": (dt.date, None),
    "text": (str, ""),
    "text_status": (str, _REQUIRED),
    "notes": (str, ""),
    "date_notes": (dict, {}),
}
CLAUSE_FIELDS = ("key", "kind", "number", "heading", "text", "parent")
SOURCE_FIELDS = {"fact", "citation", "url"}


class ReferenceDataError(Exception):
    """The data cannot be loaded as it stands; the message says where and why."""


@dataclass(frozen=True)
class VersionEntry:
    fields: dict[str, Any]
    clauses: tuple[ParsedClause, ...] | None

    @property
    def label(self) -> str:
        return str(self.fields["label"])


@dataclass(frozen=True)
class ReferenceData:
    agreement: dict[str, Any]
    instruments: tuple[dict[str, Any], ...]
    events: tuple[dict[str, Any], ...]
    versions: tuple[VersionEntry, ...]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def sta_data_read(data_dir: Path = STA_DATA_DIR) -> ReferenceData:
    """Read and check ``timeline.toml`` and the texts it names, without touching the database."""
    path = data_dir / "timeline.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReferenceDataError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"{path} is not valid TOML: {exc}.") from exc
    unknown = set(raw) - {"agreement", "instruments", "events", "versions"}
    if unknown:
        raise ReferenceDataError(f"{path}: unknown tables {', '.join(sorted(unknown))}.")
    agreement = _fields(raw.get("agreement", {}), AGREEMENT_SPEC, "[agreement]")
    instruments = tuple(
        _with_sources(_fields(t, INSTRUMENT_SPEC, f"instrument {i}"), f"instrument {i}")
        for i, t in enumerate(raw.get("instruments", []), start=1)
    )
    events = tuple(
        _with_sources(_fields(t, EVENT_SPEC, f"event {i}"), f"event {i}")
        for i, t in enumerate(raw.get("events", []), start=1)
    )
    versions = tuple(
        _version_entry(_fields(t, VERSION_SPEC, f"version {i}"), data_dir)
        for i, t in enumerate(raw.get("versions", []), start=1)
    )
    for model, rows, name in (
        (Instrument, instruments, "slug"),
        (AgreementEvent, events, "slug"),
        (Version, tuple(v.fields for v in versions), "label"),
    ):
        for row in rows:
            _check_date_notes(row, model.DATE_FIELDS, f"{model._meta.verbose_name} {row[name]}")
    _check_unique(
        [i["slug"] for i in instruments] + [s for i in instruments for s in i["former_slugs"]],
        "instrument slug",
    )
    _check_unique([e["slug"] for e in events], "event slug")
    _check_unique([v.label for v in versions], "version label")
    slugs = {i["slug"] for i in instruments}
    for entry in versions:
        if entry.fields["instrument"] not in slugs:
            raise ReferenceDataError(
                f"Version {entry.label!r} names instrument {entry.fields['instrument']!r}, "
                "which is not in the data."
            )
    keys = {c.key for v in versions for c in v.clauses or ()}
    for instrument in instruments:
        for source in instrument["sources"]:
            unknown_keys = sorted(set(source.get("provisions", [])) - keys)
            if unknown_keys:
                raise ReferenceDataError(
                    f"instrument {instrument['slug']}: a source names provisions no text holds: "
                    f"{', '.join(unknown_keys)}."
                )
    if versions and versions[0].clauses is None:
        raise ReferenceDataError(f"The first version ({versions[0].label!r}) needs a text.")
    return ReferenceData(agreement, instruments, events, versions)


def sta_load(*, acting_user: Any, reason: str, data_dir: Path = STA_DATA_DIR) -> LoadReport:
    """Bring the STA in the database in line with the data files, recording user and reason.

    Missing rows are created; rows whose facts differ are corrected field by field. Clause
    texts are corrected in place, but a version whose clause structure no longer matches the
    data is refused: that is a new version, not a correction. Nothing is written on error.
    """
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ReferenceDataError(f"Give a reason of 1 to {MAX_REASON} characters.")
    data = sta_data_read(data_dir)
    report = LoadReport()
    with transaction.atomic():
        agreement_values = dict(data.agreement)
        slug = agreement_values.pop("slug")
        agreement = Agreement.objects.filter(slug=slug).first() or Agreement(slug=slug)
        _sync_row(agreement, agreement_values, f"agreement {slug}", acting_user, reason, report)

        instruments: dict[str, Instrument] = {
            i.slug: i for i in Instrument.objects.filter(agreement=agreement)
        }
        for values in data.instruments:
            values = dict(values)
            slug = values["slug"]
            former = [instruments.pop(s) for s in values.pop("former_slugs") if s in instruments]
            if slug in instruments and former:
                raise ReferenceDataError(
                    f"instrument {slug}: both it and its former slug "
                    f"{former[0].slug!r} are stored; merge them by hand."
                )
            obj = instruments.get(slug) or (
                former[0] if former else Instrument(agreement=agreement, slug=slug)
            )
            _sync_row(obj, values, f"instrument {slug}", acting_user, reason, report)
            instruments[slug] = obj

        events = {e.slug: e for e in AgreementEvent.objects.filter(agreement=agreement)}
        for values in data.events:
            values = dict(values)
            slug = values.pop("slug")
            event = events.get(slug) or AgreementEvent(agreement=agreement, slug=slug)
            _sync_row(event, values, f"event {slug}", acting_user, reason, report)

        _load_versions(agreement, data.versions, instruments, acting_user, reason, report)
        try:
            languages = language_texts_load(
                agreement=agreement,
                texts_dir=data_dir / "texts",
                acting_user=acting_user,
                reason=reason,
            )
        except LanguageTextError as exc:
            raise ReferenceDataError(str(exc)) from exc
        report.created.extend(languages.created)
        report.updated.extend(languages.updated)
    return report


def _load_versions(
    agreement: Agreement,
    entries: Sequence[VersionEntry],
    instruments: Mapping[str, Instrument],
    acting_user: Any,
    reason: str,
    report: LoadReport,
) -> None:
    stored = {v.label: v for v in Version.objects.filter(agreement=agreement)}
    labels = {entry.label for entry in entries}
    # Why: a version published from an imported instrument ends the period of the one before it
    # with its own reason; that fact belongs to the later instrument, not to these files.
    successors = {v.in_force_from: v for v in stored.values() if v.label not in labels}
    previous: Version | None = None
    for entry in entries:
        instrument = instruments[entry.fields["instrument"]]
        version = stored.get(entry.label)
        if version is None:
            try:
                version = version_publish(
                    agreement=agreement,
                    instrument=instrument,
                    label=entry.label,
                    title=entry.fields["title"],
                    in_force_from=entry.fields["in_force_from"],
                    in_force_until=entry.fields["in_force_until"],
                    text_status=entry.fields["text_status"],
                    clauses=entry.clauses,
                    acting_user=acting_user,
                    reason=reason,
                    previous=previous,
                    notes=entry.fields["notes"],
                    date_notes=entry.fields["date_notes"],
                )
            except VersionError as exc:
                raise ReferenceDataError(f"Version {entry.label!r}: {exc}") from exc
            report.created.append(f"version {entry.label}")
        else:
            until, date_notes = entry.fields["in_force_until"], dict(entry.fields["date_notes"])
            ended_by = successors.get(version.in_force_until) if version.in_force_until else None
            if ended_by is not None and until != version.in_force_until:
                until = version.in_force_until
                date_notes.pop("in_force_until", None)
                report.kept.append(
                    f"version {entry.label}: in_force_until {until}, where version "
                    f"{ended_by.label} (not in the data) begins"
                )
            values = {
                "title": entry.fields["title"],
                "instrument_id": instrument.pk,
                "previous_id": previous.pk if previous else None,
                "in_force_from": entry.fields["in_force_from"],
                "in_force_until": until,
                "text_status": entry.fields["text_status"],
                "notes": entry.fields["notes"],
                "date_notes": date_notes,
            }
            _sync_row(version, values, f"version {entry.label}", acting_user, reason, report)
            prior = previous_clauses(previous) if previous is not None else []
            try:
                expected = (
                    carry_forward(prior)
                    if entry.clauses is None
                    else match_clauses(prior, entry.clauses)
                )
            except ValueError as exc:
                raise ReferenceDataError(f"Version {entry.label!r}: {exc}") from exc
            _sync_clauses(version, expected, instrument, acting_user, reason, report)
        previous = version


def _sync_clauses(
    version: Version,
    expected: Sequence[MatchedClause],
    instrument: Instrument,
    acting_user: Any,
    reason: str,
    report: LoadReport,
) -> None:
    # Why: the language texts of a version are loaded apart; this checks the English one.
    rows = list(version.clauses.filter(language=DEFAULT_LANGUAGE).order_by("order"))
    stored_keys, wanted_keys = [r.key for r in rows], [m.key for m in expected]
    if stored_keys != wanted_keys:
        only_stored = sorted(set(stored_keys) - set(wanted_keys))
        only_data = sorted(set(wanted_keys) - set(stored_keys))
        detail = (
            f"only stored: {', '.join(only_stored) or '-'}; only in the data: "
            f"{', '.join(only_data) or '-'}"
            if only_stored or only_data
            else "the same clauses in another order"
        )
        raise ReferenceDataError(
            f"Version {version.label!r}: the clauses in the data no longer line up with the "
            f"stored ones ({detail}). Texts can be corrected clause by clause; a different "
            "structure must be published as a new version."
        )
    by_key = {r.key: r for r in rows}
    depth: dict[str, int] = {}
    for m in expected:
        depth[m.key] = depth[m.parent] + 1 if m.parent else 0
    for m in expected:
        values = {
            "kind": m.kind,
            "number": m.number,
            "heading": m.heading,
            "text": m.text,
            "parent_id": by_key[m.parent].pk if m.parent else None,
            "depth": depth[m.key],
            "change": m.change,
            "changed_by_id": None if m.change == ChangeKind.UNCHANGED else instrument.pk,
            "previous_number": m.previous_number,
        }
        label = f"clause {version.label}/{m.key}"
        _sync_row(by_key[m.key], values, label, acting_user, reason, report, clean=False)


def _sync_row(
    obj: models.Model,
    values: Mapping[str, Any],
    label: str,
    acting_user: Any,
    reason: str,
    report: LoadReport,
    *,
    clean: bool = True,
) -> None:
    creating = obj.pk is None
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not creating and not changed:
        return
    for name, value in values.items():
        setattr(obj, name, value)
    if clean:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ReferenceDataError(f"{label}: {_messages(exc)}") from exc
    if creating:
        save_with_history(obj, acting_user=acting_user, reason=reason)
        report.created.append(label)
        return
    names = [n.removesuffix("_id") for n in changed]
    note = f"{reason} (corrected: {', '.join(names)})"
    if len(note) > 100:
        note = f"{reason} (corrected {len(names)} fields)"
    save_with_history(obj, acting_user=acting_user, reason=note)
    report.updated.append(f"{label}: {', '.join(names)}")


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return " ".join(exc.messages)


def _fields(table: Any, spec: Spec, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ReferenceDataError(f"{where}: expected a table.")
    unknown = set(table) - set(spec)
    if unknown:
        raise ReferenceDataError(f"{where}: unknown fields {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for name, (kind, default) in spec.items():
        if name not in table:
            if default is _REQUIRED:
                raise ReferenceDataError(f"{where}: {name} is required.")
            if isinstance(default, tuple):
                default = list(default)
            elif isinstance(default, dict):
                default = dict(default)
            values[name] = default
            continue
        value = table[name]
        # Why: a TOML date-time is a datetime, which is also a date; these facts are whole days.
        if not isinstance(value, kind) or (kind is dt.date and isinstance(value, dt.datetime)):
            raise ReferenceDataError(
                f"{where}: {name} must be a {'date' if kind is dt.date else kind.__name__}, "
                f"not {value!r}."
            )
        values[name] = value
    return values


def _with_sources(values: dict[str, Any], where: str) -> dict[str, Any]:
    where = f"{where} ({values.get('slug', '?')})"
    for source in values["sources"]:
        if not isinstance(source, dict) or set(source) - {"provisions"} != SOURCE_FIELDS:
            raise ReferenceDataError(
                f"{where}: each source needs exactly fact, citation, url (and may name provisions)."
            )
        if not all(isinstance(source[k], str) for k in SOURCE_FIELDS):
            raise ReferenceDataError(f"{where}: source fields must be text.")
        provisions = source.get("provisions", [])
        if not isinstance(provisions, list) or not all(isinstance(k, str) for k in provisions):
            raise ReferenceDataError(f"{where}: provisions must be a list of clause keys.")
        if not source["fact"].strip() or not source["citation"].strip():
            raise ReferenceDataError(f"{where}: every source needs a fact and a citation.")
    if "text_status" in values:
        # Why: the first source is the main one; the model's single-citation fields show it.
        first = values["sources"][0] if values["sources"] else None
        values["source_citation"] = first["citation"] if first else ""
        values["source_url"] = next((s["url"] for s in values["sources"] if s["url"]), "")
    return values


def _version_entry(values: dict[str, Any], data_dir: Path) -> VersionEntry:
    text = values.pop("text")
    if not text:
        return VersionEntry(values, None)
    path = data_dir / "texts" / text
    where = f"version {values['label']!r} ({path.name})"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReferenceDataError(f"{where}: cannot read the text: {exc.strerror or exc}.") from exc
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"{where}: not valid JSON: {exc}.") from exc
    if document.get("text_status") != values["text_status"]:
        raise ReferenceDataError(
            f"{where}: the text says it is {document.get('text_status')!r} but the version says "
            f"{values['text_status']!r}."
        )
    clauses: list[ParsedClause] = []
    for i, item in enumerate(document.get("clauses") or [], start=1):
        if not isinstance(item, dict) or set(item) != set(CLAUSE_FIELDS):
            raise ReferenceDataError(
                f"{where}: clause {i} needs exactly {', '.join(CLAUSE_FIELDS)}."
            )
        clauses.append(ParsedClause(**{k: item[k] for k in CLAUSE_FIELDS}))
    if not clauses:
        raise ReferenceDataError(f"{where}: the text has no clauses.")
    seen: set[str] = set()
    for clause in clauses:
        if clause.kind not in ClauseKind.values:
            raise ReferenceDataError(f"{where}: {clause.key} has an unknown kind {clause.kind!r}.")
        # Why: depths are computed in reading order, so a parent must come before its children.
        if clause.parent is not None and clause.parent not in seen:
            raise ReferenceDataError(
                f"{where}: {clause.key} names a parent {clause.parent!r} that does not precede it."
            )
        seen.add(clause.key)
    return VersionEntry(values, tuple(clauses))


def _check_date_notes(row: Mapping[str, Any], fields: tuple[str, ...], where: str) -> None:
    errors = date_note_errors(row["date_notes"], fields)
    if errors:
        raise ReferenceDataError(f"{where}: date_notes: {' '.join(errors)}")
    undated = [name for name in row["date_notes"] if row.get(name) is None]
    if undated:
        raise ReferenceDataError(f"{where}: date_notes on {', '.join(undated)}, which has no date.")


def _check_unique(values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ReferenceDataError(f"The {what} {value!r} appears twice in the data.")
        seen.add(value)
