"""The grounds a suspension, resumption or termination names: a dispute, an incident, a changed
clause, or another reason spelt out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sta_tracker.text import NUL_MESSAGE

from ..errors import InvalidInput
from ..models import ClauseChangeFlag, Dispute, GroundKind, ProjectGround, Proposal, ProposalEvent


@dataclass(frozen=True)
class GroundInput:
    """What the person names as the ground; ``detail`` is required for "other"."""

    kind: str
    dispute_id: int | None = None
    clause_flag_id: int | None = None
    detail: str = ""

    @classmethod
    def other(cls, detail: str) -> GroundInput:
        return cls(kind=GroundKind.OTHER, detail=detail)


@dataclass(frozen=True)
class Ground:
    """A ground checked against the project: the rows it names, and how the event words it."""

    kind: GroundKind
    dispute: Dispute | None
    clause_flag: ClauseChangeFlag | None
    detail: str

    @property
    def words(self) -> str:
        if self.dispute is not None:
            named = f"dispute {self.dispute.pk} ({self.dispute.get_ground_display().lower()})"
        elif self.clause_flag is not None:
            named = f"changed clause {self.clause_flag.new_clause.number or ''}".rstrip()
        else:
            named = GroundKind(self.kind).label.lower()
        detail = self.detail.rstrip(".")
        return f"Ground: {named}" + (f" — {detail}" if detail else "") + "."


def clean_ground(proposal: Proposal, ground: GroundInput | None) -> Ground:
    """The ground checked: it names a row of this project where its kind needs one."""
    if ground is None or ground.kind not in GroundKind.values:
        raise InvalidInput.single(
            "ground", "Name the ground: a dispute, an incident, a changed clause, or other."
        )
    kind = GroundKind(ground.kind)
    detail = (ground.detail or "").strip()
    if "\x00" in detail:
        raise InvalidInput.single("ground_detail", NUL_MESSAGE)
    dispute = flag = None
    if kind == GroundKind.DISPUTE:
        dispute = Dispute.objects.filter(pk=ground.dispute_id or 0, proposal=proposal).first()
        if dispute is None:
            raise InvalidInput.single("dispute", "Choose one of this project's disputes.")
    elif kind == GroundKind.CHANGED_CLAUSE:
        flag = (
            ClauseChangeFlag.objects.filter(pk=ground.clause_flag_id or 0, proposal=proposal)
            .select_related("new_clause")
            .first()
        )
        if flag is None:
            raise InvalidInput.single(
                "clause_flag", "Choose one of the changed clauses flagged on this project."
            )
    elif kind == GroundKind.INCIDENT:
        # Incidents are recorded by the researcher-safety part; until one can be named here,
        # the ground says what happened in words.
        if not detail:
            raise InvalidInput.single("ground_detail", "Say which incident, and what happened.")
    elif not detail:
        raise InvalidInput.single("ground_detail", "Say what the ground is.")
    return Ground(kind=kind, dispute=dispute, clause_flag=flag, detail=detail)


def ground_record(*, event: ProposalEvent, ground: Ground, acting_user: Any) -> ProjectGround:
    return ProjectGround.objects.create(
        event=event,
        proposal_id=event.proposal_id,
        kind=ground.kind,
        dispute=ground.dispute,
        clause_flag=ground.clause_flag,
        detail=ground.detail,
        recorded_by=acting_user,
    )
