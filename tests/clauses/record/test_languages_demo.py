"""load_sta's illustrative Chinese texts of the 1979 and 2024 versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clauses.models import Clause, Version, VersionText, system_user
from clauses.record.reference import STA_DATA_DIR, ReferenceDataError, sta_load

pytestmark = pytest.mark.django_db


def load(data_dir: Path = STA_DATA_DIR) -> None:
    sta_load(acting_user=system_user(), reason="Reference data", data_dir=data_dir)


def test_it_loads_illustrative_chinese_texts_aligned_by_number() -> None:
    """第六条 of the 2024 text is the English Article 6, whose stable key is art_5."""
    load()
    texts = VersionText.objects.filter(language="zh").order_by("version__in_force_from")
    assert [(t.version.label, t.text_status) for t in texts] == [
        ("1979", "illustrative"),
        ("2024-protocol", "illustrative"),
    ]
    assert texts[0].notes.startswith("Illustrative Chinese text written for the STA Tracker")
    protocol = Version.objects.get(label="2024-protocol")
    article_6 = protocol.clauses.get(language="zh", number="第六条")
    assert article_6.key == "art_5"
    assert protocol.clauses.get(language="en", key="art_5").number == "Article 6"
    assert protocol.clauses.filter(language="zh").count() == 17
    assert Version.objects.get(label="1979").clauses.filter(language="zh").count() == 13


def test_a_second_load_writes_nothing_and_a_changed_file_one_correction(tmp_path: Path) -> None:
    """Idempotent; a corrected sentence is one history row naming the reason."""
    data_dir = tmp_path / "sta"
    shutil.copytree(STA_DATA_DIR, data_dir)
    load(data_dir)
    rows = Clause.history.count()
    load(data_dir)
    assert Clause.history.count() == rows
    path = data_dir / "texts" / "zh" / "1979.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["clauses"][4]["text"] = "根据本协定,可在农业和能源领域开展合作。"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load(data_dir)
    assert Clause.history.count() == rows + 1
    row = Clause.objects.get(version__label="1979", language="zh", key="art_2")
    assert row.text == "根据本协定,可在农业和能源领域开展合作。"
    assert row.history.first().history_change_reason == "Reference data (corrected)"


def test_a_file_that_no_longer_lines_up_is_refused(tmp_path: Path) -> None:
    """A clause added to the file is a new structure, not a correction: nothing is written."""
    data_dir = tmp_path / "sta"
    shutil.copytree(STA_DATA_DIR, data_dir)
    load(data_dir)
    path = data_dir / "texts" / "zh" / "1979.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["clauses"].append(
        {"key": "art_5", "kind": "article", "number": "第五条", "heading": "", "text": "新的一条。",
         "parent": None}
    )  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = Clause.history.count()
    with pytest.raises(ReferenceDataError, match="no longer lines up with the English text"):
        load(data_dir)
    assert Clause.history.count() == rows
