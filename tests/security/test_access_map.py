"""The access map (sta_tracker/access.py) covers every route, and every cell of it holds.

For each route, person and method the map lists (and one method it does not), a request is made
with real objects: allowed answers are not refusals; refused ones are a login redirect, 401, 403,
404 or 405 and write nothing. Alice owns every proposal addressed; Frank, another submitter, must
get 404 for all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clauses.comparison.draft_services import compare_draft_create
from clauses.importing.services import import_job_create
from clauses.models import system_user
from reviews import services
from reviews.models import ClauseChangeFlag, ConditionItem, ScreeningHit
from sta_tracker.access import (
    ACCESS,
    ADMIN_NAMESPACE,
    ANY_ROLE,
    REFUSALS,
    SCOPED,
    Visitor,
    Who,
    refusal,
)
from sta_tracker.roles import Role
from sta_tracker.tokens import token_create
from tests.factories import article, make_user, make_version
from tests.reviews.after_factories import open_dispute
from tests.reviews.factories import load_lists, make_sta, proposal_in

pytestmark = pytest.mark.django_db

ANONYMOUS, SIGNED_IN = Visitor.ANONYMOUS, Visitor.SIGNED_IN
# Who each persona is, written out here rather than asked of the code under test.
PERSONAS: dict[str, frozenset[Who]] = {
    "anonymous": frozenset({ANONYMOUS}),
    "alice": frozenset({SIGNED_IN, Role.SUBMITTER}),
    "bob": frozenset({SIGNED_IN, Role.REVIEWER}),
    "charlie": frozenset({SIGNED_IN, Role.SECURITY_REVIEWER}),
    "dana": frozenset({SIGNED_IN, Role.ANALYST}),
    "erin": frozenset({SIGNED_IN, Role.ADMINISTRATOR}),
    "nobody": frozenset({SIGNED_IN}),
    # Another submitter: asked only about routes naming one of Alice's objects.
    "frank": frozenset({SIGNED_IN, Role.SUBMITTER}),
}
# Who may not see Alice's proposals at all (the others own them or review every proposal).
OUTSIDERS = {"frank", "dana", "nobody"}
OTHER_METHODS = ("DELETE", "PUT", "PATCH", "POST", "TRACE")
PDF = b"%PDF-1.7\n" + b"0" * 100
IMPORT_TEXT = (
    "AGREEMENT ON COOPERATION\n\n"
    "Article 1\nThe Parties cooperate on the basis of equality and mutual benefit.\n"
    "Article 2 — Costs\nEach Party bears its own costs of participation in activities.\n"
)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I)


# --- Every route of the URLconf ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced; "" for an unnamed pattern
    namespaces: tuple[str, ...]
    pattern: URLPattern


def walk(resolver: URLResolver, namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry, inner)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            yield Route(name, namespaces, entry)


ROUTES = list(walk(get_resolver()))
ADMIN_ROUTES = [r for r in ROUTES if r.namespaces[:1] == (ADMIN_NAMESPACE,)]


def test_every_route_of_the_site_is_in_the_map() -> None:
    missing = [
        r.name or f"(unnamed) {r.pattern.pattern}"
        for r in ROUTES
        if r.name not in ACCESS and r.namespaces[:1] != (ADMIN_NAMESPACE,)
    ]
    assert missing == []


def test_every_entry_of_the_map_names_a_route() -> None:
    names = {r.name for r in ROUTES}
    assert sorted(set(ACCESS) - names) == []


def test_the_admin_namespace_has_one_rule_and_only_its_login_a_row() -> None:
    assert len(ADMIN_ROUTES) > 50
    assert [name for name in ACCESS if name.startswith("admin:")] == ["admin:login"]


def test_rows_list_known_methods_and_scoped_routes_name_their_object_by_pk() -> None:
    known = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    assert {m for row in ACCESS.values() for m in row} <= known
    patterns = {r.name: r.pattern for r in ROUTES}
    for name in SCOPED:
        assert "pk" in patterns[name].pattern.regex.groupindex, name


def test_refusal_reasons_name_routes_and_methods_of_the_map() -> None:
    for key in REFUSALS:
        name, method = key if isinstance(key, tuple) else (key, None)
        assert name in ACCESS, key
        assert method is None or method in ACCESS[name], key


# --- The world the requests address, built once for the module ------------------------------


@dataclass
class World:
    users: dict[str, Any]
    sessions: dict[str, str]
    objects: dict[str, Any]


def _build() -> World:
    users = {
        "alice": make_user("alice", Role.SUBMITTER),
        "frank": make_user("frank", Role.SUBMITTER),
        "bob": make_user("bob", Role.REVIEWER),
        "charlie": make_user("charlie", Role.SECURITY_REVIEWER),
        "dana": make_user("dana", Role.ANALYST),
        "erin": make_user("erin", Role.ADMINISTRATOR, is_staff=True),
        "nobody": make_user("nobody"),
    }
    people = {"submitter": users["alice"], "reviewer": users["bob"], "security": users["charlie"]}
    sta = make_sta()
    edition, _ = load_lists()
    draft = proposal_in("draft", version=sta, **people)
    attachment = services.attachment_add(
        proposal=draft,
        upload=SimpleUploadedFile("plan.pdf", PDF),
        acting_user=users["alice"],
        reason="Data plan",
    )
    in_review = proposal_in("in_review", version=sta, **people)
    approved = proposal_in("approved", version=sta, **people)
    conditional = proposal_in("approved_with_conditions", version=sta, **people)
    screening = proposal_in("screening", version=sta, **people)
    hit = ScreeningHit.objects.pending().filter(run__proposal=screening).first()
    amended = [
        article(1, "The parties cooperate in basic research only, with full reciprocity."),
        *(article(int(c.number.split()[-1]), c.text, key=c.key) for c in sta.clauses.all()[1:]),
    ]
    new = make_version(sta.agreement, "2029", amended, in_force_from=dt.date(2029, 8, 27))
    services.proposals_flag_for_version(version=new, acting_user=system_user(), reason="test")
    job = import_job_create(
        agreement=sta.agreement,
        filename="protocol.txt",
        content=IMPORT_TEXT.encode(),
        label="2030",
        kind="protocol",
        signed_on=dt.date(2030, 1, 1),
        effective_from=dt.date(2030, 1, 1),
        acting_user=users["erin"],
        reason="Official text received",
        mode="consolidated",
        text_status="official",
    )
    # Researcher safety (issue 16): a trip and an incident on the approved project.
    trip = services.travel_plan_record(
        proposal=approved,
        trip=services.TripInput(
            traveller="Dr. Maya Ortiz",
            destination="Chengdu",
            starts_on=dt.date.today() + dt.timedelta(days=10),
            ends_on=dt.date.today() + dt.timedelta(days=20),
            purpose="Sampling",
        ),
        acting_user=users["alice"],
        reason="Trip planned",
    )
    incident = services.incident_report(
        proposal=approved,
        incident=services.IncidentInput(
            kind="device",
            occurred_on=dt.date.today() - dt.timedelta(days=2),
            place="Airport",
            description="Laptop taken for two hours.",
        ),
        acting_user=users["alice"],
        reason="Reported",
    )
    # After approval (issue 16): a disputed ledger entry with its evidence.
    dispute = open_dispute(approved, users["bob"])
    entry = dispute.evidence_entries.get()
    evidence = services.ledger_attachment_add(
        entry=entry,
        upload=SimpleUploadedFile("refusal.pdf", PDF),
        acting_user=users["alice"],
        reason="The refusal letter",
    )
    made = {name: token_create(user=user) for name, user in users.items()}
    sessions = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    objects = {
        "sta": sta,
        "draft": draft,
        "attachment": attachment,
        "in_review": in_review,
        "approved": approved,
        "conditional": conditional,
        "condition": ConditionItem.objects.filter(proposal=conditional).first(),
        "hit": hit,
        "flag": ClauseChangeFlag.objects.get(proposal=in_review),
        "edition": edition,
        "category": edition.categories.order_by("pk").first(),
        "clause": sta.clauses.get(key="art_1"),
        "job": job,
        "tokens": {name: token for name, (token, _) in made.items()},
        "keys": {name: key for name, (_, key) in made.items()},
        "franks_draft": proposal_in("draft", submitter=users["frank"], version=sta),
        "trip": trip,
        "incident": incident,
        "dispute": dispute,
        "entry": entry,
        "evidence": evidence,
        # The analyst's desk: each person who compares drafts has one of their own.
        "compare_drafts": {
            name: compare_draft_create(
                agreement=sta.agreement,
                filename="draft.txt",
                content=IMPORT_TEXT.encode(),
                title=f"{name}'s draft",
                acting_user=users[name],
            )
            for name in ("bob", "charlie", "dana", "erin")
        },
    }
    assert all(objects.values())
    return World(users=users, sessions=sessions, objects=objects)


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One set of people and objects for every cell; each test's writes roll back."""
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    fast.enable()
    with django_db_blocker.unblock():
        # Why TestCase's own helper: it marks the block as a test's, so the services' durable
        # transactions may run inside it, and rolling it back leaves the database as it was.
        atomics = TestCase._enter_atomics()
        try:
            yield _build()
        finally:
            TestCase._rollback_atomics(atomics)
            fast.disable()


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


# --- Addresses with real objects --------------------------------------------------------------

Args = Callable[[dict[str, Any], str], dict[str, Any]]


def _proposal(key: str) -> Args:
    return lambda o, persona: {"pk": o[key].pk}


def _corpus(**extra: str) -> Args:
    return lambda o, persona: {"slug": o["sta"].agreement.slug, **extra}


def _action(o: dict[str, Any], persona: str) -> dict[str, Any]:
    if persona == "bob":
        return {"pk": o["approved"].pk, "action": "suspend"}
    return {"pk": o["draft"].pk, "action": "submit"}


ARGS: dict[str, Args] = {
    "clauses:agreement_detail": _corpus(),
    "clauses:version_detail": _corpus(label="2024"),
    "clauses:clause_detail": _corpus(key="art_1"),
    "clauses:instrument_detail": lambda o, p: {
        "slug": o["sta"].agreement.slug,
        "instrument_slug": o["sta"].instrument.slug,
    },
    "clauses:on_date_pick": _corpus(),
    "clauses:on_date": _corpus(day="2025-01-01"),
    "clauses:compare_pick": _corpus(),
    "clauses:compare": _corpus(older="1979", newer="2024"),
    "clauses:compare_dates": _corpus(),
    "clauses:compare_across": _corpus(),
    **dict.fromkeys(
        ("clauses:draft_compare", "clauses:draft_share", "clauses:draft_delete"),
        lambda o, p: {"pk": o["compare_drafts"].get(p, o["compare_drafts"]["dana"]).pk},
    ),
    "clauses:import_preview": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_publish": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_discard": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_effect_apply": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_effect_remove": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_pairs": lambda o, p: {"pk": o["job"].pk},
    "clauses:import_status": lambda o, p: {"pk": o["job"].pk},
    "reviews:proposal_detail": _proposal("draft"),
    "reviews:proposal_edit": _proposal("draft"),
    "reviews:attachment_add": _proposal("draft"),
    "reviews:attachment_download": lambda o, p: {
        "pk": o["draft"].pk,
        "attachment_pk": o["attachment"].pk,
    },
    "reviews:attachment_remove": lambda o, p: {
        "pk": o["draft"].pk,
        "attachment_pk": o["attachment"].pk,
    },
    "reviews:proposal_action": _action,
    "reviews:proposal_return": _proposal("in_review"),
    "reviews:proposal_screen": _proposal("in_review"),
    "reviews:flag_clear": lambda o, p: {"pk": o["in_review"].pk, "flag_pk": o["flag"].pk},
    "reviews:conditions_acknowledge": _proposal("conditional"),
    "reviews:condition_resolve": lambda o, p: {
        "pk": o["conditional"].pk,
        "condition_pk": o["condition"].pk,
    },
    "reviews:assess_risk_benefit": _proposal("in_review"),
    "reviews:assess_security": _proposal("in_review"),
    "reviews:decide": _proposal("in_review"),
    "reviews:proposal_assign": _proposal("in_review"),
    "reviews:decide_confirm": _proposal("in_review"),
    "reviews:hit_detail": lambda o, p: {"pk": o["hit"].pk},
    # Researcher safety and the programme report (issue 16).
    "reviews:safety": _proposal("approved"),
    "reviews:trip_create": _proposal("approved"),
    "reviews:trip_briefing": lambda o, p: {"pk": o["approved"].pk, "trip_pk": o["trip"].pk},
    "reviews:incident_create": _proposal("approved"),
    **{
        f"reviews:incident_{view}": lambda o, p: {
            "pk": o["approved"].pk,
            "incident_pk": o["incident"].pk,
        }
        for view in ("detail", "suspend", "dispute")
    },
    "reviews:report_csv": lambda o, p: {"section": "incidents"},
    # After approval (issue 16)
    "reviews:ledger": _proposal("approved"),
    "reviews:ledger_record": _proposal("approved"),
    "reviews:ledger_entry": lambda o, p: {"pk": o["approved"].pk, "entry_pk": o["entry"].pk},
    "reviews:ledger_entry_correct": lambda o, p: {
        "pk": o["approved"].pk,
        "entry_pk": o["entry"].pk,
    },
    "reviews:ledger_attachment_add": lambda o, p: {
        "pk": o["approved"].pk,
        "entry_pk": o["entry"].pk,
    },
    "reviews:ledger_attachment_download": lambda o, p: {
        "pk": o["approved"].pk,
        "entry_pk": o["entry"].pk,
        "attachment_pk": o["evidence"].pk,
    },
    "reviews:dispute_open": _proposal("approved"),
    "reviews:dispute_detail": lambda o, p: {"pk": o["approved"].pk, "dispute_pk": o["dispute"].pk},
    "reviews:dispute_step": lambda o, p: {
        "pk": o["approved"].pk,
        "dispute_pk": o["dispute"].pk,
        "action": "hold_consultation",
    },
    "reviews:queue_tab": lambda o, p: {"tab": "assessments"},
    "reviews:cet_edition": lambda o, p: {"pk": o["edition"].pk},
    "reviews:cet_edition_put_in_force": lambda o, p: {"pk": o["edition"].pk},
    "reviews:cet_category": lambda o, p: {"pk": o["category"].pk},
    "api-agreement-detail": _corpus(),
    "api-instrument-list": _corpus(),
    "api-event-list": _corpus(),
    "api-version-detail": _corpus(label="2024"),
    "api-clause-through-versions": _corpus(key="art_1"),
    "api-text-in-force": _corpus(day="2025-01-01"),
    "api-diff": _corpus(),
    "api-clause-detail": lambda o, p: {"pk": o["clause"].pk},
    # desk: the analyst's desk in the API; each person asks for their own draft.
    "api-diff-dates": _corpus(),
    "api-diff-across": _corpus(),
    "api-draft-diff": lambda o, p: {
        "pk": o["compare_drafts"].get(p, o["compare_drafts"]["dana"]).pk
    },
    # Each person revokes their own token (the anonymous caller, Alice's).
    "api-token-detail": lambda o, p: {"pk": o["tokens"].get(p, o["tokens"]["alice"]).pk},
    "account_token_revoke": lambda o, p: {"pk": o["tokens"].get(p, o["tokens"]["alice"]).pk},
    "api-proposal-detail": _proposal("draft"),
    "api-proposal-events": _proposal("in_review"),
    "api-proposal-screening": _proposal("in_review"),
    "api-proposal-assessments": _proposal("in_review"),
    "api-proposal-decisions": _proposal("approved"),
    "api-proposal-submit": _proposal("draft"),
    "api-proposal-resubmit": _proposal("draft"),
    "api-proposal-withdraw": _proposal("draft"),
    "api-proposal-return": _proposal("in_review"),
    "api-proposal-screen": _proposal("in_review"),
    "api-proposal-assess-risk-benefit": _proposal("in_review"),
    "api-proposal-assess-security": _proposal("in_review"),
    "api-proposal-decide": _proposal("in_review"),
    "api-proposal-suspend": _proposal("approved"),
    "api-proposal-resume": _proposal("approved"),
    "api-proposal-terminate": _proposal("approved"),
    "api-hit-adjudicate": lambda o, p: {"pk": o["hit"].run.proposal_id, "hit_pk": o["hit"].pk},
    "api-proposal-conditions-acknowledge": _proposal("conditional"),
    "api-condition-resolve": lambda o, p: {
        "pk": o["conditional"].pk,
        "condition_pk": o["condition"].pk,
    },
    # Assigning assessments through the API, as on the assignment page.
    "api-proposal-assignments": _proposal("in_review"),
}
QUERIES = {
    "clauses:on_date_pick": "?date=2025-01-01",
    "clauses:compare_pick": "?from=1979&to=2024",
    "search:search": "?q=research",
    "clauses:compare_dates": "?a=1990-01-01&b=2025-01-01",
    "clauses:compare_across": "?with=sta",
    "api-diff": "?old=1979&new=2024",
    # desk
    "api-diff-dates": "?a=1990-01-01&b=2025-01-01",
    "api-diff-across": "?with=sta",
    "api-search": "?q=research",
}


def address(world: World, name: str, persona: str) -> str:
    if name == "api-not-found":
        return "/api/no/such/endpoint/"
    args = ARGS.get(name, lambda o, p: {})(world.objects, persona)
    return reverse(name, kwargs=args) + QUERIES.get(name, "")


def admin_address(route: Route) -> str:
    """Any address the admin route resolves: the map refuses before an object is looked up."""
    regex = route.pattern.pattern.regex
    if regex.groupindex:
        kwargs = {k: "clauses" if k == "app_label" else "1" for k in regex.groupindex}
        return reverse(route.name, kwargs=kwargs)
    return reverse(route.name, args=["1"] * regex.groups)


# --- Requests and what they may answer ------------------------------------------------------


def send(client: Client, method: str, url: str) -> Any:
    if url.startswith("/api/"):
        return client.generic(method, url, b"{}" if method != "GET" else b"", "application/json")
    return client.generic(method, url, b"", "application/x-www-form-urlencoded")


def writes(queries: list[dict[str, str]]) -> list[str]:
    """Tables written to, other than the session and the login-attempt records."""
    tables = [m.group(1) for q in queries if (m := WRITE.match(q["sql"]))]
    return [t for t in tables if t != "django_session" and not t.startswith("axes_")]


def is_login_redirect(response: Any) -> bool:
    location = response.get("Location", "")
    logins = (reverse("login"), reverse("admin:login"))
    return response.status_code == 302 and location.startswith(logins)


def request(world: World, persona: str, method: str, url: str) -> tuple[Any, list[str]]:
    client = client_for(world, persona)
    with CaptureQueriesContext(connection) as captured:
        response = send(client, method, url)
    return response, writes(captured.captured_queries)


def assert_allowed(response: Any, name: str) -> None:
    # Two routes whose success looks like a refusal elsewhere.
    if name == "api-not-found":
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
        return
    if name == "logout":
        assert is_login_redirect(response)
        assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""
        return
    assert response.status_code < 500
    assert response.status_code not in (401, 403, 404, 405), response.content[:300]
    assert not is_login_redirect(response), response["Location"]


def assert_refused(response: Any, name: str, persona: str, method: str) -> None:
    api = name.startswith("api-") and name != "api-docs"
    row = ACCESS[name]
    open_to_anonymous = any(ANONYMOUS in who for who in row.values())
    if persona == "anonymous" and not (method not in row and open_to_anonymous):
        if api:
            assert response.status_code == 401
            assert response.json()["code"] == "not_authenticated"
        else:
            assert is_login_redirect(response), response.status_code
    elif method not in row:
        assert response.status_code == 405
    elif name in SCOPED and persona in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        if api:
            assert response.json() == {
                "code": "permission_denied",
                "detail": refusal(name, method),
            }


def cells() -> Iterator[Any]:
    for name, row in ACCESS.items():
        other = next(m for m in OTHER_METHODS if m not in row)
        for persona in PERSONAS:
            if persona == "frank" and name not in SCOPED:
                continue
            for method in (*row, other):
                yield pytest.param(name, persona, method, id=f"{name}|{persona}|{method}")


@pytest.mark.parametrize(("name", "persona", "method"), list(cells()))
def test_the_map_holds(world: World, name: str, persona: str, method: str) -> None:
    """One cell: this person, this method, this route."""
    url = address(world, name, persona)
    response, written = request(world, persona, method, url)
    allowed = method in ACCESS[name] and bool(PERSONAS[persona] & ACCESS[name][method])
    if allowed and persona != "frank":
        assert_allowed(response, name)
        return
    if persona == "frank":
        assert response.status_code == (404 if method in ACCESS[name] else 405)
    else:
        assert_refused(response, name, persona, method)
    assert written == []


def admin_cells() -> Iterator[Any]:
    for route in ADMIN_ROUTES:
        if not route.name:
            continue
        for persona in PERSONAS:
            if persona == "frank":
                continue
            methods = ["GET", "POST"] if persona != "erin" else ["GET"]
            for method in methods:
                label = f"{route.name}|{persona}|{method}"
                yield pytest.param(route, persona, method, id=label)


@pytest.mark.parametrize(("route", "persona", "method"), list(admin_cells()))
def test_the_admin_rule_holds(world: World, route: Route, persona: str, method: str) -> None:
    """Staff pass to the admin site, which applies its own permissions; others log in first."""
    response, written = request(world, persona, method, admin_address(route))
    if route.name == "admin:login":
        assert response.status_code in (200, 302)
        assert not is_login_redirect(response)
    elif persona == "erin":
        assert response.status_code < 500
        assert not is_login_redirect(response)
    else:
        assert is_login_redirect(response), response.status_code
        if persona != "anonymous":
            assert response["Location"].startswith(reverse("admin:login"))
        assert written == []


# --- Objects: another submitter's proposal is a 404, on pages and API alike ----------------


def test_anothers_proposal_and_a_missing_one_get_the_same_404(world: World) -> None:
    """Frank cannot tell Alice's proposals from ones that do not exist."""
    missing = 987654
    for name in SCOPED:
        row = ACCESS[name]
        for method in row:
            url = address(world, name, "frank")
            real, written = request(world, "frank", method, url)
            kwargs = ARGS[name](world.objects, "frank") | {"pk": missing}
            ghost, _ = request(world, "frank", method, reverse(name, kwargs=kwargs))
            assert (real.status_code, written) == (404, []), (name, method)
            assert (ghost.status_code, ghost.content) == (404, real.content), (name, method)


def test_the_other_submitter_sees_his_own_proposal_on_pages_and_api(world: World) -> None:
    own = world.objects["franks_draft"].pk
    client = client_for(world, "frank")
    for url in (
        reverse("reviews:proposal_detail", args=[own]),
        reverse("reviews:proposal_edit", args=[own]),
        reverse("api-proposal-detail", args=[own]),
        reverse("api-proposal-events", args=[own]),
    ):
        assert client.get(url).status_code == 200, url
    listed = client.get(reverse("api-proposal-list")).json()
    assert [p["id"] for p in listed["results"]] == [own]


def test_the_views_alone_also_hide_anothers_proposal(world: World) -> None:
    """Defence in depth: without the middleware, the views still answer 404."""
    without = [m for m in settings.MIDDLEWARE if m != "sta_tracker.access.AccessMapMiddleware"]
    with override_settings(MIDDLEWARE=without):
        for persona in sorted(OUTSIDERS):
            for name in SCOPED:
                for method in ACCESS[name]:
                    response, written = request(
                        world, persona, method, address(world, name, persona)
                    )
                    assert (response.status_code, written) == (404, []), (persona, name, method)


def test_search_shows_the_other_submitter_only_his_own_proposal(world: World) -> None:
    client = client_for(world, "frank")
    own = world.objects["franks_draft"].pk
    found = client.get(reverse("api-search"), {"q": "sediment"}).json()
    assert [p["proposal_id"] for p in found["proposals"]] == [own]
    page = client.get(reverse("search:search"), {"q": "sediment"}).content.decode()
    linked = set(re.findall(r'href="/reviews/proposals/(\d+)/"', page))
    assert linked == {str(own)}


# --- How refusals read ------------------------------------------------------------------------


def test_a_token_caller_is_judged_by_the_tokens_owner(world: World) -> None:
    url = address(world, "api-proposal-screening", "dana")
    for persona, status in (("dana", 404), ("alice", 403), ("bob", 200)):
        key = world.objects["keys"][persona]
        response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == status, persona
    bad = Client().get(url, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.status_code == 401
    assert bad.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    assert bad["WWW-Authenticate"] == "Token"


def test_a_page_refusal_says_why(world: World) -> None:
    response = client_for(world, "dana").get(reverse("reviews:queue"))
    assert response.status_code == 403
    assert "Only reviewers and security reviewers have review queues." in response.content.decode()


def test_head_is_answered_as_get(world: World) -> None:
    url = reverse("clauses:agreement_list")
    assert client_for(world, "dana").head(url).status_code == 200
    assert client_for(world, "nobody").head(url).status_code == 403


def test_an_api_method_the_route_lacks_is_a_json_405_naming_the_allowed_ones(
    world: World,
) -> None:
    response = client_for(world, "dana").delete(reverse("api-agreement-list"))
    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "detail": 'Method "DELETE" not allowed.',
    }
    assert response["Allow"] == "GET"


def test_rows_open_to_every_role_tell_people_without_one_that_a_role_is_needed() -> None:
    assert ACCESS["api-search"]["GET"] == ANY_ROLE
    assert "role" in refusal("api-search", "GET")
    assert "role" in refusal("clauses:agreement_list", "GET")
