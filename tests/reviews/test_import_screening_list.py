from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from clauses.models import Version, system_user
from reviews.errors import PermissionRefused
from reviews.models import ScreeningList, ScreeningListEntry
from reviews.services import screening_list_import
from tests.reviews.factories import LISTED, csl_csv, proposal_in

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, data: bytes, name: str = "consolidated.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_command_imports_every_entry_as_the_current_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_screening_list", _file(tmp_path, csl_csv(*LISTED)))
    screening_list = ScreeningList.objects.get()
    assert (screening_list.file_name, screening_list.entry_count, screening_list.is_current) == (
        "consolidated.csv",
        3,
        True,
    )
    entry = screening_list.entries.get(entity_number="EL-1")
    assert (entry.name, entry.alt_names, entry.entry_type, entry.federal_register_notice) == (
        "National University of Defense Technology",
        ["NUDT", "Guofang Keji Daxue"],
        "Entity",
        "80 FR 8524",
    )
    assert entry.columns["_id"] == "1"
    (record,) = screening_list.history.all()
    assert record.history_user == system_user()
    assert "Imported 3 entries from consolidated.csv" in capsys.readouterr().out


def test_a_second_import_becomes_current_and_the_first_is_kept(tmp_path: Path) -> None:
    call_command("import_screening_list", _file(tmp_path, csl_csv(*LISTED), "a.csv"))
    call_command("import_screening_list", _file(tmp_path, csl_csv(LISTED[0]), "b.csv"))
    assert list(ScreeningList.objects.order_by("pk").values_list("file_name", "is_current")) == [
        ("a.csv", False),
        ("b.csv", True),
    ]
    assert ScreeningListEntry.objects.count() == 4


def test_a_bad_file_is_refused_with_its_lines_and_nothing_is_written(tmp_path: Path) -> None:
    data = csl_csv(LISTED[0], {"source": "EL", "start_date": "yesterday"})
    with pytest.raises(CommandError) as caught:
        call_command("import_screening_list", _file(tmp_path, data))
    assert str(caught.value) == (
        "consolidated.csv was not imported; nothing was written.\n"
        "Line 3: the name is empty; start_date 'yesterday' is not a date (YYYY-MM-DD)."
    )
    assert not ScreeningList.objects.exists()
    assert not ScreeningListEntry.objects.exists()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_screening_list", tmp_path / "absent.csv")


def test_only_administrators_import_lists(bob: Any, charlie: Any, erin: Any) -> None:
    for user in (bob, charlie):
        with pytest.raises(PermissionRefused, match="Only administrators can import"):
            screening_list_import(
                file_name="x.csv", data=csl_csv(*LISTED), acting_user=user, reason="Import"
            )
    assert not ScreeningList.objects.exists()
    imported = screening_list_import(
        file_name="x.csv", data=csl_csv(*LISTED), acting_user=erin, reason="Monthly update"
    )
    assert imported.imported_by == erin


def test_importing_rescreens_open_proposals_after_commit(
    tmp_path: Path,
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = proposal_in(
        "in_review", submitter=alice, reviewer=bob, security=charlie, version=sta
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_screening_list", _file(tmp_path, csl_csv(*LISTED)))
    current = proposal.screening_runs.get(is_current=True)
    assert current.screening_list == ScreeningList.objects.get(is_current=True)
