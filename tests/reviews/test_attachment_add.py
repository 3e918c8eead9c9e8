from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clauses.models import Version
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import ProposalAttachment
from reviews.services import attachment_add, attachment_remove
from tests.reviews.factories import proposal_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.STA_ATTACHMENT_MAX_BYTES = 1000
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_the_submitter_attaches_a_document_to_a_draft(
    alice: Any, sta: Version, media: Path
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    attachment = attachment_add(
        proposal=proposal,
        upload=SimpleUploadedFile("plan.pdf", PDF),
        acting_user=alice,
        reason="Data plan",
    )
    assert (attachment.name, attachment.size, attachment.content_type) == (
        "plan.pdf",
        len(PDF),
        "application/pdf",
    )
    assert attachment.file.read() == PDF
    (record,) = attachment.history.all()
    assert (record.history_user, record.history_change_reason) == (alice, "Data plan")
    assert _files(media) == ["plan.pdf"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.exe", b"MZ\x90", "'plan.exe' is not an accepted file type"),
        ("plan.pdf", b"%PDF-" + b"0" * 1000, "attachments may be at most 1,000 bytes"),
        ("plan.pdf", b"<html>", "does not contain what its .pdf extension says"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_stored(
    alice: Any, sta: Version, media: Path, name: str, data: bytes, message: str
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    with pytest.raises(InvalidInput, match=message):
        attachment_add(
            proposal=proposal,
            upload=SimpleUploadedFile(name, data),
            acting_user=alice,
            reason="Attach",
        )
    assert not ProposalAttachment.objects.exists()
    assert _files(media) == []


@pytest.mark.parametrize("persona", ["frank", "bob", "charlie", "erin"])
def test_nobody_but_the_submitter_attaches(
    persona: str, request: pytest.FixtureRequest, alice: Any, sta: Version, media: Path
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    with pytest.raises(PermissionRefused, match="can edit it"):
        attachment_add(
            proposal=proposal,
            upload=SimpleUploadedFile("plan.pdf", PDF),
            acting_user=request.getfixturevalue(persona),
            reason="Attach",
        )
    assert _files(media) == []


def test_a_submitted_proposal_takes_no_attachments(
    alice: Any, sta: Version, lists: Any, media: Path
) -> None:
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    with pytest.raises(TransitionNotAllowed, match="cannot be edited"):
        attachment_add(
            proposal=proposal,
            upload=SimpleUploadedFile("plan.pdf", PDF),
            acting_user=alice,
            reason="Late",
        )
    assert _files(media) == []


def test_removing_an_attachment_deletes_its_file_after_commit(
    alice: Any, sta: Version, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = proposal_in("draft", submitter=alice, version=sta)
    attachment = attachment_add(
        proposal=proposal,
        upload=SimpleUploadedFile("plan.pdf", PDF),
        acting_user=alice,
        reason="Attach",
    )
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, acting_user=alice, reason="Wrong file")
    assert not ProposalAttachment.objects.exists()
    removed = ProposalAttachment.history.get(history_type="-")
    assert (removed.history_user, removed.history_change_reason) == (alice, "Wrong file")
    assert _files(media) == []
