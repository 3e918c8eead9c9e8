from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from clauses.models import system_user
from reviews.errors import InvalidInput, PermissionRefused
from reviews.models import CetCategory, CetEdition, CetTerm
from reviews.services import cet_edition_put_in_force, cet_terms_set, default_cet_terms

pytestmark = pytest.mark.django_db

CET_2024 = Path(settings.STA_SHARED_DATA_DIR) / "cet" / "cet-2024.txt"


@pytest.fixture
def cet_file(tmp_path: Path) -> Path:
    path = tmp_path / "cet.txt"
    path.write_text("# A test list.\nArtificial Intelligence\nHypersonics\nSea Shanties\n")
    return path


def test_every_category_of_the_2024_list_gets_shipped_search_terms() -> None:
    if not CET_2024.is_file():
        pytest.skip(f"the shared CET list is not at {CET_2024}")
    call_command("load_cet", CET_2024, "--edition", "2024")
    edition = CetEdition.objects.get()
    assert (edition.name, edition.in_force) == ("2024", True)
    categories = list(edition.categories.order_by("order"))
    assert len(categories) == 18
    assert categories[0].name == "Advanced Computing"
    assert [c.name for c in categories if not c.terms.exists()] == []
    assert edition.source_note.startswith("Critical and Emerging Technologies List Update")


def test_the_shipped_terms_cover_every_category_of_the_2024_list() -> None:
    if not CET_2024.is_file():
        pytest.skip(f"the shared CET list is not at {CET_2024}")
    names = [
        line.strip().casefold()
        for line in CET_2024.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(default_cet_terms()) == sorted(names)


def test_a_category_without_shipped_terms_is_reported(
    cet_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("load_cet", cet_file, "--edition", "test")
    out = capsys.readouterr().out
    assert "Loaded CET edition test (in force) with 3 categories." in out
    assert "No search terms for “Sea Shanties”" in out
    assert set(
        CetTerm.objects.filter(category__name="Hypersonics").values_list("term", flat=True)
    ) >= {"hypersonic", "scramjet"}


def test_a_new_edition_keeps_the_old_one_and_the_terms_administrators_added(
    cet_file: Path, erin: Any
) -> None:
    call_command("load_cet", cet_file, "--edition", "2022")
    old = CetEdition.objects.get(name="2022")
    category = old.categories.get(name="Sea Shanties")
    cet_terms_set(
        category=category,
        terms=["capstan", "windlass"],
        acting_user=erin,
        reason="Our programme's vocabulary",
    )
    call_command("load_cet", cet_file, "--edition", "2024")
    old.refresh_from_db()
    new = CetEdition.objects.get(name="2024")
    assert (old.in_force, new.in_force) == (False, True)
    assert old.categories.count() == 3
    carried = new.categories.get(name="Sea Shanties").terms.values_list("term", flat=True)
    assert sorted(carried) == ["capstan", "windlass"]


def test_an_edition_can_be_loaded_without_putting_it_in_force(cet_file: Path) -> None:
    call_command("load_cet", cet_file, "--edition", "2022")
    call_command("load_cet", cet_file, "--edition", "draft", "--not-in-force")
    assert list(CetEdition.objects.filter(in_force=True).values_list("name", flat=True)) == ["2022"]


def test_an_edition_name_is_loaded_once(cet_file: Path) -> None:
    call_command("load_cet", cet_file, "--edition", "2024")
    with pytest.raises(CommandError, match="An edition named “2024” is already loaded"):
        call_command("load_cet", cet_file, "--edition", "2024")
    assert CetEdition.objects.count() == 1
    assert CetCategory.objects.count() == 3


def test_a_file_with_a_repeated_category_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("Hypersonics\nHypersonics\n")
    with pytest.raises(CommandError, match="Line 2: category 'Hypersonics' already appears"):
        call_command("load_cet", path, "--edition", "2024")
    assert not CetEdition.objects.exists()


def test_only_administrators_maintain_terms(cet_file: Path, bob: Any, erin: Any) -> None:
    call_command("load_cet", cet_file, "--edition", "2024")
    category = CetCategory.objects.get(name="Hypersonics")
    before = sorted(category.terms.values_list("term", flat=True))
    with pytest.raises(PermissionRefused, match="Only administrators"):
        cet_terms_set(category=category, terms=["glide"], acting_user=bob, reason="Add")
    assert sorted(category.terms.values_list("term", flat=True)) == before


def test_setting_terms_replaces_them_with_history(cet_file: Path, erin: Any) -> None:
    call_command("load_cet", cet_file, "--edition", "2024")
    category = CetCategory.objects.get(name="Hypersonics")
    result = cet_terms_set(
        category=category,
        terms=["hypersonic", " boost  glide ", "", "Mach 5"],
        acting_user=erin,
        reason="Narrower terms",
    )
    assert result == ["boost glide", "hypersonic", "Mach 5"]
    removed = CetTerm.history.get(term="scramjet", history_type="-")
    assert (removed.history_user, removed.history_change_reason) == (erin, "Narrower terms")
    added = CetTerm.history.get(term="Mach 5")
    assert added.history_user == erin


def test_a_term_without_letters_is_refused(cet_file: Path, erin: Any) -> None:
    call_command("load_cet", cet_file, "--edition", "2024")
    category = CetCategory.objects.get(name="Hypersonics")
    with pytest.raises(InvalidInput, match="has no letters or digits"):
        cet_terms_set(category=category, terms=["--"], acting_user=erin, reason="Oops")


def test_an_older_edition_can_be_put_back_in_force(cet_file: Path, erin: Any) -> None:
    call_command("load_cet", cet_file, "--edition", "2022")
    call_command("load_cet", cet_file, "--edition", "2024")
    cet_edition_put_in_force(
        edition=CetEdition.objects.get(name="2022"),
        acting_user=erin,
        reason="2024 terms under revision",
    )
    assert list(CetEdition.objects.filter(in_force=True).values_list("name", flat=True)) == ["2022"]
    assert CetEdition.history.filter(name="2024", history_user=erin).exists()


def test_the_system_account_loads_data_from_commands(cet_file: Path) -> None:
    call_command("load_cet", cet_file, "--edition", "2024")
    assert CetEdition.objects.get().history.get().history_user == system_user()
