"""Creating and editing drafts through the form, and their attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clauses.models import Clause, Version
from reviews.models import (
    PartnerInstitution,
    PartnerPerson,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)
from reviews.services import clauses_in_force
from tests.reviews.factories import clause, footprint, proposal_in

from .view_helpers import as_user, draft_data, fresh, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"x" * 200


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


def in_force(version: Version) -> list[Clause]:
    return list(clauses_in_force(timezone.localdate()).filter(version=version).order_by("order"))


def test_the_form_offers_the_clauses_in_force_grouped_by_article(alice: Any, sta: Version) -> None:
    response = as_user(alice).get("/reviews/proposals/new/")
    assert response.status_code == 200
    html = response.content.decode()
    offered = in_force(sta)
    assert len(offered) == 3
    for row in offered:
        assert f'name="cited_clause_ids" value="{row.pk}"' in html
    assert "<summary>Article 2</summary>" in html
    for old in Version.objects.get(label="1979").clauses.all():
        assert f'name="cited_clause_ids" value="{old.pk}"' not in html


def test_a_submitter_creates_a_draft_with_partners_and_clauses(alice: Any, sta: Version) -> None:
    art_2 = in_force(sta)[1]
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(cited_clause_ids=[str(art_2.pk)])
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/proposals/{proposal.pk}/"
    assert (proposal.state, proposal.submitter, proposal.title) == (
        "draft",
        alice,
        "Glacier mass balance in the Qilian Mountains",
    )
    assert list(proposal.cited_clauses.all()) == [art_2]
    institution = PartnerInstitution.objects.get()
    assert (institution.name, institution.name_local, institution.city) == (
        "Qilian Glacier Station",
        "祁连冰川站",
        "Zhangye",
    )
    assert PartnerPerson.objects.get().institution == institution
    latest = proposal.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (alice, "First draft")
    assert not ProposalEvent.objects.exists()


def test_an_end_before_the_start_is_refused_with_a_clear_message_and_nothing_is_written(
    alice: Any, sta: Version
) -> None:
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(start_date="2026-01-01", end_date="2025-01-01")
    )
    assert response.status_code == 400
    assert "The project must end after it starts." in text(response)
    assert not Proposal.objects.exists()
    assert not PartnerInstitution.objects.exists()


def test_a_person_at_an_unnamed_institution_is_refused(alice: Any, sta: Version) -> None:
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(**{"people-0-institution": "Nowhere Institute"})
    )
    assert response.status_code == 400
    assert "“Nowhere Institute” is not among the partner institutions" in text(response)
    assert not Proposal.objects.exists()


def test_a_clause_not_in_force_is_refused(alice: Any, sta: Version) -> None:
    old = Version.objects.get(label="1979").clauses.get(key="art_2")
    response = as_user(alice).post(
        "/reviews/proposals/new/", draft_data(cited_clause_ids=[str(old.pk)])
    )
    assert response.status_code == 400
    assert "Choose clauses of the version in force" in text(response)
    assert not Proposal.objects.exists()


def test_a_title_and_a_reason_are_required(alice: Any, sta: Version) -> None:
    response = as_user(alice).post("/reviews/proposals/new/", draft_data(title="", reason=""))
    assert response.status_code == 400
    page = text(response)
    assert "This field is required." in page
    assert "Give a reason; it is recorded with your name." in page
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "erin", "nobody"])
def test_only_submitters_create_proposals(persona: str, request: pytest.FixtureRequest) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/reviews/proposals/new/").status_code == 403
    assert client.post("/reviews/proposals/new/", draft_data()).status_code == 403
    assert not Proposal.objects.exists()


def test_the_edit_form_is_filled_in_with_the_draft(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    html = as_user(alice).get(f"/reviews/proposals/{proposal.pk}/edit/").content.decode()
    assert f'value="{proposal.title}"' in html
    assert 'value="Institute of Geographic Sciences and Natural Resources"' in html
    assert 'value="Li Hua"' in html
    art_1 = clause(sta, "art_1").pk
    assert f'value="{art_1}" id="id_cited_clause_ids_{art_1}" checked' in html


def test_the_submitter_edits_their_draft_and_one_history_row_names_the_reason(
    alice: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = proposal.history.count()
    response = as_user(alice).post(
        f"/reviews/proposals/{proposal.pk}/edit/",
        draft_data(title="A better title", reason="Clearer title"),
    )
    assert response.status_code == 302
    assert fresh(proposal).title == "A better title"
    assert proposal.history.count() == before + 1
    assert proposal.history.latest("history_id").history_change_reason == "Clearer title"
    assert list(fresh(proposal).institutions.values_list("name", flat=True)) == [
        "Qilian Glacier Station"
    ]


def test_deleting_a_partner_row_removes_it(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    data = draft_data(**{"institutions-1-name": "Second station", "institutions-1-DELETE": "on"})
    as_user(alice).post(f"/reviews/proposals/{proposal.pk}/edit/", data)
    assert list(fresh(proposal).institutions.values_list("name", flat=True)) == [
        "Qilian Glacier Station"
    ]


def test_another_submitter_cannot_open_or_post_the_edit_form(
    alice: Any, frank: Any, sta: Version
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    client = as_user(frank)
    before = footprint()
    assert client.get(f"/reviews/proposals/{proposal.pk}/edit/").status_code == 404
    assert client.post(f"/reviews/proposals/{proposal.pk}/edit/", draft_data()).status_code == 404
    assert footprint() == before


def test_a_reviewer_cannot_edit_a_draft(alice: Any, bob: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    before = footprint()
    response = as_user(bob).post(f"/reviews/proposals/{proposal.pk}/edit/", draft_data())
    assert response.status_code == 403
    assert "Only the submitter of a proposal can edit it." in text(response)
    assert footprint() == before


def test_a_submitted_proposal_cannot_be_edited(people: Any, alice: Any) -> None:
    proposal = proposal_in("in_review", **people)
    before = footprint()
    client = as_user(alice)
    assert client.get(f"/reviews/proposals/{proposal.pk}/edit/").status_code == 409
    response = client.post(f"/reviews/proposals/{proposal.pk}/edit/", draft_data())
    assert response.status_code == 409
    assert "cannot be edited; only drafts and proposals returned" in text(response)
    assert footprint() == before


def test_a_returned_proposal_is_edited_with_the_questions_in_view(people: Any, alice: Any) -> None:
    proposal = proposal_in("returned", **people)
    client = as_user(alice)
    assert "Which cores?" in text(client.get(f"/reviews/proposals/{proposal.pk}/edit/"))
    response = client.post(
        f"/reviews/proposals/{proposal.pk}/edit/",
        draft_data(cited_clause_ids=[str(clause(people["version"], "art_1").pk)]),
    )
    assert response.status_code == 302
    assert fresh(proposal).state == "returned"


# --- Attachments ----------------------------------------------------------------------------


def upload(name: str = "plan.pdf", data: bytes = PDF, reason: str = "The work plan") -> Any:
    return {"file": SimpleUploadedFile(name, data), "reason": reason}


def test_the_submitter_attaches_a_pdf_and_downloads_it(
    alice: Any, sta: Version, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    proposal = proposal_in("draft", submitter=alice, version=sta)
    client = as_user(alice)
    response = client.post(f"/reviews/proposals/{proposal.pk}/attachments/", upload())
    assert response.status_code == 302
    attachment = ProposalAttachment.objects.get()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "plan.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.history.get().history_change_reason == "The work plan"
    download = client.get(f"/reviews/proposals/{proposal.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(
    alice: Any, sta: Version, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = as_user(alice).post(
        f"/reviews/proposals/{proposal.pk}/attachments/", upload("run.exe", b"MZ\x90\x00")
    )
    assert response.status_code == 400
    assert "'run.exe' is not an accepted file type" in text(response)
    assert not ProposalAttachment.objects.exists()
    assert not any(tmp_path.rglob("*.exe"))


def test_a_file_that_lies_about_its_type_is_refused(
    alice: Any, sta: Version, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = as_user(alice).post(
        f"/reviews/proposals/{proposal.pk}/attachments/", upload("plan.pdf", b"not a pdf")
    )
    assert response.status_code == 400
    assert "does not contain what its .pdf extension says" in text(response)


def test_a_file_over_the_size_limit_is_refused(
    alice: Any, sta: Version, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STA_ATTACHMENT_MAX_BYTES = 100
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = as_user(alice).post(f"/reviews/proposals/{proposal.pk}/attachments/", upload())
    assert response.status_code == 400
    assert "attachments may be at most 100 bytes" in text(response)
    assert not ProposalAttachment.objects.exists()


def test_an_attachment_without_a_file_or_reason_is_refused(alice: Any, sta: Version) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    response = as_user(alice).post(f"/reviews/proposals/{proposal.pk}/attachments/", {})
    assert response.status_code == 400
    assert "Choose a file to attach." in text(response)


def test_others_cannot_attach_or_download(
    alice: Any, frank: Any, bob: Any, sta: Version, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    proposal = proposal_in("draft", submitter=alice, version=sta)
    as_user(alice).post(f"/reviews/proposals/{proposal.pk}/attachments/", upload())
    attachment = ProposalAttachment.objects.get()
    frank_client = as_user(frank)
    assert (
        frank_client.post(f"/reviews/proposals/{proposal.pk}/attachments/", upload()).status_code
        == 404
    )
    assert (
        frank_client.get(
            f"/reviews/proposals/{proposal.pk}/attachments/{attachment.pk}/"
        ).status_code
        == 404
    )
    assert (
        as_user(bob).post(f"/reviews/proposals/{proposal.pk}/attachments/", upload()).status_code
        == 403
    )
    assert ProposalAttachment.objects.count() == 1
    bob_download = as_user(bob).get(
        f"/reviews/proposals/{proposal.pk}/attachments/{attachment.pk}/"
    )
    assert bob_download.status_code == 200


def test_the_submitter_removes_an_attachment_with_a_reason(
    alice: Any, sta: Version, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    proposal = proposal_in("draft", submitter=alice, version=sta)
    client = as_user(alice)
    client.post(f"/reviews/proposals/{proposal.pk}/attachments/", upload())
    attachment = ProposalAttachment.objects.get()
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    url = f"/reviews/proposals/{proposal.pk}/attachments/{attachment.pk}/remove/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert ProposalAttachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Superseded"}).status_code == 302
    assert not ProposalAttachment.objects.exists()
    assert ProposalAttachment.history.filter(history_type="-").get().history_change_reason == (
        "Superseded"
    )
    assert not stored.exists()


def test_anonymous_posts_are_sent_to_log_in(client: Client, alice: Any, sta: Version) -> None:
    response = client.post("/reviews/proposals/new/", draft_data())
    assert response.status_code == 302
    assert not Proposal.objects.exists()
