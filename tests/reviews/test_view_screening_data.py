"""Administrators' pages: importing the screening list, CET editions and their search terms."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clauses.models import Version
from reviews.models import CetCategory, CetEdition, CetTerm, ScreeningList, ScreeningRun
from tests.reviews.factories import LISTED, csl_csv, proposal_in

from .view_helpers import as_user, text

pytestmark = pytest.mark.django_db

CET_TEXT = b"# A test edition\nArtificial Intelligence\nHypersonics\n"


def csv_upload(data: bytes, name: str = "csl.csv", reason: str = "Monthly update") -> Any:
    return {"file": SimpleUploadedFile(name, data), "reason": reason}


def test_an_administrator_imports_a_list_and_open_proposals_are_screened_again(
    erin: Any,
    alice: Any,
    bob: Any,
    charlie: Any,
    sta: Version,
    lists: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    people = {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}
    in_review = proposal_in("in_review", **people)
    draft = proposal_in("draft", **people)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(erin).post("/reviews/screening-lists/", csv_upload(csl_csv(*LISTED)))
    assert response.status_code == 302
    imported = ScreeningList.objects.get(is_current=True)
    assert (imported.entry_count, imported.imported_by) == (3, erin)
    assert imported.history.get().history_change_reason == "Monthly update"
    assert ScreeningRun.objects.filter(proposal=in_review).count() == 2
    assert not ScreeningRun.objects.filter(proposal=draft).exists()
    page = text(as_user(erin).get("/reviews/screening-lists/"))
    assert "csl.csv 3" in page
    assert "Current" in page


def test_a_file_that_is_not_a_screening_list_is_refused_and_nothing_is_written(
    erin: Any,
) -> None:
    response = as_user(erin).post(
        "/reviews/screening-lists/", csv_upload(b"name,country\nAcme,CN\n")
    )
    assert response.status_code == 400
    assert "Line 1: expected the 29 columns of the Consolidated Screening List" in text(response)
    assert not ScreeningList.objects.exists()


def test_an_upload_needs_a_file_and_a_reason(erin: Any) -> None:
    response = as_user(erin).post("/reviews/screening-lists/", {"reason": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Choose the CSV file to import." in page
    assert "Give a reason; it is recorded with your name." in page


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "dana"])
def test_only_administrators_manage_screening_data(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    for url in ("/reviews/screening-lists/", "/reviews/cet/"):
        assert client.get(url).status_code == 403
    response = client.post("/reviews/screening-lists/", csv_upload(csl_csv(*LISTED)))
    assert response.status_code == 403
    assert not ScreeningList.objects.exists()


def test_an_administrator_loads_a_cet_edition_and_it_is_put_in_force(erin: Any) -> None:
    response = as_user(erin).post(
        "/reviews/cet/",
        {
            "name": "2026",
            "file": SimpleUploadedFile("cet.txt", CET_TEXT),
            "put_in_force": "on",
            "reason": "New edition",
        },
    )
    edition = CetEdition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/cet/{edition.pk}/"
    assert edition.in_force
    assert list(edition.categories.order_by("order").values_list("name", flat=True)) == [
        "Artificial Intelligence",
        "Hypersonics",
    ]
    page = text(as_user(erin).get(f"/reviews/cet/{edition.pk}/"))
    assert "hypersonic" in page
    assert "In force" in page


def test_a_second_edition_with_the_same_name_is_refused(erin: Any) -> None:
    client = as_user(erin)
    data = {"name": "2026", "reason": "New", "put_in_force": "on"}
    client.post("/reviews/cet/", {**data, "file": SimpleUploadedFile("cet.txt", CET_TEXT)})
    response = client.post("/reviews/cet/", {**data, "file": SimpleUploadedFile("c.txt", CET_TEXT)})
    assert response.status_code == 400
    assert "An edition named “2026” is already loaded." in text(response)
    assert CetEdition.objects.count() == 1


def test_a_file_that_is_not_text_is_refused(erin: Any) -> None:
    response = as_user(erin).post(
        "/reviews/cet/",
        {"name": "x", "file": SimpleUploadedFile("cet.txt", b"\xff\xfe\x00"), "reason": "New"},
    )
    assert response.status_code == 400
    assert "The file is not UTF-8 text." in text(response)
    assert not CetEdition.objects.exists()


def test_an_earlier_edition_is_put_back_in_force_with_a_reason(erin: Any, lists: Any) -> None:
    old, _ = lists
    client = as_user(erin)
    client.post(
        "/reviews/cet/",
        {
            "name": "2026",
            "file": SimpleUploadedFile("c.txt", CET_TEXT),
            "put_in_force": "on",
            "reason": "New",
        },
    )
    assert not CetEdition.objects.get(pk=old.pk).in_force
    response = client.post(f"/reviews/cet/{old.pk}/in-force/", {"reason": "Back to 2024"})
    assert response.status_code == 302
    assert CetEdition.objects.get(pk=old.pk).in_force
    assert CetEdition.objects.get(name="2026").in_force is False


def test_an_administrator_edits_a_categorys_search_terms_with_a_reason(
    erin: Any, lists: Any
) -> None:
    category = CetCategory.objects.get(name="Artificial Intelligence")
    client = as_user(erin)
    form = client.get(f"/reviews/cet/categories/{category.pk}/").content.decode()
    assert "machine learning" in form
    response = client.post(
        f"/reviews/cet/categories/{category.pk}/",
        {"terms": "machine learning\nfoundation model\n\n", "reason": "Narrower terms"},
    )
    assert response.status_code == 302
    assert sorted(CetTerm.objects.filter(category=category).values_list("term", flat=True)) == [
        "foundation model",
        "machine learning",
    ]
    added = CetTerm.history.get(term="foundation model", history_type="+")
    assert (added.history_user, added.history_change_reason) == (erin, "Narrower terms")
    page = text(client.get(f"/reviews/cet/categories/{category.pk}/"))
    assert "foundation model Added Narrower terms" in page


def test_a_term_without_letters_is_refused_and_nothing_changes(erin: Any, lists: Any) -> None:
    category = CetCategory.objects.get(name="Artificial Intelligence")
    before = sorted(CetTerm.objects.filter(category=category).values_list("term", flat=True))
    response = as_user(erin).post(
        f"/reviews/cet/categories/{category.pk}/", {"terms": "---", "reason": "Oops"}
    )
    assert response.status_code == 400
    assert "has no letters or digits to search for" in text(response)
    assert sorted(CetTerm.objects.filter(category=category).values_list("term", flat=True)) == (
        before
    )


def test_a_reviewer_cannot_edit_terms(bob: Any, lists: Any) -> None:
    category = CetCategory.objects.get(name="Artificial Intelligence")
    response = as_user(bob).post(
        f"/reviews/cet/categories/{category.pk}/", {"terms": "x", "reason": "Mine"}
    )
    assert response.status_code == 403
    assert CetTerm.objects.filter(category=category, term="x").count() == 0
