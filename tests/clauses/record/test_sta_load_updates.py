"""Loading the STA again: idempotent, corrections recorded with a reason, bad data refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from clauses.models import (
    Agreement,
    AgreementEvent,
    ChangeKind,
    Clause,
    Instrument,
    Version,
    system_user,
)
from clauses.record.reference import STA_DATA_DIR, ReferenceDataError, sta_load
from clauses.record.versions import version_publish
from sta_tracker.history import save_with_history

pytestmark = pytest.mark.django_db

MODELS: list[Any] = [Agreement, Instrument, AgreementEvent, Version, Clause]
# The 2023 extension's term: the only "Six months" followed by its notes.
TERM_2023 = 'term = "Six months"\ntext_status = "none"\nnotes'


def counts() -> dict[str, tuple[int, int]]:
    """Rows and history rows of every model the loader writes."""
    return {m.__name__: (m.objects.count(), m.history.count()) for m in MODELS}


def load(data_dir: Path = STA_DATA_DIR, reason: str = "test load") -> Any:
    return sta_load(acting_user=system_user(), reason=reason, data_dir=data_dir)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the project's data files that a test may edit."""
    return Path(shutil.copytree(STA_DATA_DIR, tmp_path / "sta"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should appear once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_clause(path: Path, key: str, text: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    [clause] = [c for c in document["clauses"] if c["key"] == key]
    clause["text"] = text
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_loading_twice_writes_no_row_and_no_history() -> None:
    first = load()
    before = counts()
    second = load()
    assert first.changed
    assert not second.changed
    assert counts() == before
    assert before["Version"] == (8, 8)
    assert before["Instrument"] == (14, 14)
    assert before["AgreementEvent"] == (16, 16)


def test_every_history_row_names_the_system_account_and_the_reason() -> None:
    load(reason="first load of the STA")
    system = system_user()
    for model in MODELS:
        rows = model.history.all()
        assert rows.exists(), model.__name__
        assert set(rows.values_list("history_user", flat=True)) == {system.pk}, model.__name__
        assert set(rows.values_list("history_change_reason", flat=True)) == {
            "first load of the STA"
        }, model.__name__


def test_a_corrected_fact_updates_only_that_row_with_a_reason(data_dir: Path) -> None:
    load()
    before = counts()
    edit(data_dir / "timeline.toml", TERM_2023, TERM_2023.replace("months", "months (from 2023)"))
    report = load(data_dir, reason="term corrected")
    extension = Instrument.objects.get(slug="2023-extension")
    assert extension.term == "Six months (from 2023)"
    assert report.updated == ["instrument 2023-extension: term"]
    assert report.created == []
    latest = extension.history.latest()
    assert latest.history_change_reason == "term corrected (corrected: term)"
    assert latest.history_user == system_user()
    after = counts()
    rows, history = before.pop("Instrument"), after.pop("Instrument")
    assert history == (rows[0], rows[1] + 1)
    assert after == before


def test_a_corrected_event_date_is_updated(data_dir: Path) -> None:
    load()
    edit(data_dir / "timeline.toml", "ends_on = 2024-03-07", "ends_on = 2024-03-08")
    report = load(data_dir, reason="lapse end corrected")
    lapse = AgreementEvent.objects.get(slug="2024-02-27-expiry-unannounced")
    assert lapse.ends_on.isoformat() == "2024-03-08"
    assert report.updated == ["event 2024-02-27-expiry-unannounced: ends_on"]


def test_a_corrected_clause_text_reaches_every_version_that_carries_it(data_dir: Path) -> None:
    load()
    before = counts()
    wording = "Each Party shall encourage contacts between institutions of the two countries."
    for name in ["1979.json", "2018-amended.json", "2024-protocol.json"]:
        edit_clause(data_dir / "texts" / name, "art_4", wording)
    report = load(data_dir, reason="article 4 reworded")
    rows = Clause.objects.filter(language="en", key="art_4")
    assert rows.count() == 8
    assert set(rows.values_list("text", flat=True)) == {wording}
    assert set(rows.exclude(version__label="1979").values_list("change", flat=True)) == {
        ChangeKind.UNCHANGED
    }
    assert len(report.updated) == 8
    assert rows.first().history.latest().history_change_reason == (
        "article 4 reworded (corrected: text)"
    )
    assert counts()["Clause"] == (before["Clause"][0], before["Clause"][1] + 8)


def test_a_clause_corrected_in_one_version_only_becomes_an_amendment_in_the_next(
    data_dir: Path,
) -> None:
    load()
    edit(data_dir / "texts" / "1979.json", "where appropriate, facilitate contacts",
         "where appropriate, support contacts")  # fmt: skip
    load(data_dir, reason="article 4 in 1979 only")
    later = Clause.objects.get(language="en", version__label="2018-amended", key="art_4")
    assert later.change == ChangeKind.AMENDED
    assert later.changed_by.slug == "2018-extension-and-amendment"
    assert "facilitate contacts" in later.text
    carried = Clause.objects.get(language="en", version__label="2011-extension", key="art_4")
    assert "support contacts" in carried.text
    assert carried.change == ChangeKind.UNCHANGED


def test_a_changed_clause_structure_is_refused_and_nothing_is_written(data_dir: Path) -> None:
    load()
    before = counts()
    edit(data_dir / "timeline.toml", TERM_2023, TERM_2023.replace("months", "weeks"))
    path = data_dir / "texts" / "2024-protocol.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["clauses"] = [c for c in document["clauses"] if c["key"] != "art_14"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"'2024-protocol'.*only stored: art_14"):
        load(data_dir)
    assert counts() == before
    assert Instrument.objects.get(slug="2023-extension").term == "Six months"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "agreement"', 'kind = "treaty"', r"instrument 1979-agreement: kind: .*treaty"),
        ("signed_on = 2006-04-18", 'signed_on = "2006-04-18"', "signed_on must be a date"),
        ("signed_on = 1984-01-12", "signed_on = 1984-01-12T10:00:00", "must be a date"),
        ('slug = "1989-extension"', 'slug = "1984-extension"', "appears twice"),
        ('instrument = "2011-extension"', 'instrument = "2012"', "not in the data"),
        ('text = "1979.json"', 'text = "1978.json"', "cannot read the text"),
        ('slug = "2016-reporting-repealed"', 'slug = "x"\nwhen = 1', "unknown fields when"),
        (', url = "https://china.usc.edu/node/21226" }', " }", "exactly fact, citation, url"),
        ("in_force_until = 2029-08-27", "in_force_until = 2024-08-01", "end after it starts"),
    ],
)
def test_bad_data_is_refused_with_a_clear_message_and_nothing_is_written(
    data_dir: Path, old: str, new: str, message: str
) -> None:
    edit(data_dir / "timeline.toml", old, new)
    with pytest.raises(ReferenceDataError, match=message):
        load(data_dir)
    assert {name: rows for name, (rows, _) in counts().items()} == dict.fromkeys(
        (m.__name__ for m in MODELS), 0
    )


def test_a_text_with_an_unknown_clause_kind_is_refused(data_dir: Path) -> None:
    edit(data_dir / "texts" / "1979.json", '"kind": "preamble"', '"kind": "recital"')
    with pytest.raises(ReferenceDataError, match="unknown kind 'recital'"):
        load(data_dir)
    assert not Version.objects.exists()


def test_a_missing_data_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="Cannot read"):
        load(tmp_path)


def test_a_reason_is_required() -> None:
    with pytest.raises(ReferenceDataError, match="reason"):
        load(reason="  ")
    with pytest.raises(ReferenceDataError, match="reason"):
        load(reason="x" * 71)
    assert not Agreement.objects.exists()


def test_the_command_loads_then_reports_nothing_to_do() -> None:
    out = StringIO()
    call_command("load_sta", stdout=out)
    assert "41 created, 0 corrected" in out.getvalue()
    before = counts()
    out = StringIO()
    call_command("load_sta", stdout=out)
    assert "already up to date" in out.getvalue()
    assert counts() == before
    reasons = set(Instrument.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Loaded the STA reference data (clauses/data/sta)"}


def test_the_command_lists_corrections(data_dir: Path) -> None:
    call_command("load_sta", stdout=StringIO())
    edit(data_dir / "timeline.toml", "ends_on = 2024-03-07", "ends_on = 2024-03-08")
    out = StringIO()
    call_command("load_sta", "--data-dir", str(data_dir), stdout=out)
    assert "corrected event 2024-02-27-expiry-unannounced: ends_on" in out.getvalue()


def test_the_command_turns_bad_data_into_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_sta", "--data-dir", str(tmp_path), stdout=StringIO())


def older_data(data_dir: Path) -> Path:
    """The data as an earlier release had it: no date notes, the IP annex dated 1991, the 2018
    term derived from the expiry."""
    path = data_dir / "timeline.toml"
    text = re.sub(r"^date_notes = .*\n", "", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")
    edit(path, 'slug = "ip-annex-amendment"\nformer_slugs = ["1991-ip-annex-amendment"]\n',
         'slug = "1991-ip-annex-amendment"\n')  # fmt: skip
    edit(path, "intellectual-property annex (date not found)", "intellectual-property annex (1991)")
    edit(path, 'expires_on = 2023-08-27\ntext_status = "illustrative"',
         'expires_on = 2023-08-27\nterm = "Five years (implied by the expiry)"\n'
         'text_status = "illustrative"')  # fmt: skip
    return data_dir


def test_an_older_database_is_corrected_in_place_with_the_reason(data_dir: Path) -> None:
    load(older_data(data_dir), reason="older release")
    annex = Instrument.objects.get(slug="1991-ip-annex-amendment")
    before = counts()
    report = load(reason="facts checked against sources")
    assert report.created == []
    assert report.updated == [
        "instrument 1979-agreement: date_notes",
        "instrument 1984-extension: date_notes",
        "instrument ip-annex-amendment: slug, title",
        "instrument 2006-protocol: date_notes",
        "instrument 2011-extension: date_notes",
        "instrument 2018-extension-and-amendment: term, date_notes",
        "instrument 2024-extension: date_notes",
        "event 1978-07-press-delegation: date_notes",
        "event 1980-01-first-joint-commission: date_notes",
        "event 2016-reporting-repealed: date_notes",
        "event 2025-04-revised-text-published: date_notes",
        "version 1979: date_notes",
        "version 1984-extension: date_notes",
        "version 2006-protocol: date_notes",
        "version 2011-extension: date_notes",
        "version 2018-amended: date_notes",
    ]
    renamed = Instrument.objects.get(pk=annex.pk)
    assert renamed.slug == "ip-annex-amendment"
    assert renamed.history.latest().history_change_reason == (
        "facts checked against sources (corrected: slug, title)"
    )
    after = counts()
    assert after["Instrument"] == (14, before["Instrument"][1] + 7)
    assert after["Clause"] == before["Clause"]
    assert not load(reason="again").changed
    assert counts() == after


def test_a_stored_instrument_under_both_its_slug_and_a_former_one_is_refused(
    data_dir: Path,
) -> None:
    load(older_data(data_dir), reason="older release")
    annex = Instrument.objects.get(slug="1991-ip-annex-amendment")
    load()
    annex.refresh_from_db()
    before = counts()
    stray = Instrument(agreement=annex.agreement, slug="1991-ip-annex-amendment", kind="amendment",
                       title="Stray", text_status="none")  # fmt: skip
    save_with_history(stray, acting_user=system_user(), reason="test")
    with pytest.raises(ReferenceDataError, match="former slug '1991-ip-annex-amendment'"):
        load()
    assert counts()["Instrument"] == (before["Instrument"][0] + 1, before["Instrument"][1] + 1)


def test_loading_leaves_an_imported_instrument_and_the_period_it_ended_alone() -> None:
    load()
    sta = Agreement.objects.get(slug="sta")
    supplement = Instrument(
        agreement=sta,
        slug="2026-supplement",
        kind="protocol",
        title="Supplementary protocol",
        signed_on=dt.date(2026, 11, 20),
        effective_from=dt.date(2026, 12, 1),
        text_status="official",
    )
    save_with_history(supplement, acting_user=system_user(), reason="imported")
    version_publish(
        agreement=sta, instrument=supplement, label="2026-supplement", title="As supplemented",
        in_force_from=dt.date(2026, 12, 1), in_force_until=None, text_status="official",
        clauses=None, acting_user=system_user(), reason="imported",
        previous=Version.objects.get(label="2024-protocol"),
    )  # fmt: skip
    assert Version.objects.get(label="2024-protocol").in_force_until == dt.date(2026, 12, 1)
    before = counts()
    report = load(reason="reloaded")
    assert not report.changed
    assert report.kept == [
        "version 2024-protocol: in_force_until 2026-12-01, where version 2026-supplement "
        "(not in the data) begins"
    ]
    assert counts() == before
    assert Version.objects.get(label="2024-protocol").in_force_until == dt.date(2026, 12, 1)
    stored = Instrument.objects.get(slug="2026-supplement")
    assert (stored.title, stored.effective_from, stored.history.count()) == (
        "Supplementary protocol",
        dt.date(2026, 12, 1),
        1,
    )
    assert Instrument.objects.get(slug="2024-protocol").expires_on == dt.date(2029, 8, 27)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("date_notes = { signed_on = { assumed = \"the announcement date\" } }",
         "date_notes = { sign_on = { assumed = \"the announcement date\" } }",
         "instrument 2024-extension: date_notes: 'sign_on' is not a date of this record"),
        ('{ starts_on = { precision = "year" } }', '{ starts_on = { precision = "week" } }',
         "event 2016-reporting-repealed: date_notes: starts_on: precision must be one of"),
        ('{ starts_on = { precision = "year" } }', '{ starts_on = { assumed = " " } }',
         "assumed must say what the date stands for"),
        ('{ starts_on = { precision = "year" } }', '{ ends_on = { precision = "year" } }',
         "date_notes on ends_on, which has no date"),
        ('provisions = ["art_10"]', 'provisions = ["art_99"]',
         "a source names provisions no text holds: art_99"),
        ('provisions = ["art_10"]', 'provisions = "art_10"', "provisions must be a list"),
    ],
)  # fmt: skip
def test_bad_date_notes_and_provisions_are_refused_and_nothing_is_written(
    data_dir: Path, old: str, new: str, message: str
) -> None:
    edit(data_dir / "timeline.toml", old, new)
    with pytest.raises(ReferenceDataError, match=message):
        load(data_dir)
    assert not Instrument.objects.exists()
