"""Who may call each address of the site, per HTTP method: one map, enforced by one middleware.

Every named route of the site is a row of ``ACCESS``; a route missing from the map answers 404
and a method missing from its row 405 (deny by default). The views keep their own checks: the
map says which roles may ever use a route, the views and services decide about one object in
one state (a submitter's own proposal, a draft, a second assessor). The Django admin is the one
namespace covered by a single rule (``ADMIN_NAMESPACE``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse
from rest_framework import exceptions

from clauses.permissions import ONLY_ADMINS_IMPORT, ONLY_DESK_USERS
from reviews import permissions as rules
from reviews.models import Proposal, ScreeningHit
from reviews.pages import refused

from .roles import Role, has_role
from .security import API_PREFIX
from .token_auth import ApiTokenAuthentication


class Visitor(StrEnum):
    """Who is asking, besides the five roles."""

    ANONYMOUS = "anonymous"
    # Any active signed-in account, with or without a role.
    SIGNED_IN = "signed_in"


Who = Role | Visitor
Row = Mapping[str, frozenset[Who]]

EVERYONE = frozenset({Visitor.ANONYMOUS, Visitor.SIGNED_IN})
SIGNED_IN = frozenset({Visitor.SIGNED_IN})
ANY_ROLE = frozenset(Role)
SUBMITTERS = frozenset({Role.SUBMITTER})
REVIEWERS = frozenset({Role.REVIEWER})
SECURITY_REVIEWERS = frozenset({Role.SECURITY_REVIEWER})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
QUEUE_HOLDERS = REVIEWERS | SECURITY_REVIEWERS
# They see every proposal, its screening and its assessments.
REVIEW_STAFF = REVIEWERS | SECURITY_REVIEWERS | ADMINISTRATORS
# Submitters see only their own proposals: the views answer 404 for anyone else's.
PROPOSAL_READERS = REVIEW_STAFF | SUBMITTERS
DASHBOARD_READERS = REVIEW_STAFF | {Role.ANALYST}
# The analyst's desk: drafts and comparisons across agreements.
DESK = REVIEW_STAFF | {Role.ANALYST}


def read(who: frozenset[Who]) -> Row:
    return {"GET": who}


def form(who: frozenset[Who], *, post: frozenset[Who] | None = None) -> Row:
    return {"GET": who, "POST": who if post is None else post}


def post(who: frozenset[Who]) -> Row:
    return {"POST": who}


# HEAD is answered as GET. reviews:proposal_action is the one row the view narrows by its
# argument: submitters submit, resubmit and withdraw; reviewers suspend, resume and terminate.
ACCESS: dict[str, Row] = {
    # Site
    "home": read(SIGNED_IN),
    "login": form(EVERYONE),
    "logout": post(SIGNED_IN),
    "account_tokens": form(ANY_ROLE),
    "account_token_revoke": post(ANY_ROLE),
    "admin:login": form(EVERYONE),
    # Agreements and clauses
    "clauses:agreement_list": read(ANY_ROLE),
    "clauses:agreement_detail": read(ANY_ROLE),
    "clauses:version_detail": read(ANY_ROLE),
    "clauses:clause_detail": read(ANY_ROLE),
    "clauses:instrument_detail": read(ANY_ROLE),
    "clauses:on_date_pick": read(ANY_ROLE),
    "clauses:on_date": read(ANY_ROLE),
    "clauses:compare_pick": read(ANY_ROLE),
    "clauses:compare": read(ANY_ROLE),
    # The analyst's desk (issue 15): compare by dates, drafts (the views scope each draft to
    # its owner and those it is shared with; 404 for anyone else), across agreements.
    "clauses:compare_dates": read(ANY_ROLE),
    "clauses:compare_across": read(DESK),
    "clauses:draft_list": form(DESK),
    "clauses:draft_compare": read(DESK),
    "clauses:draft_share": post(DESK),
    "clauses:draft_delete": post(DESK),
    "clauses:import_upload": form(ADMINISTRATORS),
    "clauses:import_preview": read(ADMINISTRATORS),
    "clauses:import_publish": form(ADMINISTRATORS),
    "clauses:import_discard": post(ADMINISTRATORS),
    "clauses:import_effect_apply": post(ADMINISTRATORS),
    "clauses:import_effect_remove": post(ADMINISTRATORS),
    "clauses:import_pairs": post(ADMINISTRATORS),
    "clauses:import_status": read(ADMINISTRATORS),
    # Review of proposals
    "reviews:home": read(ANY_ROLE),
    "reviews:my_proposals": read(SUBMITTERS),
    "reviews:proposals": read(REVIEW_STAFF),
    "reviews:proposal_create": form(SUBMITTERS),
    "reviews:proposal_detail": read(PROPOSAL_READERS),
    "reviews:proposal_edit": form(SUBMITTERS),
    "reviews:attachment_add": post(SUBMITTERS),
    "reviews:attachment_download": read(PROPOSAL_READERS),
    "reviews:attachment_remove": post(SUBMITTERS),
    "reviews:proposal_action": form(SUBMITTERS | REVIEWERS),
    "reviews:proposal_return": form(REVIEWERS),
    "reviews:proposal_screen": post(REVIEW_STAFF),
    "reviews:flag_clear": post(REVIEWERS),
    "reviews:conditions_acknowledge": post(SUBMITTERS),
    "reviews:condition_resolve": post(REVIEWERS),
    "reviews:assess_risk_benefit": form(REVIEWERS),
    "reviews:assess_security": form(SECURITY_REVIEWERS),
    "reviews:decide": form(REVIEWERS),
    "reviews:proposal_assign": form(QUEUE_HOLDERS),
    "reviews:queue_assign": post(QUEUE_HOLDERS),
    "reviews:decide_confirm": form(REVIEWERS),
    "reviews:hit_detail": form(REVIEW_STAFF, post=SECURITY_REVIEWERS),
    "reviews:queue": read(QUEUE_HOLDERS),
    "reviews:queue_tab": read(QUEUE_HOLDERS),
    "reviews:dashboard": read(DASHBOARD_READERS),
    "reviews:screening_lists": form(ADMINISTRATORS),
    "reviews:cet_editions": form(ADMINISTRATORS),
    "reviews:cet_edition": read(ADMINISTRATORS),
    "reviews:cet_edition_put_in_force": post(ADMINISTRATORS),
    "reviews:cet_category": form(ADMINISTRATORS),
    # Researcher safety and the programme report (issue 16): the team and reviewers record
    # trips and incidents, security reviewers the briefings; analysts read aggregates only.
    "reviews:safety": read(PROPOSAL_READERS),
    "reviews:trip_create": form(SUBMITTERS | QUEUE_HOLDERS),
    "reviews:trip_briefing": form(SECURITY_REVIEWERS),
    "reviews:incident_create": form(SUBMITTERS | QUEUE_HOLDERS),
    "reviews:incident_detail": read(PROPOSAL_READERS),
    "reviews:incident_suspend": post(REVIEWERS),
    "reviews:incident_dispute": post(QUEUE_HOLDERS),
    "reviews:report": read(DASHBOARD_READERS),
    "reviews:report_docx": read(DASHBOARD_READERS),
    "reviews:report_csv": read(DASHBOARD_READERS),
    # After approval (issue 16): the reciprocity ledger and disputes. The team and reviewers
    # record; reviewers and security reviewers open disputes; reviewers take their steps.
    "reviews:ledger": read(PROPOSAL_READERS),
    "reviews:ledger_record": form(SUBMITTERS | QUEUE_HOLDERS),
    "reviews:ledger_entry": read(PROPOSAL_READERS),
    "reviews:ledger_entry_correct": form(SUBMITTERS | QUEUE_HOLDERS),
    "reviews:ledger_attachment_add": post(SUBMITTERS | QUEUE_HOLDERS),
    "reviews:ledger_attachment_download": read(PROPOSAL_READERS),
    "reviews:reciprocity_concerns": read(REVIEW_STAFF),
    "reviews:dispute_open": form(QUEUE_HOLDERS),
    "reviews:dispute_detail": read(PROPOSAL_READERS),
    "reviews:dispute_step": form(REVIEWERS),
    # API: agreements, clauses, search, tokens, schema
    "api-agreement-list": read(ANY_ROLE),
    "api-agreement-detail": read(ANY_ROLE),
    "api-instrument-list": read(ANY_ROLE),
    "api-event-list": read(ANY_ROLE),
    "api-version-list": read(ANY_ROLE),
    "api-version-detail": read(ANY_ROLE),
    "api-clause-list": read(ANY_ROLE),
    "api-clause-detail": read(ANY_ROLE),
    "api-clause-through-versions": read(ANY_ROLE),
    "api-text-in-force": read(ANY_ROLE),
    "api-diff": read(ANY_ROLE),
    # desk: the analyst's desk in the API, as its pages (a draft: 404 unless shared with you).
    "api-diff-dates": read(ANY_ROLE),
    "api-diff-across": read(DESK),
    "api-draft-diff": read(DESK),
    "api-search": read(ANY_ROLE),
    "api-tokens": form(ANY_ROLE),
    "api-token-detail": {"DELETE": ANY_ROLE},
    "api-schema": read(ANY_ROLE),
    "api-docs": read(ANY_ROLE),
    # Any other address under /api/: a JSON 404 for anyone signed in.
    "api-not-found": dict.fromkeys(("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"), SIGNED_IN),
    # Search (issue 15): its own app, over both agreements and proposals; the API row is above.
    "search:search": read(ANY_ROLE),
    # API: proposals (analysts may list them, and get none)
    "api-proposal-list": form(PROPOSAL_READERS | {Role.ANALYST}, post=SUBMITTERS),
    "api-proposal-detail": {"GET": PROPOSAL_READERS, "PUT": SUBMITTERS},
    "api-proposal-events": read(PROPOSAL_READERS),
    "api-proposal-decisions": read(PROPOSAL_READERS),
    "api-proposal-screening": read(REVIEW_STAFF),
    "api-proposal-assessments": read(REVIEW_STAFF),
    "api-proposal-submit": post(SUBMITTERS),
    "api-proposal-resubmit": post(SUBMITTERS),
    "api-proposal-withdraw": post(SUBMITTERS),
    "api-proposal-return": post(REVIEWERS),
    "api-proposal-screen": post(REVIEW_STAFF),
    "api-proposal-assess-risk-benefit": post(REVIEWERS),
    "api-proposal-assess-security": post(SECURITY_REVIEWERS),
    "api-proposal-decide": post(REVIEWERS),
    "api-proposal-suspend": post(REVIEWERS),
    "api-proposal-resume": post(REVIEWERS),
    "api-proposal-terminate": post(REVIEWERS),
    "api-hit-adjudicate": post(SECURITY_REVIEWERS),
    "api-proposal-conditions-acknowledge": post(SUBMITTERS),
    "api-condition-resolve": post(REVIEWERS),
    # Assigning assessments through the API, as on the assignment page.
    "api-proposal-assignments": form(QUEUE_HOLDERS),
}

# Every route of the Django admin not in ACCESS: staff accounts only (the admin site's own test),
# any method. Refusals answer as the admin site does: its login page.
ADMIN_NAMESPACE = "admin"

# The URLconf the map describes. Under another one (a test's), routes the map cannot know are
# left to their views; the routes it does know are enforced all the same.
SITE_URLCONF = "sta_tracker.urls"

# Pages for browsers under /api/: refusals send them to log in rather than answer JSON.
PAGES_UNDER_API = frozenset({"api-docs"})


def _proposals(user: Any, pk: int) -> QuerySet[Any]:
    return Proposal.objects.visible_to(user).filter(pk=pk)


def _hits(user: Any, pk: int) -> QuerySet[Any]:
    return ScreeningHit.objects.filter(pk=pk, run__proposal__in=Proposal.objects.visible_to(user))


# Routes whose ``pk`` names an object only some people may see. A refused person who may not see
# it gets 404, as from the view, so that a refusal never tells the object exists.
SCOPED: dict[str, Callable[[Any, int], QuerySet[Any]]] = {
    **dict.fromkeys(
        (
            "reviews:proposal_detail",
            "reviews:proposal_edit",
            "reviews:attachment_add",
            "reviews:attachment_download",
            "reviews:attachment_remove",
            "reviews:proposal_action",
            "reviews:proposal_return",
            "reviews:proposal_screen",
            "reviews:flag_clear",
            "reviews:conditions_acknowledge",
            "reviews:condition_resolve",
            "reviews:assess_risk_benefit",
            "reviews:assess_security",
            "reviews:decide",
            "reviews:proposal_assign",
            "reviews:decide_confirm",
            # Researcher safety (issue 16).
            "reviews:safety",
            "reviews:trip_create",
            "reviews:trip_briefing",
            "reviews:incident_create",
            "reviews:incident_detail",
            "reviews:incident_suspend",
            "reviews:incident_dispute",
            "api-proposal-detail",
            "api-proposal-events",
            "api-proposal-decisions",
            "api-proposal-screening",
            "api-proposal-assessments",
            "api-proposal-submit",
            "api-proposal-resubmit",
            "api-proposal-withdraw",
            "api-proposal-return",
            "api-proposal-screen",
            "api-proposal-assess-risk-benefit",
            "api-proposal-assess-security",
            "api-proposal-decide",
            "api-proposal-suspend",
            "api-proposal-resume",
            "api-proposal-terminate",
            "api-hit-adjudicate",
            "api-proposal-conditions-acknowledge",
            "api-condition-resolve",
            # After approval (issue 16)
            "reviews:ledger",
            "reviews:ledger_record",
            "reviews:ledger_entry",
            "reviews:ledger_entry_correct",
            "reviews:ledger_attachment_add",
            "reviews:ledger_attachment_download",
            "reviews:dispute_open",
            "reviews:dispute_detail",
            "reviews:dispute_step",
            "api-proposal-assignments",
        ),
        _proposals,
    ),
    "reviews:hit_detail": _hits,
}

# What a signed-in person refused by the map is told, in the words of the permission rules
# (reviews/permissions.py, clauses/permissions.py), by route or by (route, method). Rows open to
# every role otherwise say ROLE_NEEDED, and the rest NOT_YOUR_ROLE.
ROLE_NEEDED = "Only people with a role in the STA Tracker can use this."
NOT_YOUR_ROLE = "Your roles do not allow this."
REFUSALS: dict[str | tuple[str, str], str] = {
    **dict.fromkeys(
        (
            "clauses:compare_across",
            "clauses:draft_list",
            "clauses:draft_compare",
            "clauses:draft_share",
            "clauses:draft_delete",
            "api-diff-across",
            "api-draft-diff",
        ),
        ONLY_DESK_USERS,
    ),
    "clauses:import_upload": ONLY_ADMINS_IMPORT,
    "clauses:import_preview": ONLY_ADMINS_IMPORT,
    "clauses:import_publish": ONLY_ADMINS_IMPORT,
    "clauses:import_discard": ONLY_ADMINS_IMPORT,
    "clauses:import_effect_apply": ONLY_ADMINS_IMPORT,
    "clauses:import_effect_remove": ONLY_ADMINS_IMPORT,
    "clauses:import_pairs": ONLY_ADMINS_IMPORT,
    "clauses:import_status": ONLY_ADMINS_IMPORT,
    "reviews:home": rules.NO_REVIEW_ROLE,
    "reviews:my_proposals": rules.ONLY_SUBMITTERS_HAVE_OWN,
    "reviews:proposals": rules.ONLY_STAFF_SEE_ALL,
    "reviews:proposal_create": rules.ONLY_SUBMITTERS_CREATE,
    "reviews:proposal_edit": rules.only_the_submitter("edit"),
    "reviews:attachment_add": rules.only_the_submitter("edit"),
    "reviews:attachment_remove": rules.only_the_submitter("edit"),
    "reviews:proposal_action": (
        "Submitters submit, resubmit and withdraw their own proposals; reviewers suspend, "
        "resume and terminate them."
    ),
    "reviews:proposal_return": rules.only_the_role_for("return"),
    "reviews:proposal_screen": rules.ONLY_STAFF_SCREEN,
    "reviews:flag_clear": rules.only_the_role_for("clear_flag"),
    "reviews:conditions_acknowledge": rules.ONLY_SUBMITTER_ACKNOWLEDGES,
    "reviews:condition_resolve": rules.only_the_role_for("resolve_condition"),
    "reviews:assess_risk_benefit": rules.only_the_role_for("assess_risk_benefit"),
    "reviews:assess_security": rules.only_the_role_for("assess_security"),
    "reviews:decide": rules.only_the_role_for("decide"),
    "reviews:decide_confirm": rules.only_the_role_for("decide"),
    "reviews:hit_detail": rules.ONLY_STAFF_SEE_EVIDENCE,
    ("reviews:hit_detail", "POST"): rules.only_the_role_for("adjudicate"),
    "reviews:queue": rules.ONLY_QUEUE_HOLDERS,
    "reviews:queue_tab": rules.ONLY_QUEUE_HOLDERS,
    "reviews:proposal_assign": rules.ONLY_QUEUE_HOLDERS_ASSIGN,
    "reviews:queue_assign": rules.ONLY_QUEUE_HOLDERS_ASSIGN,
    "reviews:dashboard": rules.ONLY_DASHBOARD_READERS,
    "reviews:screening_lists": rules.ONLY_ADMINS_IMPORT_LISTS,
    "reviews:cet_editions": rules.ONLY_ADMINS_MANAGE_CET,
    "reviews:cet_edition": rules.ONLY_ADMINS_MANAGE_CET,
    "reviews:cet_edition_put_in_force": rules.ONLY_ADMINS_MANAGE_CET,
    "reviews:cet_category": rules.ONLY_ADMINS_MANAGE_CET,
    # Researcher safety and the programme report (issue 16).
    "reviews:trip_create": rules.ONLY_TEAM_OR_REVIEWERS_RECORD_TRIPS,
    "reviews:trip_briefing": rules.ONLY_SECURITY_RECORDS_BRIEFINGS,
    "reviews:incident_create": rules.ONLY_TEAM_OR_REVIEWERS_REPORT_INCIDENTS,
    "reviews:incident_suspend": rules.only_the_role_for("suspend"),
    "reviews:incident_dispute": rules.ONLY_REVIEWERS_OPEN_DISPUTES,
    "reviews:report": rules.ONLY_REPORT_READERS,
    "reviews:report_docx": rules.ONLY_REPORT_READERS,
    "reviews:report_csv": rules.ONLY_REPORT_READERS,
    # After approval (issue 16)
    "reviews:ledger_record": rules.ONLY_TEAM_AND_REVIEWERS_RECORD,
    "reviews:ledger_entry_correct": rules.ONLY_TEAM_AND_REVIEWERS_RECORD,
    "reviews:ledger_attachment_add": rules.ONLY_TEAM_AND_REVIEWERS_RECORD,
    "reviews:reciprocity_concerns": rules.ONLY_STAFF_SEE_CONCERNS,
    "reviews:dispute_open": rules.ONLY_REVIEWERS_OPEN_DISPUTES,
    "reviews:dispute_step": rules.ONLY_REVIEWERS_TAKE_DISPUTE_STEPS,
    ("api-proposal-list", "POST"): rules.ONLY_SUBMITTERS_CREATE,
    ("api-proposal-detail", "PUT"): rules.only_the_submitter("edit"),
    "api-proposal-screening": rules.ONLY_STAFF_SEE_INTERNALS,
    "api-proposal-assessments": rules.ONLY_STAFF_SEE_INTERNALS,
    "api-proposal-submit": rules.only_the_submitter("submit"),
    "api-proposal-resubmit": rules.only_the_submitter("resubmit"),
    "api-proposal-withdraw": rules.only_the_submitter("withdraw"),
    "api-proposal-screen": rules.ONLY_STAFF_SCREEN,
    "api-hit-adjudicate": rules.only_the_role_for("adjudicate"),
    "api-proposal-conditions-acknowledge": rules.ONLY_SUBMITTER_ACKNOWLEDGES,
    "api-condition-resolve": rules.only_the_role_for("resolve_condition"),
    "api-proposal-assignments": rules.ONLY_QUEUE_HOLDERS_ASSIGN,
    **{
        f"api-proposal-{route}": rules.only_the_role_for(action)
        for route, action in (
            ("return", "return"),
            ("assess-risk-benefit", "assess_risk_benefit"),
            ("assess-security", "assess_security"),
            ("decide", "decide"),
            ("suspend", "suspend"),
            ("resume", "resume"),
            ("terminate", "terminate"),
        )
    },
}


def refusal(name: str, method: str) -> str:
    """Why the map refuses ``method`` on route ``name`` to a signed-in person."""
    reason = REFUSALS.get((name, method)) or REFUSALS.get(name)
    if reason is not None:
        return reason
    return ROLE_NEEDED if ACCESS[name].get(method) == ANY_ROLE else NOT_YOUR_ROLE


def who_is(user: Any) -> frozenset[Who]:
    """The pseudo-roles and roles a person holds, to meet a cell of the map."""
    if not user.is_authenticated or not user.is_active:
        return frozenset({Visitor.ANONYMOUS})
    return frozenset({Visitor.SIGNED_IN, *(role for role in Role if has_role(user, role))})


class AccessMapMiddleware(LoginRequiredMiddleware):
    """Refuses, before the view runs, every request the access map does not allow.

    In this order: a route not in the map 404; a signed-out person on a route closed to them is
    sent to log in (401 on the API); a method not in the route's row 405; a signed-in person
    without an allowed role 403, or 404 where the route names an object they may not see.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:  # pragma: no cover - Django resolves before calling process_view
            raise Http404
        name = match.view_name if match.url_name is not None else ""
        api = request.path.startswith(API_PREFIX) and name not in PAGES_UNDER_API
        try:
            user = _api_caller(request) if api else request.user
        except exceptions.AuthenticationFailed as error:
            return _json(error, authenticate=True)
        if name not in ACCESS and match.namespaces[:1] == [ADMIN_NAMESPACE]:
            if user.is_active and user.is_staff:
                return None
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        row = ACCESS.get(name)
        if row is None:
            if (getattr(request, "urlconf", None) or settings.ROOT_URLCONF) != SITE_URLCONF:
                return None
            if api:
                return _json(exceptions.NotFound())
            raise Http404("No such page.")
        who = who_is(user)
        signed_out = Visitor.ANONYMOUS in who
        if signed_out and not any(Visitor.ANONYMOUS in allowed for allowed in row.values()):
            return self._log_in(request, view_func, api)
        method = "GET" if request.method == "HEAD" else str(request.method)
        if method not in row:
            if api:
                response = _json(exceptions.MethodNotAllowed(method))
                response["Allow"] = ", ".join(row)
                return response
            return HttpResponseNotAllowed(list(row))
        if who & row[method]:
            return None
        if signed_out:
            return self._log_in(request, view_func, api)
        scope = SCOPED.get(name)
        if scope is not None and not scope(user, view_kwargs["pk"]).exists():
            if api:
                return _json(exceptions.NotFound())
            raise Http404("No such object, or not one you may see.")
        reason = refusal(name, method)
        if api:
            return _json(exceptions.PermissionDenied(reason))
        if match.namespaces[:1] == ["reviews"]:
            # The review pages' own refusal page, which says why.
            return refused(request, reason, status=403)
        raise PermissionDenied(reason)

    def _log_in(self, request: HttpRequest, view_func: Any, api: bool) -> HttpResponse:
        if api:
            return _json(exceptions.NotAuthenticated(), authenticate=True)
        return self.handle_no_permission(request, view_func)


def _api_caller(request: HttpRequest) -> Any:
    """The caller as DRF will see them: by token first, else by session."""
    found = ApiTokenAuthentication().authenticate(request)
    return found[0] if found is not None else request.user


def _json(error: exceptions.APIException, *, authenticate: bool = False) -> JsonResponse:
    """The API's one error shape (clauses/api_conventions.py), as DRF would answer."""
    body = {"code": error.get_codes(), "detail": str(error.detail)}
    response = JsonResponse(body, status=error.status_code)
    if authenticate:
        response["WWW-Authenticate"] = ApiTokenAuthentication().authenticate_header(None)
    return response
