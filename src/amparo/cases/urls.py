from django.urls import path

from amparo.cases import views
from amparo.intake import views as intake_views

app_name = "cases"
board_patterns = [
    path("board/", views.board, name="board"),
    path("board/<str:code>/", views.board_card, name="card"),
    path("board/<str:code>/reveal/", views.board_reveal, name="reveal"),
    path("board/<str:code>/take/", views.board_take, name="take"),
]

urlpatterns = [
    path("new/", intake_views.case_new, name="new"),
    path("requests/", views.placement_requests, name="placement_requests"),
    path("<str:code>/screening/", intake_views.case_screening, name="screening"),
    path("<str:code>/edit/", intake_views.case_edit, name="edit"),
    path("<str:code>/timeline/", views.case_timeline, name="timeline"),
    path("<str:code>/archive/", views.case_archive_view, name="archive"),
    path("<str:code>/unarchive/", views.case_unarchive_view, name="unarchive"),
    path("<str:code>/placement/", views.case_placement, name="placement"),
    path("<str:code>/placement/place/", views.case_placement_place, name="placement_place"),
    path(
        "<str:code>/placement/withdrawal/",
        views.case_placement_withdrawal,
        name="placement_withdrawal",
    ),
    path(
        "<str:code>/placement/requests/<int:request_id>/",
        views.case_placement_request_decide,
        name="placement_request_decide",
    ),
    path("", views.case_list, name="list"),
    path("<str:code>/", views.case_detail, name="detail"),
]
