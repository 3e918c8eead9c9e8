"""What every review service does: lock, check the table and the person, move, record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from sta_tracker.history import save_with_history
from sta_tracker.roles import Role
from sta_tracker.text import NUL_MESSAGE, strip_bidi_controls

from ..audit import seal
from ..errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from ..models import Proposal, ProposalEvent
from ..workflow import ProposalAction, ProposalState, next_state


def lock(proposal: Proposal | int) -> Proposal:
    """The proposal's current row, locked until the transaction ends."""
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return Proposal.objects.select_for_update().get(pk=pk)


def require_transition(proposal: Proposal, action: ProposalAction) -> ProposalState:
    target = next_state(proposal.state, action)
    if target is None:
        state = ProposalState(proposal.state).label.lower()
        raise TransitionNotAllowed(
            f"A proposal that is {state} cannot be given the action "
            f"“{ProposalAction(action).label.lower()}”."
        )
    return target


def require(refusal: str | None) -> None:
    if refusal:
        raise PermissionRefused(refusal)


def require_action(
    proposal: Proposal, action: ProposalAction, refusal: str | None
) -> ProposalState:
    """The state first, then the person: a wrong-state attempt says so to everyone."""
    target = require_transition(proposal, action)
    require(refusal)
    return target


def clean_reason(reason: str, *, field: str = "reason") -> str:
    if "\x00" in (reason or ""):
        raise InvalidInput.single(field, NUL_MESSAGE)
    text = strip_bidi_controls(reason or "").strip()
    if not text:
        raise InvalidInput.single(field, "Give a reason; it is recorded with your name.")
    return text


def move(
    proposal: Proposal,
    action: ProposalAction,
    *,
    acting_user: Any,
    reason: str,
    changed: bool = False,
) -> ProposalEvent:
    """Apply ``action`` to the locked ``proposal`` and write its one event row, sealed in the
    audit chain.

    The proposal is saved (with a history row) when its state changes or when the caller
    says it ``changed`` other fields.
    """
    target = require_transition(proposal, action)
    source = proposal.state
    if target != source:
        proposal.state = target
        proposal.state_changed_at = timezone.now()
        changed = True
    if changed:
        save_with_history(proposal, acting_user=acting_user, reason=reason)
    event = ProposalEvent.objects.create(
        proposal=proposal,
        action=action,
        from_state=source,
        to_state=target,
        round=proposal.round,
        actor=acting_user,
        reason=reason,
    )
    seal(event)
    return event


def delete_with_history(obj: models.Model, *, acting_user: Any, reason: str) -> None:
    """Delete ``obj`` so that its history row names the user and the reason."""
    with recording(obj, acting_user=acting_user, reason=reason):
        obj.delete()


def users_with_role(role: Role) -> models.QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(groups__name=role.value, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def staff_for(proposal: Proposal, *roles: Role) -> list[Any]:
    """Active people with any of ``roles``, leaving out the proposal's own submitter."""
    people: dict[int, Any] = {}
    for role in roles:
        for user in users_with_role(role):
            if user.pk != proposal.submitter_id:
                people.setdefault(user.pk, user)
    return list(people.values())


@contextmanager
def recording(obj: models.Model, *, acting_user: Any, reason: str) -> Iterator[None]:
    """History rows written inside the block (many-to-many changes) name user and reason."""
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del obj._history_user  # type: ignore[attr-defined]
        del obj._change_reason  # type: ignore[attr-defined]


@contextmanager
def without_history(obj: models.Model) -> Iterator[None]:
    """Many-to-many changes inside the block write no history row of their own; the caller's
    save afterwards records them. A save or delete inside the block is refused."""
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del obj.skip_history_when_saving  # type: ignore[attr-defined]


def enqueue_screening(proposal_id: int, request_key: str, reason: str) -> None:
    from ..tasks import screen_proposal

    screen_proposal.delay(proposal_id, request_key=request_key, reason=reason)
