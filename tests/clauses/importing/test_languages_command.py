"""``import_instrument FILE --to-version LABEL --language CODE``: a language text of a version."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clauses.models import Clause, Version, VersionText

from ..languages_data import load_sta_english_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh_file(shared_sta_dir: Path, tmp_path: Path) -> Path:
    load_sta_english_only(tmp_path)
    return shared_sta_dir / "1979-agreement.zh.txt"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_instrument", *args, stdout=out)
    return out.getvalue()


def options(language: str = "zh", label: str = "1979") -> list[str]:
    return ["--agreement", "sta", "--to-version", label, "--language", language]


def test_a_dry_run_prints_the_pairs_and_the_unaligned_as_json(zh_file: Path) -> None:
    """The JSON lists pairs, unaligned clauses on both sides and the parsed clauses."""
    data = json.loads(run(str(zh_file), *options(), "--dry-run", "--format", "json"))
    assert data["language"] == "zh"
    assert data["held"] == ["en"]
    assert data["pairs"][1] == {
        "new_key": "art_1",
        "key": "art_1",
        "number": "第一条",
        "existing_number": "Article 1",
        "by_person": False,
    }
    assert [p["key"] for p in data["pairs"]][-3:] == ["art_3__item_6", "art_4", "art_5"]
    assert len(data["pairs"]) == 14
    assert data["unaligned_new"] == []
    assert data["unaligned_existing"][:4] == [
        "art_5__para_1",
        "art_5__para_2",
        "art_5__para_3",
        "art_6",
    ]
    assert len(data["clauses"]) == 14
    assert not VersionText.objects.filter(language="zh").exists()


def test_it_adds_the_chinese_text_as_a_partial_text_of_the_1979_version(zh_file: Path) -> None:
    """The zh text is written under the English keys; English clauses are untouched."""
    english = list(Clause.objects.filter(language="en").values_list("pk", "text", "change"))
    out = run(str(zh_file), *options(), "--text-status", "partial", "--reason", "Chinese text")
    assert out.strip() == (
        "Added the Chinese text (zh) of version 1979: 14 aligned, 0 unaligned, "
        "15 clauses without a counterpart."
    )
    version = Version.objects.get(label="1979")
    text = version.texts.get(language="zh")
    assert (text.text_status, text.source_name) == ("partial", "1979-agreement.zh.txt")
    assert version.clauses.filter(language="zh").count() == 14
    assert list(Clause.objects.filter(language="en").values_list("pk", "text", "change")) == english


def test_it_pairs_by_hand_with_pair(zh_file: Path) -> None:
    """``--pair art_5=`` leaves Article 5 unaligned under a key of its own."""
    run(str(zh_file), *options(), "--pair", "art_5=", "--text-status", "partial")
    assert Clause.objects.filter(language="zh", key="art_5_zh").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [*options("en"), "--text-status", "partial"],
            "Version 1979 already has a text in English",
        ),
        (options("zh-CN"), "'zh-CN' is not a language code"),
        (options(label="1978"), "has no version '1978'"),
        ([*options(), "--pair", "art_1=art_77"], "The version has no clause 'art_77'"),
        ([*options(), "--pair", "art_1"], "--pair takes NEW=KEY"),
        (["--agreement", "sta", "--language", "zh"], "needs both --to-version LABEL"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    zh_file: Path, args: list[str], message: str
) -> None:
    """A message naming the problem; no language text written."""
    count = Clause.objects.count()
    with pytest.raises(CommandError, match=message):
        run(str(zh_file), *args)
    assert Clause.objects.count() == count
    assert VersionText.objects.exclude(language="en").count() == 0
