from __future__ import annotations

from django.urls import path

from . import views

app_name = "clauses"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
]
