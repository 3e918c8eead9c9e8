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
        **overrides,
    }
    return [part for pair in options.items() for part in pair]


def counts() -> tuple[int, int, int]:
    return Instrument.objects.count(), Version.objects.count(), Clause.objects.count()


def test_a_dry_run_prints_the_parse_as_json_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "第一条\n一、平等互利。\n第二条 合作包括农业。\n")
    output = run(str(path), "--dry-run", "--format", "json")
    assert json.loads(output) == {
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
    run(str(shared_sta_dir / "1979-agreement.zh.txt"), *metadata(), "--text-status", "partial")
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
        run(str(path), *metadata())
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
        from clauses.services import VersionError

        raise VersionError("the clause writer failed")

    monkeypatch.setattr("clauses.services_import.version_publish", explode)
    with pytest.raises(CommandError, match="the clause writer failed"):
        run(str(write(tmp_path, "agreement.txt", FIRST)), *metadata())
    assert counts() == (0, 0, 0)
