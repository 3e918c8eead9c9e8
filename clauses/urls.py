from __future__ import annotations

from django.urls import path

from . import views, views_compare, views_import, views_search
from .record import views as record_views

app_name = "clauses"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<slug:slug>/versions/<slug:label>/",
        views.version_detail,
        name="version_detail",
    ),
    path("agreements/<slug:slug>/clauses/<str:key>/", views.clause_detail, name="clause_detail"),
    path(
        "agreements/<slug:slug>/instruments/<slug:instrument_slug>/",
        record_views.instrument_detail,
        name="instrument_detail",
    ),
    path("agreements/<slug:slug>/on/", views.on_date_pick, name="on_date_pick"),
    path("agreements/<slug:slug>/on/<str:day>/", views.on_date, name="on_date"),
    # compare
    path("agreements/<slug:slug>/compare/", views_compare.compare_pick, name="compare_pick"),
    path(
        "agreements/<slug:slug>/compare/<slug:older>...<slug:newer>/",
        views_compare.compare,
        name="compare",
    ),
    path("search/", views_search.search_page, name="search"),
    # import
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/<int:pk>/", views_import.import_preview, name="import_preview"),
    path("import/<int:pk>/publish/", views_import.import_publish, name="import_publish"),
    path("import/<int:pk>/discard/", views_import.import_discard, name="import_discard"),
    path("import/<int:pk>/status/", views_import.import_status, name="import_status"),
]
