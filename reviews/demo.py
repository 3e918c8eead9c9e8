"""Demo review data: the CET list, a fictional screening list, and proposals in every state.

Everything is made through the services, as people would make it, so events, history and
notifications are real. Running it again adds nothing: lists are recognised by name or content,
proposals by title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from clauses.models import system_user
from sta_tracker.demo import DEMO_ACCOUNTS

from . import services
from .demo_after import demo_after_approval
from .models import (
    Adjudication,
    Agency,
    CetEdition,
    ConditionOwner,
    DecisionOutcome,
    Proposal,
    ScientificField,
    ScreeningHit,
    ScreeningList,
)
from .rubric import Criterion
from .services import InstitutionInput, PersonInput, ProposalContent, Score
from .workflow import ProposalState

DATA = Path(__file__).resolve().parent / "data"
CET_FILE = DATA / "cet-2024.txt"
CET_EDITION = "2024"
SCREENING_FILE = DATA / "demo-screening-list.csv"
# The agencies and fields the demo's lists start with: those its proposals name, and more.
DEMO_AGENCIES = (
    "National Science Foundation",
    "National Institutes of Health",
    "U.S. Department of Energy",
    "National Aeronautics and Space Administration",
    "National Oceanic and Atmospheric Administration",
    "U.S. Geological Survey",
    "U.S. Department of Agriculture",
    "U.S. Fish and Wildlife Service",
    "Smithsonian Institution",
)
DEMO_FIELDS = (
    "Aerodynamics",
    "Botany",
    "Ecology",
    "Geophysics",
    "Hydrogeology",
    "Marine biology",
    "Materials science",
    "Microbial ecology",
    "Ornithology",
    "Paleoclimatology",
    "Seismology",
    "Soil science",
    "Atmospheric chemistry",
    "Glaciology",
)
# Clauses of the 2024 text a typical basic-research project falls under.
CITED_KEYS = ("art_1__para_1", "art_2", "art_12__para_1")


@dataclass(frozen=True)
class DemoPeople:
    submitter: Any
    reviewer: Any
    security: Any
    admin: Any
    decider: Any


@dataclass(frozen=True)
class DemoProposal:
    title: str
    state: ProposalState
    summary: str
    discipline: str
    agency: str
    institutions: tuple[InstitutionInput, ...]
    people: tuple[PersonInput, ...]
    data: str = "Field measurements, instrument logs and derived data tables."
    extra: dict[str, Any] = field(default_factory=dict)


def _partner(name: str, city: str, local: str = "") -> InstitutionInput:
    return InstitutionInput(name=name, name_local=local, city=city)


def _person(name: str, position: str, institution: str) -> PersonInput:
    return PersonInput(name=name, position=position, institution=institution)


LANZHOU = _partner("Lanzhou Centre for Arid Land Studies", "Lanzhou", "兰州干旱区研究中心")
WUHAN = _partner("Wuhan Lake Ecology Station", "Wuhan", "武汉湖泊生态站")
KUNMING = _partner("Kunming Botanical Survey Institute", "Kunming")
NORTHWIND = _partner("Northwind Institute of Imaginary Propulsion (Xi'an branch)", "Xi'an")
HARBOURVIEW = _partner("Harbourview Academy of Notional Materials", "Qingdao")

DEMO_PROPOSALS: tuple[DemoProposal, ...] = (
    DemoProposal(
        title="Loess Plateau soil carbon survey",
        state=ProposalState.DRAFT,
        summary="Measuring how terracing changed soil carbon on the Loess Plateau since 1990.",
        discipline="Soil science",
        agency="U.S. Department of Agriculture",
        institutions=(LANZHOU,),
        people=(),
        extra={"travel_safety_plan": "", "funding_amount": None},
    ),
    DemoProposal(
        title="Turbine blade coatings under desert dust",
        state=ProposalState.SCREENING,
        summary=(
            "Erosion of thermal barrier coating on gas turbine blades exposed to desert dust, "
            "measured in a shared wind tunnel."
        ),
        discipline="Materials science",
        agency="National Science Foundation",
        institutions=(NORTHWIND, LANZHOU),
        people=(_person("Testperson Examplar", "Senior engineer", NORTHWIND.name),),
    ),
    DemoProposal(
        title="Migratory shorebirds of the Yellow Sea mudflats",
        state=ProposalState.IN_REVIEW,
        summary="Counting and tagging shorebirds on their stopover sites to map flyway decline.",
        discipline="Ornithology",
        agency="U.S. Fish and Wildlife Service",
        institutions=(WUHAN,),
        people=(_person("Chen Ling", "Field ecologist", WUHAN.name),),
    ),
    DemoProposal(
        title="Alpine flora of the Hengduan Mountains",
        state=ProposalState.IN_REVIEW,
        summary="A shared herbarium survey of alpine plants and how their ranges moved upslope.",
        discipline="Botany",
        agency="Smithsonian Institution",
        institutions=(KUNMING,),
        people=(_person("Zhao Min", "Curator", KUNMING.name),),
        extra={"_steps": "risk_benefit"},
    ),
    DemoProposal(
        title="Lake sediment records of the East Asian monsoon",
        state=ProposalState.IN_REVIEW,
        summary="Cores from three lakes date monsoon shifts over the last twelve thousand years.",
        discipline="Paleoclimatology",
        agency="National Science Foundation",
        institutions=(WUHAN, LANZHOU),
        people=(_person("Sun Hao", "Associate professor", LANZHOU.name),),
        extra={"_steps": "both"},
    ),
    DemoProposal(
        title="Karst groundwater tracing in Guangxi",
        state=ProposalState.RETURNED,
        summary="Dye tracing of karst aquifers to model how pollutants travel underground.",
        discipline="Hydrogeology",
        agency="U.S. Geological Survey",
        institutions=(_partner("Guilin Karst Hydrology Laboratory", "Guilin"),),
        people=(_person("Wei Jun", "Hydrologist", "Guilin Karst Hydrology Laboratory"),),
    ),
    DemoProposal(
        title="Giant panda gut microbiome",
        state=ProposalState.APPROVED,
        summary="How the gut bacteria of wild and captive pandas digest bamboo.",
        discipline="Microbial ecology",
        agency="Smithsonian Institution",
        institutions=(_partner("Chengdu Wildlife Microbiology Group", "Chengdu"),),
        people=(_person("Liu Fang", "Researcher", "Chengdu Wildlife Microbiology Group"),),
    ),
    DemoProposal(
        title="Seismic hazard of the Longmen Shan fault",
        state=ProposalState.APPROVED_WITH_CONDITIONS,
        summary=(
            "Joint analysis of earthquake catalogues with machine learning to find quiet "
            "faults before they slip."
        ),
        discipline="Seismology",
        agency="U.S. Geological Survey",
        institutions=(_partner("Sichuan Earthquake Observatory", "Chengdu"),),
        people=(_person("Huang Bo", "Seismologist", "Sichuan Earthquake Observatory"),),
    ),
    DemoProposal(
        title="Hypersonic boundary-layer transition experiments",
        state=ProposalState.REJECTED,
        summary="Shared wind tunnel runs on boundary-layer transition at Mach 6 and above.",
        discipline="Aerodynamics",
        agency="National Aeronautics and Space Administration",
        institutions=(HARBOURVIEW,),
        people=(_person("Gao Yan", "Professor", HARBOURVIEW.name),),
    ),
    DemoProposal(
        title="Grassland restoration in Inner Mongolia",
        state=ProposalState.WITHDRAWN,
        summary="Comparing grazing exclusion and reseeding for degraded steppe.",
        discipline="Ecology",
        agency="U.S. Department of Agriculture",
        institutions=(LANZHOU,),
        people=(),
    ),
    DemoProposal(
        title="Yangtze finless porpoise acoustics",
        state=ProposalState.SUSPENDED,
        summary="Passive acoustic monitoring of the porpoise population in the middle Yangtze.",
        discipline="Marine biology",
        agency="National Oceanic and Atmospheric Administration",
        institutions=(WUHAN,),
        people=(_person("Xu Qing", "Acoustician", WUHAN.name),),
    ),
    DemoProposal(
        title="Qinghai Lake bar-headed goose tracking",
        state=ProposalState.APPROVED,
        summary="Satellite tags follow bar-headed geese over the Himalaya to study high flight.",
        discipline="Ornithology",
        agency="U.S. Geological Survey",
        institutions=(_partner("Qinghai Lake Bird Observatory", "Xining"),),
        people=(_person("Li Na", "Ornithologist", "Qinghai Lake Bird Observatory"),),
    ),
    DemoProposal(
        title="Tibetan Plateau permafrost boreholes",
        state=ProposalState.TERMINATED,
        summary="Temperature logging in shared boreholes to follow permafrost thaw.",
        discipline="Geophysics",
        agency="National Science Foundation",
        institutions=(LANZHOU,),
        people=(_person("Ma Rui", "Engineer", LANZHOU.name),),
    ),
)


def demo_people() -> DemoPeople:
    """The demo accounts made by ``demo_users_ensure``, by role."""
    from django.contrib.auth import get_user_model

    users = {
        account.username: get_user_model().objects.get(username=account.username)
        for account in DEMO_ACCOUNTS
    }
    return DemoPeople(
        submitter=users["submitter"],
        reviewer=users["reviewer"],
        security=users["security"],
        admin=users["admin"],
        decider=users["decider"],
    )


def demo_lists_ensure(*, acting_user: Any) -> tuple[CetEdition, ScreeningList]:
    """The 2024 CET list in force, the fictional demo screening list current, and the
    agencies and scientific fields proposals choose from."""
    for model, names in ((Agency, DEMO_AGENCIES), (ScientificField, DEMO_FIELDS)):
        services.entries_ensure(
            model=model,
            names=names,
            acting_user=acting_user,
            reason="Demo data: the list proposals choose from",
        )
    edition = CetEdition.objects.filter(name=CET_EDITION).first()
    if edition is None:
        edition = services.cet_edition_load(
            name=CET_EDITION,
            text=CET_FILE.read_text(encoding="utf-8"),
            acting_user=acting_user,
            reason="Demo data: the CET list update of February 2024",
        )
    data = SCREENING_FILE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    screening_list = ScreeningList.objects.filter(sha256=digest).first()
    if screening_list is None:
        screening_list = services.screening_list_import(
            file_name=SCREENING_FILE.name,
            data=data,
            acting_user=acting_user,
            reason="Demo data: a small fictional screening list",
        )
    return edition, screening_list


def _content(spec: DemoProposal, cited: tuple[int, ...]) -> ProposalContent:
    start = timezone.localdate() + dt.timedelta(days=90)
    fields: dict[str, Any] = {
        "title": spec.title,
        "summary": spec.summary,
        "scientific_field": spec.discipline,
        "us_agency": spec.agency,
        "principal_investigator": "Dr. Jordan Rivera",
        "basic_research_declared": True,
        "basic_research_explanation": "Results are published openly; no product is developed.",
        "data_description": spec.data,
        "data_storage": "The U.S. agency's public data repository.",
        "data_access": "The project team until publication, then anyone.",
        "data_reciprocity": "The partner shares its raw measurements on the same schedule.",
        "travel_safety_plan": (
            "Two field trips a year; travellers get the agency's security briefing, loaner "
            "devices and a check-in schedule."
        ),
        "funding_amount": Decimal("180000.00"),
        "funding_source": "Agency research budget",
        "start_date": start,
        "end_date": start + dt.timedelta(days=730),
        "institutions": spec.institutions,
        "people": spec.people,
        "cited_clause_ids": cited,
    }
    fields.update({k: v for k, v in spec.extra.items() if not k.startswith("_")})
    return ProposalContent(**fields)


def _scores(**overrides: int) -> dict[str, Score]:
    base = {
        Criterion.SCIENTIFIC_MERIT: (4, "A well-designed study with a clear question."),
        Criterion.US_BENEFIT: (4, "Fills a gap in U.S. data on the region."),
        Criterion.DATA_RECIPROCITY: (3, "The partner commits to sharing raw data on schedule."),
        Criterion.INSIGHT_ABROAD: (3, "Shows how the partner's field programme works."),
        Criterion.CET_PROXIMITY: (1, "No critical or emerging technology involved."),
        Criterion.DUAL_USE: (1, "No plausible military end use."),
        Criterion.DATA_EXPORT: (2, "Environmental data only; no controlled technical data."),
        Criterion.PARTNER_RISK: (2, "The partner institution is not listed and is civilian."),
        Criterion.RESEARCHER_SAFETY: (2, "Remote field sites; the travel plan is adequate."),
    }
    return {
        criterion.value: Score(overrides.get(criterion.value, score), rationale)
        for criterion, (score, rationale) in base.items()
    }


class _Walk:
    """Moves one demo proposal through the services to its target state."""

    def __init__(self, people: DemoPeople, proposal: Proposal) -> None:
        self.people = people
        self.proposal = proposal

    def refresh(self) -> Proposal:
        self.proposal = Proposal.objects.get(pk=self.proposal.pk)
        return self.proposal

    def submit(self) -> None:
        event = services.proposal_submit(
            proposal=self.proposal, acting_user=self.people.submitter, reason="Ready for review"
        )
        # Why the same key as the task's: where a worker (or eager mode) screens on commit, this
        # finds that run instead of screening twice.
        services.screening_run(
            proposal=self.refresh(),
            acting_user=system_user(),
            reason="Screening on submission",
            request_key=f"event:{event.pk}",
        )
        self.refresh()

    def adjudicate(self) -> None:
        for hit in ScreeningHit.objects.pending().filter(run__proposal=self.proposal):
            if hit.kind == "cet":
                ruling, reason = (
                    Adjudication.TRUE_MATCH,
                    "The text does concern this technology; weighed in the security assessment.",
                )
            elif hit.score is not None and hit.score >= 99:
                ruling, reason = Adjudication.TRUE_MATCH, "The partner is the listed entity."
            else:
                ruling, reason = (
                    Adjudication.FALSE_POSITIVE,
                    "Different institution and field; the name resemblance is superficial.",
                )
            services.hit_adjudicate(
                hit=hit, adjudication=ruling, acting_user=self.people.security, reason=reason
            )
        self.refresh()

    def risk_benefit(self, **overrides: int) -> None:
        services.risk_benefit_assess(
            proposal=self.proposal,
            scores=_scores(**overrides),
            recommendation=DecisionOutcome.APPROVE,
            summary="Good science with a clear benefit; risks are low and manageable.",
            acting_user=self.people.reviewer,
            reason="Risk–benefit assessment",
        )

    def security(
        self, finding: str = "no_concerns", cet: str = "none", mitigations: str = ""
    ) -> None:
        services.security_assess(
            proposal=self.proposal,
            cet_involvement=cet,
            finding=finding,
            mitigations=mitigations,
            rationale="Partners screened and adjudicated; the work stays in basic research.",
            acting_user=self.people.security,
            reason="National-security assessment",
        )

    def decide(
        self, outcome: str, reason: str, conditions: Sequence[services.ConditionInput] = ()
    ) -> None:
        services.decision_record(
            proposal=self.refresh(),
            outcome=outcome,
            condition_items=conditions,
            reason=reason,
            cited_clause_ids=list(self.proposal.cited_clauses.values_list("pk", flat=True)),
            acting_user=self.people.decider,
            confirmed_match_ids=[hit.pk for hit in services.true_matches_of(self.proposal)],
        )
        self.refresh()


def _walk_to(spec: DemoProposal, walk: _Walk) -> None:
    people = walk.people
    target = spec.state
    if target == ProposalState.DRAFT:
        return
    if target == ProposalState.WITHDRAWN:
        services.proposal_withdraw(
            proposal=walk.proposal,
            acting_user=people.submitter,
            reason="The partner could not commit to the field season.",
        )
        return
    walk.submit()
    if target == ProposalState.SCREENING:
        return
    walk.adjudicate()
    if target == ProposalState.RETURNED:
        services.proposal_return(
            proposal=walk.proposal,
            questions=(
                "Which dyes will you use, and who holds the sampling data between field "
                "seasons? Please add the partner's data-sharing schedule."
            ),
            acting_user=people.reviewer,
            reason="The data plan is too vague to assess.",
        )
        return
    if target == ProposalState.IN_REVIEW:
        steps = spec.extra.get("_steps", "")
        if steps in ("risk_benefit", "both"):
            walk.risk_benefit()
        if steps == "both":
            walk.security()
        return
    if target == ProposalState.REJECTED:
        walk.risk_benefit(cet_proximity=5, dual_use=4)
        walk.security(finding="unacceptable", cet="direct")
        walk.decide(
            DecisionOutcome.REJECT,
            "Hypersonics is a critical and emerging technology excluded by Article 5 of the 2024 "
            "text.",
        )
        return
    if target == ProposalState.APPROVED_WITH_CONDITIONS:
        walk.risk_benefit(cet_proximity=3)
        walk.security(
            finding="mitigations_required",
            cet="adjacent",
            mitigations="Share catalogues only; keep the trained models on U.S. systems.",
        )
        walk.decide(
            DecisionOutcome.APPROVE_WITH_CONDITIONS,
            "Sound basic research; the machine-learning part stays on the U.S. side.",
            conditions=[
                services.ConditionInput(
                    text=(
                        "Trained models and code stay on U.S. agency systems; only earthquake "
                        "catalogues are exchanged."
                    ),
                    owner=ConditionOwner.SUBMITTER,
                    due_on=timezone.localdate() + dt.timedelta(days=30),
                ),
                services.ConditionInput(
                    text="Check the first six-monthly report of data exchanges.",
                    owner=ConditionOwner.AGENCY,
                    due_on=timezone.localdate() + dt.timedelta(days=180),
                ),
            ],
        )
        services.conditions_acknowledge(
            proposal=walk.refresh(),
            acting_user=people.submitter,
            reason="Read the conditions; the team will keep models on agency systems.",
        )
        return
    walk.risk_benefit()
    walk.security()
    walk.decide(DecisionOutcome.APPROVE, "Basic research with reciprocal data sharing.")
    if target == ProposalState.TERMINATED:
        services.proposal_suspend(
            proposal=walk.proposal,
            acting_user=people.reviewer,
            reason=(
                "The partner has not shared its recordings for two quarters, contrary to the "
                "data-reciprocity terms of Annex 2."
            ),
            ground=services.GroundInput.other("No data shared in return for two quarters."),
        )
    if target == ProposalState.TERMINATED:
        services.proposal_terminate(
            proposal=walk.refresh(),
            acting_user=people.reviewer,
            reason="No data after the suspension; cooperation ends.",
            ground=services.GroundInput.other("Still no data after the suspension."),
        )


def demo_reviews_ensure(
    *, people: DemoPeople, log: Callable[[str], None] = lambda line: None
) -> list[Proposal]:
    """Make the demo lists and proposals that are missing; returns the proposals made now.

    Proposals cite the agreement in force, so they are made only once it is loaded
    (``load_sta``). No demo proposal stays "submitted": screening runs as soon as one is.
    """
    demo_lists_ensure(acting_user=people.admin)
    cited = tuple(
        services.clauses_in_force(timezone.localdate() + dt.timedelta(days=90))
        .filter(key__in=CITED_KEYS)
        .values_list("pk", flat=True)
    )
    if not cited:
        log("No agreement text in force to cite: run load_sta, then seed_demo again.")
        return []
    existing = set(
        Proposal.objects.filter(submitter=people.submitter).values_list("title", flat=True)
    )
    made = []
    for spec in DEMO_PROPOSALS:
        if spec.title in existing:
            continue
        proposal = services.proposal_create(
            content=_content(spec, cited), acting_user=people.submitter, reason="First draft"
        )
        walk = _Walk(people, proposal)
        _walk_to(spec, walk)
        # The suspended project is suspended by a dispute that ceased cooperation.
        demo_after_approval(walk.refresh(), people=people)
        made.append(walk.refresh())
        log(f"proposal   {spec.state.label:<24} {spec.title}")
    return made


# --- Researcher safety (issue 16) ------------------------------------------------------------

SAFETY_TRIP_PROJECT = "Giant panda gut microbiome"
SAFETY_INCIDENT_PROJECT = "Seismic hazard of the Longmen Shan fault"
UNBRIEFED_TRAVELLER = "Dr. Maya Ortiz (field microbiologist)"
BRIEFED_TRAVELLER = "Sam Lee (graduate student)"
INCIDENT_PLACE = "Chengdu Shuangliu International Airport, on arrival"


def demo_safety_ensure(
    *, people: DemoPeople, log: Callable[[str], None] = lambda line: None
) -> None:
    """Trips and an incident on the approved demo projects, through the services: one trip
    weeks ahead with no briefing yet (so it shows in the security reviewers' queue), one
    briefed, and an incident a few months back. Running it again adds nothing."""
    today = timezone.localdate()
    trips = Proposal.objects.filter(
        submitter=people.submitter, title=SAFETY_TRIP_PROJECT, state=ProposalState.APPROVED
    ).first()
    if trips is not None:
        recorded = set(trips.travel_plans.values_list("traveller", flat=True))
        if UNBRIEFED_TRAVELLER not in recorded:
            services.travel_plan_record(
                proposal=trips,
                trip=services.TripInput(
                    traveller=UNBRIEFED_TRAVELLER,
                    destination="Chengdu, Sichuan",
                    host_institution="Chengdu Research Base of Giant Panda Breeding",
                    starts_on=today + dt.timedelta(days=20),
                    ends_on=today + dt.timedelta(days=34),
                    purpose="Collect faecal samples with the keepers for the spring series.",
                ),
                acting_user=people.submitter,
                reason="Spring sampling trip planned",
            )
            log(f"trip       no briefing yet          {SAFETY_TRIP_PROJECT}")
        if BRIEFED_TRAVELLER not in recorded:
            plan = services.travel_plan_record(
                proposal=trips,
                trip=services.TripInput(
                    traveller=BRIEFED_TRAVELLER,
                    destination="Ya'an, Sichuan",
                    host_institution="Bifengxia panda base",
                    starts_on=today + dt.timedelta(days=45),
                    ends_on=today + dt.timedelta(days=52),
                    purpose="Sequencing workshop with the partner's laboratory.",
                ),
                acting_user=people.submitter,
                reason="Workshop visit planned",
            )
            services.travel_briefing_record(
                travel_plan=plan,
                given_by="Agency research security office",
                given_on=today,
                device_guidance_given=True,
                acting_user=people.security,
                reason="Briefed in person; a loaner laptop issued",
            )
            log(f"trip       briefed                  {SAFETY_TRIP_PROJECT}")
    project = Proposal.objects.filter(
        submitter=people.submitter, title=SAFETY_INCIDENT_PROJECT
    ).first()
    if project is not None and not project.incidents.exists():
        services.incident_report(
            proposal=project,
            incident=services.IncidentInput(
                kind="device",
                occurred_on=today - dt.timedelta(days=75),
                place=INCIDENT_PLACE,
                description=(
                    "Border officers took the team's laptop for about two hours and asked for "
                    "its password, which was not given. The laptop was a clean loaner; no "
                    "project data was on it."
                ),
            ),
            acting_user=people.submitter,
            reason="Reported on return",
        )
        log(f"incident   device search            {SAFETY_INCIDENT_PROJECT}")
