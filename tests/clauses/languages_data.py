"""The STA reference data without its demo language texts, for tests that add their own."""

from __future__ import annotations

import shutil
from pathlib import Path

from clauses.models import Version, system_user
from clauses.record.reference import STA_DATA_DIR, sta_load


def load_sta_english_only(tmp_path: Path) -> Version:
    """Load the STA from a copy of its data without ``texts/<language>``; the 1979 version."""
    data_dir = tmp_path / "sta"
    shutil.copytree(STA_DATA_DIR, data_dir)
    for folder in (data_dir / "texts").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    sta_load(acting_user=system_user(), reason="Reference data", data_dir=data_dir)
    return Version.objects.get(agreement__slug="sta", label="1979")
