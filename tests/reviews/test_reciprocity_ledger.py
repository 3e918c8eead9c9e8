"""Recording data exchanges in a project's ledger, and correcting them by new entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clauses.models import Version
from reviews import services
from reviews.audit import verify_chain
from reviews.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from reviews.models import AppendOnlyError, LedgerAttachment, LedgerEntry, ProposalEvent
from tests.reviews.after_factories import days_ago, exchange, record
from tests.reviews.factories import footprint, proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, sta: Version, lists: Any) -> dict[str, Any]:
    return {"submitter": alice, "reviewer": bob, "security": charlie, "version": sta}


@pytest.fixture
def project(people: dict[str, Any]) -> Any:
    return proposal_in("approved", **people)


def test_the_submitter_records_a_request_with_history_and_a_sealed_event(
    project: Any, alice: Any
) -> None:
    entry = record(project, alice)
    assert (entry.direction, entry.item, entry.status) == ("to_partner", "dataset", "open")
    assert entry.recorded_by == alice
    history = entry.history.get()
    assert (history.history_user, history.history_type) == (alice, "+")
    assert "request to the partner: dataset" in history.history_change_reason
    event = ProposalEvent.objects.filter(proposal=project).latest("pk")
    assert (event.action, event.from_state, event.to_state) == (
        "record_exchange",
        "approved",
        "approved",
    )
    assert verify_chain().intact


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_reviewers_and_security_reviewers_record_too(
    persona: str, project: Any, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert record(project, user, direction="from_partner").recorded_by == user


@pytest.mark.parametrize("persona", ["frank", "dana", "erin", "nobody"])
def test_anyone_else_is_refused_and_nothing_is_written(
    persona: str, project: Any, request: pytest.FixtureRequest
) -> None:
    before = footprint()
    with pytest.raises(PermissionRefused, match="Only the project's submitter, reviewers"):
        record(project, request.getfixturevalue(persona))
    assert footprint() == before


@pytest.mark.parametrize("state", ["draft", "in_review", "rejected"])
def test_a_project_not_approved_has_no_ledger(
    state: str, people: dict[str, Any], alice: Any
) -> None:
    proposal = proposal_in(state, **people)
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="record a data exchange"):
        record(proposal, alice)
    assert footprint() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"direction": "sideways"}, "direction", "went to the partner"),
        ({"item": "gold"}, "item", "what was asked"),
        ({"description": "  "}, "description", "what exactly"),
        ({"channel": ""}, "channel", "how it was asked"),
        ({"requested_on": None}, "requested_on", "date the request"),
        ({"requested_on": days_ago(-3)}, "requested_on", "future"),
        ({"refused_on": days_ago(1)}, "refusal_reason", "reason the partner gave"),
        ({"refusal_reason": "No"}, "refusal_reason", "Only a refusal"),
        ({"provided_on": days_ago(20)}, "provided_on", "before the request"),
        (
            {"provided_on": days_ago(1), "refused_on": days_ago(1), "refusal_reason": "No"},
            "refused_on",
            "not both",
        ),
        ({"description": "a\x00b"}, "description", "NUL"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    overrides: dict[str, Any], field: str, message: str, project: Any, alice: Any
) -> None:
    before = footprint()
    with pytest.raises(InvalidInput) as caught:
        record(project, alice, **overrides)
    assert field in caught.value.errors
    assert message in " ".join(caught.value.errors[field])
    assert footprint() == before


def test_a_correction_is_a_new_entry_and_the_old_one_stays(project: Any, alice: Any) -> None:
    entry = record(project, alice)
    replacement = services.ledger_entry_correct(
        entry=entry,
        data=services.as_input(entry, provided_on=days_ago(2)),
        acting_user=alice,
        reason="The partner sent the series on the portal.",
    )
    assert replacement.corrects == entry
    assert replacement.correction_reason == "The partner sent the series on the portal."
    assert replacement.status == "provided"
    old = LedgerEntry.objects.get(pk=entry.pk)
    assert (old.status, old.provided_on) == ("open", None)
    assert list(LedgerEntry.objects.filter(proposal=project).current()) == [replacement]
    history = replacement.history.get()
    assert history.history_change_reason == "The partner sent the series on the portal."
    event = ProposalEvent.objects.filter(proposal=project).latest("pk")
    assert event.action == "correct_exchange"
    assert f"Ledger entry {entry.pk} corrected" in event.reason
    assert verify_chain().intact


def test_an_entry_is_corrected_once_then_its_correction_is(project: Any, bob: Any) -> None:
    entry = record(project, bob)
    services.ledger_entry_correct(
        entry=entry,
        data=services.as_input(entry, description="Ice-core series 2019–2024"),
        acting_user=bob,
        reason="Wrong years",
    )
    before = footprint()
    with pytest.raises(TransitionNotAllowed, match="already corrected"):
        services.ledger_entry_correct(
            entry=entry,
            data=services.as_input(entry, description="Something else"),
            acting_user=bob,
            reason="Again",
        )
    assert footprint() == before


def test_a_correction_needs_a_reason_and_a_change(project: Any, bob: Any) -> None:
    entry = record(project, bob)
    with pytest.raises(InvalidInput, match="Give a reason"):
        services.ledger_entry_correct(
            entry=entry, data=services.as_input(entry), acting_user=bob, reason=" "
        )
    with pytest.raises(InvalidInput, match="changes nothing"):
        services.ledger_entry_correct(
            entry=entry, data=services.as_input(entry), acting_user=bob, reason="Because"
        )
    assert LedgerEntry.objects.count() == 1


def test_another_submitter_cannot_correct(project: Any, alice: Any, frank: Any) -> None:
    entry = record(project, alice)
    with pytest.raises(PermissionRefused):
        services.ledger_entry_correct(
            entry=entry,
            data=services.as_input(entry, provided_on=days_ago(1)),
            acting_user=frank,
            reason="Mine now",
        )


def test_entries_refuse_to_be_changed_or_deleted(project: Any, alice: Any) -> None:
    entry = record(project, alice)
    entry.description = "Changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_suspended_project_still_records(people: dict[str, Any], alice: Any) -> None:
    proposal = proposal_in("suspended", **people)
    assert record(proposal, alice, direction="from_partner").pk


def test_evidence_is_attached_within_the_attachment_rules(
    project: Any, alice: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    entry = record(project, alice)
    pdf = SimpleUploadedFile("refusal.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    attachment = services.ledger_attachment_add(
        entry=entry, upload=pdf, acting_user=alice, reason="The partner's letter"
    )
    assert attachment.history.get().history_user == alice
    assert attachment.content_type == "application/pdf"
    fake = SimpleUploadedFile("letter.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput, match="does not contain what"):
        services.ledger_attachment_add(entry=entry, upload=fake, acting_user=alice, reason="x")
    assert LedgerAttachment.objects.count() == 1


def test_the_exchange_input_of_the_factory_is_valid() -> None:
    """The factory's default request passes the checks (the other tests rely on it)."""
    from django.utils import timezone

    from reviews.services.reciprocity import clean_exchange

    assert clean_exchange(exchange(), today=timezone.localdate()).channel
