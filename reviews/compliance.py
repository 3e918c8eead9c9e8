"""The compliance summary: what the reviewers and the decider must have in front of them.

One builder, used by the proposal page, both assessment forms, the decision page and its
confirmation, so that all of them show the same facts: the current screening's hits with their
rulings (true restricted-party matches first, and whether the security assessment cleared each),
the security finding and mitigations, the risk–benefit scores with their rationale, open
changed-clause flags and the open conditions. A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import (
    Adjudication,
    ClauseChangeFlag,
    HitKind,
    Proposal,
    RiskBenefitAssessment,
    RubricScore,
    ScreeningHit,
    ScreeningRun,
    SecurityAssessment,
)
from .workflow import ProposalState


@dataclass(frozen=True)
class TrueMatch:
    hit: ScreeningHit
    cleared: bool


@dataclass(frozen=True)
class ComplianceSummary:
    run: ScreeningRun | None
    true_matches: list[TrueMatch]
    other_hits: list[ScreeningHit]
    security: SecurityAssessment | None
    risk_benefit: RiskBenefitAssessment | None
    scores: list[RubricScore]
    open_flags: list[ClauseChangeFlag]
    open_conditions: list[str] = field(default_factory=list)

    @property
    def uncleared_matches(self) -> list[ScreeningHit]:
        """The true matches that block approval."""
        return [m.hit for m in self.true_matches if not m.cleared]

    @property
    def pending_hits(self) -> list[ScreeningHit]:
        return [h for h in self.other_hits if not h.adjudication]


def is_true_match(hit: ScreeningHit) -> bool:
    return hit.kind == HitKind.RESTRICTED_PARTY and hit.adjudication == Adjudication.TRUE_MATCH


def compliance_summary(proposal: Proposal) -> ComplianceSummary:
    """The summary of ``proposal``'s current round (at most seven queries)."""
    run = ScreeningRun.objects.filter(proposal=proposal, is_current=True).first()
    hits: list[ScreeningHit] = []
    if run is not None:
        hits = list(
            run.hits.select_related(
                "adjudicated_by", "list_entry", "cet_category", "clause"
            ).order_by("kind", "pk")
        )
    this_round = {"proposal": proposal, "round": proposal.round}
    security = SecurityAssessment.objects.filter(**this_round).select_related("assessor").first()
    risk_benefit = (
        RiskBenefitAssessment.objects.filter(**this_round).select_related("assessor").first()
    )
    scores = list(risk_benefit.scores.order_by("pk")) if risk_benefit is not None else []
    cleared = set(security.cleared_matches) if security is not None else set()
    return ComplianceSummary(
        run=run,
        true_matches=[
            TrueMatch(hit=h, cleared=h.fingerprint in cleared) for h in hits if is_true_match(h)
        ],
        other_hits=[h for h in hits if not is_true_match(h)],
        security=security,
        risk_benefit=risk_benefit,
        scores=scores,
        open_flags=list(
            ClauseChangeFlag.objects.open()
            .filter(proposal=proposal)
            .select_related("cited_clause", "version")
            .order_by("created_at", "pk")
        ),
        open_conditions=open_conditions(proposal),
    )


def open_conditions(proposal: Proposal) -> list[str]:
    """The tracked conditions the project must still meet, one line each, soonest due first:
    its text, who fulfils it and by when (one query)."""
    from .services.conditions import open_conditions as open_items

    if proposal.state not in (ProposalState.APPROVED_WITH_CONDITIONS, ProposalState.SUSPENDED):
        return []
    lines = []
    for item in open_items(proposal):
        due = f"; due {item.due_on:%-d %B %Y}" if item.due_on else ""
        lines.append(f"{item.number}. {item.text} ({item.get_owner_display().lower()}{due})")
    return lines
