"""``manage.py import_instrument``: dry runs, imports, matching with the version before, errors."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clauses.importing.structure import ParsedClause, ParsedDocument
from clauses.models import Clause, Instrument, TextStatus, Version
from tests.factories import make_agreement, make_user

pytestmark = pytest.mark.django_db

FIRST = (
    "Article 1\nThe Parties cooperate on the basis of equality and mutual benefit.\n"
    "Article 2\nA joint commission meets every year to review cooperation.\n"
    "Article 3\nEach Party bears its own costs of participation in activities.\n"
)
SECOND = (
    "Article 1\nThe Parties cooperate on the basis of equality and mutual benefit.\n"
    "Article 2\nEach Party bears its own costs of participation in activities.\n"
    "Article 3\nResearchers' safety is protected by both Parties at all times.\n"
)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_instrument", *args, stdout=out)
    return out.getvalue()


def metadata(label: str = "1979", **overrides: str) -> list[str]:
    options = {
        "--agreement": "sta",
        "--label": label,
        "--kind": "agreement",
        "--signed-on": "1979-01-31",
        "--effective-from": "1979-01-31",
        "--text-status": "official",
        **overrides,
    }
    return [part for pair in options.items() for part in pair]


def counts() -> tuple[int, int, int]:
    return Instrument.objects.count(), Version.objects.count(), Clause.objects.count()


def test_a_dry_run_prints_the_parse_as_json_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "第一条\n一、平等互利。\n第二条 合作包括农业。\n")
    output = run(str(path), "--dry-run", "--format", "json")
    parsed = json.loads(output)
    assert parsed["consequences"] is None  # no agreement named, so nothing to compare with
    assert parsed["effects"] == []
    assert {"title", "front_matter", "notes", "unplaced", "accounting", "warnings"} <= set(parsed)
    assert {"clauses": parsed["clauses"]} == {
        "clauses": [
            {"key": "art_1", "number": "第一条", "heading": "", "text": "", "parent": None},
            {
                "key": "art_1__para_1",
                "number": "一、",
                "heading": "",
                "text": "平等互利。",
                "parent": "art_1",
            },
            {
                "key": "art_2",
                "number": "第二条",
                "heading": "",
                "text": "合作包括农业。",
                "parent": None,
            },
        ]
    }
    assert counts() == (0, 0, 0)


def test_a_dry_run_as_text_lists_the_clauses_indented(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Article 1 — Scope\n1. Basic research only.\n")
    output = run(str(path), "--dry-run")
    assert output.splitlines() == [
        "art_1  [Article 1 Scope]",
        "  art_1__para_1  [1.]  Basic research only.",
    ]
    assert counts() == (0, 0, 0)


def test_an_import_creates_the_instrument_and_a_version_with_its_clauses(tmp_path: Path) -> None:
    sta = make_agreement()
    path = write(tmp_path, "agreement.txt", FIRST)
    output = run(str(path), *metadata(), "--signed-at", "Washington", "--title", "The STA")
    instrument = Instrument.objects.get(agreement=sta, slug="1979")
    assert (instrument.kind, instrument.signed_on, instrument.signed_at, instrument.title) == (
        "agreement",
        dt.date(1979, 1, 31),
        "Washington",
        "The STA",
    )
    assert instrument.text_status == TextStatus.OFFICIAL
    version = Version.objects.get(agreement=sta, label="1979")
    assert (version.instrument, version.in_force_from, version.in_force_until) == (
        instrument,
        dt.date(1979, 1, 31),
        None,
    )
    assert list(version.clauses.values_list("key", "change")) == [
        ("art_1", "added"),
        ("art_2", "added"),
        ("art_3", "added"),
    ]
    assert output.strip() == "Imported 'The STA' as version 1979 of STA: 3 added."


def test_history_rows_name_the_system_user_and_the_reason_by_default(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "agreement.txt", FIRST)), *metadata())
    clause = Clause.objects.get(key="art_1")
    record = clause.history.get()
    assert record.history_user.username == "sta-system"
    assert record.history_change_reason == "Imported official text from agreement.txt"
    instrument_record = Instrument.objects.get().history.get()
    assert instrument_record.history_change_reason == "Imported official text from agreement.txt"


def test_history_rows_name_the_given_user_and_reason(tmp_path: Path) -> None:
    make_agreement()
    make_user("erin")
    path = write(tmp_path, "agreement.txt", FIRST)
    run(str(path), *metadata(), "--user", "erin", "--reason", "Official text from the Department")
    record = Version.objects.get().history.get()
    assert (record.history_user.username, record.history_change_reason) == (
        "erin",
        "Official text from the Department",
    )


def test_a_second_import_that_renumbers_an_article_keeps_its_key(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    run(
        str(write(tmp_path, "second.txt", SECOND)),
        *metadata("2024", **{"--kind": "protocol", "--effective-from": "2024-08-27"}),
        "--signed-on",
        "2024-12-13",
        "--mode",
        "consolidated",
        "--confirm",
        "--period-reason",
        "The 2024 protocol replaces the text",
    )
    second = Version.objects.get(label="2024")
    protocol = Instrument.objects.get(slug="2024")
    rows = [
        (c.key, c.number, c.change, c.previous_number, c.changed_by_id)
        for c in second.clauses.order_by("order")
    ]
    assert rows == [
        ("art_1", "Article 1", "unchanged", "", None),
        ("art_2", "Article 2", "repealed", "Article 2", protocol.pk),
        ("art_3", "Article 2", "renumbered", "Article 3", protocol.pk),
        ("art_3_2", "Article 3", "added", "", protocol.pk),
    ]
    assert second.previous == Version.objects.get(label="1979")
    assert protocol.is_retroactive


def test_the_real_1979_chinese_text_imports_as_a_partial_version(
    tmp_path: Path, shared_sta_dir: Path
) -> None:
    make_agreement()
    path = str(shared_sta_dir / "1979-agreement.zh.txt")
    dry = json.loads(run(path, *metadata(), "--dry-run", "--format", "json"))
    # Every word reaches a clause or a place said (title, the dates line as metadata).
    assert dry["accounting"]["lost_words"] == 0
    assert dry["accounting"]["extra_words"] == 0
    assert {u["where"] for u in dry["unplaced"]} <= {"title", "metadata", "front_matter"}
    run(path, *metadata(), "--text-status", "partial")
    version = Version.objects.get()
    assert version.text_status == TextStatus.PARTIAL
    assert version.title == "中华人民共和国政府和美利坚合众国政府科学技术合作协定"
    keys = list(version.clauses.values_list("key", flat=True))
    assert keys[:3] == ["preamble", "art_1", "art_1__para_1"]
    assert keys[-1] == "art_5"
    item = version.clauses.get(key="art_3__item_4")
    assert (item.parent.key, item.depth, item.number) == ("art_3", 1, "四、")
    assert "签订日期" in version.instrument.notes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            metadata(**{"--signed-on": "31/01/1979"}),
            "--signed-on must be a date written YYYY-MM-DD",
        ),
        (metadata(**{"--agreement": "nope"}), "No agreement 'nope' \\(known: sta\\)"),
        (metadata(**{"--kind": "treaty"}), "Unknown instrument kind 'treaty'"),
        (metadata(**{"--label": "not a slug"}), "may contain only letters"),
        (metadata(**{"--expires-on": "1970-01-01"}), "expiry date must be after"),
        (metadata()[:4], "Missing --kind, --signed-on, --effective-from"),
        ([*metadata(), "--user", "ghost"], "No user 'ghost'"),
        (
            [p for p in metadata() if p not in ("--text-status", "official")],
            "Say what the text is: official, partial official, unofficial translation or "
            "illustrative. \\(--text-status\\)",
        ),
    ],
)
def test_bad_options_are_refused_with_a_clear_message_and_nothing_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    make_agreement()
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(str(write(tmp_path, "agreement.txt", FIRST)), *args)
    assert counts() == before


def test_a_label_that_exists_is_refused_and_nothing_more_is_written(tmp_path: Path) -> None:
    make_agreement()
    path = write(tmp_path, "agreement.txt", FIRST)
    run(str(path), *metadata())
    before = counts()
    with pytest.raises(CommandError, match="already has a version labelled '1979'"):
        run(str(path), *metadata(), "--mode", "consolidated")
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: The file is empty"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<", "broken.pdf: The PDF could not be read"),
        ("letter.txt", b"Dear Sir,\nThank you.\n", "No structure was found"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not recognised"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_written(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    make_agreement()
    with pytest.raises(CommandError, match=message):
        run(str(write(tmp_path, name, content)), *metadata())
    assert counts() == (0, 0, 0)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nowhere.txt"), "--dry-run")


def test_a_failure_while_publishing_rolls_back_the_instrument(
    tmp_path: Path, monkeypatch: Any
) -> None:
    make_agreement()

    def explode(**kwargs: Any) -> None:
        from clauses.record.versions import VersionError

        raise VersionError("the clause writer failed")

    monkeypatch.setattr("clauses.importing.services.import_plan_publish", explode)
    with pytest.raises(CommandError, match="the clause writer failed"):
        run(str(write(tmp_path, "agreement.txt", FIRST)), *metadata())
    assert counts() == (0, 0, 0)


def supplementary(tmp_path: Path, text: str = SECOND, *extra: str) -> str:
    return run(
        str(write(tmp_path, "protocol.txt", text)),
        *metadata("2026", **{"--kind": "protocol", "--effective-from": "2026-12-01"}),
        "--signed-on",
        "2026-11-20",
        *extra,
    )


def test_a_second_text_needs_its_mode_said(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    before = counts()
    with pytest.raises(CommandError, match="STA already has versions: say which way") as error:
        supplementary(tmp_path)
    assert str(error.value).endswith("(--mode)")
    assert counts() == before


def test_the_dry_run_json_carries_the_consequences_against_the_version_in_force(
    tmp_path: Path,
) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    output = supplementary(
        tmp_path, SECOND, "--mode", "consolidated", "--dry-run", "--format", "json"
    )
    assert json.loads(output)["consequences"] == {
        "added": 1,
        "amended": 0,
        "renumbered": 1,
        "repealed": 1,
        "unchanged": 1,
        "effects_applied": 3,  # read from the diff: a repeal, a renumbering, an insertion
        "effects_not_applied": 0,
        "flagged_proposals": 0,
        "previous_clauses": 3,
        "many_repealed": True,
        "periods_changed": [
            {
                "version": "1979",
                "in_force_until_before": None,
                "in_force_until_after": "2026-12-01",
                "sentence": "The version “Original agreement of 1979-01-31” would stop being "
                "in force on 1 December 2026 (recorded as open-ended).",
            }
        ],
    }
    assert counts() == (1, 1, 3)


def test_publishing_a_quarter_repealed_needs_confirm_then_a_period_reason(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    before = counts()
    with pytest.raises(
        CommandError, match=r"repeals 1 of the 3 clauses .*: confirm it. \(--confirm\)"
    ):
        supplementary(tmp_path, SECOND, "--mode", "consolidated")
    with pytest.raises(
        CommandError,
        match=r"The version “Original agreement of 1979-01-31” would stop being in force on "
        r"1 December 2026 .* "
        r"Say why, for the history. \(--period-reason\)",
    ):
        supplementary(tmp_path, SECOND, "--mode", "consolidated", "--confirm")
    assert counts() == before
    supplementary(
        tmp_path, SECOND, "--mode", "consolidated", "--confirm", "--period-reason", "Replaced"
    )
    assert Version.objects.get(label="1979").in_force_until == dt.date(2026, 12, 1)


def test_an_amending_instrument_prints_its_effects_and_publishes_them(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    amending = (
        "Article 1\nArticle 2 of the Agreement is deleted.\n"
        "Article 2\nThis Protocol enters into force on signature.\n"
    )
    output = supplementary(
        tmp_path, amending, "--mode", "amending", "--dry-run", "--format", "json"
    )
    parsed = json.loads(output)
    assert [(e["kind"], e["affected_key"], e["applied"]) for e in parsed["effects"]][:1] == [
        ("repeal", "art_2", True)
    ]
    assert parsed["consequences"]["repealed"] == 1
    supplementary(
        tmp_path, amending, "--mode", "amending", "--confirm", "--period-reason", "Amended"
    )
    version = Version.objects.get(label="2026")
    assert version.clauses.get(key="art_2").change == "repealed"
    assert version.clauses.get(key="art_1").change == "unchanged"


def test_a_side_document_makes_no_version(tmp_path: Path) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    output = supplementary(tmp_path, SECOND, "--mode", "document")
    assert output.strip().endswith("(STA): no new version.")
    assert Version.objects.count() == 1
    assert Version.objects.get().in_force_until is None


def test_publishing_leaves_every_other_instruments_recorded_facts_alone(tmp_path: Path) -> None:
    """A supplementary protocol ends the 2024 version's period, never the 2024 protocol's term."""
    make_agreement()
    run(
        str(write(tmp_path, "first.txt", FIRST)),
        *metadata("2024", **{"--effective-from": "2024-08-27", "--expires-on": "2029-08-27"}),
    )
    protocol = Instrument.objects.get(slug="2024")
    protocol.term = "five years, until 27 August 2029"
    from sta_tracker.history import save_with_history

    save_with_history(protocol, acting_user=make_user("erin"), reason="Term from the source")
    facts = (protocol.signed_on, protocol.effective_from, protocol.expires_on, protocol.term)
    output = supplementary(
        tmp_path, SECOND, "--mode", "partial", "--period-reason", "The supplementary protocol"
    )
    assert "as version 2026" in output
    protocol.refresh_from_db()
    assert (
        protocol.signed_on,
        protocol.effective_from,
        protocol.expires_on,
        protocol.term,
    ) == facts
    assert protocol.expires_on == dt.date(2029, 8, 27)
    assert Version.objects.get(label="2024").in_force_until == dt.date(2026, 12, 1)


def test_an_instrument_whose_facts_change_while_publishing_is_refused(
    tmp_path: Path, monkeypatch: Any
) -> None:
    make_agreement()
    run(str(write(tmp_path, "first.txt", FIRST)), *metadata())
    from clauses.importing import services as import_services

    real = import_services.import_plan_publish

    def and_rewrite_the_term(**kwargs: Any) -> Any:
        published = real(**kwargs)
        earlier = Instrument.objects.get(slug="1979")
        earlier.term = "until 1 December 2026"
        from sta_tracker.history import save_with_history

        save_with_history(earlier, acting_user=kwargs["acting_user"], reason="careless")
        return published

    monkeypatch.setattr(import_services, "import_plan_publish", and_rewrite_the_term)
    before = counts()
    with pytest.raises(CommandError, match="would change another instrument's recorded dates"):
        supplementary(tmp_path, SECOND, "--mode", "partial", "--period-reason", "Supplement")
    assert counts() == before
    assert Instrument.objects.get(slug="1979").term == ""


def counted(source: str, clauses: tuple[ParsedClause, ...], **fields: Any) -> ParsedDocument:
    return ParsedDocument(
        title="Protocol", clauses=clauses, source_format="text", source_text=source, **fields
    )


ONE = (ParsedClause("art_1", "article", "Article 1", "", "The Parties cooperate."),)


def test_a_parse_that_lost_words_is_published_only_with_accept_lost_words(
    tmp_path: Path, monkeypatch: Any
) -> None:
    make_agreement()
    document = counted("Article 1 The Parties cooperate. Signed in two copies.", ONE)
    monkeypatch.setattr(
        "clauses.management.commands.import_instrument.read_file", lambda *a: document
    )
    path = write(tmp_path, "a.txt", "x")
    dry = json.loads(run(str(path), *metadata(), "--dry-run", "--format", "json"))
    assert (dry["accounting"]["lost_words"], dry["accounting"]["kept_words"]) == (4, 5)
    with pytest.raises(
        CommandError, match=r"4 words of the file reached no clause: .* \(--accept-lost-words\)"
    ):
        run(str(path), *metadata())
    assert counts() == (0, 0, 0)
    run(str(path), *metadata(), "--accept-lost-words")
    assert counts() == (1, 1, 1)


def test_a_parse_with_duplicated_words_is_refused_with_the_passage_named(
    tmp_path: Path, monkeypatch: Any
) -> None:
    make_agreement()
    twice = (*ONE, ParsedClause("art_2", "article", "Article 2", "", "The Parties cooperate."))
    document = counted("Article 1 The Parties cooperate. Article 2", twice)
    monkeypatch.setattr(
        "clauses.management.commands.import_instrument.read_file", lambda *a: document
    )
    with pytest.raises(
        CommandError,
        match=r"The parse holds 3 words the file does not .*: Article 2: “The Parties cooperate”$",
    ):
        run(str(write(tmp_path, "a.txt", "x")), *metadata(), "--accept-lost-words")
    assert counts() == (0, 0, 0)


def test_a_truncation_warning_becomes_a_note_on_the_version_text(
    tmp_path: Path, monkeypatch: Any
) -> None:
    make_agreement()
    warning = "The text ends mid-sentence: it may have been cut off."
    document = counted("", ONE, warnings=(warning,))
    monkeypatch.setattr(
        "clauses.management.commands.import_instrument.read_file", lambda *a: document
    )
    run(str(write(tmp_path, "a.txt", "x")), *metadata())
    assert Version.objects.get().texts.get().notes == warning
