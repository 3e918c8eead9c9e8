"""Demo review data: the CET list, a fictional screening list, and proposals in every state.

Everything is made through the services, as people would make it, so events, history and
notifications are real. Running it again adds nothing: lists are recognised by name or content,
proposals by title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from sta_tracker.demo import DEMO_ACCOUNTS

from . import services
from .demo_safety import UNBRIEFED_TRAVELLER, safety_story
from .demo_timeline import Story, days_ago, play
from .demo_walk import DemoPeople, DemoProposal, cited_clauses, proposal_story
from .models import Agency, CetEdition, Proposal, ReviewStep, ScientificField, ScreeningList
from .services import InstitutionInput, PersonInput
from .workflow import ProposalState

__all__ = ["UNBRIEFED_TRAVELLER", "DemoPeople", "demo_people", "demo_reviews_ensure"]

DATA = Path(__file__).resolve().parent / "data"
CET_FILE = DATA / "cet-2024.txt"
CET_EDITION = "2024"
SCREENING_FILE = DATA / "demo-screening-list.csv"
# The lists are loaded this many days before the first demo proposal began.
LISTS_BEFORE = 5
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


def _partner(name: str, city: str, local: str = "", country: str = "CN") -> InstitutionInput:
    return InstitutionInput(name=name, name_local=local, city=city, country=country)


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
        began=20,
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
        began=6,
    ),
    DemoProposal(
        title="Migratory shorebirds of the Yellow Sea mudflats",
        state=ProposalState.IN_REVIEW,
        summary="Counting and tagging shorebirds on their stopover sites to map flyway decline.",
        discipline="Ornithology",
        agency="U.S. Fish and Wildlife Service",
        institutions=(WUHAN,),
        people=(_person("Chen Ling", "Field ecologist", WUHAN.name),),
        began=9,
        assigned=(ReviewStep.RISK_BENEFIT, ReviewStep.SECURITY),
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
        began=50,
        assigned=(ReviewStep.RISK_BENEFIT, ReviewStep.SECURITY),
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
        began=35,
        assigned=(ReviewStep.RISK_BENEFIT, ReviewStep.SECURITY),
    ),
    DemoProposal(
        title="Karst groundwater tracing in Guangxi",
        state=ProposalState.RETURNED,
        summary="Dye tracing of karst aquifers to model how pollutants travel underground.",
        discipline="Hydrogeology",
        agency="U.S. Geological Survey",
        institutions=(_partner("Guilin Karst Hydrology Laboratory", "Guilin"),),
        people=(_person("Wei Jun", "Hydrologist", "Guilin Karst Hydrology Laboratory"),),
        began=120,
    ),
    DemoProposal(
        title="Giant panda gut microbiome",
        state=ProposalState.APPROVED,
        summary="How the gut bacteria of wild and captive pandas digest bamboo.",
        discipline="Microbial ecology",
        agency="Smithsonian Institution",
        institutions=(_partner("Chengdu Wildlife Microbiology Group", "Chengdu"),),
        people=(_person("Liu Fang", "Researcher", "Chengdu Wildlife Microbiology Group"),),
        began=215,
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
        began=240,
    ),
    DemoProposal(
        title="Hypersonic boundary-layer transition experiments",
        state=ProposalState.REJECTED,
        summary="Shared wind tunnel runs on boundary-layer transition at Mach 6 and above.",
        discipline="Aerodynamics",
        agency="National Aeronautics and Space Administration",
        institutions=(HARBOURVIEW,),
        people=(_person("Gao Yan", "Professor", HARBOURVIEW.name),),
        began=160,
    ),
    DemoProposal(
        title="Grassland restoration in Inner Mongolia",
        state=ProposalState.WITHDRAWN,
        summary="Comparing grazing exclusion and reseeding for degraded steppe.",
        discipline="Ecology",
        agency="U.S. Department of Agriculture",
        institutions=(LANZHOU,),
        people=(),
        began=90,
    ),
    DemoProposal(
        title="Yangtze finless porpoise acoustics",
        state=ProposalState.SUSPENDED,
        summary="Passive acoustic monitoring of the porpoise population in the middle Yangtze.",
        discipline="Marine biology",
        agency="National Oceanic and Atmospheric Administration",
        institutions=(WUHAN,),
        people=(_person("Xu Qing", "Acoustician", WUHAN.name),),
        began=275,
    ),
    DemoProposal(
        title="Qinghai Lake bar-headed goose tracking",
        state=ProposalState.APPROVED,
        summary="Satellite tags follow bar-headed geese over the Himalaya to study high flight.",
        discipline="Ornithology",
        agency="U.S. Geological Survey",
        institutions=(_partner("Qinghai Lake Bird Observatory", "Xining"),),
        people=(_person("Li Na", "Ornithologist", "Qinghai Lake Bird Observatory"),),
        began=255,
    ),
    DemoProposal(
        title="Tibetan Plateau permafrost boreholes",
        state=ProposalState.TERMINATED,
        summary="Temperature logging in shared boreholes to follow permafrost thaw.",
        discipline="Geophysics",
        agency="National Science Foundation",
        institutions=(LANZHOU,),
        people=(_person("Ma Rui", "Engineer", LANZHOU.name),),
        began=190,
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


def demo_reviews_ensure(
    *, people: DemoPeople, log: Callable[[str], None] = lambda line: None
) -> list[Proposal]:
    """Make the demo lists and proposals that are missing; returns the proposals made now.

    Each proposal is made on the day it began, months ago for most, and walked through its
    steps on their days, with the researcher-safety records among them (``demo_timeline``).
    Proposals cite the agreement in force, so they are made only once it is loaded
    (``load_sta``). No demo proposal stays "submitted": screening runs as soon as one is.
    """
    today = timezone.localdate()
    first_day = max(spec.began for spec in DEMO_PROPOSALS) + LISTS_BEFORE
    lists = _lists_story(people, days_ago(first_day, today=today))
    if not cited_clauses(today + dt.timedelta(days=90)):
        play([lists])
        log("No agreement text in force to cite: run load_sta, then seed_demo again.")
        return []
    existing = set(
        Proposal.objects.filter(submitter=people.submitter).values_list("title", flat=True)
    )
    made: list[Proposal] = []
    missing = [spec for spec in DEMO_PROPOSALS if spec.title not in existing]
    stories = [
        lists,
        *(proposal_story(spec, people=people, today=today, made=made.append) for spec in missing),
        safety_story(people=people, today=today, log=log),
    ]
    play(stories)
    for proposal in made:
        proposal.refresh_from_db()
        log(f"proposal   {ProposalState(proposal.state).label:<24} {proposal.title}")
    return made


def _lists_story(people: DemoPeople, moment: dt.datetime) -> Story:
    yield moment
    demo_lists_ensure(acting_user=people.admin)


def demo_safety_ensure(
    *, people: DemoPeople, log: Callable[[str], None] = lambda line: None
) -> None:
    """The demo's trips and incident where they are missing (``safety_story``)."""
    play([safety_story(people=people, today=timezone.localdate(), log=log)])
