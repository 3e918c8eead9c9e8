"""Addresses of the JSON API, its OpenAPI schema and its documentation, under /api/.

Every endpoint is a DRF view, which the site's login-required middleware lets through: DRF
authenticates sessions and tokens itself and answers 401 or 403 in JSON.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clauses import api as corpus
from clauses.api_conventions import NotFoundView
from clauses.comparison import api as desk
from reviews import api as reviews
from sta_tracker.search import api as search

from . import tokens

# Why: a clause key is letters, digits, "_", "-" and "."; anything else is not a key, so the
# address is refused before it reaches the database.
KEY = r"(?P<key>[\w.\-]{1,200})"


endpoints = [
    path("agreements/", corpus.AgreementList.as_view(), name="api-agreement-list"),
    path(
        "agreements/<slug:slug>/",
        corpus.AgreementDetail.as_view(),
        name="api-agreement-detail",
    ),
    path(
        "agreements/<slug:slug>/instruments/",
        corpus.InstrumentList.as_view(),
        name="api-instrument-list",
    ),
    path("agreements/<slug:slug>/events/", corpus.EventList.as_view(), name="api-event-list"),
    path(
        "agreements/<slug:slug>/versions/<slug:label>/",
        corpus.VersionDetail.as_view(),
        name="api-version-detail",
    ),
    re_path(
        rf"^agreements/(?P<slug>[-a-zA-Z0-9_]+)/clauses/{KEY}/$",
        corpus.ClauseThroughVersions.as_view(),
        name="api-clause-through-versions",
    ),
    path(
        "agreements/<slug:slug>/on/<str:day>/",
        corpus.TextInForce.as_view(),
        name="api-text-in-force",
    ),
    path("agreements/<slug:slug>/diff/", corpus.VersionDiffView.as_view(), name="api-diff"),
    # The analyst's desk: compare by dates, across agreements, a draft.
    path(
        "agreements/<slug:slug>/diff/dates/",
        desk.DatesDiffView.as_view(),
        name="api-diff-dates",
    ),
    path(
        "agreements/<slug:slug>/diff/across/",
        desk.AcrossDiffView.as_view(),
        name="api-diff-across",
    ),
    path("drafts/<int:pk>/diff/", desk.DraftDiffView.as_view(), name="api-draft-diff"),
    path("versions/", corpus.VersionList.as_view(), name="api-version-list"),
    path("clauses/", corpus.ClauseList.as_view(), name="api-clause-list"),
    path("clauses/<int:pk>/", corpus.ClauseDetail.as_view(), name="api-clause-detail"),
    path("search/", search.SearchView.as_view(), name="api-search"),
    path("tokens/", tokens.TokenListView.as_view(), name="api-tokens"),
    path("tokens/<int:pk>/", tokens.TokenDetailView.as_view(), name="api-token-detail"),
    path("proposals/", reviews.ProposalList.as_view(), name="api-proposal-list"),
    path("proposals/<int:pk>/", reviews.ProposalDetail.as_view(), name="api-proposal-detail"),
    path(
        "proposals/<int:pk>/events/",
        reviews.ProposalEvents.as_view(),
        name="api-proposal-events",
    ),
    path(
        "proposals/<int:pk>/screening/",
        reviews.ProposalScreening.as_view(),
        name="api-proposal-screening",
    ),
    path(
        "proposals/<int:pk>/assessments/",
        reviews.ProposalAssessments.as_view(),
        name="api-proposal-assessments",
    ),
    path(
        "proposals/<int:pk>/decisions/",
        reviews.ProposalDecisions.as_view(),
        name="api-proposal-decisions",
    ),
    *[
        path(f"proposals/<int:pk>/{name}/", view.as_view(), name=f"api-proposal-{name}")
        for name, view in (
            ("submit", reviews.ProposalSubmit),
            ("resubmit", reviews.ProposalResubmit),
            ("withdraw", reviews.ProposalWithdraw),
            ("return", reviews.ProposalReturn),
            ("screen", reviews.ProposalScreen),
            ("assess-risk-benefit", reviews.ProposalAssessRiskBenefit),
            ("assess-security", reviews.ProposalAssessSecurity),
            ("decide", reviews.ProposalDecide),
            ("suspend", reviews.ProposalSuspend),
            ("resume", reviews.ProposalResume),
            ("terminate", reviews.ProposalTerminate),
        )
    ],
    path(
        "proposals/<int:pk>/conditions/acknowledge/",
        reviews.ProposalConditionsAcknowledge.as_view(),
        name="api-proposal-conditions-acknowledge",
    ),
    path(
        "proposals/<int:pk>/conditions/<int:condition_pk>/resolve/",
        reviews.ConditionResolve.as_view(),
        name="api-condition-resolve",
    ),
    # Assigning assessments, as on the assignment page.
    path(
        "proposals/<int:pk>/assignments/",
        reviews.ProposalAssignments.as_view(),
        name="api-proposal-assignments",
    ),
    path(
        "proposals/<int:pk>/hits/<int:hit_pk>/adjudicate/",
        reviews.HitAdjudicate.as_view(),
        name="api-hit-adjudicate",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

urlpatterns = [
    *endpoints,
    # The documentation page is for people in a browser: anonymous visitors go to log in.
    # The split view serves its start-up script as a file, as the Content-Security-Policy wants.
    # (No ReDoc page: its template loads web fonts from the internet.)
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # Why: "[\s\S]", not ".", so that an address holding a line break is caught too.
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="api-not-found"),
]
