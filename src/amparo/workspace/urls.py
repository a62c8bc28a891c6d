"""Included at the site root, before `cases/`: the case pages live under
cases/<code>/workspace/ (the cases app has no route there), the pages across cases under
workspace/."""

from django.urls import path

from amparo.workspace import staff_views, views

app_name = "workspace"
urlpatterns = [
    path("cases/<str:code>/workspace/", views.case_workspace, name="case"),
    path("cases/<str:code>/workspace/hearings/", views.hearing_add, name="hearing_add"),
    path(
        "cases/<str:code>/workspace/hearings/<int:pk>/reschedule/",
        views.hearing_reschedule,
        name="hearing_reschedule",
    ),
    path(
        "cases/<str:code>/workspace/hearings/<int:pk>/outcome/",
        views.hearing_outcome,
        name="hearing_outcome",
    ),
    path(
        "cases/<str:code>/workspace/milestones/<int:pk>/",
        views.milestone_status,
        name="milestone_status",
    ),
    path("cases/<str:code>/workspace/contacts/", views.contact_add, name="contact_add"),
    path("cases/<str:code>/workspace/hours/", views.hours_add, name="hours_add"),
    path(
        "cases/<str:code>/workspace/hours/<int:pk>/delete/",
        views.hours_delete,
        name="hours_delete",
    ),
    path("cases/<str:code>/workspace/outcome/", views.outcome_record, name="outcome"),
    path("cases/<str:code>/workspace/close/", views.case_close, name="close"),
    path(
        "cases/<str:code>/workspace/withdrawal/",
        views.withdrawal_request,
        name="withdrawal_request",
    ),
    path(
        "cases/<str:code>/workspace/withdrawal/<int:pk>/decide/",
        views.withdrawal_decide,
        name="withdrawal_decide",
    ),
    path(
        "cases/<str:code>/workspace/handoff/<int:pk>/",
        views.handoff_packet,
        name="handoff",
    ),
    path("cases/<str:code>/workspace/documents/", views.document_upload, name="document_upload"),
    path(
        "cases/<str:code>/workspace/documents/<int:pk>/versions/",
        views.document_version_add,
        name="document_version_add",
    ),
    path(
        "cases/<str:code>/workspace/documents/versions/<int:pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "cases/<str:code>/workspace/documents/versions/<int:pk>/comments/",
        views.document_comment,
        name="document_comment",
    ),
    path("workspace/hours/", staff_views.hours_totals, name="hours_totals"),
    path("workspace/hours/export.csv", staff_views.hours_export, name="hours_export"),
    path("workspace/at-risk/", staff_views.cases_at_risk, name="cases_at_risk"),
    path("workspace/withdrawals/", staff_views.withdrawal_list, name="withdrawal_list"),
    path("workspace/status-requests/", staff_views.status_requests, name="status_requests"),
    path(
        "workspace/status-requests/<int:pk>/",
        staff_views.status_request_detail,
        name="status_request",
    ),
    path("workspace/status-updates/", staff_views.status_updates, name="status_updates"),
    path("workspace/status-updates/<int:pk>/", staff_views.status_answer, name="status_answer"),
]
