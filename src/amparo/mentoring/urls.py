from django.urls import path

from amparo.mentoring import views

app_name = "mentoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<str:code>/", views.case_page, name="case"),
    path("cases/<str:code>/request/", views.request_create, name="request_create"),
    path("cases/<str:code>/agreement/", views.agreement, name="agreement"),
    path("cases/<str:code>/meetings/", views.meeting_book, name="meeting_book"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("signatures/<int:pk>/print/", views.signature_print, name="signature_print"),
    path("requests/", views.queue, name="queue"),
    path("requests/new/", views.request_bulk, name="request_bulk"),
    path("requests/upload/", views.request_upload, name="request_upload"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/confirm/", views.request_confirm, name="request_confirm"),
    path("requests/<int:pk>/override/", views.request_override, name="request_override"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
]
