from django.urls import path

from amparo.mentoring_work import pay_views, views

app_name = "mentoring_work"

urlpatterns = [
    path("", views.mentorship_list, name="list"),
    # Program admins and staff (before <int:pk>/ so that the words are never read as ids).
    path("time/queue/", pay_views.time_queue, name="time_queue"),
    path("statements/", pay_views.statement_list, name="statements"),
    path("statements/csv/", pay_views.statement_month_csv, name="statements_csv"),
    path("statements/<int:pk>/", pay_views.statement_detail, name="statement"),
    path("statements/<int:pk>/print/", pay_views.statement_print, name="statement_print"),
    path("statements/<int:pk>/csv/", pay_views.statement_csv, name="statement_csv"),
    path("statements/<int:pk>/issue/", pay_views.statement_issue, name="statement_issue"),
    path("funding/", pay_views.funding_list, name="funding"),
    path("funding/<int:pk>/", pay_views.funding_detail, name="funding_source"),
    path("overdue/", pay_views.overdue_overview, name="overdue"),
    path("feedback/", pay_views.feedback_list, name="feedback_list"),
    # One mentorship.
    path("<int:pk>/", views.workspace, name="workspace"),
    path("<int:pk>/first-meeting/", views.first_meeting, name="first_meeting"),
    path("<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/messages/", views.message_thread, name="messages"),
    path("<int:pk>/time/", views.time_log, name="time_log"),
    path("<int:pk>/close/", views.mentorship_close, name="close"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    # Its parts.
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/drafts/", views.draft_upload, name="draft_upload"),
    path("drafts/<int:pk>/download/", views.draft_download, name="draft_download"),
    path("drafts/<int:pk>/comments/", views.draft_comment, name="draft_comment"),
    path("drafts/<int:pk>/reviewed/", views.draft_reviewed, name="draft_reviewed"),
    path("time/<int:pk>/", views.time_entry_edit, name="time_entry"),
    path("time/<int:pk>/delete/", views.time_entry_delete, name="time_entry_delete"),
]
