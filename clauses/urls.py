from __future__ import annotations

from django.urls import path

from .comparison import across as comparison_across
from .comparison import dates as comparison_dates
from .comparison import draft_views
from .comparison import views as comparison_views
from .importing import views as importing_views
from .reading import views as reading_views
from .record import views as record_views

app_name = "clauses"

urlpatterns = [
    path("agreements/", reading_views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", reading_views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<slug:slug>/versions/<slug:label>/",
        reading_views.version_detail,
        name="version_detail",
    ),
    path(
        "agreements/<slug:slug>/clauses/<str:key>/",
        reading_views.clause_detail,
        name="clause_detail",
    ),
    path(
        "agreements/<slug:slug>/instruments/<slug:instrument_slug>/",
        record_views.instrument_detail,
        name="instrument_detail",
    ),
    path("agreements/<slug:slug>/on/", reading_views.on_date_pick, name="on_date_pick"),
    path("agreements/<slug:slug>/on/<str:day>/", reading_views.on_date, name="on_date"),
    # compare
    path("agreements/<slug:slug>/compare/", comparison_views.compare_pick, name="compare_pick"),
    # the analyst's desk: compare by dates, drafts, across agreements
    path(
        "agreements/<slug:slug>/compare/dates/",
        comparison_dates.compare_dates,
        name="compare_dates",
    ),
    path(
        "agreements/<slug:slug>/compare/across/",
        comparison_across.compare_across,
        name="compare_across",
    ),
    path("drafts/", draft_views.draft_list, name="draft_list"),
    path("drafts/<int:pk>/", draft_views.draft_compare, name="draft_compare"),
    path("drafts/<int:pk>/share/", draft_views.draft_share, name="draft_share"),
    path("drafts/<int:pk>/delete/", draft_views.draft_delete, name="draft_delete"),
    path(
        "agreements/<slug:slug>/compare/<slug:older>...<slug:newer>/",
        comparison_views.compare,
        name="compare",
    ),
    # import
    path("import/", importing_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", importing_views.import_preview, name="import_preview"),
    path("import/<int:pk>/publish/", importing_views.import_publish, name="import_publish"),
    path("import/<int:pk>/discard/", importing_views.import_discard, name="import_discard"),
    path(
        "import/<int:pk>/by-hand/",
        importing_views.import_effect_apply,
        name="import_effect_apply",
    ),
    path(
        "import/<int:pk>/by-hand/remove/",
        importing_views.import_effect_remove,
        name="import_effect_remove",
    ),
    path("import/<int:pk>/pairs/", importing_views.import_pairs, name="import_pairs"),
    path("import/<int:pk>/status/", importing_views.import_status, name="import_status"),
]
