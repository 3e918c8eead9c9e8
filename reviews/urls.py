from __future__ import annotations

from django.urls import path

from . import (
    views,
    views_actions,
    views_admin,
    views_after,
    views_assign,
    views_report,
    views_review,
    views_safety,
)

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_proposals, name="my_proposals"),
    path("proposals/", views.all_proposals, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("proposals/<int:pk>/return/", views_actions.proposal_return, name="proposal_return"),
    path("proposals/<int:pk>/screen/", views_actions.proposal_screen, name="proposal_screen"),
    path(
        "proposals/<int:pk>/flags/<int:flag_pk>/clear/", views_actions.flag_clear, name="flag_clear"
    ),
    path(
        "proposals/<int:pk>/conditions/acknowledge/",
        views_actions.conditions_acknowledge,
        name="conditions_acknowledge",
    ),
    path(
        "proposals/<int:pk>/conditions/<int:condition_pk>/resolve/",
        views_actions.condition_resolve,
        name="condition_resolve",
    ),
    path(
        "proposals/<int:pk>/assess/risk-benefit/",
        views_review.assess_risk_benefit,
        name="assess_risk_benefit",
    ),
    path(
        "proposals/<int:pk>/assess/security/",
        views_review.assess_security,
        name="assess_security",
    ),
    path("proposals/<int:pk>/decide/", views_review.decide, name="decide"),
    path("proposals/<int:pk>/assign/", views_assign.proposal_assign, name="proposal_assign"),
    path("proposals/<int:pk>/decide/confirm/", views_review.decide_confirm, name="decide_confirm"),
    # Researcher safety and the programme report (issue 16).
    path("proposals/<int:pk>/safety/", views_safety.safety, name="safety"),
    path("proposals/<int:pk>/trips/new/", views_safety.trip_create, name="trip_create"),
    path(
        "proposals/<int:pk>/trips/<int:trip_pk>/briefing/",
        views_safety.trip_briefing,
        name="trip_briefing",
    ),
    path("proposals/<int:pk>/incidents/new/", views_safety.incident_create, name="incident_create"),
    path(
        "proposals/<int:pk>/incidents/<int:incident_pk>/",
        views_safety.incident_detail,
        name="incident_detail",
    ),
    path(
        "proposals/<int:pk>/incidents/<int:incident_pk>/suspend/",
        views_safety.incident_suspend,
        name="incident_suspend",
    ),
    path(
        "proposals/<int:pk>/incidents/<int:incident_pk>/dispute/",
        views_safety.incident_dispute,
        name="incident_dispute",
    ),
    # After approval (issue 16): the reciprocity ledger and disputes.
    path("proposals/<int:pk>/ledger/", views_after.ledger, name="ledger"),
    path("proposals/<int:pk>/ledger/record/", views_after.ledger_record, name="ledger_record"),
    path(
        "proposals/<int:pk>/ledger/<int:entry_pk>/", views_after.ledger_entry, name="ledger_entry"
    ),
    path(
        "proposals/<int:pk>/ledger/<int:entry_pk>/correct/",
        views_after.ledger_entry_correct,
        name="ledger_entry_correct",
    ),
    path(
        "proposals/<int:pk>/ledger/<int:entry_pk>/attachments/",
        views_after.ledger_attachment_add,
        name="ledger_attachment_add",
    ),
    path(
        "proposals/<int:pk>/ledger/<int:entry_pk>/attachments/<int:attachment_pk>/",
        views_after.ledger_attachment_download,
        name="ledger_attachment_download",
    ),
    path("proposals/<int:pk>/disputes/open/", views_after.dispute_open, name="dispute_open"),
    path(
        "proposals/<int:pk>/disputes/<int:dispute_pk>/",
        views_after.dispute_detail,
        name="dispute_detail",
    ),
    path(
        "proposals/<int:pk>/disputes/<int:dispute_pk>/<slug:action>/",
        views_after.dispute_step,
        name="dispute_step",
    ),
    # Keep last among proposal pages: the action name is a path segment.
    path(
        "proposals/<int:pk>/<slug:action>/", views_actions.proposal_action, name="proposal_action"
    ),
    path("hits/<int:pk>/", views_review.hit_detail, name="hit_detail"),
    path("queue/", views_review.queue, name="queue"),
    path("queue/assign/", views_assign.queue_assign, name="queue_assign"),
    path("queue/<slug:tab>/", views_review.queue, name="queue_tab"),
    path("dashboard/", views_admin.dashboard, name="dashboard"),
    path("report/", views_report.report, name="report"),
    path("report/report.docx", views_report.report_docx, name="report_docx"),
    path("report/<slug:section>.csv", views_report.report_csv, name="report_csv"),
    path("reciprocity-concerns/", views_after.concerns, name="reciprocity_concerns"),
    path("screening-lists/", views_admin.screening_lists, name="screening_lists"),
    path("cet/", views_admin.cet_editions, name="cet_editions"),
    path("cet/<int:pk>/", views_admin.cet_edition, name="cet_edition"),
    path(
        "cet/<int:pk>/in-force/",
        views_admin.cet_edition_put_in_force,
        name="cet_edition_put_in_force",
    ),
    path("cet/categories/<int:pk>/", views_admin.cet_category, name="cet_category"),
]
